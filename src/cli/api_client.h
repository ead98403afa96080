// cli/api_client.h — owns the CLI's calls to a running `weft serve` over its JSON API, as the
// holder of an API token (WEFT_TOKEN): requests, a multipart/form-data file upload, and the
// server's {"error":…} bodies turned back into Errors. It never prints or logs the token, and it
// is not an egress path for integrations (those go through net/egress.h under their policy).
#pragma once

#include <optional>
#include <string>

#include "core/json.h"
#include "core/result.h"

namespace weft::cli {

// Error codes of the client itself (the server's own codes pass through unchanged).
inline constexpr char kTokenMissing[] = "token_missing";
inline constexpr char kServerUnreachable[] = "server_unreachable";
inline constexpr char kBadServerReply[] = "bad_server_reply";
inline constexpr char kInvalidServer[] = "invalid_server";

// Where the API is when neither --server nor WEFT_SERVER says: `weft serve`'s default listen
// address (Config::listen).
std::string default_server();

class ApiClient {
 public:
  // `server` from --server, else WEFT_SERVER, else default_server(); the token from WEFT_TOKEN.
  // Errors: token_missing (WEFT_TOKEN unset or empty), invalid_server (not http(s)://host…).
  static Result<ApiClient> from_environment(const std::string& server_flag);

  const std::string& server() const { return server_; }

  // `method` `path` (starting with /api) with `body` as JSON if given. A 2xx answer → its JSON
  // body (null for an empty body, e.g. 204); any other status → the server's error (code,
  // message, details) as a public Error, or bad_server_reply if the body is not one.
  // Transport failures → server_unreachable naming the server.
  Result<json> call(const std::string& method, const std::string& path,
                    const std::optional<json>& body = std::nullopt) const;

  // POST `path` as multipart/form-data with one file part `field` (filename `filename`,
  // application/gzip) holding `content`. Same answers as call().
  Result<json> upload(const std::string& path, const std::string& field, const std::string& filename,
                      const std::string& content) const;

 private:
  ApiClient(std::string server, std::string token) : server_(std::move(server)), token_(std::move(token)) {}
  Result<json> send(const std::string& method, const std::string& path, std::string body,
                    const std::string& content_type, std::int64_t timeout_ms) const;

  std::string server_;  // "http://127.0.0.1:8080", no trailing slash
  std::string token_;
};

// A multipart boundary (RFC 2046: ≤ 70 characters from its safe set) made of random characters
// that does not occur in `content`.
std::string multipart_boundary_for(const std::string& content);

// The multipart/form-data body with one file part; `filename` is reduced to [A-Za-z0-9._-]
// (others become '_') so it needs no quoting. The Content-Type to send is
// "multipart/form-data; boundary=<boundary>".
std::string multipart_file_body(const std::string& boundary, const std::string& field, const std::string& filename,
                                const std::string& content);

}  // namespace weft::cli
