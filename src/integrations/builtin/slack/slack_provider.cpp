// The "slack" provider: Slack Web API actions, authorised by an OAuth token or a bot token.
#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kIcon =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">)"
    R"(<rect x="2" y="2" width="20" height="20" rx="5" fill="#4a154b"/>)"
    R"(<path d="M9.5 6v12M14.5 6v12M6 9.5h12M6 14.5h12" stroke="#fff" stroke-width="2")"
    R"( stroke-linecap="round"/></svg>)";

}  // namespace

net::CredentialBinding slack_credential(const BuiltinOptions& options) {
  return {"slack", options.slack_api_base, "WEFT_SLACK_API_BASE"};
}

Status register_slack(catalog::Catalog& catalog, const BuiltinOptions& options) {
  return register_provider(catalog, {"slack", "Slack", svg_data_uri(kIcon), "Communication"},
                           {make_slack_send_message(options)});
}

}  // namespace weft::integrations
