// cli/bundle_commands.cpp — `weft bundle validate <folder>`: checks an unpacked bundle the way
// the server will use it — the manifest, then the code loaded in a jailed sandbox process (one
// ES module whose default export comes from defineVendor, with the manifest's vendor id and a
// tool for every block). For bundle authors and CI; exits 1 with every problem listed.
#include <iostream>
#include <set>

#include "cli/app.h"
#include "cli/commands.h"
#include "sandbox/bundle_folder.h"
#include "sandbox/host_client.h"

namespace weft::cli {

namespace {

int validate(const std::string& folder) {
  auto manifest = sandbox::read_bundle_folder(folder);
  if (!manifest.ok()) return report(manifest.error());
  auto source = read_text_file(folder + "/dist/index.js");
  if (!source.ok()) return report(Error::make("invalid_bundle", "dist/index.js is missing or unreadable"));

  sandbox::SandboxOptions options;
  options.binary = self_executable();
  sandbox::SandboxProcess sandbox(options);
  auto vendor = sandbox.load("validate", *source);
  if (!vendor.ok()) return report(vendor.error());

  std::vector<std::string> problems;
  if (*vendor != manifest->id) {
    problems.push_back("the code's defineVendor id '" + *vendor + "' differs from manifest.id '" + manifest->id + "'");
  }
  const auto tools = sandbox.tools_of("validate");
  const std::set<std::string> in_code(tools.begin(), tools.end());
  std::set<std::string> in_manifest;
  for (const auto& block : manifest->blocks) {
    in_manifest.insert(block.id);
    if (!in_code.count(block.id)) problems.push_back("block '" + block.id + "' has no tool in dist/index.js");
  }
  if (!problems.empty()) {
    std::string message = "bundle is invalid: ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    return report(Error::make("invalid_bundle", message));
  }
  for (const auto& tool : tools) {
    if (!in_manifest.count(tool)) std::cerr << "warning: tool '" << tool << "' is not declared in manifest.json\n";
  }
  std::cout << "valid bundle " << manifest->id << " " << manifest->version << " (" << manifest->blocks.size()
            << " block" << (manifest->blocks.size() == 1 ? "" : "s") << ")\n";
  return 0;
}

}  // namespace

void add_bundle_commands(CLI::App& app, Config& /*config*/, CommandAction& action) {
  auto* bundle = app.add_subcommand("bundle", "Custom integration bundles");
  bundle->require_subcommand(1);
  auto* cmd = bundle->add_subcommand("validate", "Check a bundle folder: manifest, code (in the sandbox), tools");
  auto folder = std::make_shared<std::string>();
  cmd->add_option("folder", *folder, "Unpacked bundle folder (manifest.json + dist/index.js)")->required();
  cmd->callback([&action, folder] { action = [folder] { return validate(*folder); }; });
}

}  // namespace weft::cli
