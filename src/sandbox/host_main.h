// sandbox/host_main.h — owns the body of a sandbox process (the weft-sandbox-host executable,
// src/sandbox_host): initialises V8, warms it up, enters the jail, then serves request frames
// from the parent until the channel closes.
//
// Requests (one JSON frame each, answered in order, every answer carries the request's id):
//   {id, op:"load", key, source, limits?:{heapBytes, arrayBufferBytes, maxOutputBytes, loadTimeoutMs}}
//        → {id, ok:true, vendorId, tools:[names]}
//   {id, op:"call", key, tool, input, ctx, timeoutMs}   input/ctx/output are JSON *texts*
//        → {id, ok:true, output, logs?:[{level, message, fields?}]}
//     while it runs, each ctx.fetch sends {id, op:"fetch", request} and reads back
//        {id, op:"fetch_result", ok:true, response} or {id, op:"fetch_result", ok:false, error}
//   {id, op:"unload", key} → {id, ok:true}
//   {id, op:"selftest", probe:"open"|"socket"|"fork"|"stat"|"tiocsti"|"unshare"|"fsetown"|"fasync"|"kill_parent"|"execve"|"ptrace"} → {id, ok:true, probe, refused, errno, message}
//        (performs the syscall natively inside the jail; a killed process never answers)
// Failures: {id, ok:false, error:{code, message, details?}}.
#pragma once

#include <chrono>
#include <cstddef>

#include "sandbox/jail.h"

namespace weft::sandbox {

struct HostOptions {
  std::size_t max_actors = 64;                 // loaded bundles kept; the least recently used goes
  std::chrono::milliseconds actor_idle{600000};  // a bundle unused this long is unloaded
};

// Returns the process exit code: 0 when the parent closes the channel.
int run_sandbox_host(int in_fd, int out_fd, const JailLimits& limits = {}, const HostOptions& options = {});

}  // namespace weft::sandbox
