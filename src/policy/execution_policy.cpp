#include "policy/execution_policy.h"

#include <algorithm>
#include <limits>

#include "policy/policy_fields.h"

namespace weft::policy {

namespace {

// Concurrency as a number where larger is looser: 0 means no limit.
long long effective_concurrency(int value) {
  return value == 0 ? std::numeric_limits<long long>::max() : value;
}

std::vector<std::string> in_capability_order(const std::vector<std::string>& set) {
  std::vector<std::string> out;
  for (const char* c : kCapabilities) {
    if (std::find(set.begin(), set.end(), c) != set.end()) out.push_back(c);
  }
  return out;
}

}  // namespace

Result<ExecutionPolicy> ExecutionPolicy::from_json(const json& j, const ExecutionPolicy& base) {
  WEFT_TRY(check_policy_document(PolicyKind::execution, j));
  ExecutionPolicy p = base;
  if (j.contains("maxConcurrentExecutions")) p.max_concurrent_executions = j["maxConcurrentExecutions"].get<int>();
  if (j.contains("maxTimeoutSeconds")) p.max_timeout_seconds = j["maxTimeoutSeconds"].get<int>();
  if (j.contains("allowedCapabilities")) p.allowed_capabilities = in_capability_order(fields::strings(j["allowedCapabilities"]));
  if (j.contains("codeNetwork")) p.code_network = j["codeNetwork"].get<bool>();
  return p;
}

json ExecutionPolicy::to_json() const {
  return {{"maxConcurrentExecutions", max_concurrent_executions},
          {"maxTimeoutSeconds", max_timeout_seconds},
          {"allowedCapabilities", allowed_capabilities},
          {"codeNetwork", code_network}};
}

bool ExecutionPolicy::allows_capability(const std::string& capability) const {
  return std::find(allowed_capabilities.begin(), allowed_capabilities.end(), capability) != allowed_capabilities.end();
}

ExecutionPolicy strictest(const ExecutionPolicy& a, const ExecutionPolicy& b) {
  ExecutionPolicy out;
  out.max_concurrent_executions = effective_concurrency(a.max_concurrent_executions) <=
                                          effective_concurrency(b.max_concurrent_executions)
                                      ? a.max_concurrent_executions
                                      : b.max_concurrent_executions;
  out.max_timeout_seconds = std::min(a.max_timeout_seconds, b.max_timeout_seconds);
  out.allowed_capabilities = in_capability_order(fields::intersection(a.allowed_capabilities, b.allowed_capabilities));
  out.code_network = a.code_network && b.code_network;
  return out;
}

std::vector<Loosened> loosened(const ExecutionPolicy& limit, const ExecutionPolicy& proposed) {
  std::vector<Loosened> out;
  if (effective_concurrency(proposed.max_concurrent_executions) > effective_concurrency(limit.max_concurrent_executions)) {
    out.push_back({"maxConcurrentExecutions", limit.max_concurrent_executions, proposed.max_concurrent_executions,
                   "maxConcurrentExecutions may not exceed the platform's " +
                       std::to_string(limit.max_concurrent_executions) + " (0 means no limit)"});
  }
  if (proposed.max_timeout_seconds > limit.max_timeout_seconds) {
    out.push_back({"maxTimeoutSeconds", limit.max_timeout_seconds, proposed.max_timeout_seconds,
                   "maxTimeoutSeconds may not exceed the platform's " + std::to_string(limit.max_timeout_seconds)});
  }
  if (auto extra = fields::missing(proposed.allowed_capabilities, limit.allowed_capabilities); !extra.empty()) {
    out.push_back({"allowedCapabilities", limit.allowed_capabilities, proposed.allowed_capabilities,
                   "allowedCapabilities may not add " + fields::joined(extra) + ": the platform does not allow it"});
  }
  if (proposed.code_network && !limit.code_network) {
    out.push_back({"codeNetwork", false, true, "codeNetwork may not be turned on: the platform keeps it off"});
  }
  return out;
}

}  // namespace weft::policy
