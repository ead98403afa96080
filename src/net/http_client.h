// net/http_client.h — owns outbound HTTP (libcurl): one request at a time with time, size and
// redirect limits, cancellation, and precise errors. Knows nothing of steps or credentials.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/cancel.h"
#include "core/result.h"

namespace weft::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // http:// or https:// only
  Headers headers;
  std::string body;
  std::int64_t timeout_ms = 30000;              // whole transfer, connect included
  std::int64_t max_response_bytes = 10 << 20;   // body larger than this fails
  int max_redirects = 5;                        // 0 = do not follow redirects
  // false: connecting to a loopback, private, link-local or otherwise non-public address
  // fails with egress_denied (checked on the address actually connected to, every hop); such
  // requests never go through a proxy (only the proxy's address could be checked).
  bool allow_private_addresses = true;
  const CancelToken* cancel = nullptr;          // aborts the transfer when cancelled
};

struct HttpResponse {
  int status = 0;
  Headers headers;    // of the final response, names lower-cased, in order received
  std::string body;
  std::string effective_url;  // after redirects

  // First header named `name` (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

// Performs the request. Errors (all public, message names the URL's host, never its query):
//   invalid_url, unsupported_protocol, dns_failure, connect_failed, timeout,
//   too_many_redirects, response_too_large, tls_error, cancelled, http_transport_error,
//   egress_denied (a non-public address while allow_private_addresses is false),
//   invalid_request (a method outside GET POST PUT PATCH DELETE HEAD OPTIONS, or a header
//   name/value with a forbidden character such as CR or LF).
// A non-2xx status is not an error here: callers decide. Thread-safe (no shared state).
Result<HttpResponse> perform(const HttpRequest& request);

}  // namespace weft::net
