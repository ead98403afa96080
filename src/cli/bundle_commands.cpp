// cli/bundle_commands.cpp — `weft bundle test FILE|DIR [--level static|runtime]` (and its older
// name `weft bundle validate DIR`): every check the server runs on an upload, with the same
// messages — the archive (or folder) read safely, the manifest and files, and at the runtime
// level the code loaded in a jailed sandbox process. For bundle authors and CI; exits 1 with
// every problem listed.
#include <sys/stat.h>

#include <iostream>

#include "bundles/archive_reader.h"
#include "bundles/validate.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "integrations/builtin/builtins.h"
#include "sandbox/bundle_tool_runner.h"

namespace weft::cli {

namespace {

int test_bundle(const std::string& path, const std::string& level) {
  if (level != "static" && level != "runtime") {
    return report(Error::make("invalid_argument", "--level must be static or runtime"));
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return report(Error::make("file_not_found", "cannot read " + path));
  Result<bundles::BundleFiles> files = Error::internal("unread");
  if (S_ISDIR(st.st_mode)) {
    files = bundles::read_bundle_directory(path);
  } else {
    auto bytes = read_text_file(path);
    if (!bytes.ok()) return report(bytes.error());
    if (bytes->size() > bundles::kMaxUploadBytes) {
      return report(Error::make(bundles::kBundleInvalid, "bundle is invalid: the archive is over 50 MB"));
    }
    files = bundles::read_bundle_archive(*bytes);
  }
  if (!files.ok()) return report(files.error());

  // The built-in providers, so a vendor id the server would refuse is refused here too.
  catalog::Catalog builtins;
  Config config;
  if (auto s = integrations::register_builtins(builtins, integrations::BuiltinOptions::from_config(config)); !s.ok()) {
    return report(s.error());
  }
  sandbox::SandboxPool pool(self_executable(), 1);
  sandbox::BundleToolRunner runner(pool, self_executable());
  auto valid = bundles::validate_bundle(*files, &builtins, level == "runtime" ? &runner : nullptr);
  if (!valid.ok()) return report(valid.error());
  for (const auto& w : valid->warnings) std::cerr << "warning: " << w << "\n";
  const auto& m = valid->checked.manifest;
  std::cout << "valid bundle " << m.id << " " << m.version << " (" << m.blocks.size() << " block"
            << (m.blocks.size() == 1 ? "" : "s") << ")" << (level == "static" ? ", static checks only" : "") << "\n";
  return 0;
}

}  // namespace

void add_bundle_commands(CLI::App& app, Config& /*config*/, CommandAction& action) {
  auto* bundle = app.add_subcommand("bundle", "Custom integration bundles");
  bundle->require_subcommand(1);

  auto* test = bundle->add_subcommand("test", "Run every check the server runs on an upload, locally");
  auto path = std::make_shared<std::string>();
  auto level = std::make_shared<std::string>("runtime");
  test->add_option("path", *path, "A .bundle.tar.gz or an unpacked bundle folder")->required();
  test->add_option("--level", *level, "static: archive + manifest; runtime: also load the code in the sandbox")
      ->capture_default_str();
  test->callback([&action, path, level] { action = [path, level] { return test_bundle(*path, *level); }; });

  auto* validate = bundle->add_subcommand("validate", "Same as `bundle test PATH --level runtime`");
  auto folder = std::make_shared<std::string>();
  validate->add_option("path", *folder, "A .bundle.tar.gz or an unpacked bundle folder")->required();
  validate->callback([&action, folder] { action = [folder] { return test_bundle(*folder, "runtime"); }; });
}

}  // namespace weft::cli
