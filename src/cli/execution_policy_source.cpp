#include "cli/execution_policy_source.h"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "core/log.h"
#include "policy/policies.h"

namespace weft::cli {

sandbox::SandboxPool::PolicyFn execution_policy_source(store::Store& store) {
  struct Cached {
    policy::ExecutionPolicy policy;
    std::chrono::steady_clock::time_point read_at;
  };
  struct Cache {
    std::mutex mu;
    std::map<std::string, Cached> by_org;
  };
  auto cache = std::make_shared<Cache>();
  constexpr auto kTtl = std::chrono::seconds(2);
  return [&store, cache, kTtl](const std::string& org) {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(cache->mu);
      auto it = cache->by_org.find(org);
      if (it != cache->by_org.end() && now - it->second.read_at < kTtl) return it->second.policy;
    }
    policy::ExecutionPolicy policy;
    if (is_safe_id(org)) {
      // The effective policy: the platform default, the platform's document for the org, the org's own.
      auto effective = policy::Policies(store).effective(OrgId(org));
      if (effective.ok()) {
        policy = effective->execution;
      } else {
        log().warn("org {} has an unreadable execution policy ({}); using defaults", org, effective.error().message);
      }
    }
    std::lock_guard lock(cache->mu);
    cache->by_org[org] = {policy, now};
    return policy;
  };
}

}  // namespace weft::cli
