// http.request — sends one HTTP request and returns {status, headers, body}. A status >= 400
// fails the step (code "http_status") unless failOnStatus is false; a JSON body nested deeper
// than the output may hold fails it with "response_too_deep".
#include <algorithm>
#include <cctype>

#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kInputSchema = R"({
  "type": "object",
  "properties": {
    "method": {"type": "string",
               "enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
               "default": "GET"},
    "url": {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+",
            "description": "An http:// or https:// URL."},
    "headers": {"type": "object", "additionalProperties": {"type": "string"},
                "description": "Request headers, e.g. {\"Accept\": \"application/json\"}."},
    "query": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]},
              "description": "Query parameters, URL-encoded and appended to the URL."},
    "body": {"description": "Objects and arrays are sent as JSON; a string is sent as-is."},
    "timeoutMs": {"type": "integer", "minimum": 1, "maximum": 3600000,
                  "description": "Transfer timeout; capped by the server's and the step's."},
    "failOnStatus": {"type": "boolean", "default": true,
                     "description": "Fail the step when the status is 400 or more."}
  },
  "required": ["url"],
  "additionalProperties": false
})";

constexpr std::string_view kOutputSchema = R"({
  "type": "object",
  "properties": {
    "status": {"type": "integer"},
    "headers": {"type": "object", "additionalProperties": {"type": "string"}},
    "body": {"description": "Parsed JSON for a JSON response, else the text."},
    "bodyEncoding": {"enum": ["base64"], "description": "Present when the body is binary."}
  },
  "required": ["status", "headers", "body"]
})";

constexpr std::size_t kErrorBodyBytes = 2048;

// `url` with `query` URL-encoded and appended (before any #fragment), keys in sorted order.
std::string with_query(const std::string& url, const json& query) {
  if (!query.is_object() || query.empty()) return url;
  const auto hash = url.find('#');
  std::string base = url.substr(0, hash);
  const std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
  std::string encoded;
  for (const auto& [key, value] : query.items()) {
    if (!encoded.empty()) encoded += '&';
    encoded += url_encode(key) + "=" +
               url_encode(value.is_string() ? value.get<std::string>() : value.dump());
  }
  if (base.find('?') == std::string::npos) {
    base += '?';
  } else if (base.back() != '?' && base.back() != '&') {
    base += '&';
  }
  return base + encoded + fragment;
}

bool has_header(const net::Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) {
    return h.first.size() == name.size() &&
           std::equal(h.first.begin(), h.first.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  });
}

// The body sits one level down in the output, which may nest kMaxJsonDepth levels.
constexpr std::size_t kMaxBodyDepth = kMaxJsonDepth - 1;

// The response body as step output: JSON when the server says JSON and it parses, else text
// (base64 when it is not UTF-8, so the output stays valid JSON). JSON nested deeper than
// kMaxBodyDepth is refused ("response_too_deep") rather than kept as text: a JSON answer whose
// `body` silently turned into a string would break the next step's {{…body.field}} far from
// the cause, and no real API nests 500 levels deep — a hostile or broken server does.
Status put_body(const net::HttpResponse& response, json& output) {
  if (is_json_content_type(response.header("content-type"))) {
    auto parsed = parse_json(response.body, kMaxBodyDepth);
    if (parsed.ok()) {
      output["body"] = std::move(parsed).take();
      return {};
    }
    if (is_too_deep(parsed.error())) {
      return Error::make("response_too_deep",
                         "the response is JSON nested deeper than " + std::to_string(kMaxBodyDepth) +
                             " levels, more than a step output may hold",
                         {{"status", response.status}, {"maxDepth", kMaxBodyDepth}});
    }
  }
  if (is_valid_utf8(response.body)) {
    output["body"] = response.body;
  } else {
    output["body"] = base64_encode(response.body);
    output["bodyEncoding"] = "base64";
  }
  return {};
}

Result<json> run_request(const BuiltinOptions& options, catalog::ActionContext& ctx) {
  const json& in = ctx.input;
  const std::string method = in.value("method", std::string("GET"));
  const std::string raw_url = in.at("url").get<std::string>();
  if (!is_http_url(raw_url)) {
    return Error::make("invalid_input", "url must start with http:// or https://",
                       {{"field", "/url"}});
  }
  const std::string url = with_query(raw_url, in.value("query", json::object()));
  std::int64_t timeout_ms = options.http_default_timeout_ms;
  if (in.contains("timeoutMs")) {
    timeout_ms = std::min(timeout_ms, in["timeoutMs"].get<std::int64_t>());
  }

  net::HttpRequest request = step_request(ctx, options, method, url, timeout_ms);
  const json headers = in.value("headers", json::object());
  for (const auto& [name, value] : headers.items()) {
    request.headers.emplace_back(name, value.get<std::string>());
  }
  if (in.contains("body") && !in["body"].is_null()) {
    if (method == "HEAD") {
      return Error::make("invalid_input", "a HEAD request cannot have a body",
                         {{"field", "/body"}});
    }
    const json& body = in["body"];
    const bool text = body.is_string();
    request.body = text ? body.get<std::string>() : body.dump();
    if (!has_header(request.headers, "content-type")) {
      request.headers.emplace_back("Content-Type",
                                   text ? "text/plain; charset=utf-8" : "application/json");
    }
  }

  const std::string origin = url_origin(url);
  ctx.log.write("info", method + " " + origin,
                {{"method", method}, {"host", origin}, {"timeoutMs", request.timeout_ms}});
  // No stored credential: any host, the address rule on every hop (WEFT_HTTP_ALLOW_PRIVATE).
  auto response = perform_without_credential(options, std::move(request));
  if (!response.ok()) {
    ctx.log.write("warn", method + " " + origin + " failed: " + response.error().code,
                  {{"code", response.error().code}});
    return response.error();
  }
  ctx.log.write("info", method + " " + origin + " answered " + std::to_string(response->status),
                {{"status", response->status}, {"bytes", response->body.size()}});

  json output = {{"status", response->status}, {"headers", headers_to_json(response->headers)}};
  if (response->status >= 400 && in.value("failOnStatus", true)) {
    return Error::make("http_status",
                       method + " " + origin + " answered HTTP " + std::to_string(response->status),
                       {{"status", response->status},
                        {"body", safe_utf8_prefix(response->body, kErrorBodyBytes)}});
  }
  if (Status kept = put_body(*response, output); !kept.ok()) {
    Error error = kept.error();
    error.message = method + " " + origin + ": " + error.message;
    ctx.log.write("warn", error.message, {{"code", error.code}});
    return error;
  }
  return output;
}

}  // namespace

Result<catalog::Action> make_http_request(const BuiltinOptions& options) {
  catalog::Action action;
  action.key = "http.request";
  action.name = "HTTP request";
  action.provider = "http";
  action.auth_type = vault::AuthType::none;
  action.kind = catalog::ActionKind::tool;
  WEFT_TRY_ASSIGN(action.input_schema, schema_from_text(kInputSchema));
  WEFT_TRY_ASSIGN(action.output_schema, schema_from_text(kOutputSchema));
  action.display = {"HTTP request", "Call any URL and use its status, headers and body.", "",
                    "Developer tools"};
  action.run = [options](catalog::ActionContext& ctx) { return run_request(options, ctx); };
  return action;
}

}  // namespace weft::integrations
