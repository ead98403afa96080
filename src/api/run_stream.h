// api/run_stream.h — owns the Server-Sent Events stream of one run and the wait for a run's end
// (webhook ?wait=true). Both re-read the store (so runs executed by other processes are seen)
// and are woken early by this process's RunEvents.
#pragma once

#include <chrono>

#include "api/context.h"

namespace weft::api {

// Streams `event: step` for each recorded step (already recorded ones first), then one
// `event: run` with the final run, then ends. Caps concurrent streams per user.
void stream_run_events(Call& call, const RunId& id);

// Waits until the run is terminal or `timeout` passes; returns the latest record.
Result<store::RunRecord> wait_for_run(Services& services, const OrgId& org, const RunId& id,
                                      std::chrono::milliseconds timeout);

}  // namespace weft::api
