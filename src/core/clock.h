// core/clock.h — owns time: wall-clock milliseconds for records, and an injectable Clock so
// tests control time. Does not sleep: waiting belongs to the caller (it must stay cancellable).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace weft {

// Milliseconds since the Unix epoch (UTC).
using TimeMs = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time; safe to call from any thread.
  virtual TimeMs now_ms() const = 0;
  // Monotonic time in microseconds, for measuring durations.
  virtual std::int64_t monotonic_us() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs now_ms() const override;
  std::int64_t monotonic_us() const override;
  // The process-wide instance; lives for the whole program.
  static SystemClock& instance();
};

// A clock tests move by hand. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeMs start_ms) : now_ms_(start_ms) {}
  TimeMs now_ms() const override { return now_ms_.load(); }
  std::int64_t monotonic_us() const override { return now_ms_.load() * 1000; }
  void advance_ms(TimeMs delta) { now_ms_ += delta; }
  void set_ms(TimeMs t) { now_ms_ = t; }

 private:
  std::atomic<TimeMs> now_ms_;
};

// "2026-11-23T05:13:00.123Z".
std::string format_iso8601(TimeMs ms);

}  // namespace weft
