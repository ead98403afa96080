#include "engine/workflow_service.h"

#include "engine/plan.h"
#include "engine/workflow.h"

namespace weft::engine {

Status validate_workflow(const json& document, const catalog::Catalog& catalog,
                         CredentialSource* credentials, const OrgId& org) {
  WEFT_TRY_ASSIGN(auto workflow, parse_workflow(document));
  WEFT_TRY(build_plan(std::move(workflow), catalog, credentials, org));
  return {};
}

Result<store::WorkflowRecord> save_workflow(store::Store& store, const catalog::Catalog& catalog,
                                            CredentialSource* credentials, const OrgId& org,
                                            const json& document, const std::optional<WorkflowId>& id) {
  WEFT_TRY(validate_workflow(document, catalog, credentials, org));
  const std::string name = document["name"].get<std::string>();
  if (id) return store.workflows().save_version(org, *id, name, document);
  return store.workflows().create(org, name, document);
}

Result<store::RunRecord> enqueue_run(store::Store& store, const OrgId& org, const WorkflowId& workflow,
                                     std::optional<int> version, const json& input, const Clock& clock) {
  // A run names its workflow version; the definition is read by whoever executes it.
  store::WorkflowRecord record;
  record.org = org;
  record.id = workflow;
  WEFT_TRY_ASSIGN(record.version, store.workflows().version_of(org, workflow, version));
  return enqueue_run(store, record, input, clock);
}

namespace {

// A run record of `record` with `input`, not yet stored.
Result<store::RunRecord> new_run(const store::WorkflowRecord& record, json input, const Clock& clock) {
  // What is stored must read back through parse_json (a webhook wraps its body one level down).
  if (json_depth(input, kMaxJsonDepth + 1) > kMaxJsonDepth) {
    return Error::make("invalid_input", "the run's input is nested deeper than " + std::to_string(kMaxJsonDepth) +
                                            " levels");
  }
  store::RunRecord run;
  run.id = new_id<RunId>(clock);
  run.org = record.org;
  run.workflow = record.id;
  run.workflow_version = record.version;
  run.status = store::RunStatus::queued;
  run.input = input.is_null() ? json::object() : std::move(input);
  run.created_at = clock.now_ms();
  return run;
}

}  // namespace

Result<store::RunRecord> enqueue_run(store::Store& store, const store::WorkflowRecord& record,
                                     const json& input, const Clock& clock) {
  WEFT_TRY_ASSIGN(auto run, new_run(record, input, clock));
  WEFT_TRY(store.runs().create_queued(run));
  return run;
}

Result<store::RunRecord> new_running_run(const store::WorkflowRecord& record, json input, const Clock& clock) {
  WEFT_TRY_ASSIGN(auto run, new_run(record, std::move(input), clock));
  run.status = store::RunStatus::running;
  run.started_at = run.created_at;
  return run;
}

namespace {
json time_or_null(const std::optional<TimeMs>& t) { return t ? json(format_iso8601(*t)) : json(nullptr); }
}  // namespace

json step_to_json(const store::StepRunRecord& step) {
  json out = {{"id", step.step_id},
          {"status", store::to_string(step.status)},
          {"attempts", step.attempts},
          {"input", step.input},
          {"output", step.output},
          {"logs", step.logs},
          {"error", step.error},
          {"startedAt", format_iso8601(step.started_at)},
          {"finishedAt", format_iso8601(step.finished_at)},
          {"durationMs", step.finished_at - step.started_at}};
  // The bundle version whose code ran the step (absent for built-in actions).
  if (!step.bundle_vendor.empty()) {
    out["bundle"] = {{"vendorId", step.bundle_vendor}, {"version", step.bundle_version}};
  }
  return out;
}

json run_to_json(const store::RunRecord& run, const std::vector<store::StepRunRecord>& steps) {
  json out = {{"id", run.id.str()},
              {"status", store::to_string(run.status)},
              {"workflowId", run.workflow.str()},
              {"workflowVersion", run.workflow_version},
              {"input", run.input},
              {"output", run.output},
              {"error", run.error},
              {"cancelRequested", run.cancel_requested},
              {"createdAt", format_iso8601(run.created_at)},
              {"startedAt", time_or_null(run.started_at)},
              {"finishedAt", time_or_null(run.finished_at)}};
  json list = json::array();
  for (const auto& s : steps) list.push_back(step_to_json(s));
  out["steps"] = std::move(list);
  return out;
}

}  // namespace weft::engine
