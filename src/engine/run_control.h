// engine/run_control.h — owns how a running run is told to stop, and who is told about its
// progress. The worker pool sets the flags; the executor obeys them between and inside steps.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "core/cancel.h"
#include "store/model.h"

namespace weft::engine {

// Receives live progress of one run (CLI printing now, Server-Sent Events later). Called from
// the executor's threads; implementations must be thread-safe and must not block for long.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // This process begins executing the run (a run resumed after a crash or a hand-back begins again).
  virtual void on_run_started(const store::RunRecord& run) {}
  virtual void on_step_started(const store::RunRecord& run, const std::string& step_id) {}
  virtual void on_step_finished(const store::RunRecord& run, const store::StepRunRecord& step) {}
  virtual void on_run_finished(const store::RunRecord& run) {}
};

// How an execution of a run ended.
enum class Outcome {
  finished,     // the run is terminal (succeeded, failed or cancelled) — maybe by someone else
  interrupted,  // drained or abandoned: still `running`, to be resumed by a later claim
};

struct RunControl {
  // Cancelled when the run must stop now: the user cancelled it, the worker lost its lease, or
  // shutdown ran out of patience. Steps see it through ActionContext::cancel.
  CancelToken cancel;
  // With `cancel`: leave the run `running` for another worker instead of finishing it as
  // cancelled (lease lost, shutdown). Set before cancelling.
  std::atomic<bool> abandon{false};
  // Start no new step; return once in-flight steps end (graceful shutdown). Run stays running.
  std::atomic<bool> drain{false};
  // The same from this moment on (a run executed on a webhook's thread hands itself back to
  // the queue when the caller's wait is over). Set before execution starts.
  std::chrono::steady_clock::time_point drain_after = std::chrono::steady_clock::time_point::max();
  RunObserver* observer = nullptr;

  // The lease this execution holds, if a queue job is behind it: the executor then completes
  // the job in the same write that finishes the run, and sets job_completed.
  const store::Job* job = nullptr;
  bool job_completed = false;
  // Records the caller already holds (a webhook that just created the run): the executor does
  // not read them again. Both must describe run `id` of execute() and its workflow version.
  const store::RunRecord* run = nullptr;
  const store::WorkflowRecord* workflow = nullptr;
  // execute() may hand the run to the executor's step loop when its plan allows (a caller
  // waiting on the run: a webhook's ?wait=true). Queue workers that claimed a run execute()
  // on their own thread only when it cannot go to the loop: the others they hand over
  // without waiting (WorkerPool::run_claimed, Executor::start_claimed_on_loop).
  bool may_use_step_loop = true;
  // Set by the executor when it ends the run: the run as stored afterwards.
  std::optional<store::RunRecord> ended;
};

}  // namespace weft::engine
