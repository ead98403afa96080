// policy/policies.h — owns where the three policies live and how their layers combine: the
// platform default (platform settings), the platform admins' document for one org over it (the
// ceiling), and the org admins' own document, which may only tighten the ceiling. Every reader
// (API, bundle service, catalog filter, sandbox) asks effective(org). Enforces nothing itself.
//
//   effective(org) = strictest(ceiling(org), org layer)      ceiling(org) = default ⊕ platform's doc for org
#pragma once

#include "core/ids.h"
#include "core/json.h"
#include "core/result.h"
#include "policy/dependency_policy.h"
#include "policy/execution_policy.h"
#include "policy/governance_policy.h"
#include "store/store.h"

namespace weft::policy {

struct PolicySet {
  ExecutionPolicy execution;
  GovernancePolicy governance;
  DependencyPolicy dependency;
  bool operator==(const PolicySet&) const = default;
};

// The document of `kind` from `set` (to_json of that policy).
json to_json(const PolicySet& set, PolicyKind kind);

class Policies {
 public:
  // The store must outlive it. Thread-safe (every call reads the store).
  explicit Policies(store::Store& store) : store_(store) {}

  // Built-in defaults overlaid with the platform-wide documents.
  Result<PolicySet> platform_default();
  // What the platform allows `org`: the default overlaid with the platform admins' document for it.
  Result<PolicySet> ceiling(const OrgId& org);
  // ceiling(org) tightened by the org admins' document. An empty org: platform_default().
  Result<PolicySet> effective(const OrgId& org);

  // Replace one layer's document of `kind` (fields left out inherit from the layer below). The
  // document must be valid against policy_schema(kind) (invalid_policy otherwise; read-only
  // keys are ignored). put_org also fails with policy_loosened (403; details: the fields) when
  // the result would be looser than ceiling(org) in any field.
  Status put_platform_default(PolicyKind kind, const json& document);
  Status put_platform_for_org(PolicyKind kind, const OrgId& org, const json& document);
  Status put_org(PolicyKind kind, const OrgId& org, const json& document);

 private:
  Result<json> stored(const OrgId& org, const std::string& key);
  Status overlay(PolicySet& set, PolicyKind kind, const json& document);
  store::Store& store_;
};

}  // namespace weft::policy
