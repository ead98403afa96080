#include "sandbox/jail.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace weft::sandbox {
namespace {

Error sys_error(const std::string& what, int err) {
  return Error::internal("jail: " + what + ": " + std::strerror(err < 0 ? -err : err));
}

struct FilterCtx {
  scmp_filter_ctx ctx;
  ~FilterCtx() { seccomp_release(ctx); }
};

// Adds `action` for `name` with optional argument comparisons; a syscall unknown on this
// architecture is skipped (nothing to refuse).
Status add_rule(scmp_filter_ctx ctx, uint32_t action, const char* name, unsigned n = 0,
                const scmp_arg_cmp* cmps = nullptr) {
  const int nr = seccomp_syscall_resolve_name(name);
  if (nr == __NR_SCMP_ERROR) return {};
  const int rc = seccomp_rule_add_array(ctx, action, nr, n, cmps);
  if (rc < 0) return sys_error(std::string("seccomp rule for ") + name, rc);
  return {};
}

class RealJailSyscalls final : public JailSyscalls {
 public:
  Status set_no_new_privs() override {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return sys_error("PR_SET_NO_NEW_PRIVS", errno);
    return {};
  }

  Status set_rlimit(int resource, std::uint64_t soft, std::uint64_t hard) override {
    rlimit rl{static_cast<rlim_t>(soft), static_cast<rlim_t>(hard)};
    if (::setrlimit(resource, &rl) != 0) return sys_error("setrlimit", errno);
    return {};
  }

  Status install_seccomp_filter() override {
    // Allow-list: anything not named below fails with EPERM.
    FilterCtx f{seccomp_init(SCMP_ACT_ERRNO(EPERM))};
    if (f.ctx == nullptr) return Error::internal("jail: seccomp_init failed");
    // Every thread (V8's platform workers already exist) gets the filter.
    int rc = seccomp_attr_set(f.ctx, SCMP_FLTATR_CTL_TSYNC, 1);
    if (rc < 0) return sys_error("seccomp TSYNC", rc);
    // A syscall made through a foreign ABI (int 0x80, x32) kills the process.
    rc = seccomp_attr_set(f.ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    if (rc < 0) return sys_error("seccomp BADARCH", rc);

    // What V8, its platform threads, libuv's loop and the IPC channel use (strace of the
    // sandbox tests), plus harmless reads of the process's own state.
    for (const char* name :
         {// memory
          "mmap", "munmap", "mprotect", "madvise", "mremap", "brk", "membarrier", "pkey_alloc", "pkey_free",
          "pkey_mprotect",
          // threads and synchronisation
          "futex", "set_robust_list", "rseq", "sched_yield", "sched_getaffinity", "getcpu", "exit", "exit_group",
          // time
          "nanosleep", "clock_nanosleep", "clock_gettime", "clock_getres", "gettimeofday", "time", "getrusage",
          // I/O on descriptors the process already holds (the IPC socket, stderr, its event loops)
          "read", "write", "readv", "writev", "pread64", "close", "lseek", "fstat", "sendto", "recvfrom",
          "sendmsg", "recvmsg", "poll", "ppoll", "select", "pselect6", "epoll_create1", "epoll_ctl", "epoll_wait",
          "epoll_pwait", "epoll_pwait2", "eventfd2", "pipe2",
          // signals and identity
          "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "getpid", "gettid", "getppid",
          "getuid", "geteuid", "getgid", "getegid",
          // system facts V8 reads
          "sysinfo", "uname", "getrandom"}) {
      WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ALLOW, name));
    }
    // fcntl only to read or set descriptor flags and status flags — never F_SETOWN/F_SETSIG
    // (which would let the process signal its parent) and never O_ASYNC.
    for (int cmd : {F_GETFD, F_SETFD, F_GETFL}) {
      const scmp_arg_cmp is_cmd[] = {SCMP_A1(SCMP_CMP_EQ, static_cast<scmp_datum_t>(cmd))};
      WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ALLOW, "fcntl", 1, is_cmd));
    }
    const scmp_arg_cmp setfl_without_async[] = {SCMP_A1(SCMP_CMP_EQ, static_cast<scmp_datum_t>(F_SETFL)),
                                                SCMP_A2(SCMP_CMP_MASKED_EQ, O_ASYNC, 0)};
    WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ALLOW, "fcntl", 2, setfl_without_async));
    // fstat through newfstatat(fd, "", AT_EMPTY_PATH) only: never a path lookup.
    const scmp_arg_cmp empty_path[] = {SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH)};
    WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ALLOW, "newfstatat", 1, empty_path));
    // ioctl only for non-blocking / close-on-exec flags and the isatty() probe (no TIOCSTI).
    for (unsigned long request : {static_cast<unsigned long>(FIONBIO), static_cast<unsigned long>(FIOCLEX),
                                  static_cast<unsigned long>(FIONCLEX), static_cast<unsigned long>(TCGETS)}) {
      const scmp_arg_cmp is_request[] = {SCMP_A1(SCMP_CMP_EQ, request)};
      WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ALLOW, "ioctl", 1, is_request));
    }
    // clone only for threads; clone3 hides its flags in memory, so it answers ENOSYS and glibc
    // falls back to clone.
    const scmp_arg_cmp thread[] = {SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)};
    WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ALLOW, "clone", 1, thread));
    WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3"));
    // Limits may be read (prlimit64 with no new limit), never changed.
    const scmp_arg_cmp reads_limit[] = {SCMP_A2(SCMP_CMP_EQ, 0)};
    WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ALLOW, "prlimit64", 1, reads_limit));
    // Signals only to ourselves (V8 and glibc's abort()).
    const auto self = static_cast<scmp_datum_t>(::getpid());
    const scmp_arg_cmp own_pid[] = {SCMP_A0(SCMP_CMP_EQ, self)};
    WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ALLOW, "kill", 1, own_pid));
    WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ALLOW, "tgkill", 1, own_pid));
    // Running another program or tracing one is never a mistake: kill the whole process.
    for (const char* name : {"execve", "execveat", "ptrace"}) {
      WEFT_TRY(add_rule(f.ctx, SCMP_ACT_KILL_PROCESS, name));
    }

    rc = seccomp_load(f.ctx);
    if (rc < 0) return sys_error("seccomp_load", rc);
    return {};
  }
};

}  // namespace

JailSyscalls& real_jail_syscalls() {
  static RealJailSyscalls real;
  return real;
}

Status enter_jail(const JailLimits& limits, JailSyscalls& sys) {
  WEFT_TRY(sys.set_no_new_privs());
  WEFT_TRY(sys.set_rlimit(RLIMIT_CORE, 0, 0));
  WEFT_TRY(sys.set_rlimit(RLIMIT_NOFILE, limits.max_open_files, limits.max_open_files));
  WEFT_TRY(sys.set_rlimit(RLIMIT_AS, limits.address_space_bytes, limits.address_space_bytes));
  WEFT_TRY(sys.set_rlimit(RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 5));
  return sys.install_seccomp_filter();
}

}  // namespace weft::sandbox
