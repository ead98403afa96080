#include "sandbox/jail.h"

#include <sched.h>
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
    FilterCtx f{seccomp_init(SCMP_ACT_ALLOW)};
    if (f.ctx == nullptr) return Error::internal("jail: seccomp_init failed");
    // Every thread (V8's platform workers already exist) gets the filter.
    int rc = seccomp_attr_set(f.ctx, SCMP_FLTATR_CTL_TSYNC, 1);
    if (rc < 0) return sys_error("seccomp TSYNC", rc);
    // A syscall made through a foreign ABI (int 0x80, x32) kills the process.
    rc = seccomp_attr_set(f.ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    if (rc < 0) return sys_error("seccomp BADARCH", rc);

    const uint32_t kDeny = SCMP_ACT_ERRNO(EPERM);
    for (const char* name : {"execve", "execveat", "ptrace"}) {
      WEFT_TRY(add_rule(f.ctx, SCMP_ACT_KILL_PROCESS, name));
    }
    for (const char* name :
         {"open", "openat", "openat2", "creat", "open_by_handle_at", "name_to_handle_at",
          "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
          "fork", "vfork", "tkill", "process_vm_readv", "process_vm_writev",
          "unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat", "rmdir",
          "link", "linkat", "symlink", "symlinkat", "chmod", "fchmodat", "chown", "lchown",
          "fchownat", "truncate", "mknod", "mknodat", "chdir", "chroot", "pivot_root",
          "mount", "umount2", "unshare", "setns", "bpf", "perf_event_open", "keyctl", "add_key",
          "request_key", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
          "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
          "reboot", "swapon", "swapoff", "acct", "quotactl", "setrlimit",
          "memfd_create", "pidfd_open", "pidfd_getfd", "pidfd_send_signal", "inotify_init",
          "inotify_init1", "fanotify_init", "fanotify_mark", "mq_open", "uselib", "personality"}) {
      WEFT_TRY(add_rule(f.ctx, kDeny, name));
    }
    // clone only for threads; clone3 hides its flags in memory, so refuse it with ENOSYS and
    // glibc falls back to clone.
    const scmp_arg_cmp no_thread[] = {SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)};
    WEFT_TRY(add_rule(f.ctx, kDeny, "clone", 1, no_thread));
    WEFT_TRY(add_rule(f.ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3"));
    // Limits may be read (getrlimit is prlimit64 with no new limit), never changed.
    const scmp_arg_cmp sets_limit[] = {SCMP_A2(SCMP_CMP_NE, 0)};
    WEFT_TRY(add_rule(f.ctx, kDeny, "prlimit64", 1, sets_limit));
    // Signals only to ourselves.
    const auto self = static_cast<scmp_datum_t>(::getpid());
    const scmp_arg_cmp other_pid[] = {SCMP_A0(SCMP_CMP_NE, self)};
    WEFT_TRY(add_rule(f.ctx, kDeny, "kill", 1, other_pid));
    WEFT_TRY(add_rule(f.ctx, kDeny, "tgkill", 1, other_pid));
    WEFT_TRY(add_rule(f.ctx, kDeny, "rt_sigqueueinfo", 1, other_pid));
    WEFT_TRY(add_rule(f.ctx, kDeny, "rt_tgsigqueueinfo", 1, other_pid));

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
