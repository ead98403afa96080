// bundles/workflow_uses.h — owns finding where saved workflows (their latest versions) name a
// block: each step's `action`, and the trigger's `block` when the trigger is a bundle's
// (`{"type":"bundle","block":…}`). Reads definitions as JSON only; judges nothing about them.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/json.h"
#include "core/result.h"
#include "store/model.h"
#include "store/store.h"

namespace weft::bundles {

// The `step` of a use that is the workflow's trigger rather than one of its steps.
inline constexpr char kTriggerStep[] = "trigger";

// A workflow that uses a block of a bundle.
struct WorkflowUse {
  WorkflowId workflow;
  OrgId org;
  std::string name;
  std::string step;    // the step id, or kTriggerStep
  std::string action;  // the block's id ("acme.ping")
};

// The blocks `definition` names, as (step id or kTriggerStep, block id), steps in order then the
// trigger. Malformed parts (a step without a string id or action, a non-object) are skipped.
std::vector<std::pair<std::string, std::string>> blocks_used(const json& definition);

// The organizations whose catalog a record's tools reach: its own org, or every org for a
// platform record.
Result<std::vector<OrgId>> orgs_reached(store::Store& store, const store::BundleRecord& record);

// Every use, in the latest version of each workflow of `orgs`, of a block for which
// `wanted(org, block)` is true; by org, then workflow name (then id), then step order.
Result<std::vector<WorkflowUse>> find_workflow_uses(
    store::Store& store, const std::vector<OrgId>& orgs,
    const std::function<bool(const OrgId& org, const std::string& block)>& wanted);

}  // namespace weft::bundles
