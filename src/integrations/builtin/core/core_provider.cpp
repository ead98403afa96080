// The "core" provider: building blocks that shape a workflow rather than call a service.
#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kIcon =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">)"
    R"(<rect x="2" y="2" width="20" height="20" rx="5" fill="#475569"/>)"
    R"(<circle cx="8" cy="12" r="2.5" fill="#fff"/><circle cx="16" cy="12" r="2.5" fill="#fff"/>)"
    R"(<path d="M10.5 12h3" stroke="#fff" stroke-width="2"/></svg>)";

}  // namespace

Status register_core(catalog::Catalog& catalog, const BuiltinOptions& /*options*/) {
  return register_provider(catalog, {"core", "Core", svg_data_uri(kIcon), "Core"},
                           {make_core_transform(), make_core_delay(), make_core_fail()});
}

}  // namespace weft::integrations
