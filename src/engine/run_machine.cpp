#include "engine/run_machine.h"

#include <exception>

#include "core/log.h"

namespace weft::engine {

RunMachine::RunMachine(CredentialSource& credentials, const StepLimits& limits, int max_parallel_steps,
                       const Clock& clock, store::RunRecord run, std::shared_ptr<const Plan> plan,
                       RunControl& control, bool may_spawn)
    : credentials_(credentials), limits_(limits), max_parallel_(static_cast<std::size_t>(max_parallel_steps)),
      clock_(clock), run_(std::move(run)), plan_(std::move(plan)), control_(control), may_spawn_(may_spawn),
      state_(plan_->steps.size(), State::pending), outputs_(plan_->steps.size()),
      held_at_(plan_->steps.size(), kNotHeld) {
  WEFT_ASSERT(may_spawn_ || plan_->inline_only);
  // Read while a step's inputs render, before its own record joins pending_ (which may move).
  lookup_ = [this](std::string_view id) -> const json* {
    auto it = plan_->index.find(std::string(id));
    if (it == plan_->index.end() || state_[it->second] != State::succeeded) return nullptr;
    const std::size_t held = held_at_[it->second];
    return held == kNotHeld ? &outputs_[it->second] : &pending_[held].output;
  };
  if (control_.observer) control_.observer->on_run_started(run_);
}

RunMachine::~RunMachine() {
  // An early return (store error) leaves steps in flight: stop them rather than wait them
  // out, and leave the run for a later claim.
  if (threads_in_flight_ > 0) {
    control_.abandon = true;
    control_.cancel.cancel();
  }
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void RunMachine::restore(std::vector<store::StepRunRecord> records) {
  for (auto& rec : records) {
    auto it = plan_->index.find(rec.step_id);
    if (it == plan_->index.end()) continue;
    const std::size_t i = it->second;
    switch (rec.status) {
      case store::StepStatus::succeeded:
        state_[i] = State::succeeded;
        outputs_[i] = std::move(rec.output);
        break;
      case store::StepStatus::failed:
        state_[i] = State::failed;
        if (!failed_step_) {
          failed_step_ = i;
          failed_error_ = rec.error;
        }
        break;
      case store::StepStatus::skipped: state_[i] = State::skipped; break;
      case store::StepStatus::running: state_[i] = State::pending; break;  // never finished: run it again
    }
  }
}

bool RunMachine::stopping() const {
  return control_.cancel.cancelled() || control_.drain.load() ||
         std::chrono::steady_clock::now() >= control_.drain_after;
}

bool RunMachine::deps_done_or_skipped(std::size_t i) const {
  for (std::size_t d : plan_->steps[i].deps) {
    if (state_[d] != State::succeeded && state_[d] != State::skipped) return false;
  }
  return true;
}

store::StepRunRecord RunMachine::bare_record(std::size_t i, store::StepStatus status) const {
  store::StepRunRecord rec;
  rec.run = run_.id;
  rec.org = run_.org;
  rec.step_id = plan_->steps[i].def.id;
  rec.status = status;
  rec.input = nullptr;
  rec.output = nullptr;
  rec.started_at = rec.finished_at = clock_.now_ms();
  return rec;
}

void RunMachine::turn() {
  start_ready();
  std::lock_guard lock(mutex_);
  collect_locked();
}

// Starts what is ready, and again while the records it held make more steps ready.
void RunMachine::start_ready() {
  while (true) {
    const std::size_t from = pending_.size();
    if (!start_ready_once()) return;
    if (pending_.size() >= kMaxHeldPerTurn || !hold_from(from)) return;
  }
}

// A succeeded inline-safe step or a skip, with nothing of it outside the process yet: the
// steps after it may read it before it is committed.
bool RunMachine::hold_from(std::size_t from) {
  bool held = false;
  for (std::size_t k = from; k < pending_.size(); ++k) {
    const std::size_t i = pending_index_[k];
    const store::StepRunRecord& rec = pending_[k];
    const bool pure = rec.status == store::StepStatus::skipped ||
                      (rec.status == store::StepStatus::succeeded && plan_->steps[i].action->inline_safe);
    if (!pure) continue;
    state_[i] = rec.status == store::StepStatus::skipped ? State::skipped : State::succeeded;
    held_at_[i] = k;
    held = true;
  }
  return held;
}

// Starts every step whose dependencies are all done. A step whose `if` is falsy, or that
// depends on a skipped step, becomes a skip record; one whose `if` cannot be evaluated, a
// failure. A step that can reach the world waits until every step it reads is committed.
bool RunMachine::start_ready_once() {
  if (stopping() || failed_step_) return false;
  std::vector<std::size_t> ready;
  bool failing = false;
  for (std::size_t i = 0; i < state_.size() && !failing; ++i) {
    if (state_[i] != State::pending) continue;
    const bool reaches_world = !plan_->steps[i].action->inline_safe;
    bool deps_done = true, dep_skipped = false, dep_held = false;
    for (std::size_t d : plan_->steps[i].deps) {
      if (held_at_[d] != kNotHeld) dep_held = true;
      if (state_[d] == State::skipped) dep_skipped = true;
      else if (state_[d] != State::succeeded) deps_done = false;
    }
    if (dep_held && reaches_world) continue;
    if (!deps_done && !dep_skipped) continue;
    if (dep_skipped) {
      if (!deps_done_or_skipped(i)) continue;
      auto rec = bare_record(i, store::StepStatus::skipped);
      rec.logs = json::array({{{"ts", rec.started_at}, {"level", "info"}, {"message", "skipped: a step it depends on was skipped"}}});
      state_[i] = State::running;
      ended_step(i, std::move(rec));
      continue;
    }
    const auto& cond = plan_->steps[i].condition;
    Result<json> verdict = cond ? cond->render(run_.input, lookup_) : Result<json>(json(true));
    if (!verdict.ok()) {
      auto rec = bare_record(i, store::StepStatus::failed);
      rec.attempts = 1;
      rec.error = Error::make("invalid_input", "the step's `if` would render to more than " +
                                                   std::to_string(kMaxRenderedBytes) + " bytes")
                      .to_public_json();
      state_[i] = State::running;
      ended_step(i, std::move(rec));
      failing = true;  // the run fails with it: start nothing more
    } else if (!json_truthy(*verdict)) {
      auto rec = bare_record(i, store::StepStatus::skipped);
      rec.logs = json::array({{{"ts", rec.started_at}, {"level", "info"}, {"message", "skipped: condition was false"}}});
      state_[i] = State::running;
      ended_step(i, std::move(rec));
    } else {
      ready.push_back(i);
    }
  }
  if (failing) return false;
  for (std::size_t i : ready) {
    const bool now = !may_spawn_ || plan_->steps[i].action->inline_safe ||
                     (ready.size() == 1 && threads_in_flight_ == 0);
    if (!now && threads_in_flight_ >= max_parallel_) break;
    start(i, now);
    if (!pending_.empty() && pending_.back().status == store::StepStatus::failed) return false;
  }
  return true;
}

store::StepRunRecord RunMachine::run_one(std::size_t i) {
  StepRequest req{run_, plan_->steps[i], lookup_, control_};
  try {
    return run_step(req, credentials_, limits_, clock_);
  } catch (const std::exception& e) {
    // A bug or resource exhaustion in one step fails that step, not the process.
    log().error("run {} step {}: {}", run_.id.str(), plan_->steps[i].def.id, e.what());
    auto rec = bare_record(i, store::StepStatus::failed);
    rec.attempts = 1;
    rec.error = Error::internal(e.what()).to_public_json();
    return rec;
  }
}

// Runs step i now on this thread (inline-safe, or the only thing to do: no thread cost), or on
// a thread of its own.
void RunMachine::start(std::size_t i, bool now) {
  state_[i] = State::running;
  if (control_.observer) control_.observer->on_step_started(run_, plan_->steps[i].def.id);
  if (now) {
    ended_step(i, run_one(i));
    return;
  }
  ++threads_in_flight_;
  threads_.emplace_back([this, i] {
    auto rec = run_one(i);
    std::lock_guard lock(mutex_);
    done_.emplace_back(i, std::move(rec));
    cv_.notify_one();
  });
}

void RunMachine::ended_step(std::size_t i, store::StepRunRecord rec) {
  const bool interrupted = rec.status == store::StepStatus::failed && control_.abandon && control_.cancel.cancelled();
  if (interrupted) {
    state_[i] = State::pending;  // not recorded: the next worker runs it again
    return;
  }
  pending_.push_back(std::move(rec));
  pending_index_.push_back(i);
}

void RunMachine::collect_locked() {
  while (!done_.empty()) {
    auto [i, rec] = std::move(done_.front());
    done_.pop_front();
    --threads_in_flight_;
    ended_step(i, std::move(rec));
  }
}

void RunMachine::wait_for_thread() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [this] { return !done_.empty(); });
  collect_locked();
}

bool RunMachine::ends_with_pending() const {
  if (pending_.empty() || threads_in_flight_ > 0 || failed_step_ || stopping()) return false;
  for (State s : state_) {
    if (s != State::succeeded && s != State::skipped) return false;  // a held record is one of these
  }
  return true;
}

Result<bool> RunMachine::committed(const std::vector<Status>& statuses) {
  WEFT_ASSERT(statuses.size() == pending_.size());
  bool conflict = false;
  std::optional<Error> failure;
  for (std::size_t k = 0; k < pending_.size(); ++k) {
    const std::size_t i = pending_index_[k];
    held_at_[i] = kNotHeld;
    if (!statuses[k].ok()) {
      if (statuses[k].error().code == "conflict") conflict = true;
      else if (!failure) failure = statuses[k].error();
      state_[i] = State::running;  // not recorded (a held one too): the run stops here
      continue;
    }
    store::StepRunRecord& rec = pending_[k];
    if (control_.observer) control_.observer->on_step_finished(run_, rec);
    switch (rec.status) {
      case store::StepStatus::succeeded:
        outputs_[i] = std::move(rec.output);  // written before state_ flips, read only after
        state_[i] = State::succeeded;
        break;
      case store::StepStatus::skipped: state_[i] = State::skipped; break;
      default:
        state_[i] = State::failed;
        if (!failed_step_) {
          failed_step_ = i;
          failed_error_ = rec.error;
        }
        break;
    }
  }
  pending_.clear();
  pending_index_.clear();
  if (conflict) return false;
  if (failure) return *failure;
  return true;
}

Result<json> RunMachine::run_output() const {
  if (plan_->output) return plan_->output->render(run_.input, lookup_);
  for (std::size_t i = state_.size(); i-- > 0;) {
    if (state_[i] != State::succeeded) continue;
    return held_at_[i] == kNotHeld ? outputs_[i] : pending_[held_at_[i]].output;  // held: not committed yet
  }
  return json(nullptr);
}

std::optional<RunMachine::Ending> RunMachine::ending() const {
  // A user's cancel wins over the step failure it caused.
  if (control_.cancel.cancelled() && !control_.abandon) {
    return Ending{store::RunStatus::cancelled, nullptr, {{"code", "cancelled"}, {"message", "the run was cancelled"}}};
  }
  if (failed_step_) {
    json error = failed_error_.is_object() ? failed_error_ : json{{"code", "step_failed"}};
    const std::string step_id = plan_->steps[*failed_step_].def.id;
    error["step"] = step_id;
    if (error.contains("message")) {
      error["message"] = "step '" + step_id + "' failed: " + error["message"].get<std::string>();
    }
    return Ending{store::RunStatus::failed, nullptr, std::move(error)};
  }
  if (stopping()) return std::nullopt;
  auto rendered = run_output();
  if (!rendered.ok()) {
    return Ending{store::RunStatus::failed, nullptr,
                  {{"code", "invalid_output"},
                   {"message", "the workflow's output would render to more than " +
                                   std::to_string(kMaxRenderedBytes) + " bytes"}}};
  }
  json output = std::move(rendered).take();
  if (json_depth(output, kMaxJsonDepth + 1) > kMaxJsonDepth) {
    return Ending{store::RunStatus::failed, nullptr,
                  {{"code", "invalid_output"},
                   {"message", "the workflow's output is nested deeper than " + std::to_string(kMaxJsonDepth) +
                                   " levels"}}};
  }
  return Ending{store::RunStatus::succeeded, std::move(output), nullptr};
}

void RunMachine::ended(store::RunRecord run) {
  run_ = std::move(run);
  control_.ended = run_;
  if (control_.observer) control_.observer->on_run_finished(run_);
}

store::RunRecord run_after_finish(store::RunRecord run, const RunMachine::Ending& ending, TimeMs now,
                                  std::optional<store::RunRecord> already,
                                  std::shared_ptr<const std::string> output_text) {
  if (already) return std::move(*already);
  run.status = ending.status;
  run.output = ending.output;
  run.output_text = std::move(output_text);
  run.error = ending.error;
  run.finished_at = now;
  return run;
}

}  // namespace weft::engine
