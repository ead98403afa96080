#include "policy/execution_policy.h"

namespace weft::policy {

Result<ExecutionPolicy> ExecutionPolicy::from_json(const json& j) {
  ExecutionPolicy p;
  if (!j.is_object()) return Error::make("invalid_policy", "the execution policy must be a JSON object");
  for (auto& item : j.items()) {
    // Named references, not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const std::string& key = item.key();
    const json& value = item.value();
    auto integer = [&](int lo, int hi, int& out) -> Status {
      if (!value.is_number_integer() || value.get<std::int64_t>() < lo || value.get<std::int64_t>() > hi) {
        return Error::make("invalid_policy", key + " must be an integer from " + std::to_string(lo) + " to " +
                                                 std::to_string(hi), {{"field", key}});
      }
      out = value.get<int>();
      return {};
    };
    if (key == "maxConcurrentExecutions") {
      WEFT_TRY(integer(0, 10000, p.max_concurrent_executions));
    } else if (key == "maxTimeoutSeconds") {
      WEFT_TRY(integer(1, 86400, p.max_timeout_seconds));
    } else if (key == "codeNetwork") {
      if (!value.is_boolean()) return Error::make("invalid_policy", "codeNetwork must be true or false", {{"field", key}});
      p.code_network = value.get<bool>();
    } else {
      return Error::make("invalid_policy", "unknown execution policy field '" + key + "'", {{"field", key}});
    }
  }
  return p;
}

json ExecutionPolicy::to_json() const {
  return {{"maxConcurrentExecutions", max_concurrent_executions},
          {"maxTimeoutSeconds", max_timeout_seconds},
          {"codeNetwork", code_network}};
}

}  // namespace weft::policy
