// Organization policies (issue 11, DESIGN.md §4): the execution, governance and dependency
// documents. Members read their org's effective policy; org admins may only tighten it; platform
// admins set the ceiling of any org and the platform default. Every change is audited and
// re-evaluates the installed bundles it concerns. The layering lives in policy/policies.h.
//
//   GET/PUT /api/policies/{kind}                       the active org (PUT: org admin, tighten only)
//   GET/PUT /api/admin/orgs/{id}/policies/{kind}       platform admin: the platform's document for an org
//   GET/PUT /api/admin/policies/{kind}                 platform admin: the platform default
//   GET     /api/schemas/policies/{kind}.json          the JSON Schema of a document
//   GET /api/execution-policy, GET/PUT /api/admin/orgs/{id}/execution-policy   (kept from before)
#include "api/audit_log.h"
#include "api/http_json.h"
#include "api/routes.h"
#include "core/log.h"
#include "policy/policies.h"

namespace weft::api {

namespace {

constexpr std::size_t kPolicyBodyLimit = 256 * 1024;  // 1,000 patterns of 256 bytes fit

std::optional<policy::PolicyKind> kind_of(Call& call, const std::string& text) {
  auto kind = policy::parse_policy_kind(text);
  if (!kind) send_error(call.res, 404, "not_found", "no policy named '" + text.substr(0, 64) +
                                                       "' (execution, governance or dependency)");
  return kind;
}

// {...effective fields, kind, orgId, platform: {...the ceiling's fields}}; the platform default
// has no orgId and no ceiling.
void send_policy(Call& call, policy::PolicyKind kind, const OrgId& org) {
  policy::Policies policies(call.services.store);
  auto effective = policies.effective(org);
  if (!ok_or_send(call, effective)) return;
  json out = policy::to_json(*effective, kind);
  out["kind"] = policy::to_string(kind);
  if (!org.empty()) {
    auto ceiling = policies.ceiling(org);
    if (!ok_or_send(call, ceiling)) return;
    out["orgId"] = org.str();
    out["platform"] = policy::to_json(*ceiling, kind);
  }
  send_json(call.res, 200, out);
}

// After a stored change: audit it, re-evaluate the bundles it concerns (auditing each one a
// policy now blocks), answer the new effective policy.
void changed(Call& call, policy::PolicyKind kind, const OrgId& org, const std::string& layer, const json& document) {
  audit(call, org, kAuditPolicyChanged, "policy", std::string(policy::to_string(kind)),
        {{"layer", layer}, {"document", policy::without_read_only_keys(document)}});
  if (call.services.bundles != nullptr) {
    auto reevaluated = call.services.bundles->policies_changed(org.empty() ? std::nullopt : std::optional<OrgId>(org));
    if (!reevaluated.ok()) {
      log().error("policy change: re-evaluating bundles: {}", reevaluated.error().message);
    } else {
      for (const auto& r : *reevaluated) {
        if (!r.was_active) continue;
        audit(call, r.before.org, kAuditBundleBlockedByPolicy, "bundle", r.before.id.str(),
              {{"vendorId", r.before.vendor_id}, {"version", r.before.version}, {"blockedBy", r.blocked_by},
               {"cause", "policy." + std::string(policy::to_string(kind))}});
      }
    }
  }
  send_policy(call, kind, org);
}

Result<json> policy_body(Call& call) {
  auto body = read_object(call.req);
  if (!body.ok()) return body.error();
  return std::move(body).take();
}

void get_own(Call& call) {
  if (auto kind = kind_of(call, call.param(1))) send_policy(call, *kind, call.org());
}

void put_own(Call& call) {
  auto kind = kind_of(call, call.param(1));
  if (!kind) return;
  auto body = policy_body(call);
  if (!ok_or_send(call, body)) return;
  auto saved = policy::Policies(call.services.store).put_org(*kind, call.org(), *body);
  if (!ok_or_send(call, saved)) return;
  changed(call, *kind, call.org(), "organization", *body);
}

Result<store::Org> org_of(Call& call) { return call.services.store.orgs().get(OrgId(call.param(1))); }

void get_for_org(Call& call, policy::PolicyKind kind) {
  auto org = org_of(call);
  if (!ok_or_send(call, org)) return;
  send_policy(call, kind, org->id);
}

void put_for_org(Call& call, policy::PolicyKind kind) {
  auto org = org_of(call);
  if (!ok_or_send(call, org)) return;
  auto body = policy_body(call);
  if (!ok_or_send(call, body)) return;
  auto saved = policy::Policies(call.services.store).put_platform_for_org(kind, org->id, *body);
  if (!ok_or_send(call, saved)) return;
  changed(call, kind, org->id, "platform", *body);
}

void get_default(Call& call) {
  if (auto kind = kind_of(call, call.param(1))) send_policy(call, *kind, OrgId());
}

void put_default(Call& call) {
  auto kind = kind_of(call, call.param(1));
  if (!kind) return;
  auto body = policy_body(call);
  if (!ok_or_send(call, body)) return;
  auto saved = policy::Policies(call.services.store).put_platform_default(*kind, *body);
  if (!ok_or_send(call, saved)) return;
  changed(call, *kind, OrgId(), "default", *body);
}

void schema(Call& call) {
  std::string name = call.param(1);
  if (!name.ends_with(".json")) {
    send_error(call.res, 404, "not_found", "policy schemas are named <kind>.json");
    return;
  }
  name.resize(name.size() - 5);
  auto kind = kind_of(call, name);
  if (!kind) return;
  call.res.status = 200;
  call.res.set_content(policy::policy_schema(*kind).dump(2), "application/schema+json");
}

}  // namespace

void add_policy_routes(std::vector<Route>& r) {
  const std::string admin_org = std::string("/api/admin/orgs/") + kId;
  r.push_back({"GET", std::string("/api/policies/") + kId, Access::member, 0, get_own});
  r.push_back({"PUT", std::string("/api/policies/") + kId, Access::org_admin, kPolicyBodyLimit, put_own});
  r.push_back({"GET", admin_org + "/policies/" + kId, Access::platform_admin, 0,
               [](Call& call) { if (auto k = kind_of(call, call.param(2))) get_for_org(call, *k); }});
  r.push_back({"PUT", admin_org + "/policies/" + kId, Access::platform_admin, kPolicyBodyLimit,
               [](Call& call) { if (auto k = kind_of(call, call.param(2))) put_for_org(call, *k); }});
  r.push_back({"GET", std::string("/api/admin/policies/") + kId, Access::platform_admin, 0, get_default});
  r.push_back({"PUT", std::string("/api/admin/policies/") + kId, Access::platform_admin, kPolicyBodyLimit, put_default});
  r.push_back({"GET", std::string("/api/schemas/policies/") + kKey, Access::anyone, 0, schema});
  // The execution policy's routes from before the three documents: the same data.
  r.push_back({"GET", "/api/execution-policy", Access::member, 0,
               [](Call& call) { send_policy(call, policy::PolicyKind::execution, call.org()); }});
  r.push_back({"GET", admin_org + "/execution-policy", Access::platform_admin, 0,
               [](Call& call) { get_for_org(call, policy::PolicyKind::execution); }});
  r.push_back({"PUT", admin_org + "/execution-policy", Access::platform_admin, kPolicyBodyLimit,
               [](Call& call) { put_for_org(call, policy::PolicyKind::execution); }});
}

}  // namespace weft::api
