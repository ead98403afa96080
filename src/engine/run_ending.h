// engine/run_ending.h — owns writing how a run ended: finish_job() when a queue job is behind
// the execution (the run ends and its job completes in one write, RunControl::job_completed),
// finish() otherwise (finding it ended already is not an error). Answers the run as stored
// afterwards, which RunControl::ended also gets. The step loop batches the job case itself
// (store::RunWrite) and uses run_after_finish() from run_machine.h.
#pragma once

#include "engine/run_machine.h"
#include "store/store.h"

namespace weft::engine {

Result<store::RunRecord> write_ending(store::Store& store, RunControl& control, const store::RunRecord& run,
                                      const RunMachine::Ending& ending, TimeMs now);

}  // namespace weft::engine
