#include "http/request_head.h"

#include <cctype>

namespace weft::http {

namespace {

bool equals_ignoring_case(const std::string& a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::optional<HeadRefusal> prepare_head(Request& req, const ServerOptions& options) {
  if (req.target.size() > options.max_target_bytes) {
    return HeadRefusal{414, "uri_too_long", "request target over " + std::to_string(options.max_target_bytes) + " bytes"};
  }
  if (req.target.empty() || req.target[0] != '/') return HeadRefusal{400, "bad_request", "the request target must be a path"};
  const auto q = req.target.find('?');
  percent_decode(std::string_view(req.target).substr(0, q), false, req.path);
  if (q != std::string::npos) parse_query(std::string_view(req.target).substr(q + 1), req.params);
  req.matches = {req.path};
  if (req.version == 11 && !req.has_header("Host")) return HeadRefusal{400, "bad_request", "HTTP/1.1 requests must send Host"};
  if (auto enc = req.headers.find("Content-Encoding");
      enc != req.headers.end() && !equals_ignoring_case(enc->second, "identity")) {
    return HeadRefusal{415, "unsupported_media_type", "compressed request bodies are not accepted; send them uncompressed"};
  }
  return std::nullopt;
}

}  // namespace weft::http
