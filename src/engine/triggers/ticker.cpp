#include "engine/triggers/ticker.h"

#include "core/log.h"

namespace weft::engine {

void Ticker::start(std::string name, std::chrono::milliseconds period, std::function<void()> tick) {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  name_ = std::move(name);
  thread_ = std::thread([this, period, tick = std::move(tick)] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      tick();
      lock.lock();
      cv_.wait_for(lock, period, [this] { return stopping_; });
    }
  });
  log().info("{} started (tick {} ms)", name_, period.count());
}

void Ticker::stop() {
  std::thread thread;
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
    thread = std::move(thread_);
  }
  cv_.notify_all();
  thread.join();
  log().info("{} stopped", name_);
}

}  // namespace weft::engine
