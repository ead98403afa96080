#include "policy/policies.h"

namespace weft::policy {

namespace {

// Where each layer's document is kept (store SettingsStore; an empty OrgId is the platform).
std::string platform_key(PolicyKind kind) {
  // The execution policy's per-org key predates the others (kExecutionPolicySetting).
  if (kind == PolicyKind::execution) return kExecutionPolicySetting;
  return "policy." + std::string(to_string(kind));
}
std::string default_key(PolicyKind kind) { return "policy." + std::string(to_string(kind)) + ".default"; }
std::string org_key(PolicyKind kind) { return "policy." + std::string(to_string(kind)) + ".org"; }

}  // namespace

json to_json(const PolicySet& set, PolicyKind kind) {
  switch (kind) {
    case PolicyKind::execution: return set.execution.to_json();
    case PolicyKind::governance: return set.governance.to_json();
    case PolicyKind::dependency: return set.dependency.to_json();
  }
  return json::object();
}

Result<json> Policies::stored(const OrgId& org, const std::string& key) {
  WEFT_TRY_ASSIGN(auto value, store_.settings().get(org, key));
  if (!value.has_value()) return json::object();
  return std::move(*value);
}

Status Policies::overlay(PolicySet& set, PolicyKind kind, const json& document) {
  const json doc = without_read_only_keys(document);
  switch (kind) {
    case PolicyKind::execution: {
      WEFT_TRY_ASSIGN(set.execution, ExecutionPolicy::from_json(doc, set.execution));
      break;
    }
    case PolicyKind::governance: {
      WEFT_TRY_ASSIGN(set.governance, GovernancePolicy::from_json(doc, set.governance));
      break;
    }
    case PolicyKind::dependency: {
      WEFT_TRY_ASSIGN(set.dependency, DependencyPolicy::from_json(doc, set.dependency));
      break;
    }
  }
  return {};
}

Result<PolicySet> Policies::platform_default() {
  PolicySet set;
  for (PolicyKind kind : kPolicyKinds) {
    WEFT_TRY_ASSIGN(json doc, stored(OrgId(), default_key(kind)));
    WEFT_TRY(overlay(set, kind, doc));
  }
  return set;
}

Result<PolicySet> Policies::ceiling(const OrgId& org) {
  WEFT_TRY_ASSIGN(PolicySet set, platform_default());
  if (org.empty()) return set;
  for (PolicyKind kind : kPolicyKinds) {
    WEFT_TRY_ASSIGN(json doc, stored(org, platform_key(kind)));
    WEFT_TRY(overlay(set, kind, doc));
  }
  return set;
}

Result<PolicySet> Policies::effective(const OrgId& org) {
  WEFT_TRY_ASSIGN(PolicySet limit, ceiling(org));
  if (org.empty()) return limit;
  PolicySet own = limit;
  for (PolicyKind kind : kPolicyKinds) {
    WEFT_TRY_ASSIGN(json doc, stored(org, org_key(kind)));
    WEFT_TRY(overlay(own, kind, doc));
  }
  PolicySet out;
  out.execution = strictest(limit.execution, own.execution);
  out.governance = strictest(limit.governance, own.governance);
  out.dependency = strictest(limit.dependency, own.dependency);
  return out;
}

Status Policies::put_platform_default(PolicyKind kind, const json& document) {
  PolicySet check;
  WEFT_TRY(overlay(check, kind, document));
  return store_.settings().put(OrgId(), default_key(kind), without_read_only_keys(document));
}

Status Policies::put_platform_for_org(PolicyKind kind, const OrgId& org, const json& document) {
  PolicySet check;
  WEFT_TRY(overlay(check, kind, document));
  return store_.settings().put(org, platform_key(kind), without_read_only_keys(document));
}

Status Policies::put_org(PolicyKind kind, const OrgId& org, const json& document) {
  WEFT_TRY_ASSIGN(PolicySet limit, ceiling(org));
  PolicySet proposed = limit;
  WEFT_TRY(overlay(proposed, kind, document));
  std::vector<Loosened> found;
  switch (kind) {
    case PolicyKind::execution: found = loosened(limit.execution, proposed.execution); break;
    case PolicyKind::governance: found = loosened(limit.governance, proposed.governance); break;
    case PolicyKind::dependency: found = loosened(limit.dependency, proposed.dependency); break;
  }
  if (!found.empty()) {
    return Error::make(kPolicyLoosened,
                       "an organization admin may only tighten the " + std::string(to_string(kind)) +
                           " policy: " + found.front().message,
                       to_json(found));
  }
  return store_.settings().put(org, org_key(kind), without_read_only_keys(document));
}

}  // namespace weft::policy
