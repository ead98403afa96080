#include "integrations/builtin/builtins.h"

#include "integrations/builtin/providers.h"

namespace weft::integrations {

BuiltinOptions BuiltinOptions::from_config(const Config& config) {
  BuiltinOptions options;
  options.slack_api_base = config.slack_api_base;
  options.gmail_api_base = config.gmail_api_base;
  options.acme_api_base = config.acme_api_base;
  options.http_max_response_bytes = config.http_max_response_bytes;
  options.http_max_redirects = config.http_max_redirects;
  options.http_default_timeout_ms = config.http_default_timeout_ms;
  options.http_allow_private = config.http_allow_private;
  return options;
}

Status register_builtins(catalog::Catalog& catalog, const BuiltinOptions& options) {
  WEFT_TRY(register_core(catalog, options));
  WEFT_TRY(register_http(catalog, options));
  WEFT_TRY(register_acme(catalog, options));
  WEFT_TRY(register_slack(catalog, options));
  WEFT_TRY(register_gmail(catalog, options));
  return {};
}

}  // namespace weft::integrations
