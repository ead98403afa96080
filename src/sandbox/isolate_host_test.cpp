#include "sandbox/isolate_host.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace weft::sandbox {
namespace {

using namespace std::chrono_literals;

constexpr char kAcme[] = R"js(
let counter = 0;
export default defineVendor({
  id: "acme",
  tools: {
    "acme.ping": async (input, ctx) => ({ status: "ok" }),
    "acme.echo": (input, ctx) => ({ input, run: ctx.ids.runId }),
    "acme.later": async (input) => { await null; await Promise.resolve(); return { n: input.n * 2 }; },
    "acme.fail": () => { throw new Error("boom"); },
    "acme.reject": async () => { throw new TypeError("async boom"); },
    "acme.spin": () => { while (true) {} },
    "acme.spinAsync": async () => { await null; while (true) {} },
    "acme.never": () => new Promise(() => {}),
    "acme.bomb": () => { const a = []; while (true) a.push({ x: [1, 2, 3], y: "s" + a.length }); },
    "acme.bufferBomb": () => { const a = []; while (true) a.push(new ArrayBuffer(1 << 20)); },
    "acme.eval": () => ({ v: eval("1") }),
    "acme.fn": () => ({ v: new Function("return 1")() }),
    "acme.wasm": () => ({ type: typeof WebAssembly }),
    "acme.count": () => ({ counter: ++counter, global: (globalThis.shared = (globalThis.shared || 0) + 1) }),
    "acme.undef": () => undefined,
    "acme.cycle": () => { const o = {}; o.self = o; return o; },
    "acme.dynImport": async () => { await import("node:fs"); return {}; },
    "acme.big": () => ({ s: "x".repeat(2 << 20) }),
  },
});
)js";

const char kCtx[] = R"({"ids":{"orgId":"org_1","runId":"run_1","stepId":"ping"}})";

std::unique_ptr<Isolate> load_acme(IsolateLimits limits = {}) {
  auto loaded = Isolate::load("acme/dist/index.js", kAcme, limits);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
  return loaded.ok() ? std::move(loaded).take() : nullptr;
}

std::string code_of(const Result<std::string>& r) { return r.ok() ? "ok" : r.error().code; }

TEST(IsolateHost, CallsAToolAndReturnsJson) {
  auto iso = load_acme();
  ASSERT_TRUE(iso);
  EXPECT_EQ(iso->vendor_id(), "acme");
  auto out = iso->call("acme.ping", "{}", kCtx, 1000ms);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, R"({"status":"ok"})");
  auto echo = iso->call("acme.echo", R"({"a":[1,2]})", kCtx, 1000ms);
  ASSERT_TRUE(echo.ok());
  EXPECT_EQ(*echo, R"({"input":{"a":[1,2]},"run":"run_1"})");
}

TEST(IsolateHost, AwaitsAsyncTools) {
  auto iso = load_acme();
  auto out = iso->call("acme.later", R"({"n":21})", kCtx, 1000ms);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, R"({"n":42})");
}

TEST(IsolateHost, ThrownErrorsBecomeToolErrors) {
  auto iso = load_acme();
  auto out = iso->call("acme.fail", "{}", kCtx, 1000ms);
  ASSERT_EQ(code_of(out), "tool_error");
  EXPECT_EQ(out.error().message, "boom");
  // The stack names only the bundle's own frames.
  const std::string stack = out.error().details.value("stack", "");
  EXPECT_NE(stack.find("at acme.fail (acme/dist/index.js:"), std::string::npos) << stack;
  EXPECT_EQ(stack.find("prelude"), std::string::npos) << stack;
  auto rejected = iso->call("acme.reject", "{}", kCtx, 1000ms);
  ASSERT_EQ(code_of(rejected), "tool_error");
  EXPECT_EQ(rejected.error().message, "async boom");
  EXPECT_EQ(rejected.error().details["name"], "TypeError");
}

TEST(IsolateHost, UnknownToolIsToolNotFound) {
  auto iso = load_acme();
  EXPECT_EQ(code_of(iso->call("acme.nope", "{}", kCtx, 1000ms)), "tool_not_found");
  EXPECT_EQ(code_of(iso->call("toString", "{}", kCtx, 1000ms)), "tool_not_found");
}

TEST(IsolateHost, InfiniteLoopTimesOutAndTheIsolateStaysUsable) {
  auto iso = load_acme();
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(code_of(iso->call("acme.spin", "{}", kCtx, 100ms)), "timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_FALSE(iso->dead());
  EXPECT_EQ(code_of(iso->call("acme.ping", "{}", kCtx, 1000ms)), "ok");
  EXPECT_EQ(code_of(iso->call("acme.spinAsync", "{}", kCtx, 100ms)), "timeout");
  EXPECT_EQ(code_of(iso->call("acme.later", R"({"n":1})", kCtx, 1000ms)), "ok");
}

TEST(IsolateHost, NeverSettlingPromiseTimesOut) {
  auto iso = load_acme();
  EXPECT_EQ(code_of(iso->call("acme.never", "{}", kCtx, 100ms)), "timeout");
  EXPECT_EQ(code_of(iso->call("acme.ping", "{}", kCtx, 1000ms)), "ok");
}

TEST(IsolateHost, HeapBombHitsMemoryLimitAndTheProcessSurvives) {
  IsolateLimits limits;
  limits.heap_bytes = 32u << 20;
  auto iso = load_acme(limits);
  ASSERT_TRUE(iso);
  EXPECT_EQ(code_of(iso->call("acme.bomb", "{}", kCtx, 10000ms)), "memory_limit");
  EXPECT_TRUE(iso->dead());
  EXPECT_EQ(code_of(iso->call("acme.ping", "{}", kCtx, 1000ms)), "memory_limit");
  iso.reset();
  auto fresh = load_acme(limits);  // a new isolate works after the old one was discarded
  EXPECT_EQ(code_of(fresh->call("acme.ping", "{}", kCtx, 1000ms)), "ok");
}

TEST(IsolateHost, ArrayBufferMemoryIsCapped) {
  IsolateLimits limits;
  limits.array_buffer_bytes = 8u << 20;
  auto iso = load_acme(limits);
  auto out = iso->call("acme.bufferBomb", "{}", kCtx, 5000ms);
  ASSERT_EQ(code_of(out), "tool_error");
  EXPECT_EQ(out.error().details["name"], "RangeError");
  EXPECT_EQ(code_of(iso->call("acme.ping", "{}", kCtx, 1000ms)), "ok");
}

TEST(IsolateHost, CodeGenerationFromStringsIsRefused) {
  auto iso = load_acme();
  auto ev = iso->call("acme.eval", "{}", kCtx, 1000ms);
  ASSERT_EQ(code_of(ev), "tool_error");
  EXPECT_EQ(ev.error().details["name"], "EvalError");
  auto fn = iso->call("acme.fn", "{}", kCtx, 1000ms);
  ASSERT_EQ(code_of(fn), "tool_error");
  EXPECT_EQ(fn.error().details["name"], "EvalError");
}

TEST(IsolateHost, WebAssemblyIsNotExposed) {
  auto iso = load_acme();
  auto out = iso->call("acme.wasm", "{}", kCtx, 1000ms);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, R"({"type":"undefined"})");
}

TEST(IsolateHost, OutputMustBeJson) {
  IsolateLimits limits;
  limits.max_output_bytes = 1u << 20;
  auto iso = load_acme(limits);
  EXPECT_EQ(code_of(iso->call("acme.undef", "{}", kCtx, 1000ms)), "invalid_output");
  EXPECT_EQ(code_of(iso->call("acme.cycle", "{}", kCtx, 1000ms)), "invalid_output");
  EXPECT_EQ(code_of(iso->call("acme.big", "{}", kCtx, 1000ms)), "invalid_output");
  EXPECT_EQ(code_of(iso->call("acme.ping", "not json", kCtx, 1000ms)), "invalid_input");
}

TEST(IsolateHost, ImportsAreRefused) {
  auto loaded = Isolate::load("x.js", R"js(
    import { z } from "zod";
    export default defineVendor({ id: "x", tools: {} });
  )js");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "bundle_load_failed");
  EXPECT_EQ(loaded.error().message, "imports are not allowed; inline dependencies");
  EXPECT_EQ(loaded.error().details["specifier"], "zod");
}

TEST(IsolateHost, DynamicImportIsRefused) {
  auto iso = load_acme();
  EXPECT_EQ(code_of(iso->call("acme.dynImport", "{}", kCtx, 1000ms)), "tool_error");
}

TEST(IsolateHost, DefaultExportMustComeFromDefineVendor) {
  for (const char* source : {
           R"js(export default { id: "x", tools: { "x.a": () => ({}) } };)js",
           R"js(export const notDefault = defineVendor({ id: "x", tools: {} });)js",
           R"js(export default defineVendor({ id: "Bad Id", tools: {} });)js",
           R"js(export default defineVendor({ id: "x", tools: { "x.a": 3 } });)js",
           R"js(throw new Error("top-level");)js",
           R"js(export default defineVendor({ id: "x", tools: {} )js",  // syntax error
       }) {
    auto loaded = Isolate::load("x.js", source);
    ASSERT_FALSE(loaded.ok()) << source;
    EXPECT_EQ(loaded.error().code, "bundle_load_failed") << source << ": " << loaded.error().message;
  }
}

TEST(IsolateHost, TopLevelInfiniteLoopTimesOut) {
  IsolateLimits limits;
  limits.load_timeout = 100ms;
  auto loaded = Isolate::load("x.js", "while (true) {}", limits);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "timeout");
}

TEST(IsolateHost, IsolatesDoNotShareState) {
  auto a = load_acme();
  auto b = load_acme();
  EXPECT_EQ(*a->call("acme.count", "{}", kCtx, 1000ms), R"({"counter":1,"global":1})");
  EXPECT_EQ(*a->call("acme.count", "{}", kCtx, 1000ms), R"({"counter":2,"global":2})");
  EXPECT_EQ(*b->call("acme.count", "{}", kCtx, 1000ms), R"({"counter":1,"global":1})");
}

}  // namespace
}  // namespace weft::sandbox
