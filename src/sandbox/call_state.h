// sandbox/call_state.h — owns what one isolate keeps for the tool call in progress: the host
// to ask (ctx.fetch, ctx.log, console), the call's deadline, the fetches waiting for the host
// and the armed timers. Internal to the isolate host; the natives in isolate_globals reach it
// through their External data. Everything is dropped when the call ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <v8.h>

#include "core/json.h"
#include "sandbox/host_calls.h"

namespace weft::sandbox {

struct CallState {
  using Clock = std::chrono::steady_clock;

  struct PendingFetch {
    v8::Global<v8::Promise::Resolver> resolver;
    json request;
  };
  struct Timer {
    std::uint64_t id = 0;
    Clock::time_point due;
    Clock::duration interval{0};  // > 0: setInterval, re-armed after each run
    v8::Global<v8::Function> fn;
    std::vector<v8::Global<v8::Value>> args;
  };

  HostCalls* host = nullptr;  // null: fetch rejects, logs are dropped
  Clock::time_point deadline{};
  std::deque<PendingFetch> fetches;
  std::vector<Timer> timers;  // unordered; few per call
  std::uint64_t next_timer_id = 1;
  int log_lines = 0;
  int fetch_calls = 0;

  // Made once per context (isolate_globals.cpp).
  v8::Global<v8::Private> host_error_mark;  // marks Errors that carry a host error code
  v8::Global<v8::Function> ctx_log;
  v8::Global<v8::Function> ctx_fetch;
  v8::Global<v8::Function> make_response;  // (status, url, headers, body) → Response

  // Forwards one line to the host, applying the per-call caps.
  void log(const std::string& level, std::string message, const json& fields) {
    if (host == nullptr || log_lines > kMaxLogLinesPerCall) return;
    if (++log_lines > kMaxLogLinesPerCall) {
      host->log("warn", "log limit reached: further lines of this call are dropped", nullptr);
      return;
    }
    if (message.size() > kMaxLogMessageBytes) {
      message.resize(kMaxLogMessageBytes);
      message += "…";
    }
    host->log(level, message, fields);
  }

  // Starts a call.
  void begin(HostCalls* call_host, Clock::time_point call_deadline) {
    host = call_host;
    deadline = call_deadline;
  }
  // Drops whatever the call left behind (pending fetches, timers, counters).
  void end() {
    host = nullptr;
    fetches.clear();
    timers.clear();
    log_lines = 0;
    fetch_calls = 0;
  }
};

}  // namespace weft::sandbox
