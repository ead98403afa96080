// cli/worker_command.cpp — `weft worker`: runs workflows from the shared run queue and fires
// schedules, without the HTTP API (beside `weft serve --no-worker`, or more workers on the same
// store). SIGTERM/SIGINT stop it like serve: in-flight steps finish, the rest go back to the
// queue.
#include "cli/commands.h"
#include "cli/run_engine.h"
#include "core/log.h"

namespace weft::cli {

namespace {

int work(const Config& config) {
  const auto started = std::chrono::steady_clock::now();
  const sigset_t stop_signals = block_stop_signals();
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  RunEngine engine(**app, config, config.worker_threads);
  engine.start();
  const auto ready_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  log().info("weft worker ready in {:.1f} ms: {} workers on {} (owner {})", ready_us / 1000.0,
             config.worker_threads, config.data_dir, engine.pool.owner());
  int sig = 0;
  sigwait(&stop_signals, &sig);
  log().info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  engine.stop();
  return 0;
}

}  // namespace

void add_worker_command(CLI::App& app, Config& config, CommandAction& action) {
  auto* cmd = app.add_subcommand("worker", "Run workflows from the shared queue and fire schedules (no HTTP API)");
  cmd->add_option("--concurrency,--workers", config.worker_threads, "Runs executed at once: worker threads (env WEFT_WORKERS)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--lease-ms", config.lease_ms, "Job lease in ms (env WEFT_LEASE_MS)")->check(CLI::Range(100, 3600000));
  cmd->callback([&] { action = [&] { return work(config); }; });
}

}  // namespace weft::cli
