// gmail.sendEmail — sends an email as the connected Google account (users.messages.send with
// a base64url RFC 5322 message built by mime_message.h).
#include "integrations/builtin/action_support.h"
#include "integrations/builtin/gmail/mime_message.h"
#include "integrations/builtin/providers.h"

namespace weft::integrations {

namespace {

constexpr std::string_view kInputSchema = R"({
  "definitions": {
    "addresses": {
      "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
      ]
    }
  },
  "type": "object",
  "properties": {
    "to": {"$ref": "#/definitions/addresses",
           "description": "Recipient address, or a list of them."},
    "cc": {"$ref": "#/definitions/addresses"},
    "bcc": {"$ref": "#/definitions/addresses"},
    "subject": {"type": "string"},
    "text": {"type": "string", "description": "Plain-text body."},
    "html": {"type": "string",
             "description": "HTML body; sent with the text as alternatives when both are set."},
    "from": {"type": "string",
             "description": "Sender, e.g. \"Ops <ops@example.com>\" (an alias of the account)."},
    "replyTo": {"type": "string"}
  },
  "required": ["to", "subject"],
  "additionalProperties": false
})";

constexpr std::string_view kOutputSchema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "threadId": {"type": "string"},
    "labelIds": {"type": "array", "items": {"type": "string"}}
  },
  "required": ["id", "threadId"]
})";

std::vector<std::string> addresses(const json& input, const char* field) {
  std::vector<std::string> out;
  auto it = input.find(field);
  if (it == input.end() || it->is_null()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
  } else {
    for (const auto& item : *it) out.push_back(item.get<std::string>());
  }
  return out;
}

EmailMessage message_from(const json& input) {
  EmailMessage message;
  message.to = addresses(input, "to");
  message.cc = addresses(input, "cc");
  message.bcc = addresses(input, "bcc");
  message.subject = input.at("subject").get<std::string>();
  message.from = input.value("from", std::string());
  message.reply_to = input.value("replyTo", std::string());
  if (input.contains("text")) message.text = input["text"].get<std::string>();
  if (input.contains("html")) message.html = input["html"].get<std::string>();
  return message;
}

Error gmail_error(const net::HttpResponse& response) {
  const json body = json_or_null(response.body);
  const json error = body.is_object() ? body.value("error", json::object()) : json::object();
  const std::string message = string_field(error, "message");
  json details = {{"httpStatus", response.status}};
  const std::string status = string_field(error, "status");
  if (!status.empty()) details["googleStatus"] = status;
  return Error::make("gmail_error",
                     message.empty() ? "Gmail answered HTTP " + std::to_string(response.status)
                                     : "Gmail API error: " + message,
                     std::move(details));
}

Result<json> run_send_email(const BuiltinOptions& options, catalog::ActionContext& ctx) {
  WEFT_TRY_ASSIGN(const std::string token, credential_token(ctx, "gmail.sendEmail"));
  const EmailMessage message = message_from(ctx.input);
  WEFT_TRY_ASSIGN(const std::string mime,
                  build_mime_message(message, std::chrono::system_clock::now(), random_boundary()));

  net::HttpRequest request = step_request(
      ctx, options, "POST", join_url(options.gmail_api_base, "gmail/v1/users/me/messages/send"),
      options.http_default_timeout_ms);
  request.headers.emplace_back("Authorization", "Bearer " + token);
  request.headers.emplace_back("Content-Type", "application/json; charset=UTF-8");
  request.body = json{{"raw", base64_encode(mime, Base64Alphabet::url_safe)}}.dump();

  const std::size_t recipients = message.to.size() + message.cc.size() + message.bcc.size();
  ctx.log.write("info", "sending an email to " + std::to_string(recipients) + " recipient(s)",
                {{"recipients", recipients}, {"bytes", mime.size()}});
  auto response = perform_with_credential(options, gmail_credential(options), std::move(request));
  if (!response.ok()) {
    ctx.log.write("warn", "messages.send failed: " + response.error().code);
    return response.error();
  }
  if (response->status < 200 || response->status >= 300) {
    Error error = gmail_error(*response);
    ctx.log.write("warn", error.message, {{"httpStatus", response->status}});
    return error;
  }
  const json body = json_or_null(response->body);
  if (!body.is_object() || string_field(body, "id").empty()) {
    return Error::make(
        "gmail_bad_response",
        "Gmail answered HTTP " + std::to_string(response->status) + " without a message id",
        {{"httpStatus", response->status}});
  }
  json output = {{"id", string_field(body, "id")},
                 {"threadId", string_field(body, "threadId")},
                 {"labelIds", json::array()}};
  if (body.contains("labelIds") && body["labelIds"].is_array()) {
    for (const auto& label : body["labelIds"]) {
      if (label.is_string()) output["labelIds"].push_back(label);
    }
  }
  ctx.log.write("info", "sent message " + output["id"].get<std::string>(), {{"id", output["id"]}});
  return output;
}

}  // namespace

Result<catalog::Action> make_gmail_send_email(const BuiltinOptions& options) {
  catalog::Action action;
  action.key = "gmail.sendEmail";
  action.name = "Send email";
  action.provider = "gmail";
  action.auth_type = vault::AuthType::oauth2;
  action.accepted_auth = {vault::AuthType::oauth2};
  action.kind = catalog::ActionKind::tool;
  WEFT_TRY_ASSIGN(action.input_schema, schema_from_text(kInputSchema));
  WEFT_TRY_ASSIGN(action.output_schema, schema_from_text(kOutputSchema));
  action.display = {"Send email", "Send an email from the connected Gmail account.", "",
                    "Communication"};
  action.run = [options](catalog::ActionContext& ctx) { return run_send_email(options, ctx); };
  return action;
}

}  // namespace weft::integrations
