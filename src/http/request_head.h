// http/request_head.h — owns what the server checks and derives from a request's head before it
// routes it: the target's length and form, the decoded path and query, Host on HTTP/1.1, no
// compressed bodies. Pure (no I/O, no Beast), so it can be unit-tested and fuzzed.
#pragma once

#include <optional>
#include <string>

#include "http/message.h"
#include "http/server.h"

namespace weft::http {

// Why a head is answered without routing: the status and the error's code and message.
struct HeadRefusal {
  int status = 400;
  std::string code;
  std::string message;
};

// From req.method, target, version and headers as received: fills req.path (percent-decoded,
// without the query), req.params and req.matches = {path}. nullopt: route it. Otherwise 414
// (target over options.max_target_bytes), 400 (target not a path, HTTP/1.1 without Host) or
// 415 (a Content-Encoding other than identity).
std::optional<HeadRefusal> prepare_head(Request& req, const ServerOptions& options);

}  // namespace weft::http
