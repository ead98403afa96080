// cli/commands.h — owns the `weft` subcommands: each add_* function declares one command's
// flags on the CLI11 app and the action it runs. Actions return the process exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

#include "core/config.h"

namespace weft::cli {

// Set by the chosen subcommand; main runs it after parsing.
using CommandAction = std::function<int()>;

void add_serve_command(CLI::App& app, Config& config, CommandAction& action);
void add_worker_command(CLI::App& app, Config& config, CommandAction& action);
void add_workflow_commands(CLI::App& app, Config& config, CommandAction& action);
void add_credential_commands(CLI::App& app, Config& config, CommandAction& action);
void add_admin_commands(CLI::App& app, Config& config, CommandAction& action);
// `admin advisories …`; after add_admin_commands (it adds to the `admin` subcommand).
void add_advisory_commands(CLI::App& app, Config& config, CommandAction& action);
// `admin rotate-master-key`, `admin check-credentials`; after add_admin_commands.
void add_key_commands(CLI::App& app, Config& config, CommandAction& action);
void add_bundle_commands(CLI::App& app, Config& config, CommandAction& action);
void add_sandbox_host_command(CLI::App& app, Config& config, CommandAction& action);

}  // namespace weft::cli
