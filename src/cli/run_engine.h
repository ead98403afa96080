// cli/run_engine.h — owns the workflow-running half of a long-lived process, shared by
// `weft serve` and `weft worker`: the executor, the worker pool draining the run queue, the
// schedule and polling triggers and the run-events hub (live progress for SSE and ?wait=true), plus the
// stop signals both commands wait for.
#pragma once

#include <signal.h>

#include "cli/app.h"
#include "engine/executor.h"
#include "engine/run_events.h"
#include "engine/run_metrics.h"
#include "engine/triggers/poller.h"
#include "engine/triggers/scheduler.h"
#include "engine/worker_pool.h"

namespace weft::cli {

// Blocks SIGINT and SIGTERM in this thread and every thread started after; returns the set
// to sigwait() on.
sigset_t block_stop_signals();

struct RunEngine {
  // `threads` worker threads (0: heartbeats only, e.g. `serve --no-worker`).
  RunEngine(App& app, const Config& config, int threads);
  ~RunEngine();
  RunEngine(const RunEngine&) = delete;
  RunEngine& operator=(const RunEngine&) = delete;

  store::Store& run_store;  // the app's: its signals wake and cancel the pool
  bundles::Registry& bundle_registry;  // the app's: republished when another process changes bundles
  engine::RunEvents events;
  engine::RunMetrics metrics{&events};  // every run this process executes is counted, then reported
  engine::Executor executor;
  engine::WorkerOptions worker_options;
  engine::WorkerPool pool;
  engine::Scheduler scheduler;
  engine::Poller poller;  // bundle (polling) triggers, started and stopped with the scheduler

  void start();
  void stop();
  // GET /metrics of this process: the run counters, the queue depth (read now), the store's
  // connections, the sandbox processes and the pool's claims.
  std::string prometheus_text(App& app);  // in-flight steps finish (grace period), unfinished runs go back to the queue
};

}  // namespace weft::cli
