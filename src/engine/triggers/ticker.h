// engine/triggers/ticker.h — owns the one background thread a trigger loop needs (schedules,
// polls): call a function, wait a period or until stopped, repeat. Knows nothing of what the
// function does; the function logs its own failures.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace weft::engine {

class Ticker {
 public:
  Ticker() = default;
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;
  ~Ticker() { stop(); }

  // Calls `tick` at once and then every `period` on a thread of its own until stop(). A second
  // start while running does nothing. `name` labels the log lines.
  void start(std::string name, std::chrono::milliseconds period, std::function<void()> tick);
  // Wakes the thread, lets a tick in progress finish, joins. No-op when not running.
  void stop();

 private:
  std::string name_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace weft::engine
