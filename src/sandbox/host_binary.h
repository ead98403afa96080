// sandbox/host_binary.h — owns where the server/worker finds the sandbox host executable
// (weft-sandbox-host, the only binary that maps V8): WEFT_SANDBOX_HOST when set, else the file of
// that name beside this process's own executable. It only names and checks a path; it starts
// nothing (host_client.h does).
#pragma once

#include <string>

#include "core/result.h"

namespace weft::sandbox {

// The file name looked for beside the running executable.
inline constexpr char kSandboxHostName[] = "weft-sandbox-host";
// The environment variable that overrides the lookup with a path.
inline constexpr char kSandboxHostEnv[] = "WEFT_SANDBOX_HOST";

// The sandbox host executable to spawn: $WEFT_SANDBOX_HOST if set and non-empty, else
// <directory of /proc/self/exe>/weft-sandbox-host. The path may not exist (see check_sandbox_host).
std::string sandbox_host_path();

// OK when `path` names an executable regular file; otherwise sandbox_unavailable with a message
// that says which path was looked at and how to provide one.
Status check_sandbox_host(const std::string& path);

}  // namespace weft::sandbox
