// engine/step_loop.h — owns the thread that advances many runs at once, one step each per
// turn, and commits every record of that turn (steps and run endings, with their jobs) in one
// store write: a run of inline-safe steps (Plan::inline_only) then costs no thread hand-off
// per step, and N concurrent runs share each commit. A step is still durable before any
// other step reads its output, and a run's ending before its caller hears it. It runs only
// inline_only plans (a step that could block would stall every run on the loop) and never
// claims jobs or heartbeats leases: the caller of run() (a worker or a webhook's thread)
// keeps doing both while it waits.
#pragma once

#include <condition_variable>
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

  // Finishes the runs on the loop (each run obeys its own drain and cancel), then joins.
  void stop();

  // Turns taken and records committed (for benchmarks).
  std::uint64_t turns() const;

 private:
  struct Entry;
  void loop();
  // One turn of every active run; marks the ones that ended `finished`.
  void take_turn(std::vector<Entry*>& active);

  store::Store& store_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Entry*> inbox_;
  bool stopping_ = false;
  std::uint64_t turns_ = 0;
  std::thread thread_;
};

}  // namespace weft::engine
