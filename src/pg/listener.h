// pg/listener.h — owns the one connection a process keeps LISTENing on and the
// thread that reads it: each notification's channel and payload are handed to the handler. A
// lost connection is reopened with backoff and LISTENs again; since notifications sent
// before a LISTEN are lost, the handler hears every channel once with an empty payload ("look
// again") after each one, the first included. Sends nothing itself and runs no other query.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace weft::pg {

class Listener {
 public:
  // handler(channel, payload), called on the listener's thread; it must not block for long.
  using Handler = std::function<void(const std::string& channel, const std::string& payload)>;

  // Starts listening on `channels` (identifiers: letters, digits, _) at `url`.
  Listener(std::string url, std::vector<std::string> channels, Handler handler);
  ~Listener();  // stops the thread
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // True once the first LISTEN succeeded (tests wait for it before they notify).
  bool listening() const { return listening_.load(); }

 private:
  void run();

  const std::string url_;
  const std::vector<std::string> channels_;
  const Handler handler_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> listening_{false};
  int wake_pipe_[2] = {-1, -1};  // written by the destructor to end the thread's poll()
  std::thread thread_;
};

}  // namespace weft::pg
