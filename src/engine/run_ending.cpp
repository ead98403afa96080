#include "engine/run_ending.h"

namespace weft::engine {

Result<store::RunRecord> write_ending(store::Store& store, RunControl& control, const store::RunRecord& run,
                                      const RunMachine::Ending& ending, TimeMs now) {
  if (control.job != nullptr) {
    WEFT_TRY_ASSIGN(auto already,
                    store.runs().finish_job(*control.job, ending.status, ending.output, ending.error, now));
    control.job_completed = true;
    control.ended = run_after_finish(run, ending, now, std::move(already));
    return *control.ended;
  }
  auto finished = store.runs().finish(run.org, run.id, ending.status, ending.output, ending.error, now);
  if (!finished.ok() && finished.error().code != "conflict") return finished.error();
  WEFT_TRY_ASSIGN(auto stored, store.runs().get(run.org, run.id));
  control.ended = stored;
  return stored;
}

}  // namespace weft::engine
