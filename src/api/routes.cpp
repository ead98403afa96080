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
    add_policy_routes(r);
    return r;
  }();
  return routes;
}

}  // namespace weft::api
