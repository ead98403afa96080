// engine/test_env.h — test-only wiring of a real engine: SQLite store in a temp dir, vault with
// a fixed master key, the built-in catalog pointed at a local HTTP server, and an executor.
#pragma once

#include <memory>

#include "catalog/catalog.h"
#include "engine/credential_source.h"
#include "engine/executor.h"
#include "engine/workflow_service.h"
#include "integrations/builtin/builtins.h"
#include "store/store.h"
#include "testing/temp_dir.h"
#include "vault/vault.h"

namespace weft::engine::test {

struct EngineEnv {
  explicit EngineEnv(const std::string& slack_base = "http://127.0.0.1:9/api",
                     const std::string& gmail_base = "http://127.0.0.1:9") {
    auto opened = store::open_store({.url = dir.file("weft.db")});
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    store = std::move(opened).take();
    auto key = vault::MasterKey::from_hex(std::string(64, 'a'));
    vault = std::make_unique<vault::Vault>(store->credentials(), std::move(key).take());
    integrations::BuiltinOptions options;
    options.slack_api_base = slack_base;
    options.gmail_api_base = gmail_base;
    auto registered = integrations::register_builtins(catalog, options);
    if (!registered.ok()) throw std::runtime_error(registered.error().message);
    credentials = std::make_unique<VaultCredentialSource>(*vault);
    org = store->orgs().ensure("default").take();
    ExecutorOptions exec_options;
    exec_options.limits.default_timeout_ms = 10000;
    executor = std::make_unique<Executor>(*store, catalog, *credentials, exec_options);
  }

  // Saves the document and enqueues a run; aborts the test on failure.
  store::RunRecord start(const json& document, const json& input = json::object()) {
    auto wf = save_workflow(*store, catalog, credentials.get(), org.id, document);
    if (!wf.ok()) throw std::runtime_error(wf.error().message);
    auto run = enqueue_run(*store, org.id, wf->id, std::nullopt, input);
    if (!run.ok()) throw std::runtime_error(run.error().message);
    return std::move(run).take();
  }

  // Runs it to the end on this thread and returns the final record.
  store::RunRecord run(const json& document, const json& input = json::object()) {
    auto queued = start(document, input);
    RunControl control;
    auto outcome = executor->execute(org.id, queued.id, control);
    if (!outcome.ok()) throw std::runtime_error(outcome.error().message);
    return store->runs().get(org.id, queued.id).take();
  }

  std::map<std::string, store::StepRunRecord> steps(const RunId& id) {
    std::map<std::string, store::StepRunRecord> out;
    for (auto& s : store->runs().steps(org.id, id).take()) out[s.step_id] = s;
    return out;
  }

  CredentialId add_credential(const std::string& provider, vault::AuthType type, const json& secret) {
    auto created = vault->create(org.id, {"test", provider, type, secret, {}});
    if (!created.ok()) throw std::runtime_error(created.error().message);
    return created->id;
  }

  testing::TempDir dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<vault::Vault> vault;
  catalog::Catalog catalog;
  std::unique_ptr<VaultCredentialSource> credentials;
  store::Org org;
  std::unique_ptr<Executor> executor;
};

}  // namespace weft::engine::test
