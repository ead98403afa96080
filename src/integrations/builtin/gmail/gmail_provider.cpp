// The "gmail" provider: Gmail API actions, authorised by a Google OAuth access token.
#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kIcon =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">)"
    R"(<rect x="2" y="2" width="20" height="20" rx="5" fill="#fff" stroke="#dadce0"/>)"
    R"(<path d="M5.5 8v8.5h3V11l3.5 2.6L15.5 11v5.5h3V8l-6.5 4.8z" fill="#ea4335"/></svg>)";

}  // namespace

net::CredentialBinding gmail_credential(const BuiltinOptions& options) {
  return {"gmail", options.gmail_api_base, "WEFT_GMAIL_API_BASE"};
}

Status register_gmail(catalog::Catalog& catalog, const BuiltinOptions& options) {
  return register_provider(catalog, {"gmail", "Gmail", svg_data_uri(kIcon), "Communication"},
                           {make_gmail_send_email(options)});
}

}  // namespace weft::integrations
