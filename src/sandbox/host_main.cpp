#include "sandbox/host_main.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <termios.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "sandbox/ipc.h"
#include "sandbox/isolate_host.h"
#include "sandbox/v8_platform.h"

namespace weft::sandbox {
namespace {

using json = nlohmann::json;

constexpr char kWarmup[] = R"js(
export default defineVendor({ id: "warmup", tools: { "warmup.ping": async (i) => ({ ok: true, i }) } });
)js";

json error_json(const Error& e) {
  json j = {{"code", e.code}, {"message", e.message}};
  if (!e.details.is_null()) j["details"] = e.details;
  return j;
}

json fail(const json& id, const Error& e) { return {{"id", id}, {"ok", false}, {"error", error_json(e)}}; }

std::string str_field(const json& req, const char* name) {
  auto it = req.find(name);
  return it != req.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The native test helper: performs the probed syscall from inside the jail.
json selftest(const json& id, const std::string& probe) {
  int rc = -1;
  int err = 0;
  if (probe == "open") {
    rc = ::open("/etc/hostname", O_RDONLY | O_CLOEXEC);
    err = errno;
  } else if (probe == "socket") {
    rc = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    err = errno;
  } else if (probe == "execve") {
    char arg0[] = "/bin/true";
    char* argv[] = {arg0, nullptr};
    char* envp[] = {nullptr};
    rc = ::execve("/bin/true", argv, envp);
    err = errno;
  } else if (probe == "fork") {
    rc = ::fork();  // glibc's fork is clone without CLONE_THREAD
    err = errno;
    if (rc == 0) ::_exit(0);
  } else if (probe == "stat") {
    struct stat st {};
    rc = ::stat("/etc/passwd", &st);  // a path lookup: tells whether a file exists
    err = errno;
  } else if (probe == "tiocsti") {
    char c = 'x';
    rc = ::ioctl(STDERR_FILENO, TIOCSTI, &c);  // typing into the parent's terminal
    err = errno;
  } else if (probe == "unshare") {
    rc = ::unshare(CLONE_NEWUSER);  // not on the allow-list at all
    err = errno;
  } else if (probe == "fsetown") {
    rc = ::fcntl(STDERR_FILENO, F_SETOWN, ::getppid());  // SIGIO to the parent
    err = errno;
  } else if (probe == "fasync") {
    rc = ::fcntl(STDERR_FILENO, F_SETFL, O_ASYNC);
    err = errno;
  } else if (probe == "kill_parent") {
    rc = ::kill(::getppid(), 0);
    err = errno;
  } else if (probe == "ptrace") {
    rc = static_cast<int>(::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr));
    err = errno;
  } else {
    return fail(id, Error::make("invalid_request", "unknown selftest probe " + probe));
  }
  if (rc > 0 && probe == "fork") rc = 0;  // the (never expected) child pid is not an fd
  if (rc > 0 && (probe == "open" || probe == "socket")) ::close(rc);
  return {{"id", id}, {"ok", true}, {"probe", probe}, {"refused", rc < 0},
          {"errno", rc < 0 ? err : 0}, {"message", rc < 0 ? std::strerror(err) : "allowed"}};
}

// The isolate's host calls, forwarded to the parent: fetch is a request/answer pair of frames
// inside the call (the parent answers with op "fetch_result" and the call's id); log lines are
// collected and sent with the call's answer.
class IpcHostCalls final : public HostCalls {
 public:
  IpcHostCalls(int in_fd, int out_fd, json call_id) : in_fd_(in_fd), out_fd_(out_fd), id_(std::move(call_id)) {}

  Result<json> fetch(const json& request) override {
    WEFT_TRY(write_frame(out_fd_, {{"id", id_}, {"op", "fetch"}, {"request", request}}));
    WEFT_TRY_ASSIGN(json answer, read_frame(in_fd_));
    if (!answer.is_object() || answer.value("op", "") != "fetch_result" || answer.value("id", json()) != id_) {
      return Error::make("ipc_bad_frame", "expected the answer to a fetch");
    }
    if (!answer.value("ok", false)) {
      const json& e = answer.contains("error") && answer["error"].is_object() ? answer["error"] : json::object();
      return Error::make(e.value("code", "fetch_failed"), e.value("message", "fetch failed"));
    }
    return answer.contains("response") ? answer["response"] : json::object();
  }

  void log(const std::string& level, const std::string& message, const json& fields) override {
    json line = {{"level", level}, {"message", message}};
    if (!fields.is_null()) line["fields"] = fields;
    logs_.push_back(std::move(line));
  }

  json take_logs() { return std::move(logs_); }

 private:
  int in_fd_;
  int out_fd_;
  json id_;
  json logs_ = json::array();
};

// The loaded actors of this process: at most options.max_actors (the least recently used one
// makes room), and none idle longer than options.actor_idle. The parent reloads an evicted
// actor transparently (it answers sandbox_not_loaded).
class ActorTable {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ActorTable(const HostOptions& options) : options_(options) {}

  void put(const std::string& key, std::unique_ptr<Isolate> isolate) {
    actors_.erase(key);
    while (!actors_.empty() && actors_.size() >= std::max<std::size_t>(1, options_.max_actors)) {
      auto lru = std::min_element(actors_.begin(), actors_.end(),
                                  [](const auto& a, const auto& b) { return a.second.used < b.second.used; });
      actors_.erase(lru);
    }
    actors_[key] = {std::move(isolate), Clock::now()};
  }
  Isolate* use(const std::string& key) {
    auto it = actors_.find(key);
    if (it == actors_.end()) return nullptr;
    it->second.used = Clock::now();
    return it->second.isolate.get();
  }
  void erase(const std::string& key) { actors_.erase(key); }
  void evict_idle() {
    const auto cutoff = Clock::now() - options_.actor_idle;
    std::erase_if(actors_, [&](const auto& a) { return a.second.used < cutoff; });
  }

 private:
  struct Actor {
    std::unique_ptr<Isolate> isolate;
    Clock::time_point used;
  };
  HostOptions options_;
  std::map<std::string, Actor> actors_;
};

IsolateLimits parse_limits(const json& req) {
  IsolateLimits l;
  auto it = req.find("limits");
  if (it == req.end() || !it->is_object()) return l;
  l.heap_bytes = it->value("heapBytes", l.heap_bytes);
  l.array_buffer_bytes = it->value("arrayBufferBytes", l.array_buffer_bytes);
  l.max_output_bytes = it->value("maxOutputBytes", l.max_output_bytes);
  l.load_timeout = std::chrono::milliseconds(it->value("loadTimeoutMs", l.load_timeout.count()));
  return l;
}

}  // namespace

int run_sandbox_host(int in_fd, int out_fd, const JailLimits& limits, const HostOptions& options) {
  // V8 may read /proc and ICU data while it starts: do that before the jail closes.
  (void)v8_platform();
  {
    auto warm = Isolate::load("warmup", kWarmup);
    if (!warm.ok()) {
      std::cerr << "sandbox-host: warm-up failed: " << warm.error().message << "\n";
      return 3;
    }
    auto out = (*warm)->call("warmup.ping", "{}", "{}", std::chrono::milliseconds(5000));
    if (!out.ok()) {
      std::cerr << "sandbox-host: warm-up call failed: " << out.error().message << "\n";
      return 3;
    }
  }
  if (auto jailed = enter_jail(limits); !jailed.ok()) {
    std::cerr << "sandbox-host: " << jailed.error().message << "\n";
    return 4;
  }

  ActorTable isolates(options);
  const auto idle_check = std::min<std::chrono::milliseconds>(options.actor_idle, std::chrono::seconds(30));
  for (;;) {
    auto frame = read_frame(in_fd, std::max(idle_check, std::chrono::milliseconds(10)), kMaxFrameBytes, kIpcSpin);
    isolates.evict_idle();  // also when the channel is never quiet for a whole check interval
    if (!frame.ok() && frame.error().code == "ipc_timeout") continue;
    if (!frame.ok()) {
      if (frame.error().code == "ipc_closed") return 0;
      std::cerr << "sandbox-host: " << frame.error().message << "\n";
      return 5;
    }
    const json& req = *frame;
    const json id = req.is_object() && req.contains("id") ? req["id"] : json(nullptr);
    const std::string op = req.is_object() ? str_field(req, "op") : std::string();
    json resp;
    if (op == "load") {
      const std::string key = str_field(req, "key");
      isolates.erase(key);  // free the old one before building the new one
      auto loaded = Isolate::load(key, str_field(req, "source"), parse_limits(req));
      if (loaded.ok()) {
        resp = {{"id", id}, {"ok", true}, {"vendorId", (*loaded)->vendor_id()}, {"tools", (*loaded)->tool_names()}};
        isolates.put(key, std::move(loaded).take());
      } else {
        resp = fail(id, loaded.error());
      }
    } else if (op == "call") {
      const std::string key = str_field(req, "key");
      Isolate* isolate = isolates.use(key);
      if (isolate == nullptr) {
        resp = fail(id, Error::make("sandbox_not_loaded", "no bundle loaded under key " + key));
      } else {
        IpcHostCalls host(in_fd, out_fd, id);
        auto out = isolate->call(str_field(req, "tool"), str_field(req, "input"), str_field(req, "ctx"),
                                 std::chrono::milliseconds(req.value("timeoutMs", 30000)), &host);
        if (isolate->dead()) isolates.erase(key);
        resp = out.ok() ? json{{"id", id}, {"ok", true}, {"output", *out}} : fail(id, out.error());
        json logs = host.take_logs();
        if (!logs.empty()) resp["logs"] = std::move(logs);
      }
    } else if (op == "unload") {
      isolates.erase(str_field(req, "key"));
      resp = {{"id", id}, {"ok", true}};
    } else if (op == "ping") {
      resp = {{"id", id}, {"ok", true}};
    } else if (op == "selftest") {
      resp = selftest(id, str_field(req, "probe"));
    } else {
      resp = fail(id, Error::make("invalid_request", "unknown op " + op));
    }
    if (auto written = write_frame(out_fd, resp); !written.ok()) {
      if (written.error().code == "ipc_closed") return 0;
      // e.g. an oversized answer: say so instead.
      if (!write_frame(out_fd, fail(id, written.error())).ok()) return 5;
    }
  }
}

}  // namespace weft::sandbox
