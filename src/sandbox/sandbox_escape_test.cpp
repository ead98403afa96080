// The sandbox escape and abuse suite (issue: "each case contained and the next call fine"),
// run through the real jailed weft-sandbox-host process as a worker uses it. Network abuse
// (hosts off the list, 127.0.0.1, redirects) is in sandbox_egress_test.cpp; native open /
// socket / execve / ptrace from inside the jail are in host_client_test.cpp.
#include <gtest/gtest.h>

#include <string>

#include "sandbox/sandbox_pool.h"

namespace weft::sandbox {
namespace {

using namespace std::chrono_literals;

constexpr char kHostile[] = R"js(
export default defineVendor({
  id: "hostile",
  tools: {
    "hostile.ok": (input, ctx) => ({ ok: true, org: ctx.ids.orgId, polluted: ({}).polluted === undefined ? "no" : "yes",
                                     secret: globalThis.secret === undefined ? "none" : "leaked" }),
    "hostile.spin": () => { while (true) {} },
    "hostile.objects": () => { const a = []; while (true) a.push({ a: 1, b: [1, 2, 3], c: "x" + a.length }); },
    "hostile.arrays": () => { const a = []; while (true) a.push(new Array(1e5).fill(1.5)); },
    "hostile.buffers": () => { const a = []; while (true) a.push(new ArrayBuffer(8 << 20)); },
    "hostile.strings": () => { const a = []; let s = "xy"; while (true) { s = s + s; a.push(s.slice(1)); } },
    "hostile.recursion": () => { const f = (n) => f(n + 1) + 1; return f(0); },
    "hostile.eval": () => eval("1 + 1"),
    "hostile.function": () => new Function("return 1")(),
    "hostile.ctorEscape": () => (() => {}).constructor.constructor("return process")(),
    "hostile.dynamicImport": async () => { const m = await import("node:child_process"); return {}; },
    "hostile.wasm": () => ({ wasm: typeof WebAssembly }),
    "hostile.probes": () => ({ probes: [typeof process, typeof require, typeof module, typeof Buffer, typeof global,
                                        typeof fetch, typeof XMLHttpRequest, typeof Deno, typeof Bun] }),
    "hostile.pollute": (input, ctx) => {
      Object.prototype.polluted = "yes";
      Array.prototype.map = () => "hijacked";
      JSON.stringify = () => "hijacked";
      globalThis.secret = ctx.auth;
      let ctxFrozen = false;
      try { ctx.ids.orgId = "someone-else"; } catch (e) { ctxFrozen = true; }
      return { ctxFrozen };
    },
    "hostile.hugeOutput": () => ({ s: "x".repeat(8 << 20) }),
    "hostile.throwingToJSON": () => ({ toJSON() { throw new Error("no json for you"); } }),
    "hostile.never": () => new Promise(() => {}),
    "hostile.timerFlood": () => { for (let i = 0; i < 1e6; i++) setTimeout(() => {}, 1e9); },
    "hostile.microtaskFlood": () => { const loop = () => queueMicrotask(loop); loop(); return new Promise(() => {}); },
  },
});
)js";

// A second vendor using the same global names.
constexpr char kNeighbour[] = R"js(
export default defineVendor({
  id: "neighbour",
  tools: {
    "neighbour.look": () => ({ polluted: ({}).polluted === undefined ? "no" : "yes",
                               secret: globalThis.secret === undefined ? "none" : "leaked",
                               map: [1].map((x) => x)[0] === 1 ? "intact" : "hijacked" }),
  },
});
)js";

class SandboxEscape : public ::testing::Test {
 protected:
  static SandboxPoolLimits limits() {
    SandboxPoolLimits l;
    l.grace = 3000ms;
    l.isolate.heap_bytes = 32u << 20;
    l.isolate.array_buffer_bytes = 32u << 20;
    return l;
  }

  Result<json> call(const std::string& org, const std::string& tool, std::chrono::milliseconds timeout = 1000ms) {
    const json ctx = {{"ids", {{"orgId", org}, {"runId", "run_1"}, {"stepId", "s"}}},
                      {"auth", {{"api_key", "secret-of-" + org}}}};
    return pool_.call(org + ":hostile:1.0.0", std::string(kHostile), tool, json::object(), ctx, timeout);
  }

  // The abuse is contained (an error with one of `codes`) and the next call is fine.
  void expect_contained(const std::string& tool, std::initializer_list<const char*> codes) {
    auto r = call("org_a", tool);
    ASSERT_FALSE(r.ok()) << tool << " should fail, got " << r->dump();
    bool expected = false;
    for (const char* c : codes) expected = expected || r.error().code == c;
    EXPECT_TRUE(expected) << tool << ": " << r.error().code << " " << r.error().message;
    auto next = call("org_a", "hostile.ok");
    ASSERT_TRUE(next.ok()) << "after " << tool << ": " << next.error().code << " " << next.error().message;
    EXPECT_EQ((*next)["ok"], true);
  }

  SandboxPool pool_{WEFT_SANDBOX_HOST_BINARY, 1, limits()};
};

TEST_F(SandboxEscape, RunawayCodeIsStoppedAndTheNextCallIsFine) {
  expect_contained("hostile.spin", {"timeout"});
  expect_contained("hostile.recursion", {"tool_error"});
  expect_contained("hostile.never", {"timeout"});
  expect_contained("hostile.microtaskFlood", {"timeout", "memory_limit"});
  expect_contained("hostile.timerFlood", {"tool_error"});
}

TEST_F(SandboxEscape, MemoryBombsHitTheCapsAndTheNextCallIsFine) {
  for (const char* bomb : {"hostile.objects", "hostile.arrays", "hostile.buffers", "hostile.strings"}) {
    expect_contained(bomb, {"memory_limit", "tool_error", "sandbox_crashed"});
  }
}

TEST_F(SandboxEscape, CodeGenerationImportsWasmAndNodeGlobalsAreAbsent) {
  expect_contained("hostile.eval", {"tool_error"});
  expect_contained("hostile.function", {"tool_error"});
  expect_contained("hostile.ctorEscape", {"tool_error"});
  expect_contained("hostile.dynamicImport", {"tool_error"});
  auto wasm = call("org_a", "hostile.wasm");
  ASSERT_TRUE(wasm.ok());
  EXPECT_EQ((*wasm)["wasm"], "undefined");
  auto probes = call("org_a", "hostile.probes");
  ASSERT_TRUE(probes.ok());
  for (const auto& p : (*probes)["probes"]) EXPECT_EQ(p, "undefined") << probes->dump();

  const std::string with_import = "import fs from 'node:fs';\n" + std::string(kHostile);
  auto loaded = pool_.call("org_a:importer:1.0.0", with_import, "hostile.ok", json::object(), json::object(), 1000ms);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "bundle_load_failed");
}

TEST_F(SandboxEscape, OutputAbuseIsRefused) {
  expect_contained("hostile.hugeOutput", {"invalid_output"});
  expect_contained("hostile.throwingToJSON", {"invalid_output"});
}

TEST_F(SandboxEscape, PollutionAndStolenStateStayInsideOneOrgsIsolateOfOneVendor) {
  auto polluted = call("org_a", "hostile.pollute");
  ASSERT_TRUE(polluted.ok()) << polluted.error().message;
  EXPECT_EQ((*polluted)["ctxFrozen"], true);

  // Another org running the same bundle: a fresh isolate with nothing of org_a's.
  auto other_org = call("org_b", "hostile.ok");
  ASSERT_TRUE(other_org.ok());
  EXPECT_EQ((*other_org)["polluted"], "no");
  EXPECT_EQ((*other_org)["secret"], "none");
  EXPECT_EQ((*other_org)["org"], "org_b");

  // Another vendor in the same org (same global names): its own isolate as well.
  auto neighbour = pool_.call("org_a:neighbour:1.0.0", std::string(kNeighbour), "neighbour.look", json::object(),
                              json::object(), 1000ms);
  ASSERT_TRUE(neighbour.ok()) << neighbour.error().message;
  EXPECT_EQ((*neighbour)["polluted"], "no");
  EXPECT_EQ((*neighbour)["secret"], "none");
  EXPECT_EQ((*neighbour)["map"], "intact");

  // org_a's own next call still gets a correct, fresh ctx and a correctly serialised output
  // (the host does not use the polluted JSON.stringify).
  auto again = call("org_a", "hostile.ok");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ((*again)["org"], "org_a");
  EXPECT_EQ((*again)["ok"], true);
}

}  // namespace
}  // namespace weft::sandbox
