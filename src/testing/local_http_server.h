// testing/local_http_server.h — owns a real HTTP server on 127.0.0.1:<free port> for tests
// (cpp-httplib on its own thread), recording every request it receives. Stopped on destruction.
#pragma once

#include <httplib.h>

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace weft::testing {

struct RecordedRequest {
  std::string method;
  std::string path;   // without the query
  std::string query;  // raw, without '?'
  std::multimap<std::string, std::string> headers;  // as httplib stores them
  std::string body;

  std::string header(const std::string& name) const;  // case-insensitive, "" if absent
};

class LocalHttpServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  LocalHttpServer();
  ~LocalHttpServer();

  // Registers a handler for `method` ("GET", "POST", …) and an exact path or regex.
  // Call before start().
  void on(const std::string& method, const std::string& pattern, Handler handler);
  // Binds 127.0.0.1 on a free port and serves on a background thread.
  void start();
  void stop();

  int port() const { return port_; }
  std::string url(const std::string& path = "") const;  // "http://127.0.0.1:<port><path>"

  // A copy of every request received so far, in arrival order.
  std::vector<RecordedRequest> requests() const;
  std::size_t count(const std::string& path) const;

  httplib::Server& server() { return server_; }

 private:
  void record(const httplib::Request& req);
  static bool& recorded_by_handler();

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace weft::testing
