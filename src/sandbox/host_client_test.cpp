// End-to-end tests of the jailed weft-sandbox-host process (spawned from WEFT_SANDBOX_HOST_BINARY).
#include "sandbox/host_client.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

namespace weft::sandbox {
namespace {

using namespace std::chrono_literals;

constexpr char kAcme[] = R"js(
let counter = 0;
export default defineVendor({
  id: "acme",
  tools: {
    "acme.echo": async (input, ctx) => ({ input, run: ctx.ids.runId }),
    "acme.count": () => ({ counter: ++counter }),
    "acme.spin": () => { while (true) {} },
    "acme.bomb": () => { const a = []; while (true) a.push({ x: [1, 2, 3], y: "s" + a.length }); },
    "acme.bufferBomb": () => { const a = []; while (true) a.push(new ArrayBuffer(1 << 20)); },
  },
});
)js";

const char kCtx[] = R"({"ids":{"orgId":"org_1","runId":"run_1","stepId":"s"}})";

SandboxOptions options() {
  SandboxOptions o;
  o.binary = WEFT_SANDBOX_HOST_BINARY;
  o.grace = 3000ms;
  return o;
}

std::string code_of(const Result<std::string>& r) { return r.ok() ? "ok" : r.error().code; }

void expect_echo_works(SandboxProcess& sb) {
  auto out = sb.call("acme@1", "acme.echo", R"({"a":1})", kCtx, 2000ms);
  ASSERT_TRUE(out.ok()) << out.error().code << ": " << out.error().message;
  EXPECT_EQ(*out, R"({"input":{"a":1},"run":"run_1"})");
}

class SandboxProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = sb.load("acme@1", kAcme);
    ASSERT_TRUE(loaded.ok()) << loaded.error().code << ": " << loaded.error().message;
    EXPECT_EQ(*loaded, "acme");
    ASSERT_NE(sb.pid(), 0);
  }
  SandboxProcess sb{options()};
};

TEST_F(SandboxProcessTest, CallsAToolThroughTheJailedProcess) {
  expect_echo_works(sb);
  auto c1 = sb.call("acme@1", "acme.count", "{}", "{}", 1000ms);
  auto c2 = sb.call("acme@1", "acme.count", "{}", "{}", 1000ms);
  ASSERT_TRUE(c1.ok() && c2.ok());
  EXPECT_EQ(*c2, R"({"counter":2})");
  auto missing = sb.call("nope", "acme.echo", "{}", "{}", 1000ms);
  EXPECT_EQ(code_of(missing), "sandbox_not_loaded");
  EXPECT_EQ(sb.restarts(), 0);
}

// The child keeps at most max_actors bundles and unloads idle ones; the parent reloads an
// evicted bundle transparently (its module state starts over, which is how eviction shows).
TEST(SandboxProcessActors, LeastRecentlyUsedAndIdleBundlesAreEvictedAndReloaded) {
  SandboxOptions o = options();
  o.max_actors = 2;
  o.actor_idle = 700ms;
  SandboxProcess sb(o);
  for (const char* key : {"a", "b"}) ASSERT_TRUE(sb.load(key, kAcme).ok());
  auto count = [&](const char* key) {
    auto r = sb.call(key, "acme.count", "{}", "{}", 1000ms);
    EXPECT_TRUE(r.ok()) << key << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? json::parse(*r)["counter"].get<int>() : -1;
  };
  EXPECT_EQ(count("a"), 1);
  EXPECT_EQ(count("a"), 2);
  EXPECT_EQ(count("b"), 1);
  ASSERT_TRUE(sb.load("c", kAcme).ok());  // evicts a, the least recently used
  EXPECT_EQ(count("b"), 2);                // b stayed
  EXPECT_EQ(count("a"), 1);                // a was reloaded: a fresh isolate
  std::this_thread::sleep_for(1500ms);     // everything idles out
  EXPECT_EQ(count("a"), 1);
  EXPECT_EQ(sb.restarts(), 0);
}

TEST_F(SandboxProcessTest, InfiniteLoopTimesOutAndTheProcessStaysUsable) {
  const pid_t pid = sb.pid();
  auto r = sb.call("acme@1", "acme.spin", "{}", "{}", 200ms);
  EXPECT_EQ(code_of(r), "timeout");
  expect_echo_works(sb);
  EXPECT_EQ(sb.pid(), pid);
}

TEST_F(SandboxProcessTest, OpenIsRefusedBySeccomp) {
  auto r = sb.selftest("open");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE((*r)["refused"].get<bool>()) << r->dump();
  EXPECT_EQ((*r)["errno"], EPERM) << r->dump();
  expect_echo_works(sb);
}

TEST_F(SandboxProcessTest, SocketIsRefusedBySeccomp) {
  auto r = sb.selftest("socket");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE((*r)["refused"].get<bool>()) << r->dump();
  EXPECT_EQ((*r)["errno"], EPERM) << r->dump();
}

TEST_F(SandboxProcessTest, ForkIsRefusedBySeccomp) {
  auto r = sb.selftest("fork");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE((*r)["refused"].get<bool>()) << r->dump();
  EXPECT_EQ((*r)["errno"], EPERM) << r->dump();
  expect_echo_works(sb);  // threads (clone with CLONE_THREAD) still work
}

// Syscalls off the allow-list fail with EPERM, including ones a deny-list would have missed
// (a path stat, TIOCSTI into the parent's terminal, user namespaces, signalling the parent).
TEST_F(SandboxProcessTest, EverythingOffTheAllowListIsRefused) {
  for (const char* probe : {"stat", "tiocsti", "unshare", "fsetown", "fasync", "kill_parent"}) {
    auto r = sb.selftest(probe);
    ASSERT_TRUE(r.ok()) << probe << ": " << r.error().message;
    EXPECT_TRUE((*r)["refused"].get<bool>()) << r->dump();
    EXPECT_EQ((*r)["errno"], EPERM) << r->dump();
  }
  expect_echo_works(sb);
}

TEST_F(SandboxProcessTest, PtraceKillsTheProcess) {
  auto r = sb.selftest("ptrace");
  ASSERT_FALSE(r.ok()) << r->dump();
  EXPECT_EQ(r.error().code, "sandbox_crashed");
  EXPECT_NE(r.error().message.find("SIGSYS"), std::string::npos) << r.error().message;
  expect_echo_works(sb);
}

TEST_F(SandboxProcessTest, ExecveKillsTheProcessWhichIsRestarted) {
  const pid_t before = sb.pid();
  auto r = sb.selftest("execve");
  ASSERT_FALSE(r.ok()) << r->dump();
  EXPECT_EQ(r.error().code, "sandbox_crashed");
  EXPECT_NE(r.error().message.find("SIGSYS"), std::string::npos) << r.error().message;
  EXPECT_EQ(sb.restarts(), 1);
  EXPECT_NE(sb.pid(), before);
  expect_echo_works(sb);  // the bundle is replayed into the new process
}

TEST_F(SandboxProcessTest, KilledChildFailsTheInFlightCallAndIsRestarted) {
  const pid_t before = sb.pid();
  std::thread killer([before] {
    std::this_thread::sleep_for(300ms);
    ::kill(before, SIGKILL);
  });
  auto r = sb.call("acme@1", "acme.spin", "{}", "{}", 10000ms);
  killer.join();
  ASSERT_EQ(code_of(r), "sandbox_crashed");
  EXPECT_NE(r.error().message.find("SIGKILL"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("restarted"), std::string::npos) << r.error().message;
  expect_echo_works(sb);
  EXPECT_NE(sb.pid(), before);
}

TEST_F(SandboxProcessTest, HeapBombHitsTheHeapCapAndReplacesTheProcess) {
  const pid_t before = sb.pid();
  auto r = sb.call("acme@1", "acme.bomb", "{}", "{}", 20000ms);
  ASSERT_EQ(code_of(r), "memory_limit");
  EXPECT_NE(r.error().message.find("replaced"), std::string::npos) << r.error().message;
  expect_echo_works(sb);
  EXPECT_NE(sb.pid(), before);
}

TEST_F(SandboxProcessTest, ArrayBufferBombIsARangeErrorInTheSameProcess) {
  const pid_t before = sb.pid();
  auto r = sb.call("acme@1", "acme.bufferBomb", "{}", "{}", 20000ms);
  ASSERT_EQ(code_of(r), "tool_error");
  EXPECT_EQ(r.error().details["name"], "RangeError");
  expect_echo_works(sb);
  EXPECT_EQ(sb.pid(), before);
}

// With a heap cap above RLIMIT_AS, the address-space limit is what stops the bomb: V8 dies of
// OOM, the call fails with sandbox_crashed and the process is replaced.
TEST(SandboxProcess, AddressSpaceLimitKillsAHeapBombAndTheProcessIsReplaced) {
  SandboxOptions o = options();
  o.jail.address_space_bytes = 1ull << 30;
  SandboxProcess sb(o);
  IsolateLimits big;
  big.heap_bytes = 4ull << 30;
  auto loaded = sb.load("acme@1", kAcme, big);
  ASSERT_TRUE(loaded.ok()) << loaded.error().code << ": " << loaded.error().message;
  const pid_t before = sb.pid();
  auto r = sb.call("acme@1", "acme.bomb", "{}", "{}", 60000ms);
  const std::string code = code_of(r);
  EXPECT_TRUE(code == "sandbox_crashed" || code == "memory_limit") << code;
  if (!r.ok()) std::cerr << "address-space bomb: " << r.error().message << "\n";
  expect_echo_works(sb);
  EXPECT_NE(sb.pid(), before);
}

TEST(SandboxProcess, MissingBinaryIsUnavailable) {
  SandboxOptions o = options();
  o.binary = "/nonexistent/weft";
  SandboxProcess sb(o);
  auto r = sb.load("k", kAcme);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sandbox_unavailable");
  // Said before any fork: which file, and how to provide one.
  EXPECT_NE(r.error().message.find("/nonexistent/weft"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("WEFT_SANDBOX_HOST"), std::string::npos) << r.error().message;
  EXPECT_EQ(sb.pid(), 0);
}

// `weft sandbox-host` (for callers that still spawn the weft binary) execs the weft-sandbox-host
// beside it: the same jailed process, answering the same frames.
TEST(SandboxProcess, WeftSandboxHostExecsTheSiblingExecutable) {
  SandboxOptions o = options();
  o.binary = WEFT_BINARY;
  SandboxProcess sb(o);
  auto loaded = sb.load("acme@1", kAcme);
  ASSERT_TRUE(loaded.ok()) << loaded.error().code << ": " << loaded.error().message;
  expect_echo_works(sb);
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(sb.pid()) + "/exe", ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(exe.filename(), "weft-sandbox-host");
  auto r = sb.selftest("open");  // and it is jailed
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE((*r)["refused"].get<bool>()) << r->dump();
}

}  // namespace
}  // namespace weft::sandbox
