#include "cli/run_engine.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/log.h"

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
  // Within half a lease of its expiry, a dead worker's run is claimed again; at least every 5 s.
  options.sweep_ms = std::clamp<std::int64_t>(config.lease_ms / 2, config.poll_ms, std::max<std::int64_t>(config.poll_ms, 5000));
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
      bundle_registry(*app.bundle_registry),
      executor(*app.store, app.catalog, *app.credentials, executor_options(config)),
      worker_options(cli::worker_options(config, threads, &metrics)),
      pool(*app.store, executor, worker_options),
      scheduler(*app.store, {}, [this] { pool.wake(); }),
      poller(engine::PollDeps{*app.store, app.catalog, *app.credentials, SystemClock::instance()},
             [this] { pool.wake(); }) {}

RunEngine::~RunEngine() { run_store.listen({}); }  // no signal reaches the pool once it is gone

void RunEngine::start() {
  pool.start();
  // Other processes sharing the database (PostgreSQL) queue jobs and request cancels too.
  const bool signalled = run_store.listen({.jobs_available = [this] { pool.wake(); },
                 .cancel_requested = [this](const RunId& run) { pool.cancel_local(run); },
                 .catalog_changed = [this] {
                   // Bundles installed, switched or removed by another process: this catalog too.
                   if (Status published = bundle_registry.republish(); !published.ok()) {
                     log().error("republishing the catalog after a change elsewhere: {}", published.error().message);
                   }
                 }});
  if (signalled) pool.woken_by_store();  // no polling for new jobs: every enqueue anywhere wakes us
  scheduler.start();
  poller.start();
}

std::string RunEngine::prometheus_text(App& app) {
  std::string out;
  metrics.write_prometheus(out);
  auto gauge = [&out](const char* name, const char* help, const char* type, auto value) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
  };
  if (auto depth = app.store->jobs().pending_count(); depth.ok()) {
    gauge("weft_queue_depth", "Runs queued or running (jobs not completed), in every process.", "gauge", *depth);
  }
  gauge("weft_jobs_claimed_total", "Jobs this process claimed from the queue.", "counter", pool.claimed_jobs());
  gauge("weft_queue_claim_queries_total", "Claims this process asked the queue for, whether a job was there or not.",
        "counter", pool.claim_queries());
  gauge("weft_lease_expiries_total", "Claimed jobs whose lease had expired before (a worker died with the run).",
        "counter", pool.expired_lease_claims());
  const store::StoreStats stats = app.store->stats();
  gauge("weft_db_connections_open", "Database connections this process has open.", "gauge", stats.connections_open);
  gauge("weft_db_connections_in_use", "Database connections in use now.", "gauge", stats.connections_in_use);
  gauge("weft_db_write_transactions_total", "Commits of run, step and job writes (group commit).", "counter",
        stats.write_transactions);
  if (app.sandbox) {
    const std::size_t busy = app.sandbox->busy();
    out += "# HELP weft_sandbox_processes Sandbox processes, busy (serving a call) or idle.\n"
           "# TYPE weft_sandbox_processes gauge\n";
    out += fmt::format("weft_sandbox_processes{{state=\"busy\"}} {}\n", busy);
    out += fmt::format("weft_sandbox_processes{{state=\"idle\"}} {}\n", app.sandbox->size() - busy);
  }
  return out;
}

void RunEngine::stop() {
  run_store.listen({});
  poller.stop();
  scheduler.stop();
  pool.stop();
}

}  // namespace weft::cli
