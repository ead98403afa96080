// engine/executor.h — owns running one run to its end: load the run and its workflow version,
// resume after the last committed step, and drive its RunMachine (run_machine.h: launch ready
// steps, independent branches in parallel, persist each step before its output is used, apply
// `if`/skip rules) on the caller's thread, or on the step loop when every step is inline-safe
// and other such runs are under way; then finish the run exactly once. It never claims jobs (worker_pool.h does) and never knows
// which store backend it talks to.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "catalog/catalog.h"
#include "core/clock.h"
#include "engine/credential_source.h"
#include "engine/plan.h"
#include "engine/run_control.h"
#include "engine/step_loop.h"
#include "engine/step_runner.h"
#include "store/store.h"

namespace weft::engine {

// The public error code of a run parked because its job kept losing its worker.
inline constexpr const char* kWorkerCrashed = "worker_crashed";

struct ExecutorOptions {
  StepLimits limits;
  int max_parallel_steps = 8;  // per run
  // Runs whose every step is inline-safe (Plan::inline_only) execute on one step loop that
  // commits many runs' steps together (step_loop.h), instead of on their caller's thread. One
  // loop: on 2 cores two measured slower (webhook load, bench/hook_bench.sh: 3,270-3,610 req/s;
  // two: 2,500-2,820, their commits queue behind each other).
  bool step_loop = true;
};


class Executor {
 public:
  // All references must outlive the Executor. Thread-safe: many runs may execute at once.
  Executor(store::Store& store, const catalog::Catalog& catalog, CredentialSource& credentials,
           ExecutorOptions options, const Clock& clock = SystemClock::instance());
  ~Executor();  // stops the step loop: after every caller of execute() has returned

  // Runs or resumes run `id`. Errors only when the store fails (the run is then left as it is,
  // for a later retry).
  Result<Outcome> execute(const OrgId& org, const RunId& id, RunControl& control);

  // The plan of `workflow` when its runs may go to the step loop (every step inline-safe, and
  // the loop exists); null otherwise. For start_new_on_loop().
  std::shared_ptr<const Plan> loop_plan(const store::WorkflowRecord& workflow);
  // As loop_plan, from plans already built only (null otherwise): never parses or resolves.
  std::shared_ptr<const Plan> cached_loop_plan(const store::WorkflowRecord& workflow);
  // Starts a run its caller has not stored yet (a webhook that waits for it: status running,
  // control.job its lease, made with store::leased_job) on the step loop, without blocking;
  // `plan` comes from loop_plan(). The loop inserts the run in the write of its first steps and
  // calls `done` on its thread once the run's end is committed (finished), it was handed back
  // (interrupted: stored, still running, its job leased) or a write failed (an error; if the
  // run's own insert failed nothing of it is stored). `control` must live until `done` is
  // called. False, having done nothing and dropped `done` uncalled, when the loop is stopping:
  // the caller stores and executes the run itself.
  bool start_new_on_loop(const store::RunRecord& run, std::shared_ptr<const Plan> plan, RunControl& control,
                         std::function<void(Result<Outcome>)> done);

  // Starts a run a worker claimed (control.job: its lease; control.run and .workflow unset) on
  // the step loop without blocking, when it may go there: it is running, no cancel was asked
  // and its plan is inline_only. Reads the run (and its steps when an earlier claim may have
  // recorded some). `done` is then moved from and called on the loop's thread as for
  // start_new_on_loop(); `control` must live until it is. False when the run cannot go there
  // (or the loop is stopping, or a read failed): `done` is left as it was and nothing was
  // written; the caller runs execute() itself.
  bool start_claimed_on_loop(RunControl& control, std::function<void(Result<Outcome>)>& done);

  // Ends run `id` as failed with kWorkerCrashed without running anything: its job's lease
  // expired `crashes` times, so whatever it does kills or hangs its worker. The steps that were
  // in flight (not recorded, every dependency succeeded) are recorded as failed with the same
  // code, and the run's error names the first. Errors only when the store fails.
  Result<Outcome> park_crashed(const OrgId& org, const RunId& id, int crashes, RunObserver* observer);

  // Runs on the step loop now (StepLoop::runs; 0 without a loop).
  std::size_t runs_on_step_loop() const { return loop_ != nullptr ? loop_->runs() : 0; }

  // The plan of a workflow version (cached by id+version; versions are immutable).
  Result<std::shared_ptr<const Plan>> plan_for(const store::WorkflowRecord& workflow);

 private:
  // The cached plan of that version for the current catalog, or null.
  std::shared_ptr<const Plan> cached_plan(const OrgId& org, const WorkflowId& id, int version);

  store::Store& store_;
  const catalog::Catalog& catalog_;
  CredentialSource& credentials_;
  ExecutorOptions options_;
  const Clock& clock_;
  std::mutex plans_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Plan>> plans_;
  std::unique_ptr<StepLoop> loop_;  // null without ExecutorOptions::step_loop
  std::atomic<int> inline_callers_{0};  // execute() calls running an inline_only plan now
};

}  // namespace weft::engine
