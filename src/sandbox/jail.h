// sandbox/jail.h — owns the lock-down of a `weft sandbox-host` process: no new privileges,
// rlimits (address space, CPU, open files, core dumps) and a seccomp-bpf filter (libseccomp).
// Entered once, after V8 is initialised and warmed up (V8 may read /proc or ICU data then).
// The syscalls sit behind JailSyscalls so a test can check the sequence without jailing itself.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace weft::sandbox {

struct JailLimits {
  std::uint64_t address_space_bytes = 4ull << 30;  // RLIMIT_AS
  std::uint64_t cpu_seconds = 3600;                // RLIMIT_CPU (soft; hard = soft + 5)
  std::uint64_t max_open_files = 64;               // RLIMIT_NOFILE
};

// The privileged steps enter_jail takes, in order. The real implementation is process-wide
// and irreversible.
class JailSyscalls {
 public:
  virtual ~JailSyscalls() = default;
  virtual Status set_no_new_privs() = 0;
  // resource is RLIMIT_AS / RLIMIT_CPU / RLIMIT_NOFILE / RLIMIT_CORE.
  virtual Status set_rlimit(int resource, std::uint64_t soft, std::uint64_t hard) = 0;
  // Installs the seccomp filter on every thread of the process (TSYNC).
  virtual Status install_seccomp_filter() = 0;
};

JailSyscalls& real_jail_syscalls();

// Seccomp mode shipped (v1): a deny-list over a default-allow filter. Refused with EPERM:
// open/openat/openat2/creat/open_by_handle_at, socket/socketpair/connect/bind/listen/accept,
// fork/vfork and clone without CLONE_THREAD (clone3 → ENOSYS so glibc falls back to clone),
// kill/tgkill of another process, tkill, process_vm_readv/writev, path-modifying calls
// (unlink, rename, mkdir, chmod, …), mount/namespace/bpf/perf/keyring/io_uring/userfaultfd
// and module calls, setrlimit/prlimit64 that set a limit. Killing the whole process (SIGSYS):
// execve, execveat, ptrace.
// Syscalls of a foreign architecture (x32/i386 entry points) kill the process too.
Status enter_jail(const JailLimits& limits, JailSyscalls& sys = real_jail_syscalls());

}  // namespace weft::sandbox
