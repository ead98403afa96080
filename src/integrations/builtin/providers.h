// integrations/builtin/providers.h — private: one register function per built-in provider and
// one factory per action (each defined in its own file), and for each provider that takes a
// credential, the one place that credential may be sent (defined in its provider file). Only
// builtins.cpp and the provider files include this; everything else goes through
// register_builtins().
#pragma once

#include "catalog/catalog.h"
#include "integrations/builtin/builtins.h"
#include "net/outbound_policy.h"

namespace weft::integrations {

// core — workflow building blocks (kind block, no credential).
Status register_core(catalog::Catalog& catalog, const BuiltinOptions& options);
Result<catalog::Action> make_core_transform();
Result<catalog::Action> make_core_delay();
Result<catalog::Action> make_core_fail();

// http — a generic outbound HTTP request.
Status register_http(catalog::Catalog& catalog, const BuiltinOptions& options);
Result<catalog::Action> make_http_request(const BuiltinOptions& options);

// acme — the sample API-key integration.
Status register_acme(catalog::Catalog& catalog, const BuiltinOptions& options);
net::CredentialBinding acme_credential(const BuiltinOptions& options);  // acme_api_base
Result<catalog::Action> make_acme_ping(const BuiltinOptions& options);

// slack — Slack Web API (oauth2 or bot token).
Status register_slack(catalog::Catalog& catalog, const BuiltinOptions& options);
net::CredentialBinding slack_credential(const BuiltinOptions& options);  // slack_api_base
Result<catalog::Action> make_slack_send_message(const BuiltinOptions& options);

// gmail — Gmail API (oauth2).
Status register_gmail(catalog::Catalog& catalog, const BuiltinOptions& options);
net::CredentialBinding gmail_credential(const BuiltinOptions& options);  // gmail_api_base
Result<catalog::Action> make_gmail_send_email(const BuiltinOptions& options);

}  // namespace weft::integrations
