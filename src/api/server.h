// api/server.h — owns the API's front door on top of http::Server: matches every route of
// routes.h, checks Host (DNS rebinding: 421), authentication, access level and CSRF, applies
// each route's body limit, answers every failure with a JSON error, and owns the run watcher
// that serves event streams and webhook waits. Writes no access log of its own (http::Server
// does, with webhook secrets cut out of paths).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/context.h"
#include "api/host_check.h"
#include "api/route_table.h"
#include "http/server.h"

namespace weft::api {

class WebAssets;  // api/web_assets.h

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;      // 0 = any free port
  int threads = 32;     // blocking handlers at once (store, argon2); connections need none
  int network_threads = 0;  // threads that read, parse and write every connection; 0: one per two cores
  // Public origins ("https://weft.example.com"): Host headers and cookie-authenticated writes
  // are accepted from them besides IP literals and localhost.
  std::vector<std::string> allowed_origins;
  // Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto.
  bool trust_proxy = false;
  std::size_t max_streams_per_user = 8;
  // The web app served for GET of every non-/api path (null: none). Must outlive the server.
  const WebAssets* web = nullptr;
  // A worker node: only probe_routes() (health, readiness, metrics), no API and no web app.
  bool probes_only = false;
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
  // Stops accepting, lets in-flight requests finish, ends streams and waits. Thread-safe.
  void stop();

 private:
  http::Dispatch route(http::Request& head);
  void handle(const Route& route, http::Request& req, http::Response& res);
  bool handle_inline(const Route& route, http::Request& req, http::Response& res);
  std::optional<accounts::Principal> authenticate(const http::Request& req, bool secure);
  bool origin_allowed(const http::Request& req) const;
  bool is_secure(const http::Request& req) const;

  Services& services_;
  ServerOptions options_;
  HostCheck hosts_;
  bool public_https_ = false;
  RouteTable routes_;
  std::unique_ptr<RunWatcher> watcher_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace weft::api
