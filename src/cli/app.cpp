#include "cli/app.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "integrations/builtin/builtins.h"
#include "api/audit_log.h"
#include "cli/execution_policy_source.h"
#include "blob/fs/fs_blob_store.h"
#include "blob/postgres/pg_blob_store.h"
#include "sandbox/code_action.h"
#include "sandbox/host_binary.h"
#include "store/open_store.h"
#include "vault/key_check.h"

namespace weft::cli {

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make("file_not_found", "cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

int report(const Error& error) {
  const json shown = error.to_public_json();
  std::cerr << "error: " << shown["message"].get<std::string>() << "\n";
  if (shown.contains("details") && shown["details"].is_array()) {
    for (const auto& d : shown["details"]) {
      std::string where;
      if (d.contains("step")) where += "step '" + d["step"].get<std::string>() + "'";
      if (d.contains("field")) where += (where.empty() ? "" : " ") + std::string("field '") + d["field"].get<std::string>() + "'";
      if (d.contains("path") && d["path"].is_string()) where += d["path"].get<std::string>();
      std::cerr << "  - " << (where.empty() ? "" : where + ": ")
                << (d.contains("message") ? d["message"].get<std::string>() : d.dump()) << "\n";
    }
  }
  if (!error.is_public) log().error("{}", error.message);
  return 1;
}

Result<OrgId> resolve_org(App& app, const std::string& name_or_id) {
  if (auto byid = app.store->orgs().get(OrgId(name_or_id)); byid.ok()) return byid->id;
  WEFT_TRY_ASSIGN(auto byname, app.store->orgs().find_by_name(name_or_id));
  if (!byname) return Error::not_found("organization '" + name_or_id + "'");
  return byname->id;
}

std::string master_key_source(const Config& config) {
  return config.master_key.empty() ? "the key file " + config.data_dir + "/master.key" : "WEFT_MASTER_KEY";
}

std::string sandbox_host_executable() { return sandbox::sandbox_host_path(); }

Result<std::unique_ptr<store::Store>> open_store_of(const Config& config) {
  store::StoreOptions options;
  options.url = config.database_url.empty() ? config.sqlite_path() : config.database_url;
  auto durability = store::parse_durability(config.durability);
  if (!durability) {
    return Error::make("invalid_config", "durability must be process or full, not '" + config.durability + "'");
  }
  options.durability = *durability;
  return store::open_store(options);
}

Result<std::unique_ptr<App>> App::open(const Config& config) {
  auto app = std::make_unique<App>();
  app->config = config;
  std::error_code ec;
  // The data dir holds the SQLite file, or on PostgreSQL this node's copies of shared blobs.
  const bool created = std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Error::make("data_dir_unusable", "cannot create data dir " + config.data_dir + ": " + ec.message());
  if (created) ::chmod(config.data_dir.c_str(), 0700);  // only a directory we made
  WEFT_TRY_ASSIGN(app->store, open_store_of(config));
  const std::string database_url = config.database_url.empty() ? config.sqlite_path() : config.database_url;
  WEFT_TRY_ASSIGN(auto master_key, vault::MasterKey::resolve(config.master_key, config.data_dir));
  // A wrong or changed master key stops the start here, not every step that needs a credential later.
  WEFT_TRY(vault::verify_master_key(*app->store, master_key, master_key_source(config)));
  const std::string key_check = vault::master_key_check(master_key);
  app->vault = std::make_unique<vault::Vault>(app->store->credentials(), std::move(master_key));
  app->vault->set_new_org_key_guard([&store = *app->store, key_check] { return vault::still_the_master_key(store, key_check); });
  WEFT_TRY(integrations::register_builtins(app->catalog, integrations::BuiltinOptions::from_config(config)));
  sandbox::SandboxPoolLimits sandbox_limits;
  sandbox_limits.allow_private_egress = config.sandbox_allow_private_egress;
  sandbox_limits.sharing =
      config.sandbox_sharing == "shared" ? sandbox::ProcessSharing::shared : sandbox::ProcessSharing::per_org;
  sandbox_limits.max_call_timeout = std::chrono::milliseconds(config.max_step_timeout_ms);
  // Sandboxed steps run in separate processes (the only ones mapping V8); none starts before the
  // first call, so a missing executable is said here, and again by every call that needs it.
  const std::string sandbox_host = sandbox_host_executable();
  if (auto usable = sandbox::check_sandbox_host(sandbox_host); !usable.ok()) {
    log().error("sandboxed steps (core.code, bundles) will fail: {}", usable.error().message);
  }
  app->sandbox = std::make_unique<sandbox::SandboxPool>(sandbox_host, config.sandbox_processes, sandbox_limits);
  app->sandbox->set_policy_source(execution_policy_source(*app->store));
  WEFT_TRY(sandbox::register_code_action(app->catalog, *app->sandbox));
  // Bundles: first-party folders, then every uploaded record — manifests only; no code is
  // fetched or loaded before a tool's first call.
  // Uploaded archives: under the data dir beside SQLite; in PostgreSQL (so that every node has
  // them) with a verified local copy per node otherwise.
  if (app->store->backend() == "postgres") {
    WEFT_TRY_ASSIGN(app->blobs, blob::open_pg_blob_store(database_url, config.data_dir + "/blob-cache"));
  } else {
    WEFT_TRY_ASSIGN(app->blobs, blob::open_fs_blob_store(config.data_dir + "/blobs"));
  }
  app->bundle_runner = std::make_unique<sandbox::BundleToolRunner>(*app->sandbox, sandbox_host);
  app->bundle_registry = std::make_unique<bundles::Registry>(*app->store, *app->blobs, app->catalog, *app->bundle_runner);
  for (const auto& warning : app->bundle_registry->scan_first_party(config.bundles_dir)) {
    log().warn("first-party bundle not loaded: {}", warning);
  }
  WEFT_TRY(app->bundle_registry->republish());
  const auto counts = app->bundle_registry->counts();
  log().info("bundles: {} first-party, {} uploaded ({} active)", counts.first_party, counts.records, counts.active);
  app->bundles = std::make_unique<bundles::BundleService>(*app->store, *app->blobs, *app->bundle_registry,
                                                          app->catalog, *app->bundle_runner);
  // Policies and advisories may have changed while no server ran (weft admin advisories import):
  // judge the installed bundles again before serving.
  if (auto filled = app->bundles->backfill_sboms(); !filled.ok()) {
    log().error("bundles: reading the SBOMs of older records: {}", filled.error().message);
  }
  if (auto changed = app->bundles->reevaluate(std::nullopt); !changed.ok()) {
    log().error("bundles: re-evaluating the installed bundles: {}", changed.error().message);
  } else {
    for (const auto& r : *changed) {
      if (!r.was_active) continue;
      log().warn("bundle {} {} disabled by policy: {}", r.before.vendor_id, r.before.version, r.blocked_by.front());
      api::audit_system(*app->store, r.before.org, api::kAuditBundleBlockedByPolicy, "bundle", r.before.id.str(),
                        {{"vendorId", r.before.vendor_id}, {"version", r.before.version}, {"blockedBy", r.blocked_by},
                         {"cause", "start"}});
    }
  }
  app->credentials = std::make_unique<engine::VaultCredentialSource>(*app->vault);
  accounts::AccountsOptions account_options;
  account_options.password_cost = config.password_hash_cost;
  account_options.password_checks.max_concurrent = config.password_checks;
  account_options.password_checks.max_waiting = config.password_check_queue;
  account_options.password_checks.max_wait = std::chrono::milliseconds(config.password_check_wait_ms);
  app->accounts = std::make_unique<accounts::Accounts>(*app->store, account_options);
  WEFT_TRY_ASSIGN(app->org, app->store->orgs().ensure(config.default_org));
  return app;
}

}  // namespace weft::cli
