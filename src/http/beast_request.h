// http/beast_request.h — internal to src/http (and fuzz/): Beast's request parser set up with the
// server's limits, and its parsed head copied into a Request. Includes Beast: only server.cpp
// and the HTTP fuzz target include it; everything else sees Request alone.
#pragma once

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>

#include "http/message.h"
#include "http/request_head.h"
#include "http/server.h"

namespace weft::http {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// A fresh parser for the next request: header limit from `options`; the body is limited once
// the request is routed (limit_body).
inline void limit_head(RequestParser& parser, const ServerOptions& options) {
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(boost::none);
}

// The parsed head as a Request (method, target, version, headers, peer); path, params and
// matches are filled by prepare_head.
inline Request request_from_head(const boost::beast::http::request_header<>& head, std::string remote_addr) {
  Request req;
  req.method = std::string(head.method_string());
  req.target = std::string(head.target());
  req.version = static_cast<int>(head.version());
  req.remote_addr = std::move(remote_addr);
  for (const auto& field : head) req.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  return req;
}

// Once routed: 413 at once when the declared length is over the route's `max_body`; otherwise
// the parser refuses (body_limit) as soon as the streamed body crosses it, chunked included.
inline std::optional<HeadRefusal> limit_body(RequestParser& parser, std::size_t max_body) {
  if (auto length = parser.content_length(); length && *length > max_body) {
    return HeadRefusal{413, "payload_too_large", "request body over " + std::to_string(max_body) + " bytes for this route"};
  }
  parser.body_limit(static_cast<std::uint64_t>(max_body));
  return std::nullopt;
}

}  // namespace weft::http
