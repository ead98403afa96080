#include "core/cancel.h"

namespace weft {

void CancelToken::cancel() {
  {
    std::lock_guard lock(mutex_);
    cancelled_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
}

bool CancelToken::wait_for(std::chrono::milliseconds duration) const {
  std::unique_lock lock(mutex_);
  return !cv_.wait_for(lock, duration, [this] { return cancelled(); });
}

}  // namespace weft
