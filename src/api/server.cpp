#include "api/server.h"

#include "api/web_assets.h"

#include "api/http_json.h"
#include "api/routes.h"
#include "api/run_watch.h"
#include "api/session_cookie.h"
#include "core/log.h"
#include "http/server.h"

namespace weft::api {

namespace {

// The path as it may be logged: webhook secrets are cut out.
std::string loggable_path(const std::string& path) {
  static const std::string kHooks = "/api/hooks/";
  if (path.rfind(kHooks, 0) != 0) return path;
  const auto slash = path.find('/', kHooks.size());
  return slash == std::string::npos ? path : path.substr(0, slash + 1) + "***";
}

bool writes(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

ApiServer::ApiServer(Services& services, ServerOptions options)
    : services_(services), options_(std::move(options)), hosts_(options_.allowed_origins),
      routes_(options_.probes_only ? probe_routes() : all_routes()) {
  for (const auto& origin : options_.allowed_origins) public_https_ |= origin.rfind("https://", 0) == 0;
  watcher_ = std::make_unique<RunWatcher>(services_, options_.max_streams_per_user);
  http::ServerOptions http_options;
  http_options.host = options_.host;
  http_options.port = options_.port;
  http_options.handler_threads = options_.threads;
  http_options.io_threads = options_.network_threads;
  http_options.loggable_path = loggable_path;
  server_ = std::make_unique<http::Server>(
      http_options, [this](http::Request& head) { return route(head); },
      [](http::Response& res, int status, const std::string& code, const std::string& message) {
        send_error(res, status, code, message);
      });
}

ApiServer::~ApiServer() { stop(); }

Result<int> ApiServer::bind() { return server_->bind(); }

void ApiServer::serve() { server_->serve(); }

void ApiServer::stop() {
  if (server_) server_->stop();  // closes every stream and wait: the watcher drops them
  if (watcher_) watcher_->stop();
}

bool ApiServer::is_secure(const http::Request& req) const {
  if (options_.trust_proxy) {
    const std::string proto = req.get_header_value("X-Forwarded-Proto");
    if (!proto.empty()) return proto == "https";
  }
  return public_https_;
}

std::optional<accounts::Principal> ApiServer::authenticate(const http::Request& req, bool secure) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    auto p = services_.accounts.authenticate_token(auth.substr(7));
    return p.ok() ? *p : std::nullopt;
  }
  const std::string cookie = session_token(req, secure);
  if (cookie.empty()) return std::nullopt;
  auto p = services_.accounts.authenticate_session(cookie);
  return p.ok() ? *p : std::nullopt;
}

bool ApiServer::origin_allowed(const http::Request& req) const {
  // Host has been checked against the allowed hosts already, so an Origin equal to it is ours.
  const std::string origin = req.get_header_value("Origin");
  const std::string host = req.get_header_value("Host");
  if (!host.empty() && (origin == "http://" + host || origin == "https://" + host)) return true;
  for (const auto& allowed : options_.allowed_origins) {
    if (origin == allowed) return true;
  }
  return false;
}

// On a network thread, from the request head only: must not block.
http::Dispatch ApiServer::route(http::Request& head) {
  const auto reject = [](int status, std::string code, std::string message) {
    http::Dispatch d;
    d.reject = [status, code = std::move(code), message = std::move(message)](http::Response& res) {
      send_error(res, status, code, message);
    };
    return d;
  };
  if (head.header_count("Host") > 1 || !hosts_.allowed(head.get_header_value("Host"))) {
    return reject(421, "misdirected_request",
                  "this server does not answer for that Host; add its origin to WEFT_ALLOWED_ORIGINS");
  }
  auto found = routes_.find(head.method, head.path);
  if (found.route) {
    head.matches = std::move(found.captures);
    const Route* r = found.route;
    http::Dispatch d;
    d.max_body = r->max_body;
    d.handler = [this, r](http::Request& req, http::Response& res) { handle(*r, req, res); };
    if (r->try_inline && r->access == Access::anyone) {
      d.try_inline = [this, r](http::Request& req, http::Response& res) { return handle_inline(*r, req, res); };
    }
    return d;
  }
  if (found.path_known) return reject(405, "method_not_allowed", "this route does not accept " + head.method);
  if (options_.probes_only) {
    return reject(404, "not_found", "this node runs workflows only: it answers /api/health, /api/ready and /metrics");
  }
  if (head.method == "GET" && head.path != "/api" && head.path.rfind("/api/", 0) != 0) {
    // The web app: its files, or index.html for an app route (SPA fallback). From memory.
    http::Dispatch d;
    const WebAssets* web = options_.web;
    d.handler = [web](http::Request& req, http::Response& res) {
      if (web != nullptr && !web->empty()) return web->serve(req.path, res);
      add_security_headers(res);
      if (req.path != "/") return not_found(res);
      res.set_content("Weft is running. This binary was built without its web app (web/); "
                      "build it with npm, or start with --web-dir.\n",
                      "text/plain; charset=utf-8");
    };
    return d;
  }
  return reject(404, "not_found", "no such route");
}

// On a network thread. Only a request that handle() would give no caller and no CSRF check (no
// credentials, no Origin) is tried here, so both paths answer it the same.
bool ApiServer::handle_inline(const Route& route, http::Request& req, http::Response& res) {
  if (req.has_header("Cookie") || req.has_header("Authorization") || req.has_header("Origin")) return false;
  Call call{req, res, services_, std::nullopt, *watcher_, is_secure(req)};
  try {
    return route.try_inline(call);
  } catch (const std::exception& e) {
    const Error error =
        Error::internal("unhandled exception in " + req.method + " " + loggable_path(req.path) + ": " + e.what());
    if (!res.deferred_) return false;  // nothing was handed on: the pool runs it again
    // The answer was promised (maybe given already: the first one counts), so it is given here.
    http::Response answer;
    send_error(answer, error);
    res.deferred_slot_->send(std::move(answer));
    return true;
  }
}

// On a handler thread.
void ApiServer::handle(const Route& route, http::Request& req, http::Response& res) {
  const bool secure = is_secure(req);
  Call call{req, res, services_, authenticate(req, secure), *watcher_, secure};
  const bool cookie_auth = call.caller && call.caller->via == accounts::Principal::Via::session;
  if (writes(req.method) && (cookie_auth || req.has_header("Origin")) && !origin_allowed(req)) {
    send_error(res, 403, "csrf_failed", "cross-site request refused: Origin does not match this server");
    return;
  }
  if (route.access != Access::anyone && !call.caller) {
    send_error(res, 401, "unauthorized", "sign in or send an API token");
    return;
  }
  const bool allowed = [&] {
    switch (route.access) {
      case Access::anyone:
      case Access::signed_in: return true;
      case Access::member: return call.caller->role.has_value();
      case Access::org_admin: return call.caller->is_org_admin();
      case Access::platform_admin: return call.caller->is_platform_admin();
    }
    return false;
  }();
  if (!allowed) {
    send_error(res, 403, "forbidden", "your role does not allow this");
    return;
  }
  try {
    route.handler(call);
  } catch (const std::exception& e) {
    auto slot = res.deferred_slot_;
    res = http::Response{};
    res.deferred_slot_ = slot;
    send_error(res, Error::internal("unhandled exception in " + req.method + " " + loggable_path(req.path) + ": " + e.what()));
  }
}

}  // namespace weft::api
