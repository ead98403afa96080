#include <signal.h>

#include <chrono>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "engine/executor.h"
#include "engine/worker_pool.h"

namespace weft::cli {

namespace {

int serve(const Config& config) {
  const auto started = std::chrono::steady_clock::now();
  // Block the stop signals in every thread; this one waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  auto& a = **app;
  engine::ExecutorOptions exec_options;
  exec_options.limits.max_timeout_ms = config.max_step_timeout_ms;
  exec_options.limits.default_timeout_ms = config.max_step_timeout_ms;
  engine::Executor executor(*a.store, a.catalog, *a.credentials, exec_options);
  engine::WorkerOptions worker_options;
  worker_options.threads = config.worker_threads;
  worker_options.lease_ms = config.lease_ms;
  worker_options.poll_ms = config.poll_ms;
  engine::WorkerPool pool(*a.store, executor, worker_options);
  pool.start();
  const auto ready_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started).count();
  log().info("weft serve ready in {:.1f} ms (data dir {}, {} workers)", ready_us / 1000.0,
             config.data_dir, config.worker_threads);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  log().info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  pool.stop();
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, Config& config, CommandAction& action) {
  auto* cmd = app.add_subcommand("serve", "Run Weft: store + worker pool (the HTTP API comes next)");
  cmd->add_option("--workers", config.worker_threads, "Worker threads (env WEFT_WORKERS)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--lease-ms", config.lease_ms, "Job lease in ms (env WEFT_LEASE_MS)")
      ->check(CLI::Range(100, 3600000));
  cmd->callback([&] { action = [&] { return serve(config); }; });
}

}  // namespace weft::cli
