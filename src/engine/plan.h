// engine/plan.h — owns the executable form of a workflow: each step bound to its catalog action,
// its inputs and `if` compiled to templates, and its dependencies (explicit `after` plus every
// step its templates read). Building a plan IS validation: every problem names step and field.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.h"
#include "engine/credential_source.h"
#include "engine/templating.h"
#include "engine/workflow.h"

namespace weft::engine {

// A step's action belongs to a vendor its org's policies hide (catalog blocked_reason): the
// save is refused and a run that reaches it fails with this code, naming the policy.
inline constexpr char kVendorBlocked[] = "vendor_blocked";

struct PlannedStep {
  StepDef def;
  const catalog::Action* action = nullptr;  // owned by Plan::catalog
  Template inputs;
  std::optional<Template> condition;
  std::vector<std::size_t> deps;            // indices into Plan::steps
};

struct Plan {
  // The snapshot of the org's catalog the plan was built from: a run keeps the bundle versions
  // it started with even when another version is installed or this one disabled meanwhile.
  std::shared_ptr<const catalog::CatalogView> catalog;
  Workflow workflow;
  std::vector<PlannedStep> steps;           // declaration order
  std::optional<Template> output;
  std::unordered_map<std::string, std::size_t> index;  // step id → position
  // Every step's action is inline_safe and none waits between attempts: the whole run takes
  // microseconds of CPU, so the engine's step loop may run it (executor.h).
  bool inline_only = false;

  const PlannedStep* find(const std::string& id) const;
};

// Validates `workflow` against the catalog and credentials and builds its plan. Problems found
// (all of them, not just the first): unknown action (with "did you mean"), missing / unneeded /
// unknown / wrong-type / wrong-provider credential, inputs violating the action's schema
// (templated values are checked at run time), templates or `after` naming unknown steps or the
// step itself, and cycles; a trigger block used as a step; the cron and time zone of a schedule or
// bundle trigger; a bundle trigger's block (a trigger of the view), credential and inputs.
// `credentials` may be null to skip credential lookups.
// Actions are looked up in catalog.view(org), which the plan keeps (Plan::catalog).
Result<Plan> build_plan(Workflow workflow, const catalog::Catalog& catalog,
                        CredentialSource* credentials, const OrgId& org);

// Maps a JSON pointer inside a step's inputs to the field name used in messages:
// "/to/0" → "inputs.to[0]".
std::string input_field(const std::string& pointer);

}  // namespace weft::engine
