// integrations/builtin/action_support.h — owns what the built-in actions share: schemas from
// literals, provider registration, HTTP requests bounded by the step, and small encoders.
// Private to integrations/; holds no state and never sees a credential beyond one call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "core/json_schema.h"
#include "core/result.h"
#include "integrations/builtin/builtins.h"
#include "net/http_client.h"
#include "net/outbound_policy.h"

namespace weft::integrations {

// A built-in JSON Schema written as a JSON text literal, compiled by its first validation (a
// start compiles none; builtins_test compiles every one). Fails with "invalid_schema" when the
// literal is not JSON.
Result<JsonSchema> schema_from_text(std::string_view text);

// Adds `provider`, then each action; an action that leaves icon or category empty gets the
// provider's. Stops at the first failure (a bad schema, a duplicate key).
Status register_provider(catalog::Catalog& catalog, catalog::Provider provider,
                         std::vector<Result<catalog::Action>> actions);

// "data:image/svg+xml;base64,…" for an inline SVG document.
std::string svg_data_uri(std::string_view svg);

// The token of the step's credential, or "credential_required" when the step has none (the
// engine normally refuses such a step before run()). The token must never be logged.
Result<std::string> credential_token(const catalog::ActionContext& ctx, std::string_view key);

// A request bounded by the step and the options: timeout = min(`timeout_ms`, time left),
// size and redirect limits from `options`, the step's cancel token.
net::HttpRequest step_request(const catalog::ActionContext& ctx, const BuiltinOptions& options,
                              std::string method, std::string url, std::int64_t timeout_ms);

// Every request a built-in sends goes through one of these two (the outbound policy of
// `options`, net/outbound_policy.h); the address rule holds on every hop of both.
// A request that carries the step's credential: every hop must stay on the origin of
// `binding.api_base`, else egress_denied (naming the host) before anything is sent there.
Result<net::HttpResponse> perform_with_credential(const BuiltinOptions& options,
                                                  const net::CredentialBinding& binding,
                                                  net::HttpRequest request);
// A request that carries no stored credential: any http(s) host.
Result<net::HttpResponse> perform_without_credential(const BuiltinOptions& options,
                                                     net::HttpRequest request);

// True when `url` starts with http:// or https:// (any case).
bool is_http_url(std::string_view url);
// `base` + "/" + `path` with exactly one slash between them.
std::string join_url(std::string_view base, std::string_view path);
// "scheme://host[:port]" of `url`, without user info, path or query: safe for a log line
// (a path can hold a secret too, as in webhook URLs).
std::string url_origin(std::string_view url);
// RFC 3986 percent-encoding of everything but unreserved characters.
std::string url_encode(std::string_view text);

// True for application/json and any +json media type (parameters ignored).
bool is_json_content_type(std::string_view content_type);

enum class Base64Alphabet { standard, url_safe };
// Base64 with padding, no line breaks.
std::string base64_encode(std::string_view bytes,
                          Base64Alphabet alphabet = Base64Alphabet::standard);

bool is_valid_utf8(std::string_view text);
// At most `max_bytes` of `text`, cut on a character boundary; invalid bytes become '?'.
std::string safe_utf8_prefix(std::string_view text, std::size_t max_bytes);

// A third party's body parsed with parse_json (depth-limited), or null when it is not JSON or is
// nested deeper than kMaxJsonDepth. The only way a built-in reads JSON it did not write.
json json_or_null(std::string_view text);

// object[key] when it is a string, else `fallback` (for fields of a third party's JSON).
std::string string_field(const json& object, const char* key, std::string fallback = "");

// The headers of a response as a JSON object (names lower-case; repeated names joined ", ").
json headers_to_json(const net::Headers& headers);

}  // namespace weft::integrations
