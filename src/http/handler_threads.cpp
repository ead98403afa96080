#include "http/handler_threads.h"

#include <exception>

#include "core/log.h"

namespace weft::http {

HandlerThreads::HandlerThreads(std::size_t max_threads) : max_threads_(max_threads > 0 ? max_threads : 1) {}

HandlerThreads::~HandlerThreads() { join(); }

void HandlerThreads::post(std::function<void()> task) {
  std::lock_guard lock(mutex_);
  tasks_.push_back(std::move(task));
  // Threads woken but not yet running still count as waiting, and so do the tasks they will
  // take: a thread is started only when the queue outnumbers them.
  if (tasks_.size() > waiting_ && threads_.size() < max_threads_ && !joining_) {
    threads_.emplace_back([this] { run(); });
  } else {
    work_.notify_one();
  }
}

void HandlerThreads::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!tasks_.empty()) {
      auto task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      try {
        task();
      } catch (const std::exception& e) {
        log().error("http handler task threw: {}", e.what());
      } catch (...) {
        log().error("http handler task threw a non-exception");
      }
      task = nullptr;  // its captures are released outside the lock
      lock.lock();
      continue;
    }
    if (joining_) return;
    ++waiting_;
    work_.wait(lock);
    --waiting_;
  }
}

void HandlerThreads::join() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    joining_ = true;
    threads.swap(threads_);
  }
  work_.notify_all();
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
}

std::size_t HandlerThreads::threads() const {
  std::lock_guard lock(mutex_);
  return threads_.size();
}

std::size_t HandlerThreads::idle() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

}  // namespace weft::http
