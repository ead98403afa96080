// The password-check semaphore: a mutex, a condition variable and counters.
#include "accounts/password_checks.h"

#include <algorithm>

namespace weft::accounts {

PasswordChecks::Slot::~Slot() {
  if (owner_ != nullptr) owner_->release();
}

PasswordChecks::PasswordChecks(PasswordCheckLimits limits) : limits_(limits) {
  limits_.max_concurrent = std::max(limits_.max_concurrent, 1);
  limits_.max_waiting = std::max(limits_.max_waiting, 0);
  limits_.max_wait = std::max(limits_.max_wait, std::chrono::milliseconds(0));
}

std::optional<PasswordChecks::Slot> PasswordChecks::acquire() {
  std::unique_lock lock(mutex_);
  const auto has_room = [this] { return stats_.in_use < limits_.max_concurrent; };
  if (!has_room()) {
    if (stats_.waiting >= limits_.max_waiting) {
      ++stats_.refused;
      return std::nullopt;
    }
    ++stats_.waiting;
    const bool got = freed_.wait_for(lock, limits_.max_wait, has_room);
    --stats_.waiting;
    if (!got) {
      ++stats_.refused;
      return std::nullopt;
    }
  }
  ++stats_.in_use;
  ++stats_.granted;
  stats_.peak_in_use = std::max(stats_.peak_in_use, stats_.in_use);
  return Slot(this);
}

void PasswordChecks::release() {
  {
    std::lock_guard lock(mutex_);
    --stats_.in_use;
  }
  freed_.notify_one();
}

PasswordChecks::Stats PasswordChecks::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace weft::accounts
