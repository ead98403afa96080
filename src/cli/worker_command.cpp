// cli/worker_command.cpp — `weft worker`: runs workflows from the shared run queue and fires
// schedules, without the HTTP API (beside `weft serve --no-worker`, or more workers on the same
// store). With --listen it answers the probes only: /api/health, /api/ready and /metrics.
// SIGTERM/SIGINT stop it like serve: in-flight steps finish, the rest go back to the queue.
#include <optional>
#include <thread>

#include "cli/commands.h"
#include "cli/node_http.h"
#include "cli/run_engine.h"
#include "core/log.h"

namespace weft::cli {

namespace {

int work(const Config& config) {
  const auto started = std::chrono::steady_clock::now();
  const sigset_t stop_signals = block_stop_signals();
  std::optional<std::pair<std::string, int>> listen;
  if (!config.worker_listen.empty()) {
    auto parsed = parse_listen(config.worker_listen);
    if (!parsed.ok()) return report(parsed.error());
    listen = *parsed;
  }
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  RunEngine engine(**app, config, config.worker_threads);

  // The probes: a node that runs workflows is scraped and health-checked like an API node.
  std::optional<api::Services> services;
  std::unique_ptr<api::ApiServer> server;
  std::string listening = "no HTTP";
  if (listen) {
    services.emplace(node_services(config, **app, engine));
    api::ServerOptions options = node_server_options(config, *listen);
    options.threads = 2;  // probes are quick; scrapes and health checks come one at a time
    options.network_threads = 1;
    options.probes_only = true;
    server = std::make_unique<api::ApiServer>(*services, options);
    auto port = server->bind();
    if (!port.ok()) return report(port.error());
    listening = fmt::format("probes on http://{}:{}", listen->first, *port);
  }
  engine.start();
  std::thread http;
  if (server) http = std::thread([&server] { server->serve(); });
  const auto ready_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  log().info("weft worker ready in {:.1f} ms: {} workers on {} (owner {}), {}", ready_us / 1000.0,
             config.worker_threads, config.data_dir, engine.pool.owner(), listening);
  int sig = 0;
  sigwait(&stop_signals, &sig);
  log().info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  if (server) {
    server->stop();
    http.join();
  }
  engine.stop();
  return 0;
}

}  // namespace

void add_worker_command(CLI::App& app, Config& config, CommandAction& action) {
  auto* cmd = app.add_subcommand("worker", "Run workflows from the shared queue and fire schedules (no HTTP API)");
  cmd->add_option("--concurrency,--workers", config.worker_threads, "Runs executed at once: worker threads (env WEFT_WORKERS)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--lease-ms", config.lease_ms, "Job lease in ms (env WEFT_LEASE_MS)")->check(CLI::Range(100, 3600000));
  cmd->add_option("--listen", config.worker_listen,
                  "host:port answering /api/health, /api/ready and /metrics only (env WEFT_WORKER_LISTEN; "
                  "default: no HTTP)");
  cmd->callback([&] { action = [&] { return work(config); }; });
}

}  // namespace weft::cli
