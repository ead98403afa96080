// POST /api/hooks/{workflowId}/{secret} — the webhook trigger. Anonymous: the secret in the
// path is the capability. Answers 202 {runId}, or with ?wait=true the run's result.
#include <chrono>
#include <functional>
#include <memory>

#include "api/http_json.h"
#include "api/routes.h"
#include "api/run_watch.h"
#include "engine/workflow_service.h"

namespace weft::api {

namespace {

constexpr auto kMaxWait = std::chrono::seconds(30);

bool same_hash(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// {body, query, headers} — what {{trigger.*}} sees. Credentials-bearing headers are dropped.
json trigger_payload(const http::Request& req) {
  json body = nullptr;
  if (!req.body.empty()) {
    const std::string type = req.get_header_value("Content-Type");
    auto parsed = parse_json(req.body);
    body = (type.find("json") != std::string::npos && parsed.ok()) ? std::move(parsed).take() : json(req.body);
  }
  json query = json::object();
  for (const auto& [k, v] : req.params) query[k] = v;
  json headers = json::object();
  for (const auto& [k, v] : req.headers) {
    std::string name = k;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "cookie" || name == "authorization" || name == "proxy-authorization") continue;
    headers[name] = v;
  }
  return {{"body", body}, {"query", query}, {"headers", headers}};
}

// 200 {runId, status, output, error} for a finished run; 202 {runId, status} otherwise.
http::Response run_answer(const Result<store::RunRecord>& done) {
  http::Response res;
  if (!done.ok()) {
    send_error(res, done.error());
    return res;
  }
  json out = {{"runId", done->id.str()}, {"status", store::to_string(done->status)}};
  if (!store::is_terminal(done->status)) {
    send_json(res, 202, out);
    return res;
  }
  if (done->output_text != nullptr) {
    // The text the store wrote: the output is not serialised again. Keys in the order
    // send_json writes them (sorted), so both paths answer the same bytes.
    std::string body = "{\"error\":" + store::json_text(done->error) + ",\"output\":" + *done->output_text +
                       ",\"runId\":" + store::json_text(out["runId"]) + ",\"status\":" +
                       store::json_text(out["status"]) + "}";
    res.status = 200;
    res.set_content(std::move(body), "application/json");
    return res;
  }
  out["output"] = done->output;
  out["error"] = done->error;
  send_json(res, 200, out);
  return res;
}

// True when the webhook's stored secret hash is that of the secret in the URL.
bool secret_matches(const store::WebhookTrigger& hook, const std::string& secret) {
  return same_hash(hook.secret_hash, accounts::sha256_hex(secret));
}

// True when this version of the workflow is still triggered by its webhook.
bool webhook_triggered(const store::WorkflowRecord& version) {
  const json& trigger = version.definition.contains("trigger") ? version.definition["trigger"] : json::object();
  return trigger.is_object() && trigger.value("type", "manual") == "webhook";
}

// {{trigger.*}} of a call: its body, query (without ?wait) and headers.
json hook_input(const http::Request& req) {
  json input = trigger_payload(req);
  input["query"].erase("wait");
  return input;
}

// The callback a run started for a waiting caller ends with: it is called on the thread that
// ended the run (often the step loop, the busiest one), so the answer is built on the
// connection's network thread.
std::function<void(Result<store::RunRecord>)> answer_to(std::shared_ptr<http::Responder> responder) {
  return [responder = std::move(responder)](Result<store::RunRecord> done) {
    responder->send_made([done = std::make_shared<Result<store::RunRecord>>(std::move(done))] { return run_answer(*done); });
  };
}

// Bodies up to this size are parsed on the network thread (a larger one waits for the pool).
constexpr std::size_t kMaxInlineBody = 64 * 1024;

// The common case answered from memory on the network thread: ?wait=true, trigger row and
// workflow version already read, every step inline-safe and room on the step loop. Anything
// else (a first call, a wrong secret, a full loop…) returns false untouched for hook().
bool hook_inline(Call& call) {
  auto& s = call.services;
  if (!s.run_on_loop || call.req.body.size() > kMaxInlineBody || call.req.get_param_value("wait") != "true") {
    return false;
  }
  const WorkflowId workflow(call.param(1));
  const auto hook = s.store.triggers().peek_webhook(workflow);
  if (!hook || hook->workflow_version <= 0 || !secret_matches(*hook, call.param(2))) return false;
  const auto version = s.workflow_versions->peek(hook->org, workflow, hook->workflow_version);
  if (version == nullptr || !webhook_triggered(*version)) return false;
  json input = hook_input(call.req);
  return s.run_on_loop(*version, input, std::chrono::steady_clock::now() + kMaxWait, answer_to(call.res.defer()));
}

void hook(Call& call) {
  auto& s = call.services;
  const WorkflowId workflow(call.param(1));
  auto hook = s.store.triggers().find_webhook(workflow);
  if (!ok_or_send(call, hook)) return;
  if (!hook->has_value() || !secret_matches(**hook, call.param(2))) {
    send_error(call.res, 404, "not_found", "no such webhook");
    return;
  }
  const OrgId org = (*hook)->org;
  // The trigger row names the latest version: read and parsed once per version, not per call.
  if ((*hook)->workflow_version <= 0) {
    send_error(call.res, 404, "not_found", "no such webhook");
    return;
  }
  auto wf = s.workflow_versions->get(s.store, org, workflow, (*hook)->workflow_version);
  if (!ok_or_send(call, wf)) return;
  const store::WorkflowRecord& version = **wf;
  if (!webhook_triggered(version)) {
    send_error(call.res, 404, "not_found", "no such webhook");
    return;
  }
  json input = hook_input(call.req);
  const bool wait = call.req.get_param_value("wait") == "true";
  if (wait && s.run_here) {
    // The caller waits anyway: the run is created already leased to this process and executed
    // at once (no queue round trip), handed back to the queue if it outlasts the wait. The
    // answer comes from whichever thread ends it; the connection waits without holding one.
    auto responder = call.res.defer();
    if (s.run_here(version, input, std::chrono::steady_clock::now() + kMaxWait, answer_to(responder))) return;
    // Every worker is busy: it goes through the queue.
    auto run = engine::enqueue_run(s.store, version, input, s.clock);
    if (run.ok()) {
      s.wake_workers();
      call.watcher.wait(responder, org, run->id, std::chrono::steady_clock::now() + kMaxWait,
                        [](const Result<store::RunRecord>& done) { return run_answer(done); });
    } else {
      responder->send(run_answer(run.error()));
    }
    return;
  }
  auto run = engine::enqueue_run(s.store, version, input, s.clock);
  if (!ok_or_send(call, run)) return;
  s.wake_workers();
  if (!wait) {
    send_json(call.res, 202, {{"runId", run->id.str()}, {"status", "queued"}});
    return;
  }
  // A worker runs it while the caller's connection waits without holding a thread.
  call.watcher.wait(call.res.defer(), org, run->id, std::chrono::steady_clock::now() + kMaxWait,
                    [](const Result<store::RunRecord>& done) { return run_answer(done); });
}

}  // namespace

void add_hook_routes(std::vector<Route>& r) {
  r.push_back({"POST", std::string("/api/hooks/") + kId + "/" + kId, Access::anyone, 1024 * 1024, hook, hook_inline});
}

}  // namespace weft::api
