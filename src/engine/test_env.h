// engine/test_env.h — test-only wiring of a real engine: SQLite store in a temp dir, vault with
// a fixed master key, the built-in catalog pointed at a local HTTP server, and an executor.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "catalog/catalog.h"
#include "engine/credential_source.h"
#include "engine/executor.h"
#include "engine/workflow_service.h"
#include "integrations/builtin/builtins.h"
#include "store/open_store.h"
#include "store/store.h"
#include "testing/temp_dir.h"
#include "vault/vault.h"

namespace weft::engine::test {

struct EngineEnv {
  explicit EngineEnv(const std::string& slack_base = "http://127.0.0.1:9/api",
                     const std::string& gmail_base = "http://127.0.0.1:9") {
    auto opened = store::open_store({.url = db_path()});
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

  // The store's SQLite file.
  std::string db_path() const { return dir.file("weft.db"); }

  testing::TempDir dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<vault::Vault> vault;
  catalog::Catalog catalog;
  std::unique_ptr<VaultCredentialSource> credentials;
  store::Org org;
  std::unique_ptr<Executor> executor;
};

// Holds the write lock of the SQLite file at `path` from a connection of its own until
// release() (or destruction): the store's writes wait meanwhile (its busy timeout is 5 s). A
// test uses it to gather many runs on the step loop before any of them can commit.
class WriteLockHolder {
 public:
  explicit WriteLockHolder(const std::string& path) {
    const bool opened = sqlite3_open(path.c_str(), &db_) == SQLITE_OK;
    if (opened) sqlite3_busy_timeout(db_, 5000);  // a store write may be under way
    if (!opened || sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw std::runtime_error("could not take the write lock of " + path);
    }
  }
  ~WriteLockHolder() { release(); }
  WriteLockHolder(const WriteLockHolder&) = delete;
  WriteLockHolder& operator=(const WriteLockHolder&) = delete;

  void release() {
    if (db_ == nullptr) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Waits (up to 3 s) until `executor` has `runs` runs on its step loop; true if it got there.
inline bool wait_for_runs_on_step_loop(const Executor& executor, std::size_t runs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (executor.runs_on_step_loop() < runs) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace weft::engine::test
