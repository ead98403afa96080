// core.transform — outputs its (template-rendered) value: reshapes data between steps.
#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kInputSchema = R"({
  "type": "object",
  "properties": {
    "value": {"description":
              "Any JSON. Templates such as {{steps.fetch.output.body.id}} are rendered first."}
  },
  "required": ["value"],
  "additionalProperties": false
})";

constexpr std::string_view kOutputSchema = R"({"description": "The value, as rendered."})";

constexpr std::string_view kIcon =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">)"
    R"(<rect x="2" y="2" width="20" height="20" rx="5" fill="#475569"/>)"
    R"(<path d="M6 9h9l-3-3M18 15H9l3 3" fill="none" stroke="#fff" stroke-width="2")"
    R"( stroke-linecap="round" stroke-linejoin="round"/></svg>)";

}  // namespace

Result<catalog::Action> make_core_transform() {
  catalog::Action action;
  action.key = "core.transform";
  action.name = "Transform";
  action.provider = "core";
  action.auth_type = vault::AuthType::none;
  action.kind = catalog::ActionKind::block;
  action.inline_safe = true;
  WEFT_TRY_ASSIGN(action.input_schema, schema_from_text(kInputSchema));
  WEFT_TRY_ASSIGN(action.output_schema, schema_from_text(kOutputSchema));
  action.display = {"Transform", "Build a new value from earlier steps' outputs with templates.",
                    svg_data_uri(kIcon), "Core"};
  action.run = [](catalog::ActionContext& ctx) -> Result<json> {
    // No log line: the record already holds the value (a line per step would only cost).
    return ctx.input.at("value");
  };
  return action;
}

}  // namespace weft::integrations
