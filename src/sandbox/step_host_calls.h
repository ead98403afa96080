// sandbox/step_host_calls.h — owns the parent-side answers to a sandboxed step's host calls:
// ctx.fetch carried out with libcurl under the egress policy (the bundle manifest's
// network.allowedHosts, public addresses only, redirects re-checked, the step's deadline and a
// response cap) and ctx.log written into the step's log; and call_for_step, the one way a
// workflow step (bundle tool or core.code) calls into the sandbox pool. Runs in the
// server/worker process.
#pragma once

#include <chrono>
#include <cstdint>

#include "catalog/action.h"
#include "core/cancel.h"
#include "net/egress.h"
#include "sandbox/host_calls.h"
#include "sandbox/sandbox_pool.h"

namespace weft::sandbox {

class StepHostCalls final : public HostCalls {
 public:
  StepHostCalls(catalog::StepLog& log, net::EgressPolicy egress, std::chrono::steady_clock::time_point deadline,
                const CancelToken* cancel, std::int64_t max_response_bytes)
      : log_(log), egress_(std::move(egress)), deadline_(deadline), cancel_(cancel),
        max_response_bytes_(max_response_bytes) {}

  // Errors: invalid_request (malformed request from the sandbox), egress_denied, timeout and
  // the rest of net::perform's.
  Result<json> fetch(const json& request) override;
  void log(const std::string& level, const std::string& message, const json& fields) override;

 private:
  catalog::StepLog& log_;
  net::EgressPolicy egress_;
  std::chrono::steady_clock::time_point deadline_;
  const CancelToken* cancel_;
  std::int64_t max_response_bytes_;
};

// Calls `tool` of `actor` in `pool` for the step `ctx`: the tool's ctx carries the step's ids,
// idempotency key and credential (null without one); its fetches follow `egress`, its logs go to
// the step log, and it must end before the step's deadline. The keys of `extra_ctx` (an object,
// e.g. a trigger's {"state": …}) are added to the tool's ctx; they never replace ids, auth or
// idempotencyKey.
Result<json> call_for_step(SandboxPool& pool, catalog::ActionContext& ctx, const std::string& actor,
                           const SandboxPool::SourceFn& source, const std::string& tool, const json& input,
                           net::EgressPolicy egress, const json& extra_ctx = json::object());

}  // namespace weft::sandbox
