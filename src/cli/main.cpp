// weft — one binary, many subcommands (serve, workflow, credential, …).
#include <CLI/CLI.hpp>

#include <cstdlib>

#include <iostream>

#include "cli/commands.h"
#include "core/log.h"

#ifndef WEFT_VERSION
#define WEFT_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  std::string env_error;
  weft::Config config = weft::Config::from_env(&env_error);
  if (!env_error.empty()) {
    std::cerr << "error: " << env_error << "\n";
    return 2;
  }

  CLI::App app{"Weft — a self-hosted integration platform"};
  app.set_version_flag("--version", std::string("weft ") + WEFT_VERSION);
  app.require_subcommand(1);
  // Global options may also follow the subcommand: `weft serve --data-dir ./d` (README, Makefile).
  app.fallthrough();
  app.add_option("--data-dir", config.data_dir, "Data directory (env WEFT_DATA_DIR)");
  app.add_option("--durability", config.durability,
                 "process: a recorded step survives the process dying; full: a power cut too "
                 "(env WEFT_DURABILITY; default process)")
      ->check(CLI::IsMember({"process", "full"}));
  auto* log_level = app.add_option("--log-level", config.log_level,
                                   "trace|debug|info|warn|error|off (env WEFT_LOG_LEVEL; default info for "
                                   "serve, warn for one-shot commands)");

  weft::cli::CommandAction action;
  weft::cli::add_serve_command(app, config, action);
  weft::cli::add_worker_command(app, config, action);
  weft::cli::add_workflow_commands(app, config, action);
  weft::cli::add_credential_commands(app, config, action);
  weft::cli::add_admin_commands(app, config, action);
  weft::cli::add_advisory_commands(app, config, action);
  weft::cli::add_key_commands(app, config, action);
  weft::cli::add_bundle_commands(app, config, action);
  weft::cli::add_sandbox_host_command(app, config, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  // One-shot commands print their own results; keep routine info lines out of the way.
  if (!app.got_subcommand("serve") && !app.got_subcommand("worker") && log_level->count() == 0 && std::getenv("WEFT_LOG_LEVEL") == nullptr) {
    config.log_level = "warn";
  }
  weft::init_logging(config.log_level, config.log_format);
  return action ? action() : 2;
}
