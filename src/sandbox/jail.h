// sandbox/jail.h — owns the lock-down of a sandbox process (weft-sandbox-host): no new privileges,
// rlimits (address space, CPU, open files, core dumps) and a seccomp-bpf filter (libseccomp).
// Entered once, after V8 is initialised and warmed up (V8 may read /proc or ICU data then).
// The syscalls sit behind JailSyscalls so a test can check the sequence without jailing itself.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace weft::sandbox {

struct JailLimits {
  // RLIMIT_AS: a backstop behind the per-isolate heap caps. Each isolate reserves its code
  // range (IsolateLimits::code_range_bytes) plus heap pages, so this bounds how many fit.
  std::uint64_t address_space_bytes = 8ull << 30;
  std::uint64_t cpu_seconds = 3600;                // RLIMIT_CPU (soft; hard = soft + 5)
  // RLIMIT_NOFILE: every isolate's event loop holds a few descriptors (epoll, eventfd, pipe);
  // bundle code cannot open any.
  std::uint64_t max_open_files = 1024;
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

// The seccomp filter is an allow-list (default: EPERM): memory, threads (clone with
// CLONE_THREAD only; clone3 → ENOSYS so glibc falls back to clone), futexes, time, I/O on
// descriptors already open (read/write/poll/epoll/sendto/recvfrom…, fstat without a path,
// fcntl only F_GETFD/F_SETFD/F_GETFL and F_SETFL without O_ASYNC, ioctl only
// FIONBIO/FIOCLEX/FIONCLEX/TCGETS), signals to itself, reading (never setting)
// rlimits, sysinfo/uname/getrandom. So open*, stat by path, socket/connect, fork, mount,
// bpf, io_uring, … all fail with EPERM. execve, execveat and ptrace kill the process
// (SIGSYS); so does any syscall through a foreign ABI (x32/i386 entry points).
Status enter_jail(const JailLimits& limits, JailSyscalls& sys = real_jail_syscalls());

}  // namespace weft::sandbox
