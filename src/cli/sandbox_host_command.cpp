// cli/sandbox_host_command.cpp — `weft sandbox-host`: kept for callers that spawn the `weft`
// binary as a sandbox process (sandbox/host_client.h). It execs the weft-sandbox-host executable
// (sandbox/host_binary.h) with the same options, so this binary never links or maps V8.
// Internal: hidden from --help.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "sandbox/host_binary.h"

namespace weft::cli {

void add_sandbox_host_command(CLI::App& app, Config& /*config*/, CommandAction& action) {
  auto* cmd = app.add_subcommand("sandbox-host", "Internal: a jailed JavaScript sandbox process");
  cmd->group("");  // hidden
  // The options weft-sandbox-host takes (src/sandbox_host/main.cpp), passed on as given.
  auto given = std::make_shared<std::map<std::string, std::string>>();
  for (const char* name : {"--fd", "--address-space-bytes", "--cpu-seconds", "--max-open-files", "--max-actors",
                           "--actor-idle-ms"}) {
    cmd->add_option_function<std::string>(name, [given, name](const std::string& v) { (*given)[name] = v; });
  }
  cmd->callback([&action, given] {
    action = [given] {
      const std::string host = sandbox::sandbox_host_path();
      if (auto ok = sandbox::check_sandbox_host(host); !ok.ok()) {
        std::cerr << "sandbox-host: " << ok.error().message << "\n";
        return 127;
      }
      std::error_code ec;
      if (std::filesystem::equivalent(host, "/proc/self/exe", ec) && !ec) {
        std::cerr << "sandbox-host: " << host << " is weft itself, not " << sandbox::kSandboxHostName << "\n";
        return 127;
      }
      std::vector<std::string> args = {host, "sandbox-host"};
      for (const auto& [name, value] : *given) args.insert(args.end(), {name, value});
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(host.c_str(), argv.data());  // keeps the environment and the --fd channel
      std::cerr << "sandbox-host: execv " << host << ": " << std::strerror(errno) << "\n";
      return 127;
    };
  });
}

}  // namespace weft::cli
