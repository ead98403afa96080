// integrations/builtin/test_support.h — test-only helpers: a StepLog that keeps its lines, a
// StepRun that owns everything an ActionContext refers to and calls an action the way the
// engine does (input checked against inputSchema first, output against outputSchema after),
// and a catalog of the built-ins pointed at a LocalHttpServer. Never linked into weft.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "integrations/builtin/builtins.h"
#include "testing/local_http_server.h"

namespace weft::integrations::testing {

struct LogLine {
  std::string level;
  std::string message;
  json fields;
};

class CollectingLog : public catalog::StepLog {
 public:
  void write(std::string_view level, std::string message, json fields = nullptr) override {
    std::lock_guard lock(mutex_);
    lines_.push_back({std::string(level), std::move(message), std::move(fields)});
  }
  std::vector<LogLine> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  // Every line (level, message, fields) as one text, for "never contains" checks.
  std::string text() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& l : lines_) out += l.level + " " + l.message + " " + l.fields.dump() + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<LogLine> lines_;
};

// One step's worth of context. The deadline is taken when run() starts.
class StepRun {
 public:
  // `action` must outlive the StepRun.
  StepRun(const catalog::Action& action, json input) : action_(action), input_(std::move(input)) {}

  // Time the step gets before its deadline (10 s unless set).
  StepRun& with_budget(std::chrono::milliseconds budget) {
    budget_ = budget;
    return *this;
  }

  StepRun& with_auth(vault::AuthType type, json secret, std::string provider = "") {
    auth_ = catalog::StepAuth{type, std::move(provider), Secret<json>(std::move(secret)), CredentialId("cred_test"), "test"};
    return *this;
  }

  // "invalid_input" (details = violations) when the input breaks the schema, as the engine
  // would refuse it; "invalid_output" when a successful output breaks the outputSchema.
  Result<json> run() {
    const catalog::Action& action = action_;
    if (auto errors = violations(action.input_schema, input_); !errors.empty()) {
      return Error::make("invalid_input", "input violates " + action.key + " inputSchema", errors);
    }
    catalog::ActionContext ctx{.input = input_,
                               .auth = auth_ ? &*auth_ : nullptr,
                               .org = OrgId("org_test"),
                               .run = RunId("run_test"),
                               .step_id = "step1",
                               .idempotency_key = "run_test:step1:1",
                               .attempt = 1,
                               .log = log,
                               .cancel = cancel,
                               .deadline = std::chrono::steady_clock::now() + budget_};
    auto result = action.run(ctx);
    if (!result.ok()) return result;
    if (auto errors = violations(action.output_schema, *result); !errors.empty()) {
      return Error::make("invalid_output", "output violates " + action.key + " outputSchema",
                         errors);
    }
    return result;
  }

  CollectingLog log;
  CancelToken cancel;

 private:
  static json violations(const JsonSchema& schema, const json& value) {
    json out = json::array();
    for (const auto& v : schema.validate(value)) out.push_back(v.pointer + ": " + v.message);
    return out;
  }

  const catalog::Action& action_;
  json input_;
  std::chrono::milliseconds budget_ = std::chrono::seconds(10);
  std::optional<catalog::StepAuth> auth_;
};

// LocalHttpServer::start returns before its listen loop runs (and a stop() before then is
// lost): wait until it serves.
inline void wait_until_serving(weft::testing::LocalHttpServer& server) {
  for (int i = 0; i < 1000 && !server.server().is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// The server records a request only after answering it: wait for `n` of them.
inline std::vector<weft::testing::RecordedRequest> wait_for_requests(
    const weft::testing::LocalHttpServer& server, std::size_t n) {
  for (int i = 0; i < 1000 && server.requests().size() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return server.requests();
}

// The built-ins registered with every API base pointed at `server`.
inline BuiltinOptions options_for(const weft::testing::LocalHttpServer& server) {
  BuiltinOptions options;
  options.slack_api_base = server.url("");
  options.gmail_api_base = server.url("");
  options.acme_api_base = server.url("");
  options.http_default_timeout_ms = 5000;
  return options;
}

// Decodes standard or url-safe base64, padded or not; skips line breaks, stops at '='.
inline std::string base64_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  int bits = 0;
  unsigned buffer = 0;
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == ' ') continue;
    const int v = value(c);
    if (v < 0) break;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// A catalog holding every built-in; `action(key)` must exist.
class BuiltinCatalog {
 public:
  explicit BuiltinCatalog(const BuiltinOptions& options) {
    status_ = register_builtins(catalog_, options);
  }
  const Status& status() const { return status_; }
  const catalog::Catalog& catalog() const { return catalog_; }
  const catalog::Action& action(const std::string& key) const {
    const catalog::Action* a = catalog_.find(key);
    WEFT_ASSERT(a != nullptr);
    return *a;
  }

 private:
  catalog::Catalog catalog_;
  Status status_;
};

}  // namespace weft::integrations::testing
