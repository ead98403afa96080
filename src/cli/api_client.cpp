#include "cli/api_client.h"

#include <cstdlib>
#include <random>

#include "core/config.h"
#include "net/http_client.h"

namespace weft::cli {

namespace {

constexpr std::int64_t kCallTimeoutMs = 60'000;
// An upload is checked on the server (extraction, validation, the code loaded in a sandbox
// process) before it answers; 50 MB over a slow link also takes a while.
constexpr std::int64_t kUploadTimeoutMs = 300'000;

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

// The server's {"error":{code,message,details}} as an Error; bad_server_reply when it is not one.
Error server_error(const net::HttpResponse& response) {
  auto body = parse_json(response.body);
  if (body.ok() && body->is_object() && body->contains("error") && (*body)["error"].is_object()) {
    const json& e = (*body)["error"];
    const std::string code = e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : "";
    const std::string message = e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : "";
    if (!code.empty() && !message.empty()) {
      return Error::make(code, message, e.contains("details") ? e["details"] : json(nullptr));
    }
  }
  return Error::make(kBadServerReply, "the server answered HTTP " + std::to_string(response.status) +
                                          " without a Weft error body (is --server a Weft server?)");
}

}  // namespace

std::string default_server() { return "http://" + Config{}.listen; }

Result<ApiClient> ApiClient::from_environment(const std::string& server_flag) {
  std::string server = !server_flag.empty() ? server_flag : env_or_empty("WEFT_SERVER");
  if (server.empty()) server = default_server();
  const bool http = server.rfind("http://", 0) == 0, https = server.rfind("https://", 0) == 0;
  const std::size_t authority = http ? 7 : 8;
  const std::size_t authority_end = server.find_first_of("/?#", authority);
  const std::string host = server.substr(authority, authority_end == std::string::npos ? std::string::npos
                                                                                          : authority_end - authority);
  // Credentials in the URL would be printed in messages: the token is the one credential.
  if ((!http && !https) || host.empty() || host.find('@') != std::string::npos) {
    return Error::make(kInvalidServer, "the server must be an http:// or https:// URL such as " + default_server() +
                                           " (from --server or WEFT_SERVER), without user:password@");
  }
  while (server.size() > authority + host.size() && server.back() == '/') server.pop_back();
  std::string token = env_or_empty("WEFT_TOKEN");
  if (token.empty()) {
    return Error::make(kTokenMissing,
                       "set WEFT_TOKEN to an API token of your organization (create one with POST /api/auth/tokens "
                       "while signed in; it is shown once)");
  }
  return ApiClient(std::move(server), std::move(token));
}

Result<json> ApiClient::send(const std::string& method, const std::string& path, std::string body,
                             const std::string& content_type, std::int64_t timeout_ms) const {
  net::HttpRequest request;
  request.method = method;
  request.url = server_ + path;
  request.headers.emplace_back("Authorization", "Bearer " + token_);
  request.headers.emplace_back("Accept", "application/json");
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  request.body = std::move(body);
  request.timeout_ms = timeout_ms;
  // The user names this server themselves and it is usually on loopback: the address rule is
  // for requests made on behalf of workflows and bundles, not for this one.
  request.allow_private_addresses = true;
  // A redirect would carry the token somewhere the user did not name.
  request.max_redirects = 0;
  auto response = net::perform(request);
  if (!response.ok()) {
    return Error::make(kServerUnreachable, "cannot reach the Weft server at " + server_ + ": " +
                                               response.error().message + " (is `weft serve` running? set --server "
                                               "or WEFT_SERVER)");
  }
  if (response->status < 200 || response->status > 299) return server_error(*response);
  if (response->body.empty()) return json(nullptr);
  auto parsed = parse_json(response->body);
  if (!parsed.ok()) {
    return Error::make(kBadServerReply, "the server answered HTTP " + std::to_string(response->status) +
                                            " with a body that is not JSON");
  }
  return parsed;
}

Result<json> ApiClient::call(const std::string& method, const std::string& path, const std::optional<json>& body) const {
  return send(method, path, body ? body->dump() : std::string(), body ? "application/json" : "", kCallTimeoutMs);
}

Result<json> ApiClient::upload(const std::string& path, const std::string& field, const std::string& filename,
                               const std::string& content) const {
  const std::string boundary = multipart_boundary_for(content);
  return send("POST", path, multipart_file_body(boundary, field, filename, content),
              "multipart/form-data; boundary=" + boundary, kUploadTimeoutMs);
}

std::string multipart_boundary_for(const std::string& content) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::random_device device;
  std::uniform_int_distribution<int> pick(0, sizeof(kAlphabet) - 2);
  for (;;) {
    std::string boundary = "weft-";
    for (int i = 0; i < 32; ++i) boundary += kAlphabet[pick(device)];
    // 32 random base-62 characters are all but certain to be absent; checked all the same.
    if (content.find(boundary) == std::string::npos) return boundary;
  }
}

std::string multipart_file_body(const std::string& boundary, const std::string& field, const std::string& filename,
                                const std::string& content) {
  std::string safe_name;
  for (char c : filename) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_';
    safe_name += ok ? c : '_';
  }
  std::string body;
  body.reserve(content.size() + boundary.size() * 2 + field.size() + safe_name.size() + 160);
  body += "--" + boundary + "\r\n";
  body += "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + safe_name + "\"\r\n";
  body += "Content-Type: application/gzip\r\n\r\n";
  body += content;
  body += "\r\n--" + boundary + "--\r\n";
  return body;
}

}  // namespace weft::cli
