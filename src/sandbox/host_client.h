// sandbox/host_client.h — owns one supervised sandbox child process (weft-sandbox-host, see
// host_binary.h) as seen from the server/worker: spawns it (fork + execve, argv/envp built before fork) with a socketpair as
// the IPC channel, sends request frames, matches answers by id, notices its death and restarts
// it. A dead process fails only the call in flight, with code sandbox_crashed naming the
// signal; loaded bundles are replayed into the replacement on first use. The child's stderr
// is a pipe relayed into the server log line by line, prefixed and escaped (stderr_relay.h).
// One call at a time per process (a mutex a caller waits on only until its deadline); a pool
// holds several of these. Nothing from the child is trusted: frames are depth-limited and
// shape-checked, and a malformed one gets the child replaced.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <set>
#include <vector>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "sandbox/host_calls.h"
#include "sandbox/isolate_host.h"
#include "sandbox/jail.h"
#include "sandbox/stderr_relay.h"

namespace weft::sandbox {

struct SandboxOptions {
  std::string binary;                      // the sandbox host executable (host_binary.h), run as
                                           // `<binary> sandbox-host --fd 3 …`; `weft` works too
                                           // (its sandbox-host subcommand execs the sibling)
  JailLimits jail;                         // passed to the child on its command line
  std::chrono::milliseconds grace{5000};   // extra wait beyond a call's timeout before the
                                           // child is considered hung and killed
  std::chrono::milliseconds start_timeout{15000};
  std::size_t max_actors = 64;                   // see HostOptions (host_main.h)
  std::chrono::milliseconds actor_idle{600000};
};

class SandboxProcess {
 public:
  explicit SandboxProcess(SandboxOptions options);
  ~SandboxProcess();  // kills and reaps the child
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  // Remembers the bundle under `key` (at most 2 × max_actors of them, least recently used
  // forgotten first) and loads it into the current child. Returns the vendor id. Errors: bundle_load_failed, timeout, memory_limit, sandbox_crashed, sandbox_unavailable.
  // Waits for the process at most until `deadline` (then timeout).
  Result<std::string> load(const std::string& key, const std::string& source, const IsolateLimits& limits = {},
                           std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

  // Calls a tool of a loaded bundle (JSON texts in and out). Errors: the isolate's
  // (tool_error, timeout, memory_limit, …), sandbox_not_loaded, sandbox_crashed (the child died
  // during the call; it has been restarted), sandbox_unavailable (could not start one).
  // After memory_limit the child is replaced as well. The child's fetches are answered by
  // `host` (none: egress_denied) and its log lines replayed into it, both capped here again
  // (the child is not trusted to respect the caps).
  Result<std::string> call(const std::string& key, const std::string& tool, const std::string& input_json,
                           const std::string& ctx_json, std::chrono::milliseconds timeout,
                           HostCalls* host = nullptr);

  // The tool names the bundle under `key` defined when it was last loaded (empty if unknown).
  std::vector<std::string> tools_of(const std::string& key);

  // Kills the child (if any) and forgets every bundle: the next call starts a fresh process.
  void reset();

  // Asks the child to perform a forbidden syscall natively. The answer frame, or
  // sandbox_crashed if the jail killed it.
  Result<nlohmann::json> selftest(const std::string& probe);

  // The current child's pid (0 if none). Safe from any thread, without the call lock.
  pid_t pid() const { return pid_.load(); }
  // How many times a child had to be replaced.
  int restarts() const { return restarts_.load(); }

 private:
  struct Bundle {
    std::string source;
    IsolateLimits limits;
    std::uint64_t used = 0;  // use counter value at the last load or call (LRU)
    std::vector<std::string> tools;  // as the child reported at the last load
  };
  // Keeps at most 2 × max_actors sources: the least recently used one is forgotten (a call
  // for it answers sandbox_not_loaded and its owner loads it again).
  void remember_locked(const std::string& key, Bundle bundle);

  Status start_locked();
  void stop_locked();
  // Kills (if needed) and reaps the child; describes how it ended.
  std::string reap_locked(bool kill_first);
  Error crashed_locked(const Error& cause);
  Result<nlohmann::json> request_locked(nlohmann::json req, std::chrono::milliseconds wait,
                                       HostCalls* host = nullptr);
  // Answers one fetch frame of the call in flight.
  Status answer_fetch_locked(const nlohmann::json& frame, HostCalls* host, int& fetches,
                             std::chrono::steady_clock::time_point deadline);
  Result<std::string> load_locked(const std::string& key);

  SandboxOptions options_;
  std::timed_mutex mu_;  // one request at a time; callers wait at most until their deadline
  int fd_ = -1;
  std::atomic<pid_t> pid_{0};
  std::atomic<int> restarts_{0};
  std::uint64_t next_id_ = 1;
  std::map<std::string, Bundle> bundles_;
  std::uint64_t use_counter_ = 0;
  std::set<std::string> loaded_;  // keys loaded in the current child
  LineBudget stderr_budget_;      // shared by all children of this process slot (restarts do not refill it)
  std::unique_ptr<StderrRelay> stderr_relay_;  // the current child's stderr, or null
};

}  // namespace weft::sandbox
