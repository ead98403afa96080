// engine/triggers/scheduler.h — owns firing schedule triggers: a thread that, every tick, asks
// the store for due schedules and fires each slot exactly once (the store makes "advance the
// slot + enqueue the run" atomic), then wakes the workers. Missed slots while down fire once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "engine/triggers/ticker.h"
#include "store/store.h"

namespace weft::engine {

struct SchedulerOptions {
  std::int64_t tick_ms = 1000;
};

class Scheduler {
 public:
  // `on_enqueued` is called after a run is enqueued (e.g. WorkerPool::wake). All references
  // must outlive the Scheduler.
  Scheduler(store::Store& store, SchedulerOptions options, std::function<void()> on_enqueued,
            const Clock& clock = SystemClock::instance());
  ~Scheduler();  // stop()

  void start();
  void stop();
  // One pass over due schedules (what the thread does each tick); returns runs enqueued.
  Result<int> tick();

 private:
  store::Store& store_;
  SchedulerOptions options_;
  std::function<void()> on_enqueued_;
  const Clock& clock_;
  Ticker ticker_;
};

// After a workflow version is saved: registers its schedule (trigger.type "schedule": next slot
// after now) or removes any previous one. Errors: invalid_cron / unknown_timezone.
Status sync_schedule(store::Store& store, const store::WorkflowRecord& workflow, const Clock& clock);

}  // namespace weft::engine
