// cli/execution_policy_source.h — owns where the sandbox pool reads an org's execution policy
// from: its effective execution policy (policy/policies.h: the platform default, the platform's
// document for the org, the org's own tightening), cached for a couple of seconds so a busy flow does not read the
// store on every sandboxed step.
#pragma once

#include "sandbox/sandbox_pool.h"
#include "store/store.h"

namespace weft::cli {

// The store must outlive the returned function. Thread-safe.
sandbox::SandboxPool::PolicyFn execution_policy_source(store::Store& store);

}  // namespace weft::cli
