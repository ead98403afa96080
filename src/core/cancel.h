// core/cancel.h — owns cooperative cancellation: a token a run's steps poll or wait on, so a
// delay, retry backoff or HTTP transfer stops promptly on cancel or shutdown.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace weft {

class CancelToken {
 public:
  // Idempotent; wakes every waiter. Thread-safe.
  void cancel();
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  // Sleeps up to `duration`; returns false early if cancelled (true if the full time passed).
  bool wait_for(std::chrono::milliseconds duration) const;

 private:
  std::atomic<bool> cancelled_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
};

}  // namespace weft
