#include "engine/executor.h"

#include "core/log.h"
#include "engine/run_ending.h"
#include "engine/run_machine.h"

namespace weft::engine {

namespace {

// Runs `machine` on the calling thread: commits each turn's records (one write for the lot),
// waits for step threads when nothing else is left, then writes the ending.
Result<Outcome> drive_here(store::Store& store, const Clock& clock, RunMachine& machine) {
  std::vector<store::RunWrite> writes;
  std::vector<Status> statuses;
  while (true) {
    machine.turn();
    if (machine.pending().empty()) {
      if (machine.threads_in_flight() == 0) break;
      machine.wait_for_thread();
      if (machine.pending().empty()) continue;
    }
    writes.assign(1, store::RunWrite::records(machine.pending()));  // held records: all or none
    store.runs().write_batch(writes);
    statuses.assign(machine.pending().size(), writes[0].result);
    WEFT_TRY_ASSIGN(bool go_on, machine.committed(statuses));
    if (!go_on) return Outcome::finished;
  }
  auto ending = machine.ending();
  if (!ending) return Outcome::interrupted;
  WEFT_TRY_ASSIGN(auto stored, write_ending(store, machine.control(), machine.run(), *ending, clock.now_ms()));
  machine.ended(std::move(stored));
  return Outcome::finished;
}

}  // namespace

Executor::Executor(store::Store& store, const catalog::Catalog& catalog,
                   CredentialSource& credentials, ExecutorOptions options, const Clock& clock)
    : store_(store), catalog_(catalog), credentials_(credentials), options_(options), clock_(clock) {
  WEFT_ASSERT(options_.max_parallel_steps >= 1);
  if (options_.step_loop) loop_ = std::make_unique<StepLoop>(store_, clock_);
}

Executor::~Executor() = default;

namespace {
std::string plan_key(const OrgId& org, const WorkflowId& id, int version) {
  return org.str() + "/" + id.str() + "@" + std::to_string(version);
}
}  // namespace

std::shared_ptr<const Plan> Executor::cached_plan(const OrgId& org, const WorkflowId& id, int version) {
  // Keyed by the catalog state too: after an install, enable or disable the org's next runs
  // plan against the new view, while runs already under way keep the plan they hold.
  const std::uint64_t generation = catalog_.generation();
  std::lock_guard lock(plans_mutex_);
  auto it = plans_.find(plan_key(org, id, version));
  if (it == plans_.end() || it->second->catalog->generation() != generation) return nullptr;
  return it->second;
}

Result<std::shared_ptr<const Plan>> Executor::plan_for(const store::WorkflowRecord& workflow) {
  if (auto cached = cached_plan(workflow.org, workflow.id, workflow.version)) return cached;
  const std::string key = plan_key(workflow.org, workflow.id, workflow.version);
  WEFT_TRY_ASSIGN(auto parsed, parse_workflow(workflow.definition));
  WEFT_TRY_ASSIGN(auto plan, build_plan(std::move(parsed), catalog_, nullptr, workflow.org));
  auto shared = std::make_shared<const Plan>(std::move(plan));
  std::lock_guard lock(plans_mutex_);
  if (plans_.size() > 1024) plans_.clear();
  plans_[key] = shared;
  return shared;
}

Result<Outcome> Executor::park_crashed(const OrgId& org, const RunId& id, int crashes, RunObserver* observer) {
  WEFT_TRY_ASSIGN(auto run, store_.runs().get(org, id));
  if (store::is_terminal(run.status)) return Outcome::finished;
  const std::string why = "its worker stopped " + std::to_string(crashes) +
                          " times while running it (crashed, was killed or lost the database), so it was "
                          "stopped rather than given to another worker";
  // The steps in flight when the worker died: not recorded (or left running), every dependency
  // succeeded. Without a plan (the version is gone or no longer valid) no step is named.
  std::vector<std::string> in_flight;
  auto workflow = store_.workflows().get(org, run.workflow, run.workflow_version);
  std::shared_ptr<const Plan> plan;
  if (workflow.ok()) {
    if (auto planned = plan_for(*workflow); planned.ok()) plan = std::move(planned).take();
  }
  if (plan) {
    WEFT_TRY_ASSIGN(auto records, store_.runs().steps(org, id));
    std::vector<std::optional<store::StepStatus>> status(plan->steps.size());
    for (const auto& rec : records) {
      if (auto it = plan->index.find(rec.step_id); it != plan->index.end()) status[it->second] = rec.status;
    }
    for (std::size_t i = 0; i < plan->steps.size(); ++i) {
      if (status[i] && *status[i] != store::StepStatus::running) continue;
      bool ready = true;
      for (std::size_t d : plan->steps[i].deps) ready = ready && status[d] == store::StepStatus::succeeded;
      if (ready) in_flight.push_back(plan->steps[i].def.id);
    }
  }
  const TimeMs now = clock_.now_ms();
  for (const auto& step_id : in_flight) {
    store::StepRunRecord rec;
    rec.run = id;
    rec.org = org;
    rec.step_id = step_id;
    rec.status = store::StepStatus::failed;
    rec.attempts = crashes;
    rec.input = nullptr;
    rec.output = nullptr;
    rec.error = {{"code", kWorkerCrashed}, {"message", "this step was running and " + why}};
    rec.logs = json::array({{{"ts", now}, {"level", "error"}, {"message", "worker crashed " + std::to_string(crashes) + " times"}}});
    rec.started_at = rec.finished_at = now;
    auto recorded = store_.runs().record_step(rec);
    if (!recorded.ok() && recorded.error().code != "conflict") return recorded.error();
    if (recorded.ok() && observer) observer->on_step_finished(run, rec);
  }
  json error = {{"code", kWorkerCrashed}};
  if (in_flight.empty()) {
    error["message"] = "the run failed: " + why;
  } else {
    error["step"] = in_flight.front();
    error["message"] = "step '" + in_flight.front() + "' failed: " + why;
  }
  log().error("run {} of org {} parked as {}: its job's lease expired {} times", id.str(), org.str(),
              kWorkerCrashed, crashes);
  auto done = store_.runs().finish(org, id, store::RunStatus::failed, nullptr, error, now);
  if (!done.ok() && done.error().code != "conflict") return done.error();
  if (observer) {
    if (auto fresh = store_.runs().get(org, id); fresh.ok()) observer->on_run_finished(*fresh);
  }
  return Outcome::finished;
}

Result<Outcome> Executor::execute(const OrgId& org, const RunId& id, RunControl& control) {
  store::RunRecord run;
  if (control.run != nullptr) {
    WEFT_ASSERT(control.run->id == id && control.run->org == org);
    run = *control.run;
  } else {
    WEFT_TRY_ASSIGN(run, store_.runs().get(org, id));
  }
  if (store::is_terminal(run.status)) {
    if (control.job != nullptr) {
      // Finished by someone else after this lease began: only the job is left to complete.
      WEFT_TRY(write_ending(store_, control, run, {run.status, run.output, run.error}, clock_.now_ms()));
    }
    return Outcome::finished;
  }
  auto finish_now = [&](store::RunStatus status, json error) -> Result<Outcome> {
    WEFT_TRY_ASSIGN(run, write_ending(store_, control, run, {status, nullptr, std::move(error)}, clock_.now_ms()));
    if (control.observer) control.observer->on_run_finished(run);
    return Outcome::finished;
  };
  if (run.cancel_requested) {
    return finish_now(store::RunStatus::cancelled, {{"code", "cancelled"}, {"message", "the run was cancelled"}});
  }
  // Versions are immutable: a cached plan needs no read of the workflow.
  Result<std::shared_ptr<const Plan>> plan = cached_plan(org, run.workflow, run.workflow_version);
  if (*plan == nullptr) {
    Result<store::WorkflowRecord> workflow = control.workflow != nullptr
                                                 ? Result<store::WorkflowRecord>(*control.workflow)
                                                 : store_.workflows().get(org, run.workflow, run.workflow_version);
    if (!workflow.ok()) {
      if (workflow.error().code != "not_found") return workflow.error();
      return finish_now(store::RunStatus::failed,
                        {{"code", "workflow_missing"}, {"message", "workflow version no longer exists"}});
    }
    plan = plan_for(*workflow);
    if (!plan.ok()) return finish_now(store::RunStatus::failed, plan.error().to_public_json());
  }
  // A claim marks its run running in the same write; only a run executed without one is
  // marked here.
  if (run.status == store::RunStatus::queued) {
    WEFT_TRY(store_.runs().mark_running(org, id, clock_.now_ms()));
    run.status = store::RunStatus::running;
  }
  // A job claimed for the first time has no step recorded yet (steps are recorded only under
  // a lease): nothing to restore.
  const bool fresh = control.job != nullptr && control.job->attempts == 1;
  std::shared_ptr<const Plan> planned = std::move(plan).take();
  // A lone run stays on its caller's thread (no hand-off: 1 worker drains 3,670 runs/s, 2,460
  // through the loop); with company the loop lets them share commits.
  struct Caller {
    std::atomic<int>* count = nullptr;
    ~Caller() {
      if (count) --*count;
    }
  } caller;
  bool on_loop = false;
  if (loop_ != nullptr && planned->inline_only && control.may_use_step_loop) {
    caller.count = &inline_callers_;
    on_loop = inline_callers_.fetch_add(1) > 0;
  }
  RunMachine machine(credentials_, options_.limits, options_.max_parallel_steps, clock_, std::move(run),
                     std::move(planned), control, /*may_spawn=*/!on_loop);
  if (!fresh) {
    WEFT_TRY_ASSIGN(auto records, store_.runs().steps(org, id));
    machine.restore(std::move(records));
  }
  if (on_loop) {
    if (auto outcome = loop_->run(machine)) return std::move(*outcome);
  }
  return drive_here(store_, clock_, machine);
}

namespace {

// A run on the step loop without a caller waiting on a thread: its machine, and whom to tell.
class RunOnLoop final : public StepLoop::Submitted {
 public:
  // `create_with`: the job of a run not stored yet (the loop inserts it), or null.
  RunOnLoop(std::unique_ptr<RunMachine> machine, const store::Job* create_with,
            std::function<void(Result<Outcome>)> done)
      : machine_(std::move(machine)), done_(std::move(done)) {
    this->create_with = create_with;
  }
  RunMachine& machine() override { return *machine_; }
  void done(Result<Outcome> outcome) override {
    machine_.reset();  // it refers to the caller's RunControl: gone before the caller hears
    done_(std::move(outcome));
  }
  // The callback, for a caller whose submission the loop refused.
  std::function<void(Result<Outcome>)> take_done() { return std::move(done_); }

 private:
  std::unique_ptr<RunMachine> machine_;
  std::function<void(Result<Outcome>)> done_;
};

}  // namespace

std::shared_ptr<const Plan> Executor::loop_plan(const store::WorkflowRecord& workflow) {
  if (loop_ == nullptr) return nullptr;
  auto plan = plan_for(workflow);
  if (!plan.ok() || !(*plan)->inline_only) return nullptr;
  return std::move(plan).take();
}

std::shared_ptr<const Plan> Executor::cached_loop_plan(const store::WorkflowRecord& workflow) {
  if (loop_ == nullptr) return nullptr;
  auto plan = cached_plan(workflow.org, workflow.id, workflow.version);
  if (plan == nullptr || !plan->inline_only) return nullptr;
  return plan;
}

bool Executor::start_new_on_loop(const store::RunRecord& run, std::shared_ptr<const Plan> plan, RunControl& control,
                                 std::function<void(Result<Outcome>)> done) {
  WEFT_ASSERT(control.job != nullptr && control.job->run == run.id);
  WEFT_ASSERT(run.status == store::RunStatus::running && !run.cancel_requested);
  WEFT_ASSERT(loop_ != nullptr && plan != nullptr && plan->inline_only);
  auto machine = std::make_unique<RunMachine>(credentials_, options_.limits, options_.max_parallel_steps, clock_, run,
                                              std::move(plan), control, /*may_spawn=*/false);
  std::unique_ptr<StepLoop::Submitted> submitted =
      std::make_unique<RunOnLoop>(std::move(machine), control.job, std::move(done));
  return loop_->submit(submitted);
}

bool Executor::start_claimed_on_loop(RunControl& control, std::function<void(Result<Outcome>)>& done) {
  if (loop_ == nullptr || control.job == nullptr) return false;
  const store::Job& job = *control.job;
  auto run = store_.runs().get(job.org, job.run);
  // Anything but a plain running run (ended meanwhile, cancel asked, a read failed) takes
  // execute()'s path, which knows what to do with it.
  if (!run.ok() || run->status != store::RunStatus::running || run->cancel_requested) return false;
  std::shared_ptr<const Plan> plan = cached_plan(job.org, run->workflow, run->workflow_version);
  if (plan == nullptr) {
    auto workflow = store_.workflows().get(job.org, run->workflow, run->workflow_version);
    if (!workflow.ok()) return false;
    auto planned = plan_for(*workflow);
    if (!planned.ok()) return false;
    plan = std::move(planned).take();
  }
  if (!plan->inline_only) return false;
  auto machine = std::make_unique<RunMachine>(credentials_, options_.limits, options_.max_parallel_steps, clock_,
                                              std::move(run).take(), std::move(plan), control, /*may_spawn=*/false);
  // A first claim finds no step recorded (steps are recorded only under a lease).
  if (job.attempts > 1) {
    auto records = store_.runs().steps(job.org, job.run);
    if (!records.ok()) return false;
    machine->restore(std::move(records).take());
  }
  auto on_loop = std::make_unique<RunOnLoop>(std::move(machine), nullptr, std::move(done));
  RunOnLoop* mine = on_loop.get();
  std::unique_ptr<StepLoop::Submitted> submitted = std::move(on_loop);
  if (loop_->submit(submitted)) return true;
  done = mine->take_done();  // refused: still ours (submitted holds it again)
  return false;
}

}  // namespace weft::engine
