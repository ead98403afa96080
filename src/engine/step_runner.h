// engine/step_runner.h — owns running ONE step: render its inputs, check them against the
// action's schema, open its credential (only its own), call the action with retries and
// backoff, and produce the step record. It does not persist; the executor does.
#pragma once

#include <functional>

#include "core/clock.h"
#include "engine/credential_source.h"
#include "engine/plan.h"
#include "engine/run_control.h"
#include "store/model.h"

namespace weft::engine {

struct StepLimits {
  std::int64_t default_timeout_ms = 300000;
  std::int64_t max_timeout_ms = 300000;
};

struct StepRequest {
  const store::RunRecord& run;
  const PlannedStep& step;
  const StepOutputLookup& outputs;  // outputs of finished steps (only deps are read)
  RunControl& control;
};

// Runs the step to its final attempt. The record's status is succeeded or failed; when the run
// was cancelled mid-step the error code is "cancelled". Thread-safe (no shared mutable state).
store::StepRunRecord run_step(const StepRequest& request, CredentialSource& credentials,
                              const StepLimits& limits, const Clock& clock);

}  // namespace weft::engine
