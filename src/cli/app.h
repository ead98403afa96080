// cli/app.h — owns the wiring of one `weft` process: config → store → vault → catalog →
// credential source → default org. Every subcommand opens an App; nothing else constructs these.
#pragma once

#include <memory>

#include "accounts/accounts.h"
#include "blob/blob_store.h"
#include "bundles/registry.h"
#include "bundles/service.h"
#include "catalog/catalog.h"
#include "core/config.h"
#include "engine/credential_source.h"
#include "sandbox/bundle_tool_runner.h"
#include "sandbox/sandbox_pool.h"
#include "store/store.h"
#include "vault/vault.h"

namespace weft::cli {

struct App {
  Config config;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<vault::Vault> vault;
  // Declared before the catalog: bundle actions in the catalog call into the pool.
  std::unique_ptr<sandbox::SandboxPool> sandbox;
  catalog::Catalog catalog;
  std::unique_ptr<blob::BlobStore> blobs;                     // <data dir>/blobs
  std::unique_ptr<sandbox::BundleToolRunner> bundle_runner;   // bundles → sandbox
  std::unique_ptr<bundles::Registry> bundle_registry;         // installed bundles → catalog
  std::unique_ptr<bundles::BundleService> bundles;            // upload and lifecycle
  std::unique_ptr<engine::VaultCredentialSource> credentials;
  std::unique_ptr<accounts::Accounts> accounts;
  store::Org org;  // the CLI's organization (config.default_org)

  // Creates the data dir (0700) if needed, opens and migrates the store, loads the master key,
  // registers the built-in integrations, the first-party bundles of config.bundles_dir and the
  // uploaded ones (manifests only: no sandbox process starts and no blob is read before a bundle
  // tool is called) and ensures the default org.
  static Result<std::unique_ptr<App>> open(const Config& config);
};

// The store `config` names (WEFT_DATABASE_URL, or the SQLite file in the data dir), migrated.
Result<std::unique_ptr<store::Store>> open_store_of(const Config& config);

// An organization by id or by name. Errors: not_found.
Result<OrgId> resolve_org(App& app, const std::string& name_or_id);

// Where the master key comes from, for messages: "WEFT_MASTER_KEY" or "the key file <dir>/master.key".
std::string master_key_source(const Config& config);

// Reads a whole file ("file_not_found" if it cannot be read).
Result<std::string> read_text_file(const std::string& path);

// Prints "error: <message>" (and each detail) to stderr; returns the exit code to use (1).
int report(const Error& error);

// The sandbox process executable: weft-sandbox-host beside this binary, or $WEFT_SANDBOX_HOST
// (sandbox/host_binary.h). Sandbox processes are `<it> sandbox-host --fd 3 …`.
std::string sandbox_host_executable();

}  // namespace weft::cli
