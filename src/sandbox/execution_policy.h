// sandbox/execution_policy.h — owns an organization's execution policy for sandboxed code
// (DESIGN.md §4: maxConcurrentExecutions, maxTimeoutSeconds, plus whether core.code may use the
// network) and the gate that enforces the concurrency limit: a call waits for a free slot
// until its own deadline, then fails with a clear error.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "core/json.h"
#include "core/result.h"

namespace weft::sandbox {

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

// Counts running sandboxed calls per org. Thread-safe.
class OrgGate {
 public:
  using Clock = std::chrono::steady_clock;

  // Releases its slot when destroyed. Movable.
  class Permit {
   public:
    Permit() = default;
    Permit(OrgGate* gate, std::string org) : gate_(gate), org_(std::move(org)) {}
    Permit(Permit&& o) noexcept : gate_(o.gate_), org_(std::move(o.org_)) { o.gate_ = nullptr; }
    Permit& operator=(Permit&& o) noexcept;
    ~Permit() { release(); }
    void release();

   private:
    OrgGate* gate_ = nullptr;
    std::string org_;
  };

  // Takes one of `limit` slots of `org` (limit ≤ 0: no limit), waiting until `deadline`.
  // Error: concurrency_limit (the wait reached the deadline).
  Result<Permit> acquire(const std::string& org, int limit, Clock::time_point deadline);
  // Calls of `org` running now.
  int running(const std::string& org) const;

 private:
  void release(const std::string& org);

  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::map<std::string, int> running_;
};

}  // namespace weft::sandbox
