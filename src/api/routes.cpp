#include "api/routes.h"

#include "api/http_json.h"

namespace weft::api {

const std::vector<Route>& all_routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> r;
    r.push_back({"GET", "/api/health", Access::anyone, 0, [](Call& call) {
                   send_json(call.res, 200, {{"status", "ok"}});
                 }});
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
