// An org's execution policy for sandboxed code (DESIGN.md §4): members read their org's,
// platform admins read and set any org's. The sandbox pool reads it from the same setting.
#include "api/http_json.h"
#include "api/routes.h"
#include "policy/execution_policy.h"

namespace weft::api {

namespace {

Result<policy::ExecutionPolicy> policy_of(Call& call, const OrgId& org) {
  WEFT_TRY_ASSIGN(auto stored, call.services.store.settings().get(org, policy::kExecutionPolicySetting));
  if (!stored.has_value()) return policy::ExecutionPolicy{};
  return policy::ExecutionPolicy::from_json(*stored);
}

void send_policy(Call& call, const OrgId& org) {
  auto policy = policy_of(call, org);
  if (!ok_or_send(call, policy)) return;
  json out = policy->to_json();
  out["orgId"] = org.str();
  send_json(call.res, 200, out);
}

void get_own_policy(Call& call) { send_policy(call, call.org()); }

void get_org_policy(Call& call) {
  auto org = call.services.store.orgs().get(OrgId(call.param(1)));
  if (!ok_or_send(call, org)) return;
  send_policy(call, org->id);
}

// PUT replaces the policy; fields left out take their defaults.
void put_org_policy(Call& call) {
  auto org = call.services.store.orgs().get(OrgId(call.param(1)));
  if (!ok_or_send(call, org)) return;
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  auto policy = policy::ExecutionPolicy::from_json(*body);
  if (!policy.ok()) {
    send_error(call.res, 400, policy.error().code, policy.error().message, policy.error().details);
    return;
  }
  auto saved = call.services.store.settings().put(org->id, policy::kExecutionPolicySetting, policy->to_json());
  if (!ok_or_send(call, saved)) return;
  send_policy(call, org->id);
}

}  // namespace

void add_policy_routes(std::vector<Route>& r) {
  r.push_back({"GET", "/api/execution-policy", Access::member, 0, get_own_policy});
  r.push_back({"GET", std::string("/api/admin/orgs/") + kId + "/execution-policy", Access::platform_admin, 0,
               get_org_policy});
  r.push_back({"PUT", std::string("/api/admin/orgs/") + kId + "/execution-policy", Access::platform_admin, 4096,
               put_org_policy});
}

}  // namespace weft::api
