// bundles/tool_runner.h — owns the seam between bundles and the JavaScript sandbox: what the
// bundle module needs from it (load a bundle's code once to check it; call one tool for a step;
// poll one trigger) without linking V8. The sandbox side implements it (cli wires SandboxPool in); tests may fake it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "catalog/action.h"
#include "core/json.h"
#include "core/result.h"

namespace weft::bundles {

// What a bundle's code declares once loaded: defineVendor's id and its tool ids.
struct ProbedCode {
  std::string vendor_id;
  std::vector<std::string> tools;
};

class ToolRunner {
 public:
  using SourceFn = std::function<Result<std::string>()>;
  virtual ~ToolRunner() = default;

  // Loads `source` (dist/index.js) in a fresh jailed sandbox process and reports what it
  // exports. Errors (public, with the sandbox's message): bundle_load_failed (syntax error, no
  // default export, an export not made by defineVendor…), memory_limit, timeout. Thread-safe.
  virtual Result<ProbedCode> probe(const std::string& source) = 0;

  // Calls `tool` for the step `ctx` under `actor` ("<org>:<vendor>:<version>…"), loading the
  // code from `source` first when the actor is not loaded yet. ctx.fetch may reach only
  // `allowed_hosts`. `*load_failed` is set when the error came from loading the code rather
  // than from the call. Thread-safe.
  virtual Result<json> call(catalog::ActionContext& ctx, const std::string& actor, const SourceFn& source,
                            const std::string& tool, const std::vector<std::string>& allowed_hosts,
                            bool* load_failed) = 0;

  // Polls `trigger` (a defineTrigger block) like call() does a tool, with ctx.input as the
  // trigger's inputs and ctx.state = `state` (the cursor of the previous poll, null at first).
  // Answers the checked {items, state} (bundles/poll_result.h: invalid_output past its bounds).
  // Thread-safe. The default (runners that only probe, test fakes) cannot poll.
  virtual Result<json> poll(catalog::ActionContext& ctx, const std::string& actor, const SourceFn& source,
                            const std::string& trigger, const std::vector<std::string>& allowed_hosts,
                            const json& state, bool* load_failed) {
    (void)ctx, (void)actor, (void)source, (void)allowed_hosts, (void)state, (void)load_failed;
    return Error::internal("this tool runner cannot poll trigger " + trigger);
  }
};

}  // namespace weft::bundles
