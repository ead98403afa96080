// ctx.fetch and ctx.log end to end: a workflow step → jailed sandbox process → IPC → the
// parent's egress policy (manifest allow-list, private addresses, redirects) → a real local
// HTTP server; plus the org's concurrency limit and max timeout.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "engine/test_env.h"
#include "sandbox/folder_bundles_test_support.h"
#include "testing/local_http_server.h"
#include "testing/temp_dir.h"

namespace weft::sandbox {
namespace {

using namespace std::chrono_literals;
using store::RunStatus;

constexpr char kFetcher[] = R"js(
export default defineVendor({
  id: "fetcher",
  tools: {
    "fetcher.get": async (input, ctx) => {
      ctx.log("info", "fetching", { path: input.path });
      console.warn("from console");
      const r = await ctx.fetch(input.base + input.path, { headers: { "x-token": "t" } });
      return { status: r.status, body: await r.text(), served: r.headers["x-served"] || "" };
    },
    "fetcher.slow": async () => new Promise(() => { setTimeout(() => {}, 100000); }),
    "fetcher.spin": () => { while (true) {} },
  },
});
)js";

json manifest(const std::vector<std::string>& hosts) {
  auto block = [](const char* id) {
    return json{{"id", id}, {"name", id}, {"inputSchema", {{"type", "object"}}}, {"outputSchema", {{"type", "object"}}}};
  };
  return {{"id", "fetcher"},
          {"name", "Fetcher"},
          {"version", "1.0.0"},
          {"auth", {{"type", "none"}}},
          {"network", {{"allowedHosts", hosts}}},
          {"products", {{{"id", "fetcher"}, {"name", "Fetcher"}, {"blocks", {block("fetcher.get"), block("fetcher.slow")}}}}}};
}

class SandboxEgress : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.on("GET", "/data", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Served", req.get_header_value("x-token"));
      res.set_content("payload", "text/plain");
    });
    server_.on("GET", "/away", [this](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("http://localhost:" + std::to_string(server_.port()) + "/data");
    });
    server_.start();
    for (int i = 0; i < 500 && !server_.server().is_running(); ++i) std::this_thread::sleep_for(2ms);
  }
  void TearDown() override { server_.stop(); }

  void install(SandboxPool& pool, const std::vector<std::string>& hosts) {
    const std::string folder = dir_.file("fetcher");
    std::filesystem::create_directories(folder + "/dist");
    testing::write_file(folder + "/manifest.json", manifest(hosts).dump());
    testing::write_file(folder + "/dist/index.js", kFetcher);
    installed_ = std::make_unique<test::FolderBundles>(env_, pool);
    auto installed = installed_->install(folder);
    ASSERT_TRUE(installed.ok()) << installed.error().message;
  }

  store::RunRecord get(const std::string& path) {
    json doc = {{"name", "fetch"},
                {"steps", {{{"id", "get"}, {"action", "fetcher.get"},
                            {"inputs", {{"base", server_.url("")}, {"path", path}}}}}}};
    return env_.run(doc);
  }

  static SandboxPoolLimits limits(bool allow_private) {
    SandboxPoolLimits l;
    l.allow_private_egress = allow_private;
    l.grace = 3000ms;
    return l;
  }

  std::string local_host() const { return "127.0.0.1:" + std::to_string(server_.port()); }

  testing::LocalHttpServer server_;
  testing::TempDir dir_;
  engine::test::EngineEnv env_;
  std::unique_ptr<test::FolderBundles> installed_;  // after env_: its actions live in env_'s catalog
};

TEST_F(SandboxEgress, AnAllowedHostIsFetchedAndLogsReachTheStepLog) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 1, limits(true));
  install(pool, {local_host()});
  auto run = get("/data");
  ASSERT_EQ(run.status, RunStatus::succeeded) << run.error.dump();
  auto step = env_.steps(run.id)["get"];
  EXPECT_EQ(step.output["status"], 200);
  EXPECT_EQ(step.output["body"], "payload");
  EXPECT_EQ(step.output["served"], "t");
  const std::string logs = step.logs.dump();
  EXPECT_NE(logs.find("fetching"), std::string::npos) << logs;
  EXPECT_NE(logs.find("from console"), std::string::npos) << logs;
}

// The step log audits every ctx.fetch: method, host and status, or the refusal; never the path,
// query or headers (a URL may carry a token).
TEST_F(SandboxEgress, EveryFetchIsAuditedInTheStepLogWithHostAndStatusOnly) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 1, limits(true));
  install(pool, {local_host()});
  auto run = get("/data?token=QUERY-SECRET-77");
  ASSERT_EQ(run.status, RunStatus::succeeded) << run.error.dump();
  const json logs = env_.steps(run.id)["get"].logs;
  json audited = json::array();  // the audit lines (the tool's own log line shows its path: its choice)
  for (const auto& line : logs) {
    if (line.contains("fields") && line["fields"].contains("fetch")) audited.push_back(line);
  }
  ASSERT_EQ(audited.size(), 1u) << logs.dump();
  EXPECT_EQ(audited[0]["fields"]["fetch"], json({{"method", "GET"}, {"host", local_host()}, {"status", 200}}));
  EXPECT_EQ(audited[0]["message"], "fetch GET " + local_host() + " 200");
  EXPECT_EQ(audited.dump().find("QUERY-SECRET-77"), std::string::npos) << audited.dump();
  EXPECT_EQ(audited.dump().find("/data"), std::string::npos) << audited.dump();
}

TEST_F(SandboxEgress, ARefusedFetchIsAuditedInTheStepLogToo) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 1, limits(true));
  install(pool, {"api.example.com"});
  auto denied = get("/data?token=QUERY-SECRET-77");
  ASSERT_EQ(denied.status, RunStatus::failed);
  const json denied_logs = env_.steps(denied.id)["get"].logs;
  bool seen = false;
  for (const auto& line : denied_logs) {
    if (!line.contains("fields") || !line["fields"].contains("fetch")) continue;
    EXPECT_EQ(line["fields"]["fetch"], json({{"method", "GET"}, {"host", local_host()}, {"error", "egress_denied"}}));
    EXPECT_EQ(line.dump().find("QUERY-SECRET-77"), std::string::npos);
    seen = true;
  }
  EXPECT_TRUE(seen) << denied_logs.dump();
}

TEST_F(SandboxEgress, AHostOffTheListIsDeniedBeforeAnyConnection) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 1, limits(true));
  install(pool, {"api.example.com"});
  auto run = get("/data");
  ASSERT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "egress_denied") << run.error.dump();
  EXPECT_EQ(server_.count("/data"), 0u);
}

TEST_F(SandboxEgress, LoopbackIsDeniedEvenWhenListedUnlessPrivateEgressIsAllowed) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 1, limits(false));
  install(pool, {local_host()});
  auto run = get("/data");
  ASSERT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "egress_denied") << run.error.dump();
  EXPECT_NE(run.error["message"].get<std::string>().find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(server_.count("/data"), 0u);
}

TEST_F(SandboxEgress, ARedirectLeavingTheListIsDenied) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 1, limits(true));
  install(pool, {local_host()});
  auto run = get("/away");
  ASSERT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "egress_denied") << run.error.dump();
  EXPECT_EQ(server_.count("/data"), 0u);
}

TEST_F(SandboxEgress, TheOrgConcurrencyLimitQueuesThenFailsAtTheDeadline) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 2, limits(true));
  ExecutionPolicy policy;
  policy.max_concurrent_executions = 1;
  policy.max_timeout_seconds = 1;
  pool.set_policy_source([policy](const std::string&) { return policy; });
  install(pool, {local_host()});
  const std::string actor = env_.org.id.str() + ":fetcher:1.0.0";
  auto source = [] { return Result<std::string>(std::string(kFetcher)); };

  // The policy's max timeout caps a longer requested timeout.
  const auto start = std::chrono::steady_clock::now();
  std::atomic<bool> busy_started{false};
  std::thread busy([&] {
    busy_started = true;
    auto r = pool.call(actor, source, "fetcher.spin", json::object(), json::object(), 60000ms);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "timeout");
  });
  while (!busy_started || pool.running(env_.org.id.str()) == 0) std::this_thread::sleep_for(1ms);
  auto queued = pool.call(actor, source, "fetcher.slow", json::object(), json::object(), 300ms);
  ASSERT_FALSE(queued.ok());
  EXPECT_EQ(queued.error().code, "concurrency_limit");
  busy.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  // Another org is not held up by this one.
  auto other = pool.call("org_other:fetcher:1.0.0", source, "fetcher.slow", json::object(), json::object(), 50ms);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, "timeout");
}

}  // namespace
}  // namespace weft::sandbox
