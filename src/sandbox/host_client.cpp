#include "sandbox/host_client.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "sandbox/host_binary.h"
#include "sandbox/ipc.h"

namespace weft::sandbox {
namespace {

using json = nlohmann::json;

constexpr int kChildFd = 3;
// Exit codes of a child that never reached execve (set between fork and exec).
constexpr int kExitDupFailed = 126;
constexpr int kExitExecFailed = 127;
constexpr int kExitCloseRangeFailed = 125;

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

// An answer's error (the frame passed valid_answer). Small object details only.
Error error_from(const json& resp) {
  const json& e = resp["error"];
  json details = nullptr;
  if (auto d = e.find("details"); d != e.end() && d->is_object() && d->dump().size() <= 16384) details = *d;
  return Error::make(e["code"].get<std::string>(), e["message"].get<std::string>(), std::move(details));
}

bool has_string(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string();
}

// The final answer to a request, as the child promises it (host_main.h). The child is not
// trusted: anything else is a protocol violation and the child is replaced.
bool valid_answer(const json& a) {
  auto ok = a.find("ok");
  if (ok == a.end() || !ok->is_boolean()) return false;
  if (ok->get<bool>()) {
    for (const char* key : {"output", "vendorId"}) {
      if (a.contains(key) && !a[key].is_string()) return false;
    }
    if (auto tools = a.find("tools"); tools != a.end()) {
      if (!tools->is_array() || tools->size() > 10000) return false;
      for (const auto& t : *tools) {
        if (!t.is_string()) return false;
      }
    }
  } else {
    auto e = a.find("error");
    if (e == a.end() || !e->is_object() || !has_string(*e, "code") || !has_string(*e, "message")) return false;
  }
  return !a.contains("logs") || a["logs"].is_array();
}

}  // namespace

SandboxProcess::SandboxProcess(SandboxOptions options) : options_(std::move(options)) {}

SandboxProcess::~SandboxProcess() {
  std::lock_guard lock(mu_);
  stop_locked();
}

Status SandboxProcess::start_locked() {
  if (pid_.load() != 0) return {};
  // Said before forking: "execve failed" from a child would not tell which file was missing.
  WEFT_TRY(check_sandbox_host(options_.binary));
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return Error::make("sandbox_unavailable", std::string("socketpair: ") + std::strerror(errno));
  }
  // The child's stderr (and stdout): a pipe whose lines stderr_relay.h logs, never the log itself.
  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    const int err = errno;
    ::close(sv[0]);
    ::close(sv[1]);
    return Error::make("sandbox_unavailable", std::string("pipe2: ") + std::strerror(err));
  }
  // Everything the child needs is built before fork: after it only async-signal-safe calls.
  std::vector<std::string> args = {
      options_.binary, "sandbox-host", "--fd", std::to_string(kChildFd),
      "--address-space-bytes", std::to_string(options_.jail.address_space_bytes),
      "--cpu-seconds", std::to_string(options_.jail.cpu_seconds),
      "--max-open-files", std::to_string(options_.jail.max_open_files),
      "--max-actors", std::to_string(options_.max_actors),
      "--actor-idle-ms", std::to_string(options_.actor_idle.count())};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string env_log = "WEFT_LOG_LEVEL=warn";
  char* envp[] = {env_log.data(), nullptr};
  const char* path = options_.binary.c_str();
  const int child_end = sv[1];
  const int err_end = err_pipe[1];

  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    for (int fd : {sv[0], sv[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    return Error::make("sandbox_unavailable", std::string("fork: ") + std::strerror(err));
  }
  if (pid == 0) {
    // Child: stderr and stdout → the relay pipe, channel on fd 3 (both without CLOEXEC), every
    // other fd closed — or no sandbox at all: it must not run holding the parent's descriptors.
    // Both ends are first lifted above 3 (unless the channel is 3) so no dup2 clobbers the other.
    int err = err_end;
    int chan = child_end;
    if (err <= kChildFd) err = ::fcntl(err, F_DUPFD, kChildFd + 1);
    if (chan < kChildFd) chan = ::fcntl(chan, F_DUPFD, kChildFd + 1);
    if (err < 0 || chan < 0 || ::dup2(err, STDERR_FILENO) < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
      ::_exit(kExitDupFailed);
    }
    if (chan == kChildFd) {
      ::fcntl(kChildFd, F_SETFD, 0);
    } else if (::dup2(chan, kChildFd) < 0) {
      ::_exit(kExitDupFailed);
    }
    if (::close_range(kChildFd + 1, ~0U, 0) != 0) {
      static constexpr char kMessage[] = "sandbox-host: close_range failed: not starting with inherited descriptors\n";
      [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
      ::_exit(kExitCloseRangeFailed);
    }
    ::execve(path, argv.data(), envp);
    ::_exit(kExitExecFailed);
  }
  ::close(sv[1]);
  ::close(err_pipe[1]);
  stderr_relay_ = std::make_unique<StderrRelay>(err_pipe[0], pid, stderr_budget_);
  fd_ = sv[0];
  // Our end never blocks: every read and write waits with a deadline (a child that stops
  // reading cannot hang this process).
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  pid_.store(pid);
  loaded_.clear();
  // Wait until it is up (V8 initialised, jail entered): a ping is answered only then.
  const std::uint64_t id = next_id_++;
  Status up = write_frame(fd_, {{"id", id}, {"op", "ping"}}, kMaxFrameBytes,
                          std::chrono::steady_clock::now() + options_.start_timeout);
  if (up.ok()) {
    auto pong = read_frame(fd_, options_.start_timeout);
    if (!pong.ok()) up = pong.error();
  }
  if (!up.ok()) {
    const std::string how = reap_locked(/*kill_first=*/true);
    return Error::make("sandbox_unavailable",
                       "the sandbox process failed to start (" + how + "): " + up.error().message);
  }
  return {};
}

std::string SandboxProcess::reap_locked(bool kill_first) {
  const pid_t pid = pid_.load();
  std::string how = "it exited";
  if (pid != 0) {
    if (kill_first) ::kill(pid, SIGKILL);
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    if (r == pid) {
      if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        how = "killed by " + signal_name(sig);
        if (sig == SIGSYS) how += " (a forbidden syscall: seccomp)";
      } else if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        how = "it exited with code " + std::to_string(code);
        if (code == kExitCloseRangeFailed) how += ": close_range failed, so it refused to run with the parent's descriptors";
        if (code == kExitDupFailed) how += ": dup2 failed before execve";
        if (code == kExitExecFailed) how += ": execve of " + options_.binary + " failed";
      }
    }
  }
  // The child is gone: its last lines are in the pipe. Relay them, then end the relay.
  if (stderr_relay_) stderr_relay_->stop();
  stderr_relay_.reset();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  pid_.store(0);
  loaded_.clear();
  return how;
}

void SandboxProcess::stop_locked() {
  if (pid_.load() != 0) reap_locked(/*kill_first=*/true);
}

Error SandboxProcess::crashed_locked(const Error& cause) {
  // On EOF the child is gone or going: SIGKILL only makes sure, the status is still its own.
  // A hung child (ipc_timeout) or garbage on the channel gets killed on purpose.
  const bool hung = cause.code == "ipc_timeout";
  const bool closed = cause.code == "ipc_closed";
  if (closed) {
    // Give a dying child a moment to finish dying so its real cause of death is reported.
    for (int i = 0; i < 100; ++i) {
      siginfo_t info{};
      if (::waitid(P_PID, static_cast<id_t>(pid_.load()), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
          info.si_pid != 0) {
        break;
      }
      ::usleep(10000);
    }
  }
  std::string how = reap_locked(/*kill_first=*/true);
  if (hung) how = "it stopped answering and was killed";
  restarts_.fetch_add(1);
  const bool restarted = start_locked().ok();
  return Error::make("sandbox_crashed",
                     "the sandbox process died (" + how + "); the call in it failed and the process " +
                         (restarted ? "was restarted" : "will be restarted"),
                     {{"cause", how}});
}

Status SandboxProcess::answer_fetch_locked(const json& frame, HostCalls* host, int& fetches,
                                           std::chrono::steady_clock::time_point deadline) {
  json answer = {{"id", frame["id"]}, {"op", "fetch_result"}};
  Result<json> response = Error::make("egress_denied", "fetch is not available here");
  if (host != nullptr && ++fetches > kMaxFetchesPerCall) {
    response = Error::make("egress_denied", "a call may make at most " + std::to_string(kMaxFetchesPerCall) + " fetches");
  } else if (host != nullptr) {
    const json& request = frame.contains("request") && frame["request"].is_object() ? frame["request"] : json::object();
    response = host->fetch(request);
  }
  if (response.ok()) {
    answer["ok"] = true;
    answer["response"] = std::move(response).take();
  } else {
    answer["ok"] = false;
    answer["error"] = {{"code", response.error().code}, {"message", response.error().message}};
  }
  return write_frame(fd_, answer, kMaxFrameBytes, deadline);
}

// The call's log lines, re-capped and re-validated: the child is not trusted.
static void replay_logs(const json& resp, HostCalls* host) {
  if (host == nullptr || !resp.contains("logs") || !resp["logs"].is_array()) return;
  int lines = 0;
  for (const json& line : resp["logs"]) {
    if (++lines > kMaxLogLinesPerCall + 1) break;
    if (!line.is_object()) continue;
    std::string level = has_string(line, "level") ? line["level"].get<std::string>() : "info";
    if (level != "debug" && level != "info" && level != "warn" && level != "error") level = "info";
    std::string message = line.contains("message") && line["message"].is_string() ? line["message"].get<std::string>() : "";
    if (message.size() > kMaxLogMessageBytes + 8) message.resize(kMaxLogMessageBytes);
    json fields = line.contains("fields") && line["fields"].is_object() ? line["fields"] : json(nullptr);
    if (!fields.is_null() && fields.dump().size() > kMaxLogFieldsBytes) fields = {{"truncated", true}};
    host->log(level, message, fields);
  }
}

Result<json> SandboxProcess::request_locked(json req, std::chrono::milliseconds wait, HostCalls* host) {
  if (pid_.load() == 0) {
    if (auto started = start_locked(); !started.ok()) return started.error();
  }
  const std::uint64_t id = next_id_++;
  req["id"] = id;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  if (auto sent = write_frame(fd_, req, kMaxFrameBytes, deadline); !sent.ok()) {
    if (sent.error().code == "ipc_frame_too_large") return sent.error();
    return crashed_locked(sent.error());
  }
  int fetches = 0;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto resp = read_frame(fd_, std::max(left, std::chrono::milliseconds(1)), kMaxFrameBytes, kIpcSpin);
    if (!resp.ok()) return crashed_locked(resp.error());
    if (!resp->is_object()) return crashed_locked(Error::make("ipc_bad_frame", "a frame that is not an object"));
    if (auto rid = resp->find("id"); rid == resp->end() || *rid != json(id)) continue;  // stale: its caller gave up
    if (auto op = resp->find("op"); op != resp->end()) {
      // Only fetches come unasked, and no more than an honest child makes (it caps them too).
      if (!op->is_string() || *op != "fetch" || fetches > kMaxFetchesPerCall) {
        return crashed_locked(Error::make("ipc_bad_frame", "an unexpected frame from the sandbox process"));
      }
      if (auto answered = answer_fetch_locked(*resp, host, fetches, deadline); !answered.ok()) {
        return crashed_locked(answered.error());
      }
      continue;
    }
    if (!valid_answer(*resp)) return crashed_locked(Error::make("ipc_bad_frame", "a malformed answer"));
    replay_logs(*resp, host);
    return resp;
  }
}

Result<std::string> SandboxProcess::load_locked(const std::string& key) {
  const Bundle& b = bundles_.at(key);
  json req = {{"op", "load"},
              {"key", key},
              {"source", b.source},
              {"limits",
               {{"heapBytes", b.limits.heap_bytes},
                {"arrayBufferBytes", b.limits.array_buffer_bytes},
                {"maxOutputBytes", b.limits.max_output_bytes},
                {"loadTimeoutMs", b.limits.load_timeout.count()}}}};
  WEFT_TRY_ASSIGN(json resp, request_locked(std::move(req), b.limits.load_timeout + options_.grace));
  if (!resp.value("ok", false)) {
    Error e = error_from(resp);
    if (e.code == "memory_limit") {
      reap_locked(true);
      restarts_.fetch_add(1);
    }
    return e;
  }
  loaded_.insert(key);
  if (resp.contains("tools")) bundles_[key].tools = resp["tools"].get<std::vector<std::string>>();
  return resp.value("vendorId", std::string());
}

void SandboxProcess::remember_locked(const std::string& key, Bundle bundle) {
  bundle.used = ++use_counter_;
  bundles_[key] = std::move(bundle);
  const std::size_t cap = std::max<std::size_t>(2, 2 * options_.max_actors);
  while (bundles_.size() > cap) {
    auto lru = std::min_element(bundles_.begin(), bundles_.end(),
                                [](const auto& a, const auto& b) { return a.second.used < b.second.used; });
    loaded_.erase(lru->first);
    bundles_.erase(lru);
  }
}

Result<std::string> SandboxProcess::load(const std::string& key, const std::string& source,
                                         const IsolateLimits& limits,
                                         std::optional<std::chrono::steady_clock::time_point> deadline) {
  std::unique_lock lock(mu_, std::defer_lock);
  if (!deadline) {
    lock.lock();
  } else if (!lock.try_lock_until(*deadline)) {
    return Error::make("timeout", "the sandbox process stayed busy with other calls until the step's deadline");
  }
  remember_locked(key, Bundle{source, limits, 0, {}});
  loaded_.erase(key);
  auto r = load_locked(key);
  if (!r.ok()) bundles_.erase(key);
  return r;
}

Result<std::string> SandboxProcess::call(const std::string& key, const std::string& tool,
                                         const std::string& input_json, const std::string& ctx_json,
                                         std::chrono::milliseconds timeout, HostCalls* host) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  auto remaining = [&] {
    return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                    std::chrono::milliseconds(1));
  };
  std::unique_lock lock(mu_, std::defer_lock);
  if (!lock.try_lock_until(deadline)) {
    return Error::make("timeout", "the sandbox process stayed busy with other calls until the step's deadline");
  }
  auto bundle = bundles_.find(key);
  if (bundle == bundles_.end()) {
    return Error::make("sandbox_not_loaded", "no bundle loaded under key " + key);
  }
  bundle->second.used = ++use_counter_;
  if (pid_.load() == 0) {
    if (auto started = start_locked(); !started.ok()) return started.error();
  }
  if (!loaded_.count(key)) {
    auto loaded = load_locked(key);
    if (!loaded.ok()) return loaded.error();
  }
  json req = {{"op", "call"}, {"key", key}, {"tool", tool}, {"input", input_json}, {"ctx", ctx_json},
              {"timeoutMs", remaining().count()}};
  WEFT_TRY_ASSIGN(json resp, request_locked(req, remaining() + options_.grace, host));
  if (!resp.value("ok", false) && error_from(resp).code == "sandbox_not_loaded") {
    // The child evicted it (least recently used, or idle): load it again and retry once,
    // within what is left of the same deadline.
    loaded_.erase(key);
    auto reloaded = load_locked(key);
    if (!reloaded.ok()) return reloaded.error();
    req["timeoutMs"] = remaining().count();
    WEFT_TRY_ASSIGN(resp, request_locked(req, remaining() + options_.grace, host));
  }
  if (!resp.value("ok", false)) {
    Error e = error_from(resp);
    if (e.code == "memory_limit") {
      // A fresh address space rather than a fragmented one: replace the process.
      reap_locked(true);
      restarts_.fetch_add(1);
      e.message += "; the sandbox process was replaced";
    }
    if (e.code == "sandbox_not_loaded") loaded_.erase(key);
    return e;
  }
  return resp.value("output", std::string());
}

std::vector<std::string> SandboxProcess::tools_of(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = bundles_.find(key);
  return it == bundles_.end() ? std::vector<std::string>{} : it->second.tools;
}

void SandboxProcess::reset() {
  std::lock_guard lock(mu_);
  stop_locked();
  bundles_.clear();
  loaded_.clear();
}

Result<json> SandboxProcess::selftest(const std::string& probe) {
  std::lock_guard lock(mu_);
  WEFT_TRY_ASSIGN(json resp, request_locked({{"op", "selftest"}, {"probe", probe}}, options_.grace));
  if (!resp.value("ok", false)) return error_from(resp);
  return resp;
}

}  // namespace weft::sandbox
