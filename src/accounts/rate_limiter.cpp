// Sliding-window attempt counting (reserve before the work, release what did not count) with
// amortised eviction of stale keys.
#include "accounts/rate_limiter.h"

#include <algorithm>
#include <vector>

namespace weft::accounts {

RateLimiter::RateLimiter(RateLimitOptions options) : options_(options) {
  options_.max_failures = std::max(options_.max_failures, 1);
  options_.window_ms = std::max<std::int64_t>(options_.window_ms, 1);
  options_.max_keys = std::max<std::size_t>(options_.max_keys, 1);
}

void RateLimiter::drop_expired(std::deque<TimeMs>& failures, TimeMs now) const {
  while (!failures.empty() && failures.front() <= now - options_.window_ms) failures.pop_front();
}

std::int64_t RateLimiter::retry_after_ms(const std::string& key, TimeMs now) {
  std::lock_guard lock(mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  drop_expired(it->second, now);
  if (it->second.empty()) {
    failures_.erase(it);
    return 0;
  }
  if (static_cast<int>(it->second.size()) < options_.max_failures) return 0;
  return std::max<std::int64_t>(it->second.front() + options_.window_ms - now, 1);
}

std::deque<TimeMs>& RateLimiter::entries(const std::string& key, TimeMs now) {
  if (now - last_sweep_ >= options_.window_ms) sweep(now);
  auto it = failures_.find(key);
  if (it == failures_.end()) {
    if (failures_.size() >= options_.max_keys) make_room(now);
    it = failures_.emplace(key, std::deque<TimeMs>{}).first;
  }
  drop_expired(it->second, now);
  return it->second;
}

std::int64_t RateLimiter::reserve(const std::string& key, TimeMs now) {
  std::lock_guard lock(mutex_);
  auto& attempts = entries(key, now);
  if (static_cast<int>(attempts.size()) >= options_.max_failures) {
    return std::max<std::int64_t>(attempts.front() + options_.window_ms - now, 1);
  }
  // Kept in time order even if a caller's clock reading is older than the newest entry.
  attempts.insert(std::upper_bound(attempts.begin(), attempts.end(), now), now);
  return 0;
}

void RateLimiter::release(const std::string& key, TimeMs at) {
  std::lock_guard lock(mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return;
  auto& attempts = it->second;
  auto found = std::find(attempts.begin(), attempts.end(), at);
  if (found != attempts.end()) attempts.erase(found);
  if (attempts.empty()) failures_.erase(it);
}

void RateLimiter::record_failure(const std::string& key, TimeMs now) {
  std::lock_guard lock(mutex_);
  auto& failures = entries(key, now);
  failures.insert(std::upper_bound(failures.begin(), failures.end(), now), now);
  while (static_cast<int>(failures.size()) > options_.max_failures) failures.pop_front();
}

void RateLimiter::clear(const std::string& key) {
  std::lock_guard lock(mutex_);
  failures_.erase(key);
}

std::size_t RateLimiter::size() const {
  std::lock_guard lock(mutex_);
  return failures_.size();
}

void RateLimiter::sweep(TimeMs now) {
  last_sweep_ = now;
  for (auto it = failures_.begin(); it != failures_.end();) {
    drop_expired(it->second, now);
    it = it->second.empty() ? failures_.erase(it) : std::next(it);
  }
}

// Called when full: first forget keys with no live failure; if that frees nothing, evict the
// eighth of the keys whose latest failure is oldest (so a flood of new keys costs O(n) once per
// n/8 insertions, not per insertion).
void RateLimiter::make_room(TimeMs now) {
  sweep(now);
  if (failures_.size() < options_.max_keys) return;
  std::vector<std::pair<TimeMs, const std::string*>> by_age;
  by_age.reserve(failures_.size());
  for (const auto& [key, failures] : failures_) by_age.emplace_back(failures.back(), &key);
  const std::size_t evict = std::max<std::size_t>(failures_.size() / 8, 1);
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(evict - 1), by_age.end());
  std::vector<std::string> victims;
  victims.reserve(evict);
  for (std::size_t i = 0; i < evict; ++i) victims.push_back(*by_age[i].second);
  for (const auto& key : victims) failures_.erase(key);
}

}  // namespace weft::accounts
