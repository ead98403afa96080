#include "catalog/action.h"

#include <algorithm>

namespace weft::catalog {

std::string_view to_string(ActionKind kind) {
  switch (kind) {
    case ActionKind::tool: return "tool";
    case ActionKind::block: return "block";
    case ActionKind::trigger: return "trigger";
  }
  return "tool";
}

std::int64_t ActionContext::remaining_ms() const {
  using namespace std::chrono;
  const auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
  return left > 0 ? left : 0;
}

bool Action::accepts(vault::AuthType type) const {
  if (type == auth_type) return true;
  return std::find(accepted_auth.begin(), accepted_auth.end(), type) != accepted_auth.end();
}

json to_json(const Action& action) {
  json accepted = json::array();
  for (auto t : action.accepted_auth) accepted.push_back(vault::to_string(t));
  return {
      {"key", action.key},
      {"name", action.name},
      {"provider", action.provider},
      {"authType", vault::to_string(action.auth_type)},
      {"acceptedAuthTypes", accepted},
      {"kind", to_string(action.kind)},
      {"inputSchema", action.input_schema.source()},
      {"outputSchema", action.output_schema.source()},
      {"display",
       {{"title", action.display.title},
        {"description", action.display.description},
        {"icon", action.display.icon},
        {"category", action.display.category}}},
  };
}

}  // namespace weft::catalog
