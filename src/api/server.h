// api/server.h — owns the HTTP front door (cpp-httplib): binds, runs every route of
// routes.h behind authentication, access checks, CSRF and body limits, answers every failure
// with a JSON error, writes the access log (no bodies, no secrets) and stops gracefully.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>

#include "api/context.h"

namespace weft::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0 = any free port
  int threads = 32;                 // connection threads (keep-alive and SSE hold one each)
  int read_timeout_s = 10;
  int write_timeout_s = 10;
  int keep_alive_timeout_s = 5;
  std::size_t max_body_bytes = 1024 * 1024;  // above any route's own limit
  // Extra origins allowed for cookie-authenticated writes besides the request's own host.
  std::vector<std::string> allowed_origins;
};

class ApiServer {
 public:
  // `services` must outlive the server.
  ApiServer(Services& services, ServerOptions options);
  ~ApiServer();

  // Binds host:port; returns the bound port. Errors: listen_failed.
  Result<int> bind();
  // Serves until stop(); call after bind(), typically on its own thread.
  void serve();
  // Stops accepting and returns once in-flight requests end. Thread-safe.
  void stop();

 private:
  void install_routes();
  void install_error_handlers();
  std::optional<accounts::Principal> authenticate(const httplib::Request& req);
  bool origin_allowed(const httplib::Request& req) const;

  Services& services_;
  ServerOptions options_;
  httplib::Server server_;
};

}  // namespace weft::api
