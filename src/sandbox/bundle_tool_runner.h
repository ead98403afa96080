// sandbox/bundle_tool_runner.h — owns the sandbox's side of bundles::ToolRunner: a probe loads a
// bundle's code once in a fresh jailed process (killed afterwards: nothing of one upload stays
// for the next), and a call or a trigger's poll goes through the SandboxPool like every sandboxed
// step. Knows no manifest; the hosts ctx.fetch may reach are handed in.
#pragma once

#include <mutex>
#include <string>

#include "bundles/tool_runner.h"
#include "sandbox/sandbox_pool.h"

namespace weft::sandbox {

class BundleToolRunner final : public bundles::ToolRunner {
 public:
  // `pool` must outlive the runner; probes start `host_binary sandbox-host` with the pool's
  // jail and isolate limits.
  BundleToolRunner(SandboxPool& pool, std::string host_binary);

  Result<bundles::ProbedCode> probe(const std::string& source) override;
  Result<json> call(catalog::ActionContext& ctx, const std::string& actor, const SourceFn& source,
                    const std::string& tool, const std::vector<std::string>& allowed_hosts,
                    bool* load_failed) override;
  // call() with ctx.state = `state`; the answer checked by bundles::read_poll_result.
  Result<json> poll(catalog::ActionContext& ctx, const std::string& actor, const SourceFn& source,
                    const std::string& trigger, const std::vector<std::string>& allowed_hosts, const json& state,
                    bool* load_failed) override;

 private:
  Result<json> call_with(catalog::ActionContext& ctx, const std::string& actor, const SourceFn& source,
                         const std::string& tool, const std::vector<std::string>& allowed_hosts, const json& extra_ctx,
                         bool* load_failed);

  SandboxPool& pool_;
  std::string binary_;
  std::mutex probe_mu_;  // one probe process at a time
};

}  // namespace weft::sandbox
