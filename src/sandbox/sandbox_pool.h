// sandbox/sandbox_pool.h — owns a fixed set of supervised `weft sandbox-host` processes and
// routes each actor (one bundle of one org: "org:vendor:version") to one of them by hash. A
// bundle's source is loaded into its process lazily, at the actor's first call; after that the
// SandboxProcess replays it into any replacement child. Bundle code never runs in this process.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "sandbox/host_client.h"
#include "sandbox/isolate_host.h"
#include "sandbox/jail.h"

namespace weft::sandbox {

struct SandboxPoolLimits {
  IsolateLimits isolate;                              // per actor (heap, output cap, load deadline)
  JailLimits jail;                                    // per child process
  std::chrono::milliseconds max_call_timeout{300000};  // upper bound of one tool call
  std::chrono::milliseconds grace{5000};              // see SandboxOptions::grace
};

class SandboxPool {
 public:
  // Produces a bundle's dist/index.js; called only when the actor is not loaded yet.
  using SourceFn = std::function<Result<std::string>()>;

  // `processes` < 1 is treated as 1. No child is started until the first call.
  SandboxPool(std::string weft_binary, int processes, SandboxPoolLimits limits = {});
  SandboxPool(const SandboxPool&) = delete;
  SandboxPool& operator=(const SandboxPool&) = delete;

  // Calls `tool` of the actor's bundle with `input` and `ctx` (JSON), loading the bundle first
  // if this is the actor's first call in its process. The timeout is clamped to
  // [1 ms, limits.max_call_timeout]. Errors (public): timeout, memory_limit, tool_error,
  // tool_not_found, invalid_output, bundle_load_failed, sandbox_crashed; anything else (the
  // sandbox binary missing, protocol trouble) is internal. Thread-safe; calls routed to the
  // same process run one at a time.
  Result<json> call(const std::string& actor, const SourceFn& source, const std::string& tool,
                    const json& input, const json& ctx, std::chrono::milliseconds timeout);
  Result<json> call(const std::string& actor, const std::string& source, const std::string& tool,
                    const json& input, const json& ctx, std::chrono::milliseconds timeout);

  // Which process serves `actor` (stable for the pool's life).
  std::size_t route(const std::string& actor) const;
  std::size_t size() const { return slots_.size(); }
  // True once the actor's bundle was loaded (successfully) into its process.
  bool loaded(const std::string& actor) const;
  SandboxProcess& process(std::size_t index) { return *slots_.at(index)->process; }
  const SandboxPoolLimits& limits() const { return limits_; }

 private:
  struct Slot {
    std::unique_ptr<SandboxProcess> process;
    mutable std::mutex load_mu;       // serializes first loads into this process
    std::set<std::string> loaded;     // actors whose bundle the process remembers
  };

  Status ensure_loaded(Slot& slot, const std::string& actor, const SourceFn& source);

  SandboxPoolLimits limits_;
  std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace weft::sandbox
