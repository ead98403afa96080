// slack.sendMessage — posts a message with chat.postMessage. Slack answers HTTP 200 with
// {"ok": false, "error": "…"} for most failures; those become "slack_error" step errors.
#include <charconv>

#include "integrations/builtin/action_support.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kInputSchema = R"({
  "type": "object",
  "properties": {
    "channel": {"type": "string", "minLength": 1,
                "description": "Channel id or name (#ops), or a user id for a direct message."},
    "text": {"type": "string",
             "description": "Message text (mrkdwn); the notification text when blocks are given."},
    "blocks": {"type": "array", "items": {"type": "object"},
               "description": "Block Kit blocks."},
    "thread_ts": {"type": "string",
                  "description": "Reply in the thread of this message timestamp."},
    "unfurl_links": {"type": "boolean", "description": "Unfurl links in the text."}
  },
  "required": ["channel"],
  "anyOf": [{"required": ["text"]}, {"required": ["blocks"]}],
  "additionalProperties": false
})";

constexpr std::string_view kOutputSchema = R"({
  "type": "object",
  "properties": {
    "ok": {"type": "boolean"},
    "channel": {"type": "string"},
    "ts": {"type": "string"},
    "message": {"type": "object"}
  },
  "required": ["ok", "channel", "ts"]
})";

constexpr const char* kFields[] = {"channel", "text", "blocks", "thread_ts", "unfurl_links"};

// Seconds from a Retry-After header, or null when absent or not a number of seconds.
json retry_after_seconds(const std::string& header) {
  long seconds = 0;
  auto [ptr, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (header.empty() || ec != std::errc() || ptr != header.data() + header.size()) return nullptr;
  return seconds;
}

Result<json> run_send_message(const BuiltinOptions& options, catalog::ActionContext& ctx) {
  WEFT_TRY_ASSIGN(const std::string token, credential_token(ctx, "slack.sendMessage"));
  json payload = json::object();
  for (const char* field : kFields) {
    if (ctx.input.contains(field) && !ctx.input[field].is_null()) payload[field] = ctx.input[field];
  }

  net::HttpRequest request =
      step_request(ctx, options, "POST", join_url(options.slack_api_base, "chat.postMessage"),
                   options.http_default_timeout_ms);
  request.headers.emplace_back("Authorization", "Bearer " + token);
  request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  request.body = payload.dump();

  const std::string channel = payload["channel"].get<std::string>();
  ctx.log.write("info", "posting a message to " + channel + " (chat.postMessage)",
                {{"channel", channel}, {"blocks", payload.contains("blocks")}});
  auto response = perform_with_credential(options, slack_credential(options), std::move(request));
  if (!response.ok()) {
    ctx.log.write("warn", "chat.postMessage failed: " + response.error().code);
    return response.error();
  }
  const int status = response->status;
  if (status == 429) {
    const json retry_after = retry_after_seconds(response->header("retry-after"));
    ctx.log.write("warn", "Slack rate-limited the request", {{"retryAfter", retry_after}});
    return Error::make("rate_limited", "Slack rate limit reached; retry later",
                       {{"retryAfter", retry_after}, {"httpStatus", status}});
  }
  json body = json_or_null(response->body);
  if (!body.is_object() || !body.contains("ok") ||
      !body["ok"].is_boolean()) {
    ctx.log.write("warn",
                  "Slack answered HTTP " + std::to_string(status) + " without a JSON result");
    return Error::make("slack_bad_response",
                       "Slack answered HTTP " + std::to_string(status) + " with an unexpected body",
                       {{"httpStatus", status}, {"body", safe_utf8_prefix(response->body, 512)}});
  }
  if (!body["ok"].get<bool>()) {
    const std::string error = string_field(body, "error", "unknown_error");
    ctx.log.write("warn", "Slack API error: " + error, {{"slackError", error}});
    return Error::make("slack_error", "Slack API error: " + error, {{"slackError", error}});
  }
  json output = {{"ok", true},
                 {"channel", string_field(body, "channel", channel)},
                 {"ts", string_field(body, "ts")}};
  if (body.contains("message") && body["message"].is_object()) output["message"] = body["message"];
  ctx.log.write("info",
                "posted message " + output["ts"].get<std::string>() + " to " +
                    output["channel"].get<std::string>(),
                {{"ts", output["ts"]}});
  return output;
}

}  // namespace

Result<catalog::Action> make_slack_send_message(const BuiltinOptions& options) {
  catalog::Action action;
  action.key = "slack.sendMessage";
  action.name = "Send message";
  action.provider = "slack";
  action.auth_type = vault::AuthType::oauth2;
  action.accepted_auth = {vault::AuthType::oauth2, vault::AuthType::bot_token};
  action.kind = catalog::ActionKind::tool;
  WEFT_TRY_ASSIGN(action.input_schema, schema_from_text(kInputSchema));
  WEFT_TRY_ASSIGN(action.output_schema, schema_from_text(kOutputSchema));
  action.display = {"Send message", "Post a message to a channel in a connected Slack workspace.",
                    "", "Communication"};
  action.run = [options](catalog::ActionContext& ctx) { return run_send_message(options, ctx); };
  return action;
}

}  // namespace weft::integrations
