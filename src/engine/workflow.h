// engine/workflow.h — owns the workflow JSON model (DESIGN.md §3): parsing the document into
// typed steps with structural checks and the document's bounds. Catalog-aware checks live in
// plan.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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
  std::string type = "manual";  // manual | webhook | schedule | bundle
  std::string cron;             // schedule and bundle: 5 fields
  std::string timezone = "UTC";
  // bundle only: a polling trigger block of the org's catalog, its credential and its inputs
  // (literal JSON, checked against the block's inputSchema; no templates).
  std::string block;
  std::optional<CredentialId> credential;
  json inputs = json::object();
};

// A bundle trigger's inputs, serialised, at most this many bytes.
inline constexpr std::size_t kMaxTriggerInputBytes = 64 * 1024;

struct Workflow {
  std::string name;
  TriggerDef trigger;
  std::vector<StepDef> steps;
  std::optional<json> output;   // template for the run output; default: last step's output
};

// Bounds of a workflow document, checked by parse_workflow. Everything a request may name is
// bounded, so that validating one costs linear time in its size (issue 8, finding 7).
inline constexpr std::size_t kMaxSteps = 1000;           // steps per workflow (and `after` entries)
inline constexpr std::size_t kMaxStepIdLength = 64;      // [A-Za-z_][A-Za-z0-9_-]{0,63}
inline constexpr std::size_t kMaxActionKeyLength = 128;  // "provider.action"
inline constexpr std::size_t kMaxNameLength = 200;       // workflow name, a step's display name
inline constexpr std::size_t kMaxDescriptionLength = 10000;
inline constexpr std::size_t kMaxProblems = 100;         // problems listed in one error

// True for a well-formed step id: a letter or '_', then letters, digits, '_' or '-', at most
// kMaxStepIdLength characters.
bool is_valid_step_id(std::string_view id);

// `text` for an error message: at most `max` bytes (cut on a UTF-8 boundary, with "…"), so a
// hostile name is never echoed back whole.
std::string clip_for_message(std::string_view text, std::size_t max = kMaxStepIdLength);

// One problem found in a workflow: where (step id and field, either may be empty) and what.
struct Problem {
  std::string step;
  std::string field;    // "action", "credential", "inputs.channel", "after[0]", "if", …
  std::string message;
  // The JSON pointer of the field in the workflow document ("/steps/2/inputs/text"). Left
  // empty, invalid_workflow derives it from step and field.
  std::string pointer = {};
};

// The pointer of (step, field) in a workflow document whose steps have `step_ids` in order:
// ("notify", "inputs.to[0]") → "/steps/1/inputs/to/0"; ("", "trigger.cron") → "/trigger/cron";
// ("", "steps[3].id") → "/steps/3/id". "" when the step is not in `step_ids`.
std::string problem_pointer(const Problem& problem, const std::vector<std::string>& step_ids);

// The problems found so far: keeps the first kMaxProblems and counts the rest. Checks that cost
// more than a few steps (suggestions) are skipped once full().
class ProblemList {
 public:
  void push_back(Problem problem);
  bool empty() const { return total_ == 0; }
  bool full() const { return kept_.size() >= kMaxProblems; }
  std::size_t total() const { return total_; }
  const std::vector<Problem>& kept() const { return kept_; }

 private:
  std::vector<Problem> kept_;
  std::size_t total_ = 0;
};

// The error returned for an invalid workflow: code "workflow_invalid", details = problems (each
// {step?, field?, pointer?, message}), then, when `more` were cut, a last {message} saying how
// many. Step, field and message are clipped so that the error stays small whatever the input;
// `step_ids` (the document's steps in order) lets each problem carry its JSON pointer.
Error invalid_workflow(const std::vector<Problem>& problems, std::size_t more = 0,
                       const std::vector<std::string>& step_ids = {});
Error invalid_workflow(const ProblemList& problems, const std::vector<std::string>& step_ids = {});

// Parses the document. Collects every structural problem (missing/mistyped fields, unknown
// fields, duplicate or malformed step ids, identifiers and lists past their bounds, bad retry)
// and fails with workflow_invalid.
Result<Workflow> parse_workflow(const json& document);

}  // namespace weft::engine
