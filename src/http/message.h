// http/message.h — owns the HTTP request and response as handlers see them: method, decoded
// path, query parameters, case-insensitive headers, the whole (already size-limited) body,
// and the answer. Knows nothing of Beast, routes, authentication or JSON.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weft::http {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
// Header fields in arrival order per name; names compare case-insensitively.
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;
using Params = std::multimap<std::string, std::string>;

class Responder;

struct Request {
  std::string method;       // "GET", "POST", … as sent
  std::string target;       // the raw request target ("/api/runs?limit=5")
  std::string path;         // percent-decoded path, without the query
  Params params;            // decoded query parameters
  Headers headers;
  std::string body;         // complete; never larger than the route's limit
  std::string remote_addr;  // peer IP address
  int version = 11;         // 10 = HTTP/1.0, 11 = HTTP/1.1
  std::vector<std::string> matches;  // [0] = path, [n] = the router's n-th capture

  // The first value of header `name`, or `fallback` when absent.
  std::string get_header_value(const std::string& name, const std::string& fallback = "") const;
  bool has_header(const std::string& name) const;
  std::size_t header_count(const std::string& name) const;
  // The first value of query parameter `name`, or "" when absent.
  std::string get_param_value(const std::string& name) const;
  bool has_param(const std::string& name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // Adds a header (repeated names such as Set-Cookie are kept).
  void set_header(const std::string& name, const std::string& value);
  void set_content(std::string content, const std::string& content_type);

  // Takes over the answer: the server sends nothing for this request until the returned
  // responder answers (from any thread, at any time), and holds no thread meanwhile.
  // Valid only inside a handler; at most once per request.
  std::shared_ptr<Responder> defer();

  // Set by the server before the handler runs; null outside a server (unit tests of handlers).
  std::shared_ptr<Responder> deferred_slot_;
  bool deferred_ = false;
};

// "%41b+c" → "Ab+c" (`plus_is_space` false) or "Ab c" (true). A malformed escape ("%", "%zz")
// is kept as written and an encoded NUL is decoded: routes and handlers refuse such bytes as
// they refuse any odd one.
void percent_decode(std::string_view in, bool plus_is_space, std::string& out);
// Parses "a=1&b=%20" into `out` (decoded as above).
void parse_query(std::string_view query, Params& out);

// Standard reason phrase ("Not Found"), or "" for an unknown status.
std::string_view reason_phrase(int status);

}  // namespace weft::http
