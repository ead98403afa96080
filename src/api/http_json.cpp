#include "api/http_json.h"

#include <map>

#include "core/ids.h"
#include "core/log.h"

namespace weft::api {

int status_for(const Error& error) {
  static const std::map<std::string, int> statuses = {
      {"invalid_json", 400},         {"invalid_input", 400},         {"workflow_invalid", 400},
      {"invalid_credential", 400},   {"invalid_cron", 400},          {"unknown_timezone", 400},
      {"invalid_template", 400},     {"unauthorized", 401},          {"invalid_credentials", 401},
      {"forbidden", 403},            {"csrf_failed", 403},           {"setup_token_invalid", 403},
      {"misdirected_request", 421},  {"server_busy", 503},           {"not_found", 404},
      {"method_not_allowed", 405},   {"conflict", 409},              {"setup_done", 409},
      {"credential_in_use", 409},    {"payload_too_large", 413},     {"unsupported_media_type", 415},
      {"rate_limited", 429},         {"too_many_streams", 429},      {"timeout", 504},
      {"bundle_invalid", 400},       {"invalid_multipart", 400},     {"bundle_missing", 400},
      {"bundle_exists", 409},        {"bundle_in_use", 409},         {"bundle_failed", 409},
      {"bundle_pending_review", 409}, {"storage_error", 500},
      {"invalid_policy", 400},       {"policy_loosened", 403},       {"uploads_not_allowed", 403},
      {"bundle_blocked", 409},       {"not_pending_review", 409},    {"vendor_blocked", 403},
      {"breaking_change", 409},      {"database_unavailable", 503},
  };
  if (!error.is_public) return 500;
  auto it = statuses.find(error.code);
  return it == statuses.end() ? 400 : it->second;
}

void send_json(http::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_error(http::Response& res, const Error& error) {
  if (!error.is_public) {
    const std::string incident = new_id_string("err", SystemClock::instance());
    log().error("{}: {}", incident, error.message);
    json body = error.to_public_json();
    body["message"] = "an internal error occurred (" + incident + ")";
    send_json(res, 500, {{"error", body}});
    return;
  }
  send_json(res, status_for(error), {{"error", error.to_public_json()}});
}

void send_error(http::Response& res, int status, const std::string& code, const std::string& message,
                json details) {
  json body = {{"code", code}, {"message", message}};
  if (!details.is_null()) body["details"] = std::move(details);
  send_json(res, status, {{"error", body}});
}

Result<json> read_object(const http::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  constexpr std::string_view kJson = "application/json";
  const bool is_json = type.rfind(kJson, 0) == 0 &&
                       (type.size() == kJson.size() || type[kJson.size()] == ';' || type[kJson.size()] == ' ');
  if (!is_json) {
    return Error::make("unsupported_media_type", "send the body as application/json");
  }
  WEFT_TRY_ASSIGN(json body, parse_json(req.body));
  if (!body.is_object()) return Error::make("invalid_input", "the body must be a JSON object");
  return body;
}

Status only_fields(const json& body, std::initializer_list<const char*> allowed) {
  json unknown = json::array();
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool known = false;
    for (const char* a : allowed) known |= it.key() == a;
    if (!known) unknown.push_back(it.key());
  }
  if (unknown.empty()) return {};
  return Error::make("invalid_input", "unknown field(s): " + unknown.dump(), {{"unknownFields", unknown}});
}

Result<std::string> required_string(const json& body, const char* field, std::size_t max_len) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty() ||
      it->get_ref<const std::string&>().size() > max_len) {
    return Error::make("invalid_input", std::string("'") + field + "' must be a string of 1–" +
                                            std::to_string(max_len) + " characters",
                       {{"field", field}});
  }
  return it->get<std::string>();
}

}  // namespace weft::api
