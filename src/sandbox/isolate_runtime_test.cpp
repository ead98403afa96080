// The runtime a tool sees: ctx (log, fetch, ids, auth), the web globals, timers and the event
// loop that settles a tool's promise through host fetches and timers.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "sandbox/isolate_host.h"

namespace weft::sandbox {
namespace {

using namespace std::chrono_literals;

// A host that records what the isolate asked and answers fetches from a table.
class FakeHost : public HostCalls {
 public:
  Result<json> fetch(const json& request) override {
    requests.push_back(request);
    const std::string url = request.value("url", "");
    if (url.find("denied") != std::string::npos) {
      return Error::make("egress_denied", "requests to denied.example are not allowed");
    }
    return json{{"status", 200},
                {"url", url},
                {"headers", {{"content-type", "application/json"}}},
                {"body", json{{"echo", request.value("body", "")}, {"n", requests.size()}}.dump()}};
  }
  void log(const std::string& level, const std::string& message, const json& fields) override {
    logs.push_back({{"level", level}, {"message", message}, {"fields", fields}});
  }
  std::vector<json> requests;
  std::vector<json> logs;
};

constexpr char kRuntime[] = R"js(
let calls = 0;
export default defineVendor({
  id: "rt",
  tools: {
    "rt.fetch": async (input, ctx) => {
      const r = await ctx.fetch("https://api.example.com/v1", { method: "post", body: { q: input.q }, headers: { "x-a": "1" } });
      return { status: r.status, ok: r.ok, type: r.headers["content-type"], body: await r.json() };
    },
    "rt.fetchAll": async (input, ctx) => {
      const rs = await Promise.all([1, 2, 3].map((i) => ctx.fetch("https://api.example.com/" + i)));
      return { ns: await Promise.all(rs.map(async (r) => (await r.json()).n)) };
    },
    "rt.denied": async (input, ctx) => { await ctx.fetch("https://denied.example/"); return {}; },
    "rt.deniedCaught": async (input, ctx) => {
      try { await ctx.fetch("https://denied.example/"); } catch (e) { return { code: e.code, message: e.message }; }
    },
    "rt.forge": async (input, ctx) => {
      try { await ctx.fetch("https://denied.example/"); } catch (e) { e.code = "memory_limit"; throw e; }
    },
    "rt.bigFields": (input, ctx) => { ctx.log("info", "big", { p: "a".repeat(100000) }); return {}; },
    "rt.timerArgs": () => { setTimeout(() => {}, 1, ...new Array(100).fill(0)); return {}; },
    "rt.log": (input, ctx) => {
      ctx.log("warn", "careful", { a: 1 });
      ctx.log("bogus", "unknown level");
      console.log("hello", { b: 2 }, 3);
      console.error("bad");
      return {};
    },
    "rt.flood": (input, ctx) => { for (let i = 0; i < 1000; i++) console.log("line " + i); return {}; },
    "rt.timers": async () => {
      const order = [];
      await new Promise((resolve) => {
        setTimeout(() => order.push("b"), 20);
        setTimeout(() => order.push("a"), 5);
        const dropped = setTimeout(() => order.push("never"), 1);
        clearTimeout(dropped);
        queueMicrotask(() => order.push("micro"));
        setTimeout((x) => { order.push(x); resolve(); }, 30, "c");
      });
      return { order };
    },
    "rt.interval": () => new Promise((resolve) => {
      let ticks = 0;
      const id = setInterval((step) => { ticks += step; if (ticks === 3) { clearInterval(id); resolve({ ticks }); } }, 2, 1);
    }),
    "rt.lateTimer": () => new Promise((resolve) => setTimeout(resolve, 60000)),
    "rt.timerThrows": () => new Promise(() => setTimeout(() => { throw new Error("in timer"); }, 1)),
    "rt.leaveTimer": () => { setTimeout(() => { globalThis.leaked = true; }, 1); return {}; },
    "rt.leaked": () => ({ leaked: globalThis.leaked === true }),
    "rt.globals": () => {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      const clone = structuredClone({ d: new Date(0), m: new Map([[1, 2]]), nested: { a: [1] } });
      let cloneFn = "none";
      try { structuredClone({ f() {} }); } catch (e) { cloneFn = e.name; }
      return {
        random: bytes.some((b) => b !== 0),
        uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),
        clone: clone.d instanceof Date && clone.m.get(1) === 2 && clone.nested.a[0] === 1,
        cloneFn,
        absent: [typeof require, typeof process, typeof Buffer, typeof WebAssembly, typeof fetch,
                 typeof FinalizationRegistry, typeof WeakRef],
      };
    },
    "rt.web": () => {
      const u = new URL("../b?x=1#h", "https://user@example.com:8443/a/c");
      u.searchParams.append("y", "two words");
      const bytes = new TextEncoder().encode("héllo");
      return { href: u.href, host: u.host, len: bytes.length, text: new TextDecoder().decode(bytes),
               b64: btoa("hi"), raw: atob("aGk=") };
    },
    "rt.ctx": (input, ctx) => {
      calls++;
      let frozen = false;
      try { ctx.auth = "stolen"; ctx.ids.orgId = "other"; } catch (e) { frozen = e instanceof TypeError; }
      let fnFrozen = false;
      try { ctx.fetch.hijacked = 1; } catch (e) { fnFrozen = true; }
      return { calls, frozen, fnFrozen, org: ctx.ids.orgId, auth: ctx.auth, key: ctx.idempotencyKey };
    },
  },
});
)js";

std::unique_ptr<Isolate> load_runtime() {
  auto loaded = Isolate::load("rt/dist/index.js", kRuntime);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
  return loaded.ok() ? std::move(loaded).take() : nullptr;
}

const char kCtx[] = R"({"ids":{"orgId":"org_1","runId":"run_1","stepId":"s"},"auth":{"api_key":"k1"},"idempotencyKey":"run_1:s:1"})";

json call_json(Isolate& iso, const char* tool, HostCalls* host, const std::string& input = "{}",
               std::chrono::milliseconds timeout = 2000ms) {
  auto out = iso.call(tool, input, kCtx, timeout, host);
  EXPECT_TRUE(out.ok()) << tool << ": " << (out.ok() ? "" : out.error().code + " " + out.error().message);
  return out.ok() ? json::parse(*out) : json();
}

TEST(IsolateRuntime, FetchGoesThroughTheHostAndResolvesToAResponse) {
  auto iso = load_runtime();
  ASSERT_TRUE(iso);
  FakeHost host;
  json out = call_json(*iso, "rt.fetch", &host, R"({"q":"weather"})");
  ASSERT_EQ(host.requests.size(), 1u);
  const json& req = host.requests[0];
  EXPECT_EQ(req["url"], "https://api.example.com/v1");
  EXPECT_EQ(req["method"], "POST");
  EXPECT_EQ(req["headers"]["x-a"], "1");
  EXPECT_EQ(req["headers"]["content-type"], "application/json");
  EXPECT_EQ(req["body"], R"({"q":"weather"})");
  EXPECT_GT(req["timeoutMs"].get<std::int64_t>(), 0);
  EXPECT_LE(req["timeoutMs"].get<std::int64_t>(), 2000);
  EXPECT_EQ(out["status"], 200);
  EXPECT_EQ(out["ok"], true);
  EXPECT_EQ(out["type"], "application/json");
  EXPECT_EQ(out["body"]["echo"], R"({"q":"weather"})");

  FakeHost many;
  json all = call_json(*iso, "rt.fetchAll", &many);
  EXPECT_EQ(all["ns"], json::parse("[1,2,3]"));
}

TEST(IsolateRuntime, AHostErrorKeepsItsCodeWhetherCaughtOrNot) {
  auto iso = load_runtime();
  ASSERT_TRUE(iso);
  FakeHost host;
  auto denied = iso->call("rt.denied", "{}", kCtx, 2000ms, &host);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "egress_denied");
  json caught = call_json(*iso, "rt.deniedCaught", &host);
  EXPECT_EQ(caught["code"], "egress_denied");
  // Without a host there is no network at all.
  auto none = iso->call("rt.denied", "{}", kCtx, 2000ms, nullptr);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "egress_denied");
}

// The host error code lives where bundle code cannot rewrite it: rethrowing a fetch error
// with e.code = "memory_limit" (which would make the parent kill a shared process) changes nothing.
TEST(IsolateRuntime, AToolCannotForgeAHostErrorCode) {
  auto iso = load_runtime();
  ASSERT_TRUE(iso);
  FakeHost host;
  auto forged = iso->call("rt.forge", "{}", kCtx, 2000ms, &host);
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().code, "egress_denied");
  EXPECT_FALSE(iso->dead());
}

TEST(IsolateRuntime, HostMemoryOutsideTheHeapIsCapped) {
  auto iso = load_runtime();
  ASSERT_TRUE(iso);
  FakeHost host;
  call_json(*iso, "rt.bigFields", &host);
  ASSERT_EQ(host.logs.size(), 1u);
  EXPECT_EQ(host.logs[0]["fields"], json({{"truncated", true}}));
  auto args = iso->call("rt.timerArgs", "{}", kCtx, 1000ms, &host);
  ASSERT_FALSE(args.ok());
  EXPECT_EQ(args.error().code, "tool_error");
}

TEST(IsolateRuntime, LogAndConsoleReachTheHostWithACap) {
  auto iso = load_runtime();
  ASSERT_TRUE(iso);
  FakeHost host;
  call_json(*iso, "rt.log", &host);
  ASSERT_EQ(host.logs.size(), 4u);
  EXPECT_EQ(host.logs[0]["level"], "warn");
  EXPECT_EQ(host.logs[0]["message"], "careful");
  EXPECT_EQ(host.logs[0]["fields"]["a"], 1);
  EXPECT_EQ(host.logs[1]["level"], "info");
  EXPECT_EQ(host.logs[2]["message"], R"(hello {"b":2} 3)");
  EXPECT_EQ(host.logs[3]["level"], "error");

  FakeHost flooded;
  call_json(*iso, "rt.flood", &flooded);
  ASSERT_EQ(flooded.logs.size(), static_cast<std::size_t>(kMaxLogLinesPerCall) + 1);
  EXPECT_NE(flooded.logs.back()["message"].get<std::string>().find("log limit"), std::string::npos);
}

TEST(IsolateRuntime, TimersFireInOrderAndAreBoundedByTheDeadline) {
  auto iso = load_runtime();
  ASSERT_TRUE(iso);
  json out = call_json(*iso, "rt.timers", nullptr);
  EXPECT_EQ(out["order"], json::parse(R"(["micro","a","b","c"])"));
  EXPECT_EQ(call_json(*iso, "rt.interval", nullptr)["ticks"], 3);

  const auto start = std::chrono::steady_clock::now();
  auto late = iso->call("rt.lateTimer", "{}", kCtx, 500ms);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 400ms);  // refused at once, not slept on

  auto throws = iso->call("rt.timerThrows", "{}", kCtx, 1000ms);
  ASSERT_FALSE(throws.ok());
  EXPECT_EQ(throws.error().code, "tool_error");
  EXPECT_NE(throws.error().message.find("in timer"), std::string::npos);

  // A timer left behind by a finished call never runs later.
  call_json(*iso, "rt.leaveTimer", nullptr);
  json leaked = call_json(*iso, "rt.leaked", nullptr);
  EXPECT_EQ(leaked["leaked"], false);
}

TEST(IsolateRuntime, WebGlobalsExistAndNodeOnesDoNot) {
  auto iso = load_runtime();
  ASSERT_TRUE(iso);
  json out = call_json(*iso, "rt.globals", nullptr);
  EXPECT_EQ(out["random"], true);
  EXPECT_EQ(out["uuid"], true);
  EXPECT_EQ(out["clone"], true);
  EXPECT_EQ(out["cloneFn"], "Error");
  EXPECT_EQ(out["absent"], json::parse(R"(["undefined","undefined","undefined","undefined","undefined","undefined","undefined"])"));
}

TEST(IsolateRuntime, ThePreludeProvidesUrlTextCodingAndBase64) {
  auto iso = load_runtime();
  ASSERT_TRUE(iso);
  json out = call_json(*iso, "rt.web", nullptr);
  EXPECT_EQ(out["href"], "https://user@example.com:8443/b?x=1&y=two+words#h");
  EXPECT_EQ(out["host"], "example.com:8443");
  EXPECT_EQ(out["len"], 6);
  EXPECT_EQ(out["text"], "héllo");
  EXPECT_EQ(out["b64"], "aGk=");
  EXPECT_EQ(out["raw"], "hi");
}

TEST(IsolateRuntime, CtxIsFrozenAndFreshForEveryCall) {
  auto iso = load_runtime();
  ASSERT_TRUE(iso);
  json first = call_json(*iso, "rt.ctx", nullptr);
  EXPECT_EQ(first["frozen"], true);
  EXPECT_EQ(first["fnFrozen"], true);
  EXPECT_EQ(first["org"], "org_1");
  EXPECT_EQ(first["auth"]["api_key"], "k1");
  EXPECT_EQ(first["key"], "run_1:s:1");
  json second = call_json(*iso, "rt.ctx", nullptr);
  EXPECT_EQ(second["calls"], 2);  // module state persists by design
  EXPECT_EQ(second["auth"]["api_key"], "k1");
}

}  // namespace
}  // namespace weft::sandbox
