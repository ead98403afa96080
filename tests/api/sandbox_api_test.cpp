// The sandbox through the HTTP API: an org's execution policy (platform admins set it, members
// read it) and its effect on core.code steps run by `weft serve`.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api_harness.h"
#include "testing/local_http_server.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

Reply run_to_end(WeftServer& server, const As& as, const std::string& wf_id) {
  Reply started = server.request("POST", "/api/workflows/" + wf_id + "/runs", as, json{{"input", json::object()}});
  EXPECT_EQ(started.status, 202) << started.text;
  Reply last;
  for (int i = 0; i < 500; ++i) {
    last = server.request("GET", "/api/runs/" + started.body.value("runId", ""), as);
    const std::string status = last.body.value("status", "");
    if (status == "succeeded" || status == "failed") break;
    std::this_thread::sleep_for(20ms);
  }
  return last;
}

TEST(ApiSandbox, PlatformAdminsSetAnOrgsExecutionPolicyAndCoreCodeObeysIt) {
  testing::LocalHttpServer upstream;
  upstream.on("GET", "/data", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"n":41})", "application/json");
  });
  upstream.start();
  WeftServer server(std::map<std::string, std::string>{{"WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS", "1"}});
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  Reply me = server.request("GET", "/api/auth/me", owner);
  const std::string org = me.body["activeOrg"]["id"];

  Reply defaults = server.request("GET", "/api/execution-policy", owner);
  ASSERT_EQ(defaults.status, 200) << defaults.text;
  EXPECT_EQ(defaults.body["codeNetwork"], false);
  EXPECT_EQ(defaults.body["maxConcurrentExecutions"], 8);
  EXPECT_EQ(defaults.body["orgId"], org);

  // core.code: computes, and has no network by default.
  json workflow = {{"name", "Code"},
                   {"steps", {{{"id", "c"}, {"action", "core.code"},
                               {"inputs", {{"code", "const r = await ctx.fetch('" + upstream.url("/data") +
                                                        "'); return (await r.json()).n + 1;"}}}}}}};
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string wf = created.body["id"];
  Reply denied = run_to_end(server, owner, wf);
  ASSERT_EQ(denied.body["status"], "failed") << denied.text;
  EXPECT_EQ(denied.body["error"]["code"], "egress_denied") << denied.text;
  EXPECT_EQ(upstream.count("/data"), 0u);

  const std::string path = "/api/admin/orgs/" + org + "/execution-policy";
  Reply bad = server.request("PUT", path, owner, json{{"maxConcurrentExecutions", -1}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_code(), "invalid_policy");
  EXPECT_EQ(server.request("PUT", path, owner, json{{"surprise", true}}).status, 400);
  EXPECT_EQ(server.request("PUT", "/api/admin/orgs/org_nope/execution-policy", owner, json::object()).status, 404);
  Reply set = server.request("PUT", path, owner, json{{"codeNetwork", true}, {"maxTimeoutSeconds", 20}});
  ASSERT_EQ(set.status, 200) << set.text;
  EXPECT_EQ(set.body["codeNetwork"], true);
  EXPECT_EQ(set.body["maxTimeoutSeconds"], 20);
  EXPECT_EQ(set.body["maxConcurrentExecutions"], 8);  // left out: the default
  EXPECT_EQ(server.request("GET", "/api/execution-policy", owner).body["codeNetwork"], true);

  std::this_thread::sleep_for(2100ms);  // the worker re-reads a policy at most every 2 s
  Reply allowed = run_to_end(server, owner, wf);
  ASSERT_EQ(allowed.body["status"], "succeeded") << allowed.text;
  EXPECT_EQ(allowed.body["steps"][0]["output"], 42);
  upstream.stop();
}

}  // namespace
}  // namespace weft::apitest
