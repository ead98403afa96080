// core.fail — fails the step on purpose with a chosen code and message (e.g. after an `if`).
#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kInputSchema = R"({
  "type": "object",
  "properties": {
    "message": {"type": "string", "minLength": 1, "description": "Shown as the step's error."},
    "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$",
             "description": "Error code (snake_case); step_failed when omitted."}
  },
  "required": ["message"],
  "additionalProperties": false
})";

// The step never succeeds, so there is never an output.
constexpr std::string_view kOutputSchema = R"({
  "type": "object",
  "additionalProperties": false,
  "description": "None: this step always fails."
})";

constexpr std::string_view kIcon =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">)"
    R"(<rect x="2" y="2" width="20" height="20" rx="5" fill="#b91c1c"/>)"
    R"(<path d="M8 8l8 8M16 8l-8 8" stroke="#fff" stroke-width="2.5")"
    R"( stroke-linecap="round"/></svg>)";

}  // namespace

Result<catalog::Action> make_core_fail() {
  catalog::Action action;
  action.key = "core.fail";
  action.name = "Fail";
  action.provider = "core";
  action.auth_type = vault::AuthType::none;
  action.kind = catalog::ActionKind::block;
  action.inline_safe = true;
  WEFT_TRY_ASSIGN(action.input_schema, schema_from_text(kInputSchema));
  WEFT_TRY_ASSIGN(action.output_schema, schema_from_text(kOutputSchema));
  action.display = {"Fail", "Stop the run with an error code and message of your choice.",
                    svg_data_uri(kIcon), "Core"};
  action.run = [](catalog::ActionContext& ctx) -> Result<json> {
    const std::string code = ctx.input.value("code", std::string("step_failed"));
    ctx.log.write("info", "failing the step on purpose with code " + code, {{"code", code}});
    return Error::make(code, ctx.input.at("message").get<std::string>());
  };
  return action;
}

}  // namespace weft::integrations
