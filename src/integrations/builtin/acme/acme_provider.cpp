// The "acme" provider: the sample API-key integration from the integration guide.
#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kIcon =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">)"
    R"(<rect x="2" y="2" width="20" height="20" rx="5" fill="#7c3aed"/>)"
    R"(<path d="M7.5 17.5L12 6.5l4.5 11M9.2 13.5h5.6" fill="none" stroke="#fff")"
    R"( stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>)";

}  // namespace

net::CredentialBinding acme_credential(const BuiltinOptions& options) {
  return {"acme", options.acme_api_base, "WEFT_ACME_API_BASE"};
}

Status register_acme(catalog::Catalog& catalog, const BuiltinOptions& options) {
  return register_provider(catalog, {"acme", "Acme", svg_data_uri(kIcon), "Developer tools"},
                           {make_acme_ping(options)});
}

}  // namespace weft::integrations
