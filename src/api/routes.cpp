#include "api/routes.h"

#include "api/http_json.h"
#include "core/log.h"

namespace weft::api {

void add_probe_routes(std::vector<Route>& r) {
  r.push_back({"GET", "/api/health", Access::anyone, 0, [](Call& call) {
                 send_json(call.res, 200, {{"status", "ok"}});
               }});
  // Ready to serve: the database answers and its schema is this binary's (503 otherwise).
  r.push_back({"GET", "/api/ready", Access::anyone, 0, [](Call& call) {
                 if (Status ready = call.services.store.check_ready(); !ready.ok()) {
                   const Error& e = ready.error();
                   if (!e.is_public) log().error("readiness check: {}", e.message);
                   send_error(call.res, 503, e.is_public ? e.code : "database_unavailable",
                              e.is_public ? e.message : "the database does not answer");
                   return;
                 }
                 send_json(call.res, 200, {{"status", "ready"}, {"database", call.services.store.backend()}});
               }});
  // Prometheus' text format; no secrets, but expose it only where it is scraped.
  r.push_back({"GET", "/metrics", Access::anyone, 0, [](Call& call) {
                 if (!call.services.metrics) {
                   send_error(call.res, 404, "not_found", "this process keeps no metrics");
                   return;
                 }
                 call.res.status = 200;
                 call.res.set_content(call.services.metrics(), "text/plain; version=0.0.4; charset=utf-8");
               }});
}

const std::vector<Route>& probe_routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> r;
    add_probe_routes(r);
    return r;
  }();
  return routes;
}

const std::vector<Route>& all_routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> r;
    add_probe_routes(r);
    add_auth_routes(r);
    add_catalog_routes(r);
    add_credential_routes(r);
    add_workflow_routes(r);
    add_run_routes(r);
    add_hook_routes(r);
    add_member_routes(r);
    add_invitation_routes(r);
    add_policy_routes(r);
    add_bundle_routes(r);
    add_audit_routes(r);
    add_bundle_review_routes(r);
    add_advisory_routes(r);
    return r;
  }();
  return routes;
}

void send_error_of(Call& call, const Error& error) {
  if (error.code == "rate_limited" && error.details.is_object()) {
    auto seconds = error.details.find("retryAfterSeconds");
    if (seconds != error.details.end() && seconds->is_number_integer()) {
      call.res.set_header("Retry-After", std::to_string(seconds->get<std::int64_t>()));
    }
  }
  send_error(call.res, error);
}

}  // namespace weft::api
