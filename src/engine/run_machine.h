// engine/run_machine.h — owns the state of one execution of a run, advanced in turns. A turn
// starts every ready step (an inline-safe one, or the only thing to do, at once on the
// caller's thread; others on a thread of their own), turns `if`s and skipped dependencies into
// records, and collects the steps that ended; the driver commits those records and hands back
// their statuses, and only then does a step's output become visible to a step that can reach
// the world (I/O, a credential, a sandbox) or to the observer. The result of an inline-safe
// step (pure: no I/O, no wait) or a skip is *held*: inline-safe steps after it read it in the
// same turn, and all of them are committed together, in an order where each record follows
// the ones it read. Nothing of a held record leaves the process before it is committed, so a
// crash before that commit looks like a crash before those steps ran: they run again.
// It never writes to the store: its drivers do (executor.cpp, a thread per run; step_loop.h,
// one thread for many runs), so the same rules hold whichever runs the run.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "engine/credential_source.h"
#include "engine/plan.h"
#include "engine/run_control.h"
#include "engine/step_runner.h"
#include "store/model.h"

namespace weft::engine {

class RunMachine {
 public:
  // `may_spawn`: a step that is not inline-safe may get a thread of its own; without it every
  // step runs on the caller's thread (the plan must then be inline_only). The references must
  // outlive the machine.
  RunMachine(CredentialSource& credentials, const StepLimits& limits, int max_parallel_steps, const Clock& clock,
             store::RunRecord run, std::shared_ptr<const Plan> plan, RunControl& control, bool may_spawn);
  // Steps still running on their threads are cancelled (the run is left for a later claim).
  ~RunMachine();
  RunMachine(const RunMachine&) = delete;
  RunMachine& operator=(const RunMachine&) = delete;

  // A resumed run: the steps recorded by earlier executions.
  void restore(std::vector<store::StepRunRecord> records);

  // One turn: starts what is ready (unless stopping or a step failed), again as long as held
  // results make more inline-safe steps ready (at most kMaxHeldPerTurn records), and collects
  // ended step threads. The records to commit are in pending() afterwards (maybe none), in the
  // order they ended; the driver commits them as one write (RunWrite::records).
  void turn();
  // Held records one turn makes at most (a long chain of pure steps commits in slices).
  static constexpr std::size_t kMaxHeldPerTurn = 1024;
  const std::vector<store::StepRunRecord>& pending() const { return pending_; }
  // Blocks until a step thread ends and collects it (only when threads are in flight).
  void wait_for_thread();
  std::size_t threads_in_flight() const { return threads_in_flight_; }

  // True when pending() holds the last records: every step is done once they are committed
  // (all held, nothing in flight or left to start, not stopping). ending() is then already
  // decided, so a driver may commit the records and the ending as one write.
  bool ends_with_pending() const;

  // The pending records were committed, with statuses[i] for pending()[i]. Applies them (an
  // output becomes visible, a failure becomes the run's) and tells the observer. Returns
  // false when the run became terminal under us ("conflict": finished elsewhere after a lost
  // lease, or cancelled): stop touching it. Errors: the first other store error.
  Result<bool> committed(const std::vector<Status>& statuses);

  // How the run ends, once nothing is pending, in flight or left to start. Empty: it was
  // stopped (drain, a lost lease) and stays running for a later claim.
  struct Ending {
    store::RunStatus status;
    json output;
    json error;
  };
  std::optional<Ending> ending() const;
  // The ending was stored: `run` is the run as stored now. Sets RunControl::ended and tells the
  // observer.
  void ended(store::RunRecord run);

  const store::RunRecord& run() const { return run_; }
  RunControl& control() { return control_; }

 private:
  enum class State { pending, running, succeeded, failed, skipped };
  static constexpr std::size_t kNotHeld = static_cast<std::size_t>(-1);

  bool stopping() const;
  bool deps_done_or_skipped(std::size_t i) const;
  void start_ready();
  // One pass of start_ready(); false once a step failed (start nothing more).
  bool start_ready_once();
  // Holds the records pending_[from..] of steps that may be held; true if any was.
  bool hold_from(std::size_t from);
  void start(std::size_t i, bool now);
  store::StepRunRecord run_one(std::size_t i);
  store::StepRunRecord bare_record(std::size_t i, store::StepStatus status) const;
  // A step that ended: to pending_, unless it was interrupted by an abandon (run it again).
  void ended_step(std::size_t i, store::StepRunRecord rec);
  void collect_locked();
  Result<json> run_output() const;

  CredentialSource& credentials_;
  const StepLimits& limits_;
  const std::size_t max_parallel_;
  const Clock& clock_;
  store::RunRecord run_;
  std::shared_ptr<const Plan> plan_;
  RunControl& control_;
  const bool may_spawn_;

  std::vector<State> state_;
  std::vector<json> outputs_;
  StepOutputLookup lookup_;
  std::optional<std::size_t> failed_step_;
  json failed_error_;
  std::vector<store::StepRunRecord> pending_;
  std::vector<std::size_t> pending_index_;  // the step of each pending record
  // Per step: the index in pending_ of its held record (its state already succeeded or
  // skipped, its output read from there), or kNotHeld.
  std::vector<std::size_t> held_at_;

  std::size_t threads_in_flight_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::pair<std::size_t, store::StepRunRecord>> done_;  // from step threads
  std::vector<std::thread> threads_;
};

// The run as stored after a finish_job() that answered `already` (empty: this call ended it
// with exactly these fields, and `output_text`, when given, is the text the output was stored
// as: the run carries it on, so its answer does not serialise the output again).
store::RunRecord run_after_finish(store::RunRecord run, const RunMachine::Ending& ending, TimeMs now,
                                  std::optional<store::RunRecord> already,
                                  std::shared_ptr<const std::string> output_text = nullptr);

}  // namespace weft::engine
