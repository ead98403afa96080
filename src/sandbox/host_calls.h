// sandbox/host_calls.h — owns the contract for what a tool call may ask of its host while it
// runs: ctx.fetch and ctx.log (console.* too). Inside a sandbox process the isolate's
// requests cross the IPC channel; in the parent (server/worker) the same interface is
// implemented with policy (egress allow-list, log caps) and the step's log. No V8 here.
#pragma once

#include <string>

#include "core/json.h"
#include "core/result.h"

namespace weft::sandbox {

// Caps applied on both sides of the channel (the child is not trusted to respect them).
inline constexpr int kMaxLogLinesPerCall = 200;
inline constexpr std::size_t kMaxLogMessageBytes = 4096;
inline constexpr std::size_t kMaxLogFieldsBytes = 8192;  // a line's fields, as JSON text
inline constexpr int kMaxTimerArguments = 16;
inline constexpr int kMaxFetchesPerCall = 50;
// Timers live in host memory (outside the heap cap), so their number is capped too.
inline constexpr std::size_t kMaxTimersPerCall = 10000;

class HostCalls {
 public:
  virtual ~HostCalls() = default;
  // ctx.fetch(url, init). `request` = {url, method, headers:{name:value}, body, timeoutMs}.
  // Returns {status, url, headers:{name:value} (lower-case names), body}. An error (e.g.
  // egress_denied, timeout, response_too_large) rejects the fetch promise with an Error whose
  // .code is the error code.
  virtual Result<json> fetch(const json& request) = 0;
  // ctx.log(level, message, fields) / console.*: level is debug|info|warn|error, fields an
  // object or null.
  virtual void log(const std::string& level, const std::string& message, const json& fields) = 0;
};

}  // namespace weft::sandbox
