#include "engine/executor.h"

#include <condition_variable>
#include <deque>
#include <optional>
#include <thread>

#include "core/log.h"

namespace weft::engine {

namespace {

enum class State { pending, running, succeeded, failed, skipped };

State from_record(store::StepStatus s) {
  switch (s) {
    case store::StepStatus::succeeded: return State::succeeded;
    case store::StepStatus::failed: return State::failed;
    case store::StepStatus::skipped: return State::skipped;
    case store::StepStatus::running: return State::pending;  // never finished: run it again
  }
  return State::pending;
}

// Ends `run` (exactly once; finding it ended already is not an error) and updates it to how it
// is stored afterwards, which RunControl::ended also gets. With a job behind the execution, the
// job is completed in the same write.
Status finish_run(store::Store& store, RunControl& control, store::RunRecord& run, store::RunStatus status,
                  const json& output, const json& error, TimeMs now) {
  if (control.job != nullptr) {
    WEFT_TRY_ASSIGN(auto already, store.runs().finish_job(*control.job, status, output, error, now));
    control.job_completed = true;
    if (already) {
      run = std::move(*already);
    } else {
      run.status = status;
      run.output = output;
      run.error = error;
      run.finished_at = now;
    }
  } else {
    auto finished = store.runs().finish(run.org, run.id, status, output, error, now);
    if (!finished.ok() && finished.error().code != "conflict") return finished.error();
    WEFT_TRY_ASSIGN(run, store.runs().get(run.org, run.id));
  }
  control.ended = run;
  return {};
}

// One execution of a run: the mutable state of its steps, owned by the calling thread. Step
// threads only read `outputs` of finished dependencies and push results to `done`.
class RunExecution {
 public:
  RunExecution(store::Store& store, CredentialSource& credentials, const ExecutorOptions& options,
               const Clock& clock, store::RunRecord run, std::shared_ptr<const Plan> plan,
               RunControl& control, bool fresh)
      : store_(store), credentials_(credentials), options_(options), clock_(clock),
        run_(std::move(run)), plan_(std::move(plan)), control_(control), fresh_(fresh),
        state_(plan_->steps.size(), State::pending), outputs_(plan_->steps.size()) {
    lookup_ = [this](std::string_view id) -> const json* {
      auto it = plan_->index.find(std::string(id));
      if (it == plan_->index.end() || state_[it->second] != State::succeeded) return nullptr;
      return &outputs_[it->second];
    };
  }

  ~RunExecution() {
    // An early return (store error) leaves steps in flight: stop them rather than wait them
    // out, and leave the run for a later claim.
    if (in_flight_ > pending_inline_.size()) {
      control_.abandon = true;
      control_.cancel.cancel();
    }
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  Result<Outcome> run() {
    WEFT_TRY(restore());
    if (failed_step_) return finish_failed();
    while (true) {
      Status progressed = stopping() ? Status() : launch_ready();
      if (progressed.ok() && in_flight_ > 0) progressed = handle(wait_done());
      if (!progressed.ok()) {
        // "conflict": the run became terminal under us (finished elsewhere after a lost lease,
        // or cancelled while queued). Stop touching it.
        if (progressed.error().code == "conflict") return Outcome::finished;
        return progressed.error();
      }
      if (in_flight_ == 0 && (stopping() || failed_step_ || !has_launchable())) break;
    }
    // A user's cancel wins over the step failure it caused.
    if (control_.cancel.cancelled() && !control_.abandon) {
      return finish(store::RunStatus::cancelled, nullptr,
                    {{"code", "cancelled"}, {"message", "the run was cancelled"}});
    }
    if (failed_step_) return finish_failed();
    if (stopping()) return Outcome::interrupted;
    auto rendered = run_output();
    if (!rendered.ok()) {
      return finish(store::RunStatus::failed, nullptr,
                    {{"code", "invalid_output"},
                     {"message", "the workflow's output would render to more than " +
                                     std::to_string(kMaxRenderedBytes) + " bytes"}});
    }
    json output = std::move(rendered).take();
    if (json_depth(output, kMaxJsonDepth + 1) > kMaxJsonDepth) {
      return finish(store::RunStatus::failed, nullptr,
                    {{"code", "invalid_output"},
                     {"message", "the workflow's output is nested deeper than " + std::to_string(kMaxJsonDepth) +
                                     " levels"}});
    }
    return finish(store::RunStatus::succeeded, output, nullptr);
  }

 private:
  bool stopping() const {
    return control_.cancel.cancelled() || control_.drain.load() ||
           std::chrono::steady_clock::now() >= control_.drain_after;
  }

  Status restore() {
    if (fresh_) return {};
    WEFT_TRY_ASSIGN(auto records, store_.runs().steps(run_.org, run_.id));
    for (auto& rec : records) {
      auto it = plan_->index.find(rec.step_id);
      if (it == plan_->index.end()) continue;
      state_[it->second] = from_record(rec.status);
      if (rec.status == store::StepStatus::succeeded) outputs_[it->second] = std::move(rec.output);
      if (rec.status == store::StepStatus::failed && !failed_step_) {
        failed_step_ = it->second;
        failed_error_ = rec.error;
      }
    }
    return {};
  }

  // Starts every step whose dependencies are all done. Skips steps whose `if` is falsy or that
  // depend on a skipped step (those are recorded at once and may unlock more steps).
  Status launch_ready() {
    bool progressed = true;
    while (progressed && !failed_step_ && !stopping()) {
      progressed = false;
      std::vector<std::size_t> ready;
      for (std::size_t i = 0; i < state_.size(); ++i) {
        if (state_[i] != State::pending) continue;
        bool deps_done = true, dep_skipped = false;
        for (std::size_t d : plan_->steps[i].deps) {
          if (state_[d] == State::skipped) dep_skipped = true;
          else if (state_[d] != State::succeeded) deps_done = false;
        }
        if (!deps_done && !dep_skipped) continue;
        if (dep_skipped && deps_done_or_skipped(i)) {
          WEFT_TRY(record_skip(i, "skipped: a step it depends on was skipped"));
          progressed = true;
        } else if (deps_done && !dep_skipped) {
          const auto& cond = plan_->steps[i].condition;
          Result<json> verdict = cond ? cond->render(run_.input, lookup_) : Result<json>(json(true));
          if (!verdict.ok()) {
            WEFT_TRY(record_failure(i, Error::make("invalid_input", "the step's `if` would render to more than " +
                                                                        std::to_string(kMaxRenderedBytes) + " bytes")));
            progressed = true;
          } else if (!json_truthy(*verdict)) {
            WEFT_TRY(record_skip(i, "skipped: condition was false"));
            progressed = true;
          } else {
            ready.push_back(i);
          }
        }
      }
      for (std::size_t i : ready) {
        if (in_flight_ >= static_cast<std::size_t>(options_.max_parallel_steps)) break;
        start(i, /*inline_ok=*/ready.size() == 1 && in_flight_ == 0);
        progressed = true;
        if (failed_step_) break;
      }
    }
    return {};
  }

  // Some pending step has every dependency done or skipped (launch_ready will take it).
  bool has_launchable() const {
    for (std::size_t i = 0; i < state_.size(); ++i) {
      if (state_[i] == State::pending && deps_done_or_skipped(i)) return true;
    }
    return false;
  }

  bool deps_done_or_skipped(std::size_t i) const {
    for (std::size_t d : plan_->steps[i].deps) {
      if (state_[d] != State::succeeded && state_[d] != State::skipped) return false;
    }
    return true;
  }

  Status record_skip(std::size_t i, const std::string& why) {
    store::StepRunRecord rec;
    rec.run = run_.id;
    rec.org = run_.org;
    rec.step_id = plan_->steps[i].def.id;
    rec.status = store::StepStatus::skipped;
    rec.input = nullptr;
    rec.output = nullptr;
    rec.started_at = rec.finished_at = clock_.now_ms();
    rec.logs = json::array({{{"ts", rec.started_at}, {"level", "info"}, {"message", why}}});
    WEFT_TRY(store_.runs().record_step(rec));
    state_[i] = State::skipped;
    if (control_.observer) control_.observer->on_step_finished(run_, rec);
    return {};
  }

  // Fails step i without running it (its `if` cannot be evaluated); the run fails with it.
  Status record_failure(std::size_t i, const Error& error) {
    store::StepRunRecord rec;
    rec.run = run_.id;
    rec.org = run_.org;
    rec.step_id = plan_->steps[i].def.id;
    rec.status = store::StepStatus::failed;
    rec.attempts = 1;
    rec.input = nullptr;
    rec.output = nullptr;
    rec.error = error.to_public_json();
    rec.started_at = rec.finished_at = clock_.now_ms();
    return record_finished(i, rec);
  }

  // Stores step i's record, then marks it succeeded (keeping its output) or failed (the first
  // failure is the run's), and tells the observer.
  Status record_finished(std::size_t i, const store::StepRunRecord& rec) {
    WEFT_TRY(store_.runs().record_step(rec));
    if (rec.status == store::StepStatus::succeeded) {
      outputs_[i] = rec.output;  // written before state_ flips, read only after
      state_[i] = State::succeeded;
    } else {
      state_[i] = State::failed;
      if (!failed_step_) {
        failed_step_ = i;
        failed_error_ = rec.error;
      }
    }
    if (control_.observer) control_.observer->on_step_finished(run_, rec);
    return {};
  }

  // Runs step i on this thread when it is the only thing to do (a chain: no thread cost),
  // otherwise on a thread of its own.
  void start(std::size_t i, bool inline_ok) {
    state_[i] = State::running;
    ++in_flight_;
    if (control_.observer) control_.observer->on_step_started(run_, plan_->steps[i].def.id);
    auto work = [this, i] {
      StepRequest req{run_, plan_->steps[i], lookup_, control_};
      try {
        return run_step(req, credentials_, options_.limits, clock_);
      } catch (const std::exception& e) {
        // A bug or resource exhaustion in one step fails that step, not the process.
        log().error("run {} step {}: {}", run_.id.str(), plan_->steps[i].def.id, e.what());
        store::StepRunRecord rec;
        rec.run = run_.id;
        rec.org = run_.org;
        rec.step_id = plan_->steps[i].def.id;
        rec.status = store::StepStatus::failed;
        rec.attempts = 1;
        rec.error = Error::internal(e.what()).to_public_json();
        rec.started_at = rec.finished_at = clock_.now_ms();
        return rec;
      }
    };
    if (inline_ok) {
      pending_inline_.emplace_back(i, work());
      return;
    }
    threads_.emplace_back([this, i, work] {
      auto rec = work();
      std::lock_guard lock(mutex_);
      done_.emplace_back(i, std::move(rec));
      cv_.notify_one();
    });
  }

  std::pair<std::size_t, store::StepRunRecord> wait_done() {
    if (!pending_inline_.empty()) {
      auto out = std::move(pending_inline_.front());
      pending_inline_.pop_front();
      return out;
    }
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return !done_.empty(); });
    auto out = std::move(done_.front());
    done_.pop_front();
    return out;
  }

  Status handle(std::pair<std::size_t, store::StepRunRecord> done) {
    auto& [i, rec] = done;
    --in_flight_;
    const bool interrupted = rec.status == store::StepStatus::failed && control_.abandon &&
                             control_.cancel.cancelled();
    if (interrupted) {
      state_[i] = State::pending;  // not recorded: the next worker runs it again
      return {};
    }
    return record_finished(i, rec);
  }

  Result<json> run_output() const {
    if (plan_->output) return plan_->output->render(run_.input, lookup_);
    for (std::size_t i = state_.size(); i-- > 0;) {
      if (state_[i] == State::succeeded) return outputs_[i];
    }
    return json(nullptr);
  }

  Result<Outcome> finish_failed() {
    json error = failed_error_.is_object() ? failed_error_ : json{{"code", "step_failed"}};
    const std::string step_id = plan_->steps[*failed_step_].def.id;
    error["step"] = step_id;
    if (error.contains("message")) {
      error["message"] = "step '" + step_id + "' failed: " + error["message"].get<std::string>();
    }
    return finish(store::RunStatus::failed, nullptr, error);
  }

  Result<Outcome> finish(store::RunStatus status, const json& output, const json& error) {
    WEFT_TRY(finish_run(store_, control_, run_, status, output, error, clock_.now_ms()));
    if (control_.observer) control_.observer->on_run_finished(run_);
    return Outcome::finished;
  }

  store::Store& store_;
  CredentialSource& credentials_;
  const ExecutorOptions& options_;
  const Clock& clock_;
  store::RunRecord run_;
  std::shared_ptr<const Plan> plan_;
  RunControl& control_;
  const bool fresh_;  // never executed before: no step record to restore

  std::vector<State> state_;
  std::vector<json> outputs_;
  StepOutputLookup lookup_;
  std::size_t in_flight_ = 0;
  std::optional<std::size_t> failed_step_;
  json failed_error_;

  std::deque<std::pair<std::size_t, store::StepRunRecord>> pending_inline_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::pair<std::size_t, store::StepRunRecord>> done_;
  std::vector<std::thread> threads_;
};

}  // namespace

Executor::Executor(store::Store& store, const catalog::Catalog& catalog,
                   CredentialSource& credentials, ExecutorOptions options, const Clock& clock)
    : store_(store), catalog_(catalog), credentials_(credentials), options_(options), clock_(clock) {
  WEFT_ASSERT(options_.max_parallel_steps >= 1);
}

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
      WEFT_TRY(finish_run(store_, control, run, run.status, run.output, run.error, clock_.now_ms()));
    }
    return Outcome::finished;
  }
  auto finish_now = [&](store::RunStatus status, json error) -> Result<Outcome> {
    WEFT_TRY(finish_run(store_, control, run, status, nullptr, error, clock_.now_ms()));
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
  RunExecution execution(store_, credentials_, options_, clock_, std::move(run), std::move(plan).take(), control,
                         fresh);
  return execution.run();
}

}  // namespace weft::engine
