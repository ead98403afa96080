// The "http" provider: generic outbound HTTP, for any API without a dedicated integration.
#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kIcon =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">)"
    R"(<rect x="2" y="2" width="20" height="20" rx="5" fill="#0e7490"/>)"
    R"(<circle cx="12" cy="12" r="6.5" fill="none" stroke="#fff" stroke-width="1.6"/>)"
    R"(<path d="M5.5 12h13M12 5.5c-2.5 3.5-2.5 9.5 0 13M12 5.5c2.5 3.5 2.5 9.5 0 13")"
    R"( fill="none" stroke="#fff" stroke-width="1.6"/></svg>)";

}  // namespace

Status register_http(catalog::Catalog& catalog, const BuiltinOptions& options) {
  return register_provider(catalog, {"http", "HTTP", svg_data_uri(kIcon), "Developer tools"},
                           {make_http_request(options)});
}

}  // namespace weft::integrations
