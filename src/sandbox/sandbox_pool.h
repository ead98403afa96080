// sandbox/sandbox_pool.h — owns a fixed set of supervised sandbox host processes and
// decides which one serves each actor (one bundle of one org: "org:vendor:version"). By default
// a process serves one organization at a time: an org takes a free process (the least recently
// used one is recycled — a fresh child, nothing of the previous org left) and keeps it while it
// has calls, so no two orgs' code or credentials ever share a process. In shared mode actors
// are spread over the processes by hash. A
// bundle's source is loaded into its process lazily, at the actor's first call; after that the
// SandboxProcess replays it into any replacement child. Bundle code never runs in this process.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <utility>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "sandbox/org_gate.h"
#include "sandbox/host_calls.h"
#include "sandbox/host_client.h"
#include "sandbox/isolate_host.h"
#include "sandbox/jail.h"

namespace weft::sandbox {

enum class ProcessSharing {
  per_org,  // a process serves one organization at a time (recycled between organizations)
  shared,   // actors of any organization share processes, by hash (more throughput, less isolation)
};

struct SandboxPoolLimits {
  ProcessSharing sharing = ProcessSharing::per_org;
  IsolateLimits isolate;                              // per actor (heap, output cap, load deadline)
  JailLimits jail;                                    // per child process
  std::chrono::milliseconds max_call_timeout{300000};  // upper bound of one tool call
  std::chrono::milliseconds grace{5000};              // see SandboxOptions::grace
  std::size_t max_actors_per_process = 64;            // see HostOptions (host_main.h)
  std::chrono::milliseconds actor_idle{600000};
  // ctx.fetch (carried out in this process): loopback/private addresses are refused unless
  // this is set (tests, or an operator's WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS=1).
  bool allow_private_egress = false;
  std::int64_t fetch_max_response_bytes = 5 << 20;
};

class SandboxPool {
 public:
  // Produces a bundle's dist/index.js; called only when the actor is not loaded yet.
  using SourceFn = std::function<Result<std::string>()>;
  // The execution policy of an org (by id). Default: ExecutionPolicy{} for every org.
  using PolicyFn = std::function<ExecutionPolicy(const std::string& org)>;

  // `processes` < 1 is treated as 1. No child is started until the first call. `host_binary`:
  // the executable each child runs (SandboxOptions::binary).
  SandboxPool(std::string host_binary, int processes, SandboxPoolLimits limits = {});
  SandboxPool(const SandboxPool&) = delete;
  SandboxPool& operator=(const SandboxPool&) = delete;

  // Calls `tool` of the actor's bundle with `input` and `ctx` (JSON), loading the bundle first
  // if this is the actor's first call in its process. The actor is "<org>:<vendor>:<version>";
  // its org's policy applies: the timeout is clamped to [1 ms, min(maxTimeoutSeconds,
  // limits.max_call_timeout)], and the call first waits for one of the org's
  // maxConcurrentExecutions slots (within that timeout). `host` answers ctx.fetch and takes
  // ctx.log lines (null: no network, logs dropped). Errors (public): timeout, memory_limit,
  // tool_error, tool_not_found, invalid_output, bundle_load_failed, sandbox_crashed,
  // concurrency_limit, a fetch error the tool let through (egress_denied, …); anything else
  // (the sandbox binary missing, protocol trouble) is internal. Thread-safe; calls routed to
  // the same process run one at a time.
  Result<json> call(const std::string& actor, const SourceFn& source, const std::string& tool,
                    const json& input, const json& ctx, std::chrono::milliseconds timeout,
                    HostCalls* host = nullptr);
  Result<json> call(const std::string& actor, const std::string& source, const std::string& tool,
                    const json& input, const json& ctx, std::chrono::milliseconds timeout,
                    HostCalls* host = nullptr);

  void set_policy_source(PolicyFn policy) { policy_ = std::move(policy); }
  ExecutionPolicy policy_for(const std::string& org) const { return policy_ ? policy_(org) : ExecutionPolicy{}; }
  // Sandboxed calls of `org` running (or holding a slot) now.
  int running(const std::string& org) const { return gate_.running(org); }

  // Which process serves `actor`: in shared mode the hash slot (stable); per org, the process
  // serving its organization now, or size() when none does.
  std::size_t route(const std::string& actor) const;
  std::size_t size() const { return slots_.size(); }
  // Processes serving a call now (the others are idle or not started): /metrics.
  std::size_t busy() const;
  // True once the actor's bundle was loaded (successfully) into its process.
  bool loaded(const std::string& actor) const;
  SandboxProcess& process(std::size_t index) { return *slots_.at(index)->process; }
  const SandboxPoolLimits& limits() const { return limits_; }

 private:
  struct Slot {
    std::unique_ptr<SandboxProcess> process;
    mutable std::timed_mutex load_mu;  // serializes first loads into this process
    std::set<std::string> loaded;     // actors whose bundle the process remembers
    // Per-org assignment (guarded by assign_mu_).
    std::string org;                  // "" = never used
    int users = 0;                    // calls holding the slot
    bool recycling = false;           // the child is being replaced for a new org
    std::uint64_t last_used = 0;
  };
  // Holds a slot for one call; gives it back when destroyed.
  class SlotUse {
   public:
    SlotUse(SandboxPool* pool, Slot* slot) : pool_(pool), slot_(slot) {}
    SlotUse(SlotUse&& o) noexcept : pool_(o.pool_), slot_(std::exchange(o.slot_, nullptr)) {}
    SlotUse(const SlotUse&) = delete;
    ~SlotUse();
    Slot& slot() const { return *slot_; }

   private:
    SandboxPool* pool_;
    Slot* slot_;
  };
  Result<SlotUse> acquire_slot(const std::string& org, const std::string& actor,
                               std::chrono::steady_clock::time_point deadline);

  Status ensure_loaded(Slot& slot, const std::string& actor, const SourceFn& source,
                       std::chrono::steady_clock::time_point deadline);

  SandboxPoolLimits limits_;
  std::vector<std::unique_ptr<Slot>> slots_;
  PolicyFn policy_;
  OrgGate gate_;
  mutable std::mutex assign_mu_;
  std::condition_variable slot_freed_;
  std::uint64_t use_seq_ = 0;
};

}  // namespace weft::sandbox
