// integrations/builtin/builtins.h — owns the list of built-in providers (one folder each, one
// file per action) and registers them into the catalog. Actions here are native C++; they get
// their credential only through ActionContext and their endpoints only through BuiltinOptions,
// and every request they make goes through the one outbound policy (net/outbound_policy.h).
#pragma once

#include <cstdint>
#include <string>

#include "catalog/catalog.h"
#include "core/config.h"
#include "net/outbound_policy.h"

namespace weft::integrations {

struct BuiltinOptions {
  // A provider's credential is sent only to the origin (scheme, host, port) of its base.
  std::string slack_api_base = "https://slack.com/api";
  std::string gmail_api_base = "https://gmail.googleapis.com";
  std::string acme_api_base = "https://api.acme.com";
  std::int64_t http_max_response_bytes = 10 * 1024 * 1024;
  int http_max_redirects = 5;
  std::int64_t http_default_timeout_ms = 30000;
  // false: every built-in refuses loopback, private and link-local addresses (egress_denied),
  // on every hop.
  bool http_allow_private = true;

  static BuiltinOptions from_config(const Config& config);

  // The outbound rules these options set, for every request a built-in makes.
  net::OutboundPolicy outbound() const { return {http_allow_private, http_max_redirects}; }
};

// Registers every built-in provider and action (http, acme, slack, gmail, core).
Status register_builtins(catalog::Catalog& catalog, const BuiltinOptions& options);

}  // namespace weft::integrations
