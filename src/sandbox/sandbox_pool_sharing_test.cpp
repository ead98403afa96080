// Which process serves whom: by default a sandbox process serves one organization at a time and
// is recycled (a fresh child) before another organization's code runs in it.
#include <gtest/gtest.h>

#include <thread>

#include "sandbox/sandbox_pool.h"

namespace weft::sandbox {
namespace {

using namespace std::chrono_literals;

constexpr char kBundle[] = R"js(
export default defineVendor({ id: "pid", tools: {
  "pid.touch": () => ({ seen: (globalThis.seen = (globalThis.seen || 0) + 1) }),
  "pid.spin": () => { while (true) {} },
} });
)js";

SandboxPoolLimits limits(ProcessSharing sharing) {
  SandboxPoolLimits l;
  l.sharing = sharing;
  l.grace = 3000ms;
  return l;
}

json touch(SandboxPool& pool, const std::string& org, std::chrono::milliseconds timeout = 2000ms) {
  auto r = pool.call(org + ":pid:1.0.0", std::string(kBundle), "pid.touch", json::object(), json::object(), timeout);
  EXPECT_TRUE(r.ok()) << org << ": " << (r.ok() ? "" : r.error().code + " " + r.error().message);
  return r.ok() ? *r : json();
}

pid_t pid_serving(SandboxPool& pool, const std::string& org) {
  const std::size_t i = pool.route(org + ":pid:1.0.0");
  return i < pool.size() ? pool.process(i).pid() : 0;
}

TEST(SandboxSharing, AnotherOrganizationNeverRunsInTheSameChild) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 1, limits(ProcessSharing::per_org));
  touch(pool, "org_a");
  const pid_t a = pid_serving(pool, "org_a");
  ASSERT_NE(a, 0);
  EXPECT_EQ(touch(pool, "org_a")["seen"], 2);  // warm while it keeps the process
  touch(pool, "org_b");
  const pid_t b = pid_serving(pool, "org_b");
  EXPECT_NE(b, 0);
  EXPECT_NE(b, a);                              // a fresh child for org_b
  EXPECT_EQ(pool.route("org_a:pid:1.0.0"), pool.size());
  EXPECT_EQ(touch(pool, "org_a")["seen"], 1);  // and again for org_a: nothing survived
  EXPECT_NE(pid_serving(pool, "org_a"), b);
}

TEST(SandboxSharing, OrganizationsKeepTheirOwnProcessesWhenThereAreEnough) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 2, limits(ProcessSharing::per_org));
  touch(pool, "org_a");
  touch(pool, "org_b");
  const pid_t a = pid_serving(pool, "org_a");
  const pid_t b = pid_serving(pool, "org_b");
  EXPECT_NE(a, b);
  EXPECT_EQ(touch(pool, "org_a")["seen"], 2);
  EXPECT_EQ(touch(pool, "org_b")["seen"], 2);
  EXPECT_EQ(pid_serving(pool, "org_a"), a);
  EXPECT_EQ(pid_serving(pool, "org_b"), b);
}

TEST(SandboxSharing, AnOrganizationWaitsForABusyProcessOnlyUntilItsDeadline) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 1, limits(ProcessSharing::per_org));
  std::thread busy([&] {
    auto r = pool.call("org_a:pid:1.0.0", std::string(kBundle), "pid.spin", json::object(), json::object(), 1500ms);
    EXPECT_EQ(r.ok() ? "ok" : r.error().code, "timeout");
  });
  while (pool.running("org_a") == 0) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(50ms);
  auto waited = pool.call("org_b:pid:1.0.0", std::string(kBundle), "pid.touch", json::object(), json::object(), 300ms);
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.error().code, "concurrency_limit");
  busy.join();
  EXPECT_EQ(touch(pool, "org_b")["seen"], 1);  // free again: org_b gets it
}

TEST(SandboxSharing, SharedModeSpreadsOrganizationsOverProcessesByHash) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 1, limits(ProcessSharing::shared));
  touch(pool, "org_a");
  const pid_t a = pool.process(0).pid();
  touch(pool, "org_b");
  EXPECT_EQ(pool.process(0).pid(), a);  // same child, separate isolates
  EXPECT_EQ(touch(pool, "org_a")["seen"], 2);
}

}  // namespace
}  // namespace weft::sandbox
