// engine/workflow_service.h — owns the operations callers (CLI now, HTTP API next) perform on
// workflows and runs: validate a document, save it as a new version, enqueue a run, and render
// runs as JSON. Callers never touch plan/executor internals directly.
#pragma once

#include <optional>

#include "catalog/catalog.h"
#include "core/clock.h"
#include "engine/credential_source.h"
#include "store/store.h"

namespace weft::engine {

// Parses and validates a workflow document against the catalog and the org's credentials.
// Fails with workflow_invalid listing every problem with its step and field.
Status validate_workflow(const json& document, const catalog::Catalog& catalog,
                         CredentialSource* credentials, const OrgId& org);

// Validates, then saves: a new workflow (version 1) when `id` is empty, else version+1 of `id`.
Result<store::WorkflowRecord> save_workflow(store::Store& store, const catalog::Catalog& catalog,
                                            CredentialSource* credentials, const OrgId& org,
                                            const json& document,
                                            const std::optional<WorkflowId>& id = std::nullopt);

// Creates a queued run of `workflow` at `version` (latest when empty) with `input` as the
// trigger payload, and its job. The caller wakes its worker pool, if any. "invalid_input" when
// `input` nests deeper than kMaxJsonDepth.
Result<store::RunRecord> enqueue_run(store::Store& store, const OrgId& org, const WorkflowId& workflow,
                                     std::optional<int> version, const json& input,
                                     const Clock& clock = SystemClock::instance());
// The same for a workflow version the caller already loaded (no second read).
Result<store::RunRecord> enqueue_run(store::Store& store, const store::WorkflowRecord& workflow,
                                     const json& input, const Clock& clock = SystemClock::instance());
// A run of `workflow` that the caller executes at once, not stored yet: status running,
// started when created. Stored with its job leased to the caller (RunStore::insert_running,
// store::leased_job), it never waits in the queue yet is resumed by a worker if the caller
// dies. "invalid_input" as for enqueue_run.
Result<store::RunRecord> new_running_run(const store::WorkflowRecord& workflow, json input,
                                         const Clock& clock = SystemClock::instance());

// {id, status, workflowId, workflowVersion, input, output, error, createdAt, startedAt,
//  finishedAt, steps:[{id, status, attempts, input, output, logs, error, startedAt, finishedAt,
//  durationMs}]} — the shape of GET /api/runs/{id}.
json run_to_json(const store::RunRecord& run, const std::vector<store::StepRunRecord>& steps);
json step_to_json(const store::StepRunRecord& step);

}  // namespace weft::engine
