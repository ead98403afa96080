// core.delay — waits a number of milliseconds, stopping at once when the run is cancelled.
#include <chrono>

#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kInputSchema = R"({
  "type": "object",
  "properties": {
    "ms": {"type": "integer", "minimum": 0, "maximum": 3600000,
           "description": "How long to wait, in milliseconds (at most one hour)."}
  },
  "required": ["ms"],
  "additionalProperties": false
})";

constexpr std::string_view kOutputSchema = R"({
  "type": "object",
  "properties": {"delayedMs": {"type": "integer", "minimum": 0}},
  "required": ["delayedMs"]
})";

constexpr std::string_view kIcon =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">)"
    R"(<rect x="2" y="2" width="20" height="20" rx="5" fill="#475569"/>)"
    R"(<circle cx="12" cy="12" r="6.5" fill="none" stroke="#fff" stroke-width="2"/>)"
    R"(<path d="M12 8.5V12l2.5 1.5" fill="none" stroke="#fff" stroke-width="2")"
    R"( stroke-linecap="round"/></svg>)";

}  // namespace

Result<catalog::Action> make_core_delay() {
  catalog::Action action;
  action.key = "core.delay";
  action.name = "Delay";
  action.provider = "core";
  action.auth_type = vault::AuthType::none;
  action.kind = catalog::ActionKind::block;
  WEFT_TRY_ASSIGN(action.input_schema, schema_from_text(kInputSchema));
  WEFT_TRY_ASSIGN(action.output_schema, schema_from_text(kOutputSchema));
  action.display = {"Delay", "Wait for a number of milliseconds before the next step.",
                    svg_data_uri(kIcon), "Core"};
  action.run = [](catalog::ActionContext& ctx) -> Result<json> {
    const auto ms = ctx.input.at("ms").get<std::int64_t>();
    const std::int64_t left = ctx.remaining_ms();
    if (ms > left) {
      // Waiting could only end in the step's deadline: say so now instead of sleeping first.
      return Error::make("timeout",
                         "a delay of " + std::to_string(ms) + " ms does not fit in the step's " +
                             std::to_string(left) + " ms remaining (raise the step timeout)",
                         {{"delayMs", ms}, {"remainingMs", left}});
    }
    ctx.log.write("info", "waiting " + std::to_string(ms) + " ms", {{"ms", ms}});
    const auto start = std::chrono::steady_clock::now();
    if (!ctx.cancel.wait_for(std::chrono::milliseconds(ms))) {
      const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count();
      ctx.log.write("info", "delay cancelled after " + std::to_string(waited) + " ms");
      return Error::make("cancelled", "the delay was cancelled after " + std::to_string(waited) +
                                          " of " + std::to_string(ms) + " ms");
    }
    return json{{"delayedMs", ms}};
  };
  return action;
}

}  // namespace weft::integrations
