// acme.ping — health-checks an Acme endpoint with the step's API key (X-Api-Key header). The
// endpoint is the member's choice, the key is not: it goes only to the Acme API base's origin.
#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kInputSchema = R"({
  "type": "object",
  "properties": {
    "endpoint": {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+",
                 "description": "The Acme URL to ping, e.g. https://api.acme.com/health."}
  },
  "required": ["endpoint"],
  "additionalProperties": false
})";

constexpr std::string_view kOutputSchema = R"({
  "type": "object",
  "properties": {
    "status": {"const": "ok"},
    "httpStatus": {"type": "integer"}
  },
  "required": ["status", "httpStatus"]
})";

Result<json> run_ping(const BuiltinOptions& options, catalog::ActionContext& ctx) {
  WEFT_TRY_ASSIGN(const std::string token, credential_token(ctx, "acme.ping"));
  const std::string endpoint = ctx.input.at("endpoint").get<std::string>();
  if (!is_http_url(endpoint)) {
    return Error::make("invalid_input", "endpoint must start with http:// or https://",
                       {{"field", "/endpoint"}});
  }
  net::HttpRequest request =
      step_request(ctx, options, "GET", endpoint, options.http_default_timeout_ms);
  request.headers.emplace_back("X-Api-Key", token);
  request.headers.emplace_back("Accept", "application/json");

  const std::string origin = url_origin(endpoint);
  ctx.log.write("info", "pinging " + origin, {{"host", origin}});
  auto response = perform_with_credential(options, acme_credential(options), std::move(request));
  if (!response.ok()) {
    ctx.log.write("warn", "ping to " + origin + " failed: " + response.error().code);
    return response.error();
  }
  const int status = response->status;
  if (status < 200 || status >= 300) {
    ctx.log.write("warn", "Acme answered HTTP " + std::to_string(status), {{"httpStatus", status}});
    return Error::make("acme_unavailable",
                       "Acme at " + origin + " answered HTTP " + std::to_string(status),
                       {{"httpStatus", status}});
  }
  ctx.log.write("info", "Acme is up (HTTP " + std::to_string(status) + ")",
                {{"httpStatus", status}});
  return json{{"status", "ok"}, {"httpStatus", status}};
}

}  // namespace

Result<catalog::Action> make_acme_ping(const BuiltinOptions& options) {
  catalog::Action action;
  action.key = "acme.ping";
  action.name = "Ping";
  action.provider = "acme";
  action.auth_type = vault::AuthType::api_key;
  action.accepted_auth = {vault::AuthType::api_key};
  action.kind = catalog::ActionKind::tool;
  WEFT_TRY_ASSIGN(action.input_schema, schema_from_text(kInputSchema));
  WEFT_TRY_ASSIGN(action.output_schema, schema_from_text(kOutputSchema));
  action.display = {"Ping", "Health-check your Acme workspace with its API key.", "",
                    "Developer tools"};
  action.run = [options](catalog::ActionContext& ctx) { return run_ping(options, ctx); };
  return action;
}

}  // namespace weft::integrations
