// sandbox/org_gate.h — owns the gate that enforces an org's maxConcurrentExecutions (the
// policy type is policy/execution_policy.h): a call waits for a free slot until its own
// deadline, then fails with a clear error.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "core/result.h"
#include "policy/execution_policy.h"

namespace weft::sandbox {

using policy::ExecutionPolicy;

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
