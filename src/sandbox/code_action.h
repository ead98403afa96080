// sandbox/code_action.h — owns the built-in `core.code` action: a user's JavaScript snippet
// run in the same jailed sandbox as bundles (one isolate per distinct snippet per org, loaded
// at its first run), so a flow can reshape data inline. The snippet is the body of an async
// function of (input, ctx); what it returns is the step's output (undefined → null).
// ctx.fetch works only when the org's execution policy has codeNetwork, and then only to
// public addresses.
#pragma once

#include "catalog/catalog.h"
#include "core/result.h"
#include "sandbox/sandbox_pool.h"

namespace weft::sandbox {

inline constexpr std::size_t kMaxCodeBytes = 64 * 1024;

// Adds core.code to `catalog`; `pool` must outlive the catalog's use of the action.
Status register_code_action(catalog::Catalog& catalog, SandboxPool& pool);

// The ES module the sandbox loads for `code` (exposed for tests).
std::string code_module(const std::string& code);

}  // namespace weft::sandbox
