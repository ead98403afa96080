// policy/execution_policy.h — owns an organization's execution policy (DESIGN.md §4:
// maxConcurrentExecutions, maxTimeoutSeconds, allowedCapabilities, plus whether core.code may use
// the network): the type, its JSON form, and how two of them compare (strictest, loosened).
// Where it is stored is policies.h's; the sandbox (OrgGate) and the bundle service enforce it.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "policy/policy_document.h"

namespace weft::policy {

// The org setting (store SettingsStore) holding the platform's execution policy for one org, as
// to_json() writes it (the key predates the other policies; policies.h reads it).
inline constexpr char kExecutionPolicySetting[] = "execution_policy";

struct ExecutionPolicy {
  int max_concurrent_executions = 8;  // sandboxed calls of the org running at once; 0 = no limit
  int max_timeout_seconds = 300;      // one call's upper bound (the server's cap still applies)
  // The capabilities a bundle's manifest may declare (kCapabilities order); all by default.
  std::vector<std::string> allowed_capabilities{std::begin(kCapabilities), std::end(kCapabilities)};
  bool code_network = false;          // core.code snippets may fetch public hosts

  // Parses a document valid against policy_schema(execution); fields left out keep `base`'s
  // value. Errors: invalid_policy (details: every violation).
  static Result<ExecutionPolicy> from_json(const json& j, const ExecutionPolicy& base);
  static Result<ExecutionPolicy> from_json(const json& j) { return from_json(j, ExecutionPolicy{}); }
  json to_json() const;

  bool allows_capability(const std::string& capability) const;
  bool operator==(const ExecutionPolicy&) const = default;
};

// Field by field the stricter of both (0 concurrency = no limit counts as the loosest).
ExecutionPolicy strictest(const ExecutionPolicy& a, const ExecutionPolicy& b);
// The fields of `proposed` looser than `limit` (empty: proposed is as strict or stricter).
std::vector<Loosened> loosened(const ExecutionPolicy& limit, const ExecutionPolicy& proposed);

}  // namespace weft::policy
