// api/context.h — owns what every route handler may use: the process's services (store,
// catalog, vault, accounts, workers) and, per request, the authenticated caller.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "accounts/accounts.h"
#include "bundles/service.h"
#include "catalog/catalog.h"
#include "core/config.h"
#include "engine/credential_source.h"
#include "engine/run_events.h"
#include "engine/workflow_versions.h"
#include "http/message.h"
#include "store/store.h"
#include "vault/vault.h"

namespace weft::api {

// Services shared by all handlers; owned by the caller of ApiServer, which outlives it.
struct Services {
  const Config& config;
  store::Store& store;
  const catalog::Catalog& catalog;
  vault::Vault& vault;
  engine::CredentialSource& credentials;
  accounts::Accounts& accounts;
  engine::RunEvents& events;
  std::function<void()> wake_workers;
  std::function<void(const RunId&)> cancel_local_run;  // stop it now if this process runs it
  // Creates a run of `workflow` with `input` and executes it at once, if this process has
  // workers and room for it: stored already running and leased to this process (no queue round
  // trip; if the process dies a worker resumes it), from `hand_back_at` on it stops between
  // steps and goes back to the queue (engine::WorkerPool::run_waited). `answer` gets the run as
  // it ended (or as handed back, or the error), on any thread, maybe before this returns.
  // False when it was not taken: nothing was created, `input` is left as it was (it is moved
  // from otherwise) and `answer` is never called. Null: never.
  std::function<bool(const store::WorkflowRecord& workflow, json& input,
                     std::chrono::steady_clock::time_point hand_back_at,
                     std::function<void(Result<store::RunRecord>)> answer)>
      run_here;
  const Clock& clock = SystemClock::instance();
  // The one-time token that authorizes POST /api/setup while no user exists (printed in the
  // server log, or chosen with WEFT_SETUP_TOKEN). Empty: set-up is refused.
  std::string setup_token;
  // Upload and lifecycle of custom bundles. Null: the bundle routes answer 503.
  bundles::BundleService* bundles = nullptr;
  std::function<void()> on_advisories_changed;  // after an advisory import changed the database; null: nothing
  // Workflow versions read once for the webhook path (versions never change).
  std::shared_ptr<engine::WorkflowVersions> workflow_versions = std::make_shared<engine::WorkflowVersions>();
  // As run_here, but only where it holds no thread (the step loop, for a workflow whose steps
  // are all inline-safe): never blocks the caller, so the network thread may call it. Null:
  // never.
  std::function<bool(const store::WorkflowRecord& workflow, json& input,
                     std::chrono::steady_clock::time_point hand_back_at,
                     std::function<void(Result<store::RunRecord>)> answer)>
      run_on_loop;
  // This process's metrics in Prometheus' text format (GET /metrics), queue depth and pool
  // gauges read when called. Null: /metrics answers 404.
  std::function<std::string()> metrics;
};

class RunWatcher;

// Who may call a route.
enum class Access {
  anyone,          // no authentication
  signed_in,       // any authenticated user
  member,          // member or admin of the active org
  org_admin,       // admin of the active org
  platform_admin,  // a platform administrator
};

// One request as a handler sees it. `caller` is set for every Access but `anyone` (and for
// `anyone` routes when credentials were sent).
struct Call {
  const http::Request& req;
  http::Response& res;
  Services& services;
  std::optional<accounts::Principal> caller;
  RunWatcher& watcher;   // waits and event streams that hold no thread
  bool secure = false;   // served over HTTPS (directly or behind a trusted proxy)

  const OrgId& org() const { return caller->org; }
  // The path parameter captured by the route's N-th group (1-based).
  std::string param(int n) const { return req.matches[n]; }
};

using Handler = std::function<void(Call&)>;
// Runs on the network thread, before the route's access checks, for an anonymous request with
// no credentials and no Origin (ApiServer::route): answers from memory and returns true, or
// returns false having changed nothing, and the route's Handler runs on the pool. Never blocks.
using InlineHandler = std::function<bool(Call&)>;

struct Route {
  std::string method;   // GET POST PUT DELETE
  std::string pattern;  // path segments; a segment equal to kId captures a resource id
  Access access;
  std::size_t max_body;  // bytes
  Handler handler;
  InlineHandler try_inline = nullptr;  // only for Access::anyone routes
};

}  // namespace weft::api
