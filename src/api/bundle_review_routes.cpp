// The review of an uploaded bundle version before an admin activates it (issue 11, items 3 and
// 4): GET /api/bundles/{id}/review answers bundles/review.h's document — the capabilities,
// dependencies and setup tabs, and the diff against the version the active org runs. Org admins
// review what their org sees, platform admins too (and see every org's affected workflows for a
// platform bundle); a member is refused, another org's bundle is unknown.
#include "api/http_json.h"
#include "api/routes.h"
#include "bundles/review.h"
#include "bundles/service.h"

namespace weft::api {

namespace {

void review(Call& call) {
  if (call.services.bundles == nullptr) {
    send_error(call.res, 503, "bundles_unavailable", "this process does not manage bundles");
    return;
  }
  const bool platform_admin = call.caller->is_platform_admin();
  if (!call.caller->is_org_admin() && !platform_admin) {
    send_error(call.res, 403, "forbidden", "only an admin of the organization may review a bundle");
    return;
  }
  const bundles::Actor actor{call.org(), call.caller->user.id, platform_admin};
  auto record = call.services.bundles->get(actor, BundleId(call.param(1)));
  if (!ok_or_send(call, record)) return;
  auto document = bundles::build_review(*call.services.bundles, call.services.store, call.services.catalog, *record,
                                        {call.org(), platform_admin});
  if (!ok_or_send(call, document)) return;
  send_json(call.res, 200, *document);
}

}  // namespace

void add_bundle_review_routes(std::vector<Route>& r) {
  // Access::member: the org-admin-or-platform-admin rule is the handler's (a platform admin
  // need not be an admin of its active org).
  r.push_back({"GET", std::string("/api/bundles/") + kId + "/review", Access::member, 0, review});
}

}  // namespace weft::api
