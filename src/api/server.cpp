#include "api/server.h"

#include <chrono>
#include <regex>

#include "api/http_json.h"
#include "api/routes.h"
#include "api/session_cookie.h"
#include "core/log.h"

namespace weft::api {

namespace {

thread_local std::chrono::steady_clock::time_point request_started;

// The path as it may be logged: webhook secrets are cut out.
std::string loggable_path(const std::string& path) {
  static const std::regex hook(R"(^(/api/hooks/[^/]+/).*$)");
  return std::regex_replace(path, hook, "$1***");
}

bool writes(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

ApiServer::ApiServer(Services& services, ServerOptions options)
    : services_(services), options_(std::move(options)) {
  const int threads = options_.threads;
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_.set_read_timeout(options_.read_timeout_s, 0);
  server_.set_write_timeout(options_.write_timeout_s, 0);
  server_.set_keep_alive_timeout(options_.keep_alive_timeout_s);
  server_.set_payload_max_length(options_.max_body_bytes);
  server_.set_tcp_nodelay(true);  // headers and body go out as separate writes: no Nagle delay
  server_.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_started = std::chrono::steady_clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                          request_started).count();
    log().info("http {} {} {} {:.2f}ms", req.method, loggable_path(req.path), res.status, us / 1000.0);
  });
  install_routes();
  install_error_handlers();
}

ApiServer::~ApiServer() { stop(); }

Result<int> ApiServer::bind() {
  int port = options_.port == 0 ? server_.bind_to_any_port(options_.host)
                                : (server_.bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port <= 0) {
    return Error::make("listen_failed", "cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  }
  return port;
}

void ApiServer::serve() { server_.listen_after_bind(); }

void ApiServer::stop() {
  if (server_.is_running()) server_.stop();
}

std::optional<accounts::Principal> ApiServer::authenticate(const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    auto p = services_.accounts.authenticate_token(auth.substr(7));
    return p.ok() ? *p : std::nullopt;
  }
  const std::string cookie = session_token(req);
  if (cookie.empty()) return std::nullopt;
  auto p = services_.accounts.authenticate_session(cookie);
  return p.ok() ? *p : std::nullopt;
}

bool ApiServer::origin_allowed(const httplib::Request& req) const {
  const std::string origin = req.get_header_value("Origin");
  const std::string host = req.get_header_value("Host");
  if (!host.empty() && (origin == "http://" + host || origin == "https://" + host)) return true;
  for (const auto& allowed : options_.allowed_origins) {
    if (origin == allowed) return true;
  }
  return false;
}

void ApiServer::install_routes() {
  for (const Route& route : all_routes()) {
    auto handler = [this, &route](const httplib::Request& req, httplib::Response& res) {
      if (req.body.size() > route.max_body) {
        send_error(res, 413, "payload_too_large",
                   "request body over " + std::to_string(route.max_body) + " bytes for this route");
        return;
      }
      Call call{req, res, services_, authenticate(req)};
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
      route.handler(call);
    };
    if (route.method == "GET") server_.Get(route.pattern, handler);
    else if (route.method == "POST") server_.Post(route.pattern, handler);
    else if (route.method == "PUT") server_.Put(route.pattern, handler);
    else if (route.method == "DELETE") server_.Delete(route.pattern, handler);
    else WEFT_ASSERT(false && "unsupported method in route table");
  }
}

void ApiServer::install_error_handlers() {
  server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler already answered with a JSON error
    switch (res.status) {
      case 404: send_error(res, 404, "not_found", "no such route"); break;
      case 413: send_error(res, 413, "payload_too_large", "request body too large"); break;
      case 400: send_error(res, 400, "bad_request", "malformed HTTP request"); break;
      default: send_error(res, res.status, "http_error", "request failed");
    }
  });
  server_.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    send_error(res, Error::internal("unhandled exception in " + req.method + " " + loggable_path(req.path) + ": " + what));
  });
}

}  // namespace weft::api
