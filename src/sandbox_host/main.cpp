// weft-sandbox-host — the jailed process the server/worker spawns to run JavaScript bundles
// (DESIGN.md §3): the only Weft executable that maps V8 (libnode), so `weft serve` and
// `weft worker` stay small. Internal, not for people: it speaks length-prefixed JSON frames on
// --fd (sandbox/host_main.h). Invoked as `weft-sandbox-host sandbox-host --fd 3 …` — the same
// command line `weft sandbox-host` takes, which execs this file — or without the first word.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sandbox/host_main.h"

int main(int argc, char** argv) {
  // The parent's command line names the subcommand (`<binary> sandbox-host --fd 3 …`).
  std::vector<char*> args(argv, argv + argc);
  if (args.size() > 1 && std::strcmp(args[1], "sandbox-host") == 0) args.erase(args.begin() + 1);

  CLI::App app{"Internal: a jailed JavaScript sandbox process, spawned by weft serve / weft worker"};
  int fd = 3;
  weft::sandbox::JailLimits limits;
  weft::sandbox::HostOptions host;
  std::int64_t actor_idle_ms = host.actor_idle.count();
  app.add_option("--fd", fd, "IPC channel file descriptor");
  app.add_option("--address-space-bytes", limits.address_space_bytes, "RLIMIT_AS");
  app.add_option("--cpu-seconds", limits.cpu_seconds, "RLIMIT_CPU");
  app.add_option("--max-open-files", limits.max_open_files, "RLIMIT_NOFILE");
  app.add_option("--max-actors", host.max_actors, "loaded bundles kept (least recently used evicted)");
  app.add_option("--actor-idle-ms", actor_idle_ms, "unload a bundle unused this long");
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  host.actor_idle = std::chrono::milliseconds(actor_idle_ms);
  return weft::sandbox::run_sandbox_host(fd, fd, limits, host);
}
