// catalog/action.h — owns the Action contract (DESIGN.md §3): what every integration action,
// built-in or bundle, declares (key, schemas, auth, display) and the context its run() gets.
// Nothing here knows how an action is implemented (C++ or sandboxed JavaScript).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/json_schema.h"
#include "core/log.h"
#include "core/result.h"
#include "vault/auth.h"

namespace weft::catalog {

enum class ActionKind { tool, block, trigger };
std::string_view to_string(ActionKind kind);

struct Display {
  std::string title;        // "Send message"
  std::string description;  // one sentence for the chooser
  std::string icon;         // an image URL or data: URI (SVG)
  std::string category;     // "Communication", "Core", …
};

// Where the step's log lines go (the step record's `logs`). Thread-safe.
class StepLog {
 public:
  virtual ~StepLog() = default;
  // level: debug|info|warn|error. `fields` is an object or null. Never pass a secret.
  virtual void write(std::string_view level, std::string message, json fields = nullptr) = 0;
};

// The decrypted credential of this step, if its action takes one.
struct StepAuth {
  vault::AuthType type = vault::AuthType::none;
  std::string provider;
  Secret<json> secret;
  // The token to send as bearer/api key (api_key, token, access_token or bot_token field).
  std::string token() const { return vault::primary_token(type, secret.reveal()); }
  CredentialId credential_id;   // which credential (the step log records id and name, never the secret)
  std::string credential_name;
};

// Everything an action's run() receives. Valid only during the call.
struct ActionContext {
  const json& input;                 // validated against the action's inputSchema
  const StepAuth* auth = nullptr;    // null when the action's authType is none
  OrgId org;
  RunId run;
  std::string step_id;
  std::string idempotency_key;       // "<runId>:<stepId>:<attempt>"
  int attempt = 1;
  StepLog& log;
  const CancelToken& cancel;         // set when the run is cancelled or the worker stops
  std::chrono::steady_clock::time_point deadline;  // the step must finish before this

  // Milliseconds left before the deadline (never negative).
  std::int64_t remaining_ms() const;
};

using RunFn = std::function<Result<json>(ActionContext& ctx)>;

struct Action {
  std::string key;        // "provider.action", globally unique
  std::string name;       // short label: "Send message"
  std::string provider;   // "slack"; a bundle's vendor id
  std::string version;    // the bundle version that provides it ("" for a built-in)
  vault::AuthType auth_type = vault::AuthType::none;
  // Credential types the action also accepts (slack takes oauth2 or bot_token). Always
  // contains auth_type when it is not none.
  std::vector<vault::AuthType> accepted_auth;
  JsonSchema input_schema;
  JsonSchema output_schema;
  Display display;
  ActionKind kind = ActionKind::tool;
  RunFn run;
  // run() takes microseconds of CPU and never waits (no I/O, no sleep, no credential): the
  // engine may run it on its step loop between other runs' steps. Built-ins only.
  bool inline_safe = false;

  bool accepts(vault::AuthType type) const;
};

// The JSON the API serves for an action (GET /api/catalog): everything but run.
json to_json(const Action& action);

}  // namespace weft::catalog
