// http/handler_threads.h — owns the threads that run blocking request handlers: none at first,
// one more whenever a task is queued with no thread waiting for work, up to a maximum (a start
// creates no thread; an idle server holds only the threads its busiest moment needed). Runs
// tasks in the order posted; knows nothing of HTTP.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace weft::http {

class HandlerThreads {
 public:
  explicit HandlerThreads(std::size_t max_threads);
  ~HandlerThreads();  // join()s
  HandlerThreads(const HandlerThreads&) = delete;
  HandlerThreads& operator=(const HandlerThreads&) = delete;

  // Queues `task` for a thread, starting one if none waits and fewer than the maximum run. A
  // task posted once join() has begun runs only if a thread is still there to take it.
  // Thread-safe; a task may post.
  void post(std::function<void()> task);
  // Every task queued so far runs to completion, then the threads end. Idempotent.
  void join();
  // Threads started so far, and those of them waiting for work (for tests and /metrics).
  std::size_t threads() const;
  std::size_t idle() const;

 private:
  void run();

  const std::size_t max_threads_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  std::size_t waiting_ = 0;  // threads blocked for work
  bool joining_ = false;
};

}  // namespace weft::http
