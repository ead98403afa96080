// Runs of the caller's org: list with filters and a cursor, one run with its steps, cancel,
// and a Server-Sent Events stream of a run's steps as they end.
#include <chrono>

#include "api/http_json.h"
#include "api/routes.h"
#include "api/run_watch.h"
#include "engine/workflow_service.h"

namespace weft::api {

namespace {


json summary_json(const store::RunRecord& run) {
  json out = engine::run_to_json(run, {});
  out.erase("steps");
  return out;
}

Result<TimeMs> time_param(const http::Request& req, const char* name) {
  const std::string text = req.get_param_value(name);
  try {
    std::size_t used = 0;
    const long long v = std::stoll(text, &used);
    if (used == text.size()) return static_cast<TimeMs>(v);
  } catch (...) {
  }
  return Error::make("invalid_input", std::string("'") + name + "' must be milliseconds since the epoch");
}

void list(Call& call) {
  store::RunFilter filter;
  const auto& req = call.req;
  if (req.has_param("workflowId")) filter.workflow = WorkflowId(req.get_param_value("workflowId"));
  if (req.has_param("status")) {
    filter.status = store::parse_run_status(req.get_param_value("status"));
    if (!filter.status) {
      send_error(call.res, 400, "invalid_input", "'status' must be queued, running, succeeded, failed or cancelled");
      return;
    }
  }
  for (auto [name, slot] : {std::pair{"createdAfter", &filter.created_after}, std::pair{"createdBefore", &filter.created_before}}) {
    if (!req.has_param(name)) continue;
    auto t = time_param(req, name);
    if (!ok_or_send(call, t)) return;
    *slot = *t;
  }
  if (req.has_param("cursor")) filter.before_id = RunId(req.get_param_value("cursor"));
  if (req.has_param("limit")) {
    auto limit = time_param(req, "limit");
    if (!limit.ok() || *limit < 1 || *limit > 500) {
      send_error(call.res, 400, "invalid_input", "'limit' must be an integer from 1 to 500");
      return;
    }
    filter.limit = static_cast<int>(*limit);
  }
  auto runs = call.services.store.runs().list(call.org(), filter);
  if (!ok_or_send(call, runs)) return;
  json out = json::array();
  for (const auto& r : *runs) out.push_back(summary_json(r));
  json next = runs->size() == static_cast<std::size_t>(filter.limit) ? json(runs->back().id.str()) : json(nullptr);
  send_json(call.res, 200, {{"runs", out}, {"nextCursor", next}});
}

void get(Call& call) {
  const RunId id(call.param(1));
  auto run = call.services.store.runs().get(call.org(), id);
  if (!ok_or_send(call, run)) return;
  auto steps = call.services.store.runs().steps(call.org(), id);
  if (!ok_or_send(call, steps)) return;
  send_json(call.res, 200, engine::run_to_json(*run, *steps));
}

void cancel(Call& call) {
  const RunId id(call.param(1));
  auto run = call.services.store.runs().request_cancel(call.org(), id, call.services.clock.now_ms());
  if (!ok_or_send(call, run)) return;
  if (run->status == store::RunStatus::running && call.services.cancel_local_run) {
    call.services.cancel_local_run(id);
  }
  send_json(call.res, 200, summary_json(*run));
}

void events(Call& call) {
  const RunId id(call.param(1));
  auto run = call.services.store.runs().get(call.org(), id);
  if (!ok_or_send(call, run)) return;
  auto responder = call.res.defer();
  auto started = call.watcher.stream(responder, call.org(), id, call.caller->user.id.str());
  if (!started.ok()) {
    http::Response refused;
    send_error(refused, started.error());
    responder->send(std::move(refused));
  }
}

}  // namespace

void add_run_routes(std::vector<Route>& r) {
  const std::string one = std::string("/api/runs/") + kId;
  r.push_back({"GET", "/api/runs", Access::member, 0, list});
  r.push_back({"GET", one, Access::member, 0, get});
  r.push_back({"POST", one + "/cancel", Access::member, 0, cancel});
  r.push_back({"GET", one + "/events", Access::member, 0, events});
}

}  // namespace weft::api
