#include "sandbox/bundle_tool_runner.h"

#include "bundles/poll_result.h"
#include "sandbox/host_client.h"
#include "sandbox/step_host_calls.h"

namespace weft::sandbox {

namespace {
constexpr auto kProbeDeadline = std::chrono::seconds(20);
}

BundleToolRunner::BundleToolRunner(SandboxPool& pool, std::string host_binary)
    : pool_(pool), binary_(std::move(host_binary)) {}

Result<bundles::ProbedCode> BundleToolRunner::probe(const std::string& source) {
  std::lock_guard lock(probe_mu_);
  SandboxOptions options;
  options.binary = binary_;
  options.jail = pool_.limits().jail;
  options.grace = pool_.limits().grace;
  SandboxProcess process(options);  // destroyed (killed) on return
  const auto deadline = std::chrono::steady_clock::now() + kProbeDeadline;
  WEFT_TRY_ASSIGN(std::string vendor, process.load("probe", source, pool_.limits().isolate, deadline));
  return bundles::ProbedCode{std::move(vendor), process.tools_of("probe")};
}

Result<json> BundleToolRunner::call(catalog::ActionContext& ctx, const std::string& actor, const SourceFn& source,
                                    const std::string& tool, const std::vector<std::string>& allowed_hosts,
                                    bool* load_failed) {
  return call_with(ctx, actor, source, tool, allowed_hosts, json::object(), load_failed);
}

Result<json> BundleToolRunner::poll(catalog::ActionContext& ctx, const std::string& actor, const SourceFn& source,
                                    const std::string& trigger, const std::vector<std::string>& allowed_hosts,
                                    const json& state, bool* load_failed) {
  WEFT_TRY_ASSIGN(json answer, call_with(ctx, actor, source, trigger, allowed_hosts, {{"state", state}}, load_failed));
  // Checked here, before the answer travels further: bounds and item shape.
  WEFT_TRY(bundles::read_poll_result(answer, trigger));
  return answer;
}

Result<json> BundleToolRunner::call_with(catalog::ActionContext& ctx, const std::string& actor, const SourceFn& source,
                                         const std::string& tool, const std::vector<std::string>& allowed_hosts,
                                         const json& extra_ctx, bool* load_failed) {
  net::EgressPolicy egress;
  egress.allowed_hosts = allowed_hosts;
  egress.allow_private_addresses = pool_.limits().allow_private_egress;
  auto out = call_for_step(pool_, ctx, actor, source, tool, ctx.input, std::move(egress), extra_ctx);
  if (!out.ok() && load_failed != nullptr) {
    const std::string& code = out.error().code;
    // A load that failed leaves the actor unloaded; a timeout or a crash is the call's own.
    *load_failed = !pool_.loaded(actor) && (code == "bundle_load_failed" || code == "memory_limit");
  }
  return out;
}

}  // namespace weft::sandbox
