// cli/bundle_commands.cpp — `weft bundle test FILE|DIR [--level static|runtime]` (and its older
// name `weft bundle validate DIR`): every check the server runs on an upload, with the same
// messages — the archive (or folder) read safely, the manifest and files, and at the runtime
// level the code loaded in a jailed sandbox process. For bundle authors and CI; exits 1 with
// every problem listed.
// `weft bundle upload|list|enable|disable|delete` talk to a running server (--server or
// WEFT_SERVER, token from WEFT_TOKEN) through cli/api_client.h; they open no data dir.
#include <sys/stat.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>

#include "bundles/archive_reader.h"
#include "bundles/service.h"
#include "bundles/validate.h"
#include "cli/api_client.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "integrations/builtin/builtins.h"
#include "sandbox/bundle_tool_runner.h"
#include "sandbox/host_client.h"

namespace weft::cli {

namespace {

// This file's own error codes (the server's pass through from api_client.h).
constexpr char kInvalidArgument[] = "invalid_argument";
constexpr char kFileNotFound[] = "file_not_found";
constexpr char kFileTooLarge[] = "file_too_large";

// The first entry of a block's inputSchema `examples` that the schema accepts, or null.
json example_input(const bundles::BundleBlock& block, const json& raw_block) {
  const json* schema = raw_block.is_object() && raw_block.contains("inputSchema") ? &raw_block["inputSchema"] : nullptr;
  if (schema == nullptr || !schema->is_object() || !schema->contains("examples") || !(*schema)["examples"].is_array()) {
    return nullptr;
  }
  for (const auto& example : (*schema)["examples"]) {
    if (block.input_schema.validate(example).empty()) return example;
  }
  return nullptr;
}

// Calls each tool whose inputSchema declares a schema-valid example, in a jailed sandbox process
// with no credential and no network, and checks the output against its outputSchema. Prints a
// line per example; a call that needs the network is reported as skipped. Returns the number
// of examples that passed, or -1 when one failed (already reported).
int run_examples(const bundles::CheckedBundle& checked) {
  // The manifest passed its schema: products and blocks are arrays of objects with string ids.
  std::map<std::string, const json*> raw_blocks;
  for (const auto& product : checked.manifest.raw.at("products")) {
    for (const auto& block : product.at("blocks")) raw_blocks[block.at("id").get<std::string>()] = &block;
  }
  sandbox::SandboxOptions options;
  options.binary = sandbox_host_executable();
  std::optional<sandbox::SandboxProcess> process;
  int passed = 0;
  bool failed = false;
  for (const auto& block : checked.manifest.blocks) {
    const json input = raw_blocks.count(block.id) ? example_input(block, *raw_blocks[block.id]) : json(nullptr);
    if (input.is_null()) continue;
    if (!process) {
      process.emplace(options);
      if (auto loaded = process->load("examples", checked.source); !loaded.ok()) {
        report(loaded.error());
        return -1;
      }
    }
    const json ctx = {{"ids", {{"orgId", "org_bundle_test"}, {"runId", "run_bundle_test"}, {"stepId", block.id}}},
                      {"idempotencyKey", "run_bundle_test:" + block.id + ":1"},
                      {"auth", nullptr}};
    auto out = process->call("examples", block.id, input.dump(), ctx.dump(), std::chrono::seconds(30));
    if (!out.ok()) {
      if (out.error().code == "egress_denied") {
        std::cout << "example " << block.id << ": skipped (it needs the network, which `bundle test` does not open)\n";
        continue;
      }
      std::cerr << "error: example " << block.id << " failed: " << out.error().to_public_json()["message"].get<std::string>()
                << "\n";
      failed = true;
      continue;
    }
    auto output = parse_json(*out);
    const auto violations = output.ok() ? block.output_schema.validate(*output) : std::vector<SchemaViolation>{};
    if (!output.ok() || !violations.empty()) {
      std::cerr << "error: example " << block.id << ": the output does not match the outputSchema"
                << (violations.empty() ? "" : ": " + violations[0].pointer + " " + violations[0].message) << "\n";
      failed = true;
      continue;
    }
    std::cout << "example " << block.id << ": ok " << output->dump() << "\n";
    ++passed;
  }
  return failed ? -1 : passed;
}

int test_bundle(const std::string& path, const std::string& level) {
  if (level != "static" && level != "runtime") {
    return report(Error::make(kInvalidArgument, "--level must be static or runtime"));
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return report(Error::make(kFileNotFound, "cannot read " + path));
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
  sandbox::SandboxPool pool(sandbox_host_executable(), 1);
  sandbox::BundleToolRunner runner(pool, sandbox_host_executable());
  auto valid = bundles::validate_bundle(*files, &builtins, level == "runtime" ? &runner : nullptr);
  if (!valid.ok()) return report(valid.error());
  for (const auto& w : valid->warnings) std::cerr << "warning: " << w << "\n";
  const auto& m = valid->checked.manifest;
  const int examples = level == "runtime" ? run_examples(valid->checked) : 0;
  if (examples < 0) return 1;
  std::cout << "valid bundle " << m.id << " " << m.version << " (" << m.blocks.size() << " block"
            << (m.blocks.size() == 1 ? "" : "s") << ")" << (level == "static" ? ", static checks only" : "") << "\n";
  return 0;
}

std::string text_of(const json& v, const char* key) {
  return v.is_object() && v.contains(key) && v[key].is_string() ? v[key].get<std::string>() : "";
}

std::string count_of(const json& v, const char* key) {
  return v.is_object() && v.contains(key) && v[key].is_number_integer() ? std::to_string(v[key].get<long long>()) : "?";
}

int upload_bundle(const std::string& path, const std::string& scope, bool inactive, const std::string& server) {
  if (scope != "organization" && scope != "platform") {
    return report(Error::make(kInvalidArgument, "--scope must be organization or platform"));
  }
  auto client = ApiClient::from_environment(server);
  if (!client.ok()) return report(client.error());
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return report(Error::make(kFileNotFound, "cannot read " + path + " (a .bundle.tar.gz file)"));
  }
  // Checked before reading or sending: the server would refuse it after the transfer.
  if (static_cast<std::uint64_t>(st.st_size) > bundles::kMaxUploadBytes) {
    return report(Error::make(kFileTooLarge, path + " is over 50 MB (" + std::to_string(st.st_size) +
                                                    " bytes): the server accepts bundles up to 50 MB"));
  }
  auto bytes = read_text_file(path);
  if (!bytes.ok()) return report(bytes.error());
  std::string query;
  if (scope == "platform") query += "scope=platform";
  if (inactive) query += std::string(query.empty() ? "" : "&") + "activate=false";
  const std::string target = "/api/bundle-upload" + (query.empty() ? "" : "?" + query);
  auto answer = client->upload(target, "bundle", std::filesystem::path(path).filename().string(), *bytes);
  if (!answer.ok()) return report(answer.error());
  const json& r = *answer;
  const std::string tools = count_of(r, "toolCount");
  std::cout << "uploaded " << text_of(r, "vendorId") << " " << text_of(r, "version") << " (" << tools
            << (tools == "1" ? " tool, " : " tools, ") << text_of(r, "status") << ") as " << text_of(r, "id") << "\n";
  if (r.contains("warnings") && r["warnings"].is_array()) {
    for (const auto& w : r["warnings"]) std::cerr << "warning: " << (w.is_string() ? w.get<std::string>() : w.dump()) << "\n";
  }
  return 0;
}

int list_bundles(const std::string& server, bool as_json) {
  auto client = ApiClient::from_environment(server);
  if (!client.ok()) return report(client.error());
  auto answer = client->call("GET", "/api/bundles");
  if (!answer.ok()) return report(answer.error());
  if (as_json) {
    std::cout << answer->dump(2) << "\n";
    return 0;
  }
  const json bundles = answer->is_object() && (*answer).contains("bundles") && (*answer)["bundles"].is_array()
                           ? (*answer)["bundles"]
                           : json::array();
  if (bundles.empty()) {
    std::cout << "no bundles uploaded (first-party bundles are in GET /api/catalog)\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {{"VENDOR", "VERSION", "SCOPE", "STATUS", "TOOLS", "ID", "ERROR"}};
  for (const auto& b : bundles) {
    rows.push_back({text_of(b, "vendorId"), text_of(b, "version"), text_of(b, "scope"), text_of(b, "status"),
                    count_of(b, "toolCount"), text_of(b, "id"), text_of(b, "error")});
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
  return 0;
}

// enable | disable | delete
int manage_bundle(const std::string& verb, const std::string& id, bool force, const std::string& server) {
  auto client = ApiClient::from_environment(server);
  if (!client.ok()) return report(client.error());
  // The id goes into the path: only the characters a bundle id has.
  if (id.empty() || id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
                        std::string::npos) {
    return report(Error::make(kInvalidArgument, "a bundle id looks like bun_… (see weft bundle list)"));
  }
  const std::string at = "/api/bundles/" + id;
  auto answer = verb == "delete" ? client->call("DELETE", at + (force ? "?force=true" : ""))
                                 : client->call("POST", at + "/" + verb);
  if (!answer.ok()) {
    Error e = answer.error();
    if (e.code == bundles::kBundleInUse) e.message += " (here: weft bundle delete " + id + " --force)";
    return report(e);
  }
  if (verb == "delete") {
    std::cout << "deleted " << id << "\n";
  } else {
    std::cout << verb << "d " << text_of(*answer, "vendorId") << " " << text_of(*answer, "version") << ": "
              << text_of(*answer, "status") << "\n";
  }
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

  const std::string server_help = "The Weft server (env WEFT_SERVER; default " + default_server() + ")";
  auto* upload = bundle->add_subcommand("upload", "Upload a .bundle.tar.gz to a server (token from WEFT_TOKEN)");
  auto file = std::make_shared<std::string>();
  auto scope = std::make_shared<std::string>("organization");
  auto inactive = std::make_shared<bool>(false);
  auto server = std::make_shared<std::string>();
  upload->add_option("file", *file, "The archive `weft-bundle pack` wrote")->required();
  upload->add_option("--scope", *scope, "organization, or platform (platform admins: visible to every org)")
      ->capture_default_str();
  upload->add_flag("--inactive", *inactive, "Keep it uploaded but disabled (enable it later)");
  upload->add_option("--server", *server, server_help);
  upload->callback([&action, file, scope, inactive, server] {
    action = [=] { return upload_bundle(*file, *scope, *inactive, *server); };
  });

  auto* list = bundle->add_subcommand("list", "The uploaded bundles your organization sees (every version)");
  auto as_json = std::make_shared<bool>(false);
  list->add_option("--server", *server, server_help);
  list->add_flag("--json", *as_json, "Print the server's JSON");
  list->callback([&action, server, as_json] { action = [=] { return list_bundles(*server, *as_json); }; });

  auto id = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  for (const std::string verb : {"enable", "disable", "delete"}) {
    auto* cmd = bundle->add_subcommand(verb, verb == "enable"    ? "Activate an uploaded bundle (retries a failed one)"
                                             : verb == "disable" ? "Take a bundle's tools out of the catalog"
                                                                 : "Delete a bundle and its stored archive");
    cmd->add_option("id", *id, "The bundle's id (bun_…, see weft bundle list)")->required();
    cmd->add_option("--server", *server, server_help);
    if (verb == "delete") cmd->add_flag("--force", *force, "Delete even while workflows use its tools");
    cmd->callback([&action, verb, id, force, server] {
      action = [=] { return manage_bundle(verb, *id, *force, *server); };
    });
  }
}

}  // namespace weft::cli
