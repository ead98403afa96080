// accounts/rate_limiter.h — owns an in-memory sliding-window failure counter keyed by string
// ("acct:<email>", "addr:<ip>"). Per process, bounded in memory; it does not persist or share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace weft::accounts {

struct RateLimitOptions {
  int max_failures = 10;            // failures allowed within the window
  std::int64_t window_ms = 15 * 60 * 1000;
  std::size_t max_keys = 100000;    // tracked keys; the stalest are evicted beyond this
};

// Thread-safe.
class RateLimiter {
 public:
  explicit RateLimiter(RateLimitOptions options);

  // Milliseconds until `key` may try again: 0 while it has fewer than max_failures failures in
  // (now - window, now], else until the oldest of them leaves the window.
  std::int64_t retry_after_ms(const std::string& key, TimeMs now);
  void record_failure(const std::string& key, TimeMs now);
  // Forgets the key's failures (e.g. after a successful login).
  void clear(const std::string& key);
  // Keys currently tracked (for tests and metrics).
  std::size_t size() const;

 private:
  void drop_expired(std::deque<TimeMs>& failures, TimeMs now) const;
  void sweep(TimeMs now);
  void make_room(TimeMs now);

  RateLimitOptions options_;
  mutable std::mutex mutex_;
  // Newest last; at most max_failures entries per key.
  std::unordered_map<std::string, std::deque<TimeMs>> failures_;
  TimeMs last_sweep_ = 0;
};

}  // namespace weft::accounts
