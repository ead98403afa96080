// Workflows of the caller's org: versioned saves, validation, manual runs, webhook secrets, and
// a bundle trigger's status and "poll now".
#include <charconv>

#include "api/http_json.h"
#include "api/routes.h"
#include "engine/triggers/poller.h"
#include "engine/triggers/scheduler.h"
#include "engine/workflow_service.h"

namespace weft::api {

namespace {

constexpr std::size_t kMaxWorkflowBytes = 1024 * 1024;

json workflow_json(const store::WorkflowRecord& wf) {
  return {{"id", wf.id.str()},
          {"name", wf.name},
          {"version", wf.version},
          {"definition", wf.definition},
          {"createdAt", format_iso8601(wf.created_at)},
          {"updatedAt", format_iso8601(wf.updated_at)}};
}

std::string trigger_type(const json& definition) {
  if (definition.contains("trigger") && definition["trigger"].is_object()) {
    return definition["trigger"].value("type", "manual");
  }
  return "manual";
}

// A fresh webhook secret for the workflow; returns the hook path (shown once).
Result<std::string> issue_webhook(Services& s, const store::WorkflowRecord& wf) {
  const std::string secret = accounts::random_token();
  WEFT_TRY(s.store.triggers().put_webhook({wf.id, wf.org, accounts::sha256_hex(secret), s.clock.now_ms()}));
  return "/api/hooks/" + wf.id.str() + "/" + secret;
}

// After a save: the schedule follows the trigger, and a webhook workflow gets its secret once.
Result<json> after_save(Services& s, const store::WorkflowRecord& wf) {
  WEFT_TRY(engine::sync_schedule(s.store, wf, s.clock));
  WEFT_TRY(engine::sync_poll_trigger(s.store, wf, s.clock));
  json out = workflow_json(wf);
  if (trigger_type(wf.definition) == "webhook") {
    WEFT_TRY_ASSIGN(auto existing, s.store.triggers().find_webhook(wf.id));
    if (!existing) {
      WEFT_TRY_ASSIGN(auto path, issue_webhook(s, wf));
      out["webhook"] = {{"path", path}};
    }
  }
  return out;
}

void list(Call& call) {
  auto all = call.services.store.workflows().list(call.org());
  if (!ok_or_send(call, all)) return;
  json out = json::array();
  for (const auto& wf : *all) {
    out.push_back({{"id", wf.id.str()}, {"name", wf.name}, {"version", wf.version},
                   {"trigger", trigger_type(wf.definition)}, {"updatedAt", format_iso8601(wf.updated_at)}});
  }
  send_json(call.res, 200, {{"workflows", out}});
}

void create(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  auto saved = engine::save_workflow(call.services.store, call.services.catalog, &call.services.credentials,
                                     call.org(), *body);
  if (!ok_or_send(call, saved)) return;
  auto out = after_save(call.services, *saved);
  if (!ok_or_send(call, out)) return;
  send_json(call.res, 201, *out);
}

void get(Call& call) {
  std::optional<int> version;
  if (call.req.has_param("version")) {
    const std::string text = call.req.get_param_value("version");
    int parsed = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (ec != std::errc() || end != text.data() + text.size() || parsed < 1) {
      send_error(call.res, 400, "invalid_input", "'version' must be a positive integer");
      return;
    }
    version = parsed;
  }
  auto wf = call.services.store.workflows().get(call.org(), WorkflowId(call.param(1)), version);
  if (!ok_or_send(call, wf)) return;
  json out = workflow_json(*wf);
  // A bundle (polling) trigger shows how its polls go (of the workflow, whatever the version).
  if (trigger_type(wf->definition) == "bundle") {
    auto trigger = call.services.store.polls().get_trigger(call.org(), wf->id);
    if (!ok_or_send(call, trigger)) return;
    out["triggerStatus"] = engine::trigger_status_json(*trigger);
  }
  send_json(call.res, 200, out);
}

// POST /api/workflows/{id}/poll: polls the bundle trigger now ("fetch now"; tests). Answers
// {items, started: [runId…], primed} — primed: this poll was the first after the trigger was set,
// so it only recorded the state and the seen ids. A failed poll answers 502 poll_failed (and is
// shown on the workflow's triggerStatus); 409 when another poller applied the slot first.
void poll_now(Call& call) {
  const WorkflowId id(call.param(1));
  auto wf = call.services.store.workflows().get(call.org(), id);
  if (!ok_or_send(call, wf)) return;
  if (trigger_type(wf->definition) != "bundle") {
    send_error(call.res, 400, "invalid_input", "this workflow's trigger is not a bundle trigger");
    return;
  }
  engine::PollDeps deps{call.services.store, call.services.catalog, call.services.credentials, call.services.clock};
  auto outcome = engine::poll_workflow(deps, call.org(), id);
  if (!outcome.ok()) {
    const Error& e = outcome.error();
    if (e.code == "not_found" || e.code == "invalid_input") {
      send_error_of(call, e);
    } else {
      send_error(call.res, 502, "poll_failed",
                 "the trigger's poll failed: " + (e.is_public ? e.message : std::string("internal error")));
    }
    return;
  }
  if (!outcome->applied) {
    send_error(call.res, 409, "conflict", "another poll of this workflow was applied first; poll again");
    return;
  }
  json started = json::array();
  for (const auto& run : outcome->started) started.push_back(run.str());
  if (!outcome->started.empty()) call.services.wake_workers();
  send_json(call.res, 200, {{"items", outcome->items}, {"started", started}, {"primed", outcome->priming}});
}

void update(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  const WorkflowId id(call.param(1));
  auto existing = call.services.store.workflows().get(call.org(), id);
  if (!ok_or_send(call, existing)) return;
  auto saved = engine::save_workflow(call.services.store, call.services.catalog, &call.services.credentials,
                                     call.org(), *body, id);
  if (!ok_or_send(call, saved)) return;
  auto out = after_save(call.services, *saved);
  if (!ok_or_send(call, out)) return;
  send_json(call.res, 200, *out);
}

void remove(Call& call) {
  auto done = call.services.store.workflows().remove(call.org(), WorkflowId(call.param(1)));
  if (!ok_or_send(call, done)) return;
  call.res.status = 204;
}

void validate(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  auto valid = engine::validate_workflow(*body, call.services.catalog, &call.services.credentials, call.org());
  if (!ok_or_send(call, valid)) return;
  send_json(call.res, 200, {{"valid", true}});
}

void start_run(Call& call) {
  json input = json::object();
  std::optional<int> version;
  if (!call.req.body.empty()) {
    auto body = read_object(call.req);
    if (!ok_or_send(call, body)) return;
    if (!ok_or_send(call, only_fields(*body, {"input", "version"}))) return;
    input = body->value("input", json::object());
    if (!input.is_object()) {
      send_error(call.res, 400, "invalid_input", "'input' must be an object");
      return;
    }
    if (body->contains("version")) {
      if (!(*body)["version"].is_number_integer()) {
        send_error(call.res, 400, "invalid_input", "'version' must be an integer");
        return;
      }
      version = (*body)["version"].get<int>();
    }
  }
  auto run = engine::enqueue_run(call.services.store, call.org(), WorkflowId(call.param(1)), version, input,
                                 call.services.clock);
  if (!ok_or_send(call, run)) return;
  call.services.wake_workers();
  send_json(call.res, 202, {{"runId", run->id.str()}, {"status", "queued"}});
}

void rotate_webhook(Call& call) {
  auto wf = call.services.store.workflows().get(call.org(), WorkflowId(call.param(1)));
  if (!ok_or_send(call, wf)) return;
  if (trigger_type(wf->definition) != "webhook") {
    send_error(call.res, 400, "invalid_input", "this workflow's trigger is not a webhook");
    return;
  }
  auto path = issue_webhook(call.services, *wf);
  if (!ok_or_send(call, path)) return;
  send_json(call.res, 200, {{"webhook", {{"path", *path}}}});
}

}  // namespace

void add_workflow_routes(std::vector<Route>& r) {
  const std::string one = std::string("/api/workflows/") + kId;
  r.push_back({"GET", "/api/workflows", Access::member, 0, list});
  r.push_back({"POST", "/api/workflows", Access::member, kMaxWorkflowBytes, create});
  r.push_back({"POST", "/api/workflows/validate", Access::member, kMaxWorkflowBytes, validate});
  r.push_back({"GET", one, Access::member, 0, get});
  r.push_back({"PUT", one, Access::member, kMaxWorkflowBytes, update});
  r.push_back({"DELETE", one, Access::member, 0, remove});
  r.push_back({"POST", one + "/runs", Access::member, 256 * 1024, start_run});
  r.push_back({"POST", one + "/webhook/rotate", Access::member, 0, rotate_webhook});
  r.push_back({"POST", one + "/poll", Access::member, 0, poll_now});
}

}  // namespace weft::api
