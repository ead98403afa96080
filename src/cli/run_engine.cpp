#include "cli/run_engine.h"

namespace weft::cli {

namespace {

engine::ExecutorOptions executor_options(const Config& config) {
  engine::ExecutorOptions options;
  options.limits.max_timeout_ms = config.max_step_timeout_ms;
  options.limits.default_timeout_ms = config.max_step_timeout_ms;
  return options;
}

engine::WorkerOptions worker_options(const Config& config, int threads, engine::RunObserver* observer) {
  engine::WorkerOptions options;
  options.threads = threads;
  options.lease_ms = config.lease_ms;
  options.poll_ms = config.poll_ms;
  options.observer = observer;
  return options;
}

}  // namespace

sigset_t block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

RunEngine::RunEngine(App& app, const Config& config, int threads)
    : run_store(*app.store),
      executor(*app.store, app.catalog, *app.credentials, executor_options(config)),
      worker_options(cli::worker_options(config, threads, &events)),
      pool(*app.store, executor, worker_options),
      scheduler(*app.store, {}, [this] { pool.wake(); }),
      poller(engine::PollDeps{*app.store, app.catalog, *app.credentials, SystemClock::instance()},
             [this] { pool.wake(); }) {}

RunEngine::~RunEngine() { run_store.listen({}); }  // no signal reaches the pool once it is gone

void RunEngine::start() {
  pool.start();
  // Other processes sharing the database (PostgreSQL) queue jobs and request cancels too.
  run_store.listen({.jobs_available = [this] { pool.wake(); },
                 .cancel_requested = [this](const RunId& run) { pool.cancel_local(run); }});
  scheduler.start();
  poller.start();
}

void RunEngine::stop() {
  run_store.listen({});
  poller.stop();
  scheduler.stop();
  pool.stop();
}

}  // namespace weft::cli
