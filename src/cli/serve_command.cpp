#include <signal.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "api/audit_log.h"
#include "api/server.h"
#include "api/web_assets.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "cli/node_http.h"
#include "cli/run_engine.h"
#include "engine/workflow_service.h"

namespace weft::cli {

namespace {

struct ServeArgs {
  bool no_worker = false;
};

// 128 random bits, hex.
std::string random_setup_token() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

int serve(const Config& config, const ServeArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  // Block the stop signals in every thread; this one waits for them below.
  const sigset_t stop_signals = block_stop_signals();

  auto listen = parse_listen(config.listen);
  if (!listen.ok()) return report(listen.error());
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  auto& a = **app;

  RunEngine engine(a, config, args.no_worker ? 0 : config.worker_threads);
  auto& pool = engine.pool;
  const auto& worker_options = engine.worker_options;

  api::Services services = node_services(config, a, engine);
  // An advisory import may block installed bundles: judge them again, audit each one disabled.
  services.on_advisories_changed = [&a] {
    auto changed = a.bundles->reevaluate(std::nullopt);
    if (!changed.ok()) {
      log().error("advisory import: re-evaluating the installed bundles: {}", changed.error().message);
      return;
    }
    for (const auto& r : *changed) {
      if (!r.was_active) continue;
      log().warn("bundle {} {} disabled by policy: {}", r.before.vendor_id, r.before.version, r.blocked_by.front());
      api::audit_system(*a.store, r.before.org, api::kAuditBundleBlockedByPolicy, "bundle", r.before.id.str(),
                        {{"vendorId", r.before.vendor_id}, {"version", r.before.version}, {"blockedBy", r.blocked_by},
                         {"cause", "advisories.imported"}});
    }
  };
  // Webhook runs a caller waits for: on the step loop when every step is inline-safe (they hold
  // no thread), otherwise on the HTTP handler thread, at most as many at once as there are
  // workers or half the handler threads, whichever is more (beyond that, and with
  // --no-worker, they go through the queue).
  const int max_inline_runs = std::max(worker_options.threads, config.http_threads / 2);
  if (worker_options.threads > 0) {
    services.run_here = [&pool, &metrics = engine.metrics, max_inline_runs](const store::WorkflowRecord& workflow, json& input,
                                                         std::chrono::steady_clock::time_point hand_back_at,
                                                         std::function<void(Result<store::RunRecord>)> answer) {
      return pool.run_waited(workflow, input, hand_back_at, &metrics, max_inline_runs, std::move(answer));
    };
    services.run_on_loop = [&pool, &metrics = engine.metrics](const store::WorkflowRecord& workflow, json& input,
                                            std::chrono::steady_clock::time_point hand_back_at,
                                            std::function<void(Result<store::RunRecord>)> answer) {
      return pool.run_waited_on_loop_now(workflow, input, hand_back_at, &metrics, std::move(answer));
    };
  }
  api::ServerOptions server_options = node_server_options(config, *listen);
  api::WebAssets web = api::WebAssets::embedded();
  if (!config.web_dir.empty()) {
    auto from_dir = api::WebAssets::from_dir(config.web_dir);
    if (!from_dir.ok()) return report(from_dir.error());
    web = std::move(from_dir).take();
  }
  server_options.web = &web;
  raise_open_file_limit();
  auto users = a.store->accounts().user_count();
  if (!users.ok()) return report(users.error());
  if (*users == 0) services.setup_token = config.setup_token.empty() ? random_setup_token() : config.setup_token;
  api::ApiServer server(services, server_options);
  auto port = server.bind();
  if (!port.ok()) return report(port.error());

  engine.start();
  std::thread http([&server] { server.serve(); });
  const auto ready_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started).count();
  log().info("weft serve ready in {:.1f} ms: listening on http://{}:{} (data dir {}, {} workers)",
             ready_us / 1000.0, listen->first, *port, config.data_dir, worker_options.threads);
  if (!web.empty()) {
    const std::string host = listen->first == "0.0.0.0" || listen->first == "::" ? "127.0.0.1" : listen->first;
    log().info("open http://{}:{}/ in a browser", host.find(':') != std::string::npos ? "[" + host + "]" : host, *port);
  }
  if (!services.setup_token.empty() && config.setup_token.empty()) {
    // Printed once, like Jupyter's token: whoever reads this log may create the owner account.
    log().info("first start: create the owner account with set-up token {} (POST /api/setup with "
               "\"setupToken\", or set WEFT_SETUP_TOKEN to choose it)", services.setup_token);
  }

  int sig = 0;
  sigwait(&stop_signals, &sig);
  log().info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  server.stop();  // no new requests; in-flight ones finish
  http.join();
  engine.stop();  // in-flight steps finish (grace period), unfinished runs go back to the queue
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, Config& config, CommandAction& action) {
  auto* cmd = app.add_subcommand("serve", "Run Weft: HTTP API, worker pool and schedules");
  auto args = std::make_shared<ServeArgs>();
  cmd->add_option("--listen", config.listen, "host:port to listen on (env WEFT_LISTEN)");
  cmd->add_option("--workers", config.worker_threads, "Worker threads (env WEFT_WORKERS)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--lease-ms", config.lease_ms, "Job lease in ms (env WEFT_LEASE_MS)")
      ->check(CLI::Range(100, 3600000));
  cmd->add_flag("--no-worker", args->no_worker, "Serve the API only; run no workflow steps here");
  cmd->add_option("--web-dir", config.web_dir, "Serve the web app from this folder, e.g. web/dist (env WEFT_WEB_DIR)");
  cmd->callback([&, args] { action = [&, args] { return serve(config, *args); }; });
}

}  // namespace weft::cli
