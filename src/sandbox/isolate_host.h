// sandbox/isolate_host.h — owns one V8 isolate running one vendor bundle (one per
// (org, vendor, version) actor): loads dist/index.js as an import-free ES module and calls its
// tools with JSON in / JSON out under a deadline, a heap cap and an ArrayBuffer cap.
// It must not reach the network, files or credentials; capabilities arrive through ctx.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sandbox/host_calls.h"

namespace weft::sandbox {

struct IsolateLimits {
  std::size_t heap_bytes = 64u << 20;          // V8 heap cap; hitting it → memory_limit
  std::size_t array_buffer_bytes = 64u << 20;  // ArrayBuffer memory (outside the V8 heap)
  std::size_t code_range_bytes = 32u << 20;    // JIT code space reserved (V8's default: 128 MB)
  std::size_t max_output_bytes = 4u << 20;     // JSON output larger than this → invalid_output
  std::chrono::milliseconds load_timeout{5000};  // module evaluation deadline
};

// One isolate + one context holding an evaluated vendor bundle. RAII: the destructor disposes
// the isolate. Not copyable, not movable. One thread at a time may call call(); any thread.
// After a memory_limit failure the isolate is dead: every later call fails with memory_limit
// and the owner must drop it and load a fresh one.
class Isolate {
 public:
  // Compiles `module_source` (the bundle's dist/index.js) as an ES module named `name`, refusing
  // every import, evaluates it, and checks its default export came from defineVendor(spec).
  // Errors: bundle_load_failed (syntax, import, throw, wrong export), timeout, memory_limit.
  static Result<std::unique_ptr<Isolate>> load(std::string_view name, std::string_view module_source,
                                               const IsolateLimits& limits = {});

  ~Isolate();
  Isolate(const Isolate&) = delete;
  Isolate& operator=(const Isolate&) = delete;

  // Calls tools[tool](JSON.parse(input_json), ctx) where ctx = JSON.parse(ctx_json) plus
  // log and fetch (answered by `host`; without one fetch rejects and logs are dropped), frozen.
  // Awaits a returned promise, running microtasks, host fetches (one at a time) and timers
  // until it settles; returns JSON.stringify of the result. Errors: tool_not_found,
  // tool_error (message = the thrown error's message; details.name = its name), a fetch
  // error's own code when the tool lets it propagate (egress_denied, …), timeout (deadline hit,
  // or a promise nothing pending can settle; the isolate stays usable), memory_limit (isolate
  // now dead), invalid_output, invalid_input. Timers and fetches left pending are dropped.
  Result<std::string> call(std::string_view tool, std::string_view input_json, std::string_view ctx_json,
                           std::chrono::milliseconds timeout, HostCalls* host = nullptr);

  // The vendor id from defineVendor({id}). Valid while the Isolate lives.
  const std::string& vendor_id() const;
  // The names of its tools (defineVendor's tools object), in definition order.
  const std::vector<std::string>& tool_names() const;
  // True once a heap-limit hit terminated the isolate; it is never reused.
  bool dead() const;

  struct Impl;

 private:
  explicit Isolate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace weft::sandbox
