// engine/workflow.h — owns the workflow JSON model (DESIGN.md §3): parsing the document into
// typed steps with structural checks. Catalog-aware checks live in validator.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/json.h"
#include "core/result.h"

namespace weft::engine {

struct RetryPolicy {
  int max_attempts = 1;          // 1..10
  std::int64_t backoff_ms = 0;   // first wait; doubles each attempt
  std::int64_t max_backoff_ms = 60000;
};

struct StepDef {
  std::string id;
  std::string action;                  // "provider.action"
  std::optional<CredentialId> credential;
  json inputs = json::object();
  std::vector<std::string> after;      // explicit dependencies
  std::optional<json> condition;       // "if": a template or literal; falsy → skipped
  RetryPolicy retry;
  std::int64_t timeout_ms = 0;         // 0 = server default
};

struct TriggerDef {
  std::string type = "manual";  // manual | webhook | schedule
  std::string cron;             // schedule only: 5 fields
  std::string timezone = "UTC";
};

struct Workflow {
  std::string name;
  TriggerDef trigger;
  std::vector<StepDef> steps;
  std::optional<json> output;   // template for the run output; default: last step's output
};

// One problem found in a workflow: where (step id and field, either may be empty) and what.
struct Problem {
  std::string step;
  std::string field;    // "action", "credential", "inputs.channel", "after[0]", "if", …
  std::string message;
};

// The error returned for an invalid workflow: code "workflow_invalid", details = problems.
Error invalid_workflow(const std::vector<Problem>& problems);

// Parses the document. Collects every structural problem (missing/mistyped fields, unknown
// fields, duplicate or malformed step ids, bad retry) and fails with workflow_invalid.
Result<Workflow> parse_workflow(const json& document);

}  // namespace weft::engine
