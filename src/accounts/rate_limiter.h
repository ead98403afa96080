// accounts/rate_limiter.h — owns an in-memory sliding-window attempt counter keyed by string
// ("acct:<email>", "addr:<ip>"). Per process, bounded in memory; it does not persist or share.
// Attempts are reserved atomically before the expensive work, never counted after it.
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
  // Check and count in one step: when `key` has room (retry_after_ms would be 0), records an
  // attempt at `now` and returns 0, so the caller may go on; otherwise records nothing and
  // returns retry_after_ms. However many threads call it at once, at most max_failures attempts
  // per window are let through. An attempt that turns out not to count is given back with
  // release().
  std::int64_t reserve(const std::string& key, TimeMs now);
  // Gives back one attempt reserved at `at` (a login that succeeded, or that was refused before
  // any password work). No-op when it has left the window or the key was evicted or cleared.
  void release(const std::string& key, TimeMs at);
  void record_failure(const std::string& key, TimeMs now);
  // Forgets the key's failures (e.g. after a successful login).
  void clear(const std::string& key);
  // Keys currently tracked (for tests and metrics).
  std::size_t size() const;

 private:
  void drop_expired(std::deque<TimeMs>& failures, TimeMs now) const;
  // The key's live entries, created if absent (making room first). Caller holds mutex_.
  std::deque<TimeMs>& entries(const std::string& key, TimeMs now);
  void sweep(TimeMs now);
  void make_room(TimeMs now);

  RateLimitOptions options_;
  mutable std::mutex mutex_;
  // Newest last; at most max_failures entries per key.
  std::unordered_map<std::string, std::deque<TimeMs>> failures_;
  TimeMs last_sweep_ = 0;
};

}  // namespace weft::accounts
