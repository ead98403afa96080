// engine/step_loop.h — owns the thread that advances many runs at once, one turn each (every
// step that is ready, and the pure steps after them: RunMachine holds their results), and
// commits every record of that turn (new runs, each run's steps as one write, run endings
// with their jobs; a run whose turn ended it, its last records and its ending as one write,
// RunWrite::complete) in one store transaction: a run of inline-safe steps (Plan::inline_only)
// then costs no thread hand-off per step, and N concurrent runs share each commit. A step is
// durable before anything outside the process can see it or its consequences, and a run's
// ending before its caller hears it. It runs only inline_only plans (a step that could block
// would stall every run on the loop) and never claims jobs or heartbeats leases: the caller of
// run() (a worker or a webhook's thread) or of submit() (the worker pool, for a webhook that
// waits without a thread, or for runs its workers claimed) does both.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "engine/run_machine.h"
#include "store/store.h"

namespace weft::engine {

class StepLoop {
 public:
  // `store` and `clock` must outlive the loop. Starts its thread.
  StepLoop(store::Store& store, const Clock& clock);
  ~StepLoop();  // stop()
  StepLoop(const StepLoop&) = delete;
  StepLoop& operator=(const StepLoop&) = delete;

  // Runs `machine` (restored, its run marked running) to its end on the loop, among the other
  // runs there, and returns how it ended, as the thread driver would. Blocks the caller.
  // Empty when the loop is stopping: the caller then runs the machine itself.
  std::optional<Result<Outcome>> run(RunMachine& machine);

  // A run handed to the loop without waiting for it (submit()).
  class Submitted {
   public:
    virtual ~Submitted() = default;
    // The machine to advance (restored, its run running). Lives as long as this object.
    virtual RunMachine& machine() = 0;
    // Set when the run is not stored yet: the loop inserts it running with this job leased
    // (RunWrite::start) in the write of its first steps (or of its ending, or alone when it is
    // handed back before any step), so that creating it costs no commit of its own; a run that
    // ends in its first turn is inserted ended (RunWrite::complete) and its job never stored.
    // Must live as long as this object.
    const store::Job* create_with = nullptr;
    // Called once on the loop's thread when the run has ended (its ending committed), was
    // stopped (still running, for a later claim) or the store failed; then the loop destroys
    // this object. Must not block.
    virtual void done(Result<Outcome> outcome) = 0;
  };
  // Runs `run` on the loop as run() would, without blocking. False when the loop is stopping:
  // nothing was done and `run` is given back (still owned by the caller through `run`).
  bool submit(std::unique_ptr<Submitted>& run);

  // Finishes the runs on the loop (each run obeys its own drain and cancel), then joins.
  void stop();

  // Turns taken and records committed (for benchmarks).
  std::uint64_t turns() const;
  // Runs handed to the loop that have not ended yet (waiting in its inbox or being advanced).
  std::size_t runs() const;

 private:
  struct Entry;
  void loop();
  // One turn of every active run; marks the ones that ended `finished`.
  void take_turn(std::vector<Entry*>& active);
  static void set_output_text(Entry& e);

  store::Store& store_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Entry*> inbox_;
  bool stopping_ = false;
  std::uint64_t turns_ = 0;
  std::size_t runs_ = 0;  // inbox_ + the loop's active runs
  std::thread thread_;
};

}  // namespace weft::engine
