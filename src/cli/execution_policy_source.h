// cli/execution_policy_source.h — owns where the sandbox pool reads an org's execution policy
// from: the org's "execution_policy" setting in the store (set through the admin API), with
// defaults for what is unset, cached for a couple of seconds so a busy flow does not read the
// store on every sandboxed step.
#pragma once

#include "sandbox/sandbox_pool.h"
#include "store/store.h"

namespace weft::cli {

// The store must outlive the returned function. Thread-safe.
sandbox::SandboxPool::PolicyFn execution_policy_source(store::Store& store);

}  // namespace weft::cli
