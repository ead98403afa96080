// The backend-neutral RunStore::write_batch (one call per write, for a backend that cannot
// carry several in one transaction) and leased_job().
#include "store/store.h"

#include "core/ids.h"

namespace weft::store {

void RunStore::write_batch(std::vector<RunWrite>& batch) {
  for (RunWrite& w : batch) {
    w.already.reset();
    if (w.kind == RunWrite::Kind::record) {
      w.result = {};
      for (const StepRunRecord& step : w.steps) {
        w.result = record_step(step);
        // Not all or none: what is stored is a prefix (each record after the steps it read).
        // A real backend overrides this with one transaction per write.
        if (!w.result.ok()) break;
      }
      continue;
    }
    if (w.kind == RunWrite::Kind::start) {
      w.result = insert_running(*w.run, *w.job);
      continue;
    }
    if (w.kind == RunWrite::Kind::complete) {
      // Stored as running with its job, then recorded and finished: each step on its own.
      w.result = w.run != nullptr ? insert_running(*w.run, *w.job) : Status{};
      for (const StepRunRecord& step : w.steps) {
        if (!w.result.ok()) break;
        w.result = record_step(step);
      }
      if (!w.result.ok()) continue;
    }
    auto finished = finish_job(*w.job, w.status, *w.output, *w.error, w.now);
    if (!finished.ok()) {
      w.result = finished.error();
      continue;
    }
    w.result = {};
    w.already = std::move(*finished);
  }
}

Job leased_job(const RunRecord& run, const std::string& owner, TimeMs lease_ms, const Clock& clock) {
  Job job;
  job.id = new_id<JobId>(clock);
  job.org = run.org;
  job.run = run.id;
  job.attempts = 1;
  job.lease_owner = owner;
  job.lease_expires_at = run.created_at + lease_ms;
  return job;
}

}  // namespace weft::store
