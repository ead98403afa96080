// cli/sandbox_host_command.cpp — `weft sandbox-host`: the jailed process the server/worker
// spawns to run JavaScript bundles (DESIGN.md §3). Internal: hidden from --help; it speaks
// length-prefixed JSON frames on --fd (see sandbox/host_main.h).
#include "cli/commands.h"
#include "sandbox/host_main.h"

namespace weft::cli {

void add_sandbox_host_command(CLI::App& app, Config& /*config*/, CommandAction& action) {
  auto* cmd = app.add_subcommand("sandbox-host", "Internal: a jailed JavaScript sandbox process");
  cmd->group("");  // hidden
  struct Options {
    int fd = 3;
    weft::sandbox::JailLimits limits;
    std::size_t max_actors = 64;
    std::int64_t actor_idle_ms = 600000;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("--fd", opts->fd, "IPC channel file descriptor");
  cmd->add_option("--address-space-bytes", opts->limits.address_space_bytes, "RLIMIT_AS");
  cmd->add_option("--cpu-seconds", opts->limits.cpu_seconds, "RLIMIT_CPU");
  cmd->add_option("--max-open-files", opts->limits.max_open_files, "RLIMIT_NOFILE");
  cmd->add_option("--max-actors", opts->max_actors, "loaded bundles kept (least recently used evicted)");
  cmd->add_option("--actor-idle-ms", opts->actor_idle_ms, "unload a bundle unused this long");
  cmd->callback([&action, opts] {
    action = [opts] {
      weft::sandbox::HostOptions host;
      host.max_actors = opts->max_actors;
      host.actor_idle = std::chrono::milliseconds(opts->actor_idle_ms);
      return weft::sandbox::run_sandbox_host(opts->fd, opts->fd, opts->limits, host);
    };
  });
}

}  // namespace weft::cli
