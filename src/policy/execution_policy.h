// policy/execution_policy.h — owns an organization's execution policy (DESIGN.md §4:
// maxConcurrentExecutions, maxTimeoutSeconds, plus whether core.code may use the network): the
// type, its JSON form and where it is stored. Enforcement lives with the sandbox (OrgGate).
#pragma once

#include "core/json.h"
#include "core/result.h"

namespace weft::policy {

// The org setting (store SettingsStore) holding the policy as to_json() writes it.
inline constexpr char kExecutionPolicySetting[] = "execution_policy";

struct ExecutionPolicy {
  int max_concurrent_executions = 8;  // sandboxed calls of the org running at once; 0 = no limit
  int max_timeout_seconds = 300;      // one call's upper bound (the server's cap still applies)
  bool code_network = false;          // core.code snippets may fetch public hosts

  // Parses {maxConcurrentExecutions, maxTimeoutSeconds, codeNetwork} (all optional, unknown
  // keys refused). Errors: invalid_policy naming the field.
  static Result<ExecutionPolicy> from_json(const json& j);
  json to_json() const;
};

}  // namespace weft::policy
