// End-to-end through the HTTP API: setup → login → credential → workflow → run → the run with
// its step outputs; the webhook trigger; a schedule firing; a run's Server-Sent Events.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api_harness.h"
#include "testing/local_http_server.h"

namespace weft::apitest {
namespace {

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return pred();
}

Reply wait_for_run(WeftServer& server, const As& as, const std::string& run_id) {
  Reply last;
  eventually([&] {
    last = server.request("GET", "/api/runs/" + run_id, as);
    const std::string status = last.body.value("status", "");
    return status == "succeeded" || status == "failed" || status == "cancelled";
  });
  return last;
}

TEST(ApiFlow, SetupLoginCredentialWorkflowRun) {
  testing::LocalHttpServer upstream;
  upstream.on("GET", "/user", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"name":"Ada","plan":"pro"})", "application/json");
  });
  upstream.on("POST", "/slack/chat.postMessage", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ok":true,"channel":"C1","ts":"1.5"})", "application/json");
  });
  upstream.start();
  WeftServer server({{"WEFT_SLACK_API_BASE", upstream.url("/slack")}});

  Reply setup = server.setup();
  ASSERT_EQ(setup.status, 201) << setup.text;
  EXPECT_EQ(setup.body["user"]["platformAdmin"], true);
  EXPECT_EQ(server.setup("other@example.com").status, 409);
  EXPECT_EQ(server.request("GET", "/api/auth/me").status, 401);
  Reply bad = server.request("POST", "/api/auth/login", As::anonymous(),
                             json{{"email", "owner@example.com"}, {"password", "wrong password!!"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.error_code(), "invalid_credentials");

  Reply login = server.request("POST", "/api/auth/login", As::anonymous(),
                               json{{"email", "Owner@Example.com"}, {"password", "correct horse battery"}});
  ASSERT_EQ(login.status, 200) << login.text;
  const std::string set_cookie = login.header("Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Lax"), std::string::npos) << set_cookie;
  const As owner = As::session(server.login("owner@example.com"));
  ASSERT_FALSE(owner.cookie.empty());

  Reply me = server.request("GET", "/api/auth/me", owner);
  ASSERT_EQ(me.status, 200) << me.text;
  EXPECT_EQ(me.body["user"]["email"], "owner@example.com");
  EXPECT_EQ(me.body["activeOrg"]["name"], "Acme");
  EXPECT_EQ(me.body["activeOrg"]["role"], "admin");

  Reply catalog = server.request("GET", "/api/catalog", owner);
  ASSERT_EQ(catalog.status, 200);
  bool has_slack = false;
  for (const auto& p : catalog.body["providers"]) {
    for (const auto& a : p["actions"]) has_slack |= a["key"] == "slack.sendMessage" && !a["display"]["icon"].get<std::string>().empty();
  }
  EXPECT_TRUE(has_slack) << catalog.text;

  Reply cred = server.request("POST", "/api/credentials", owner,
                              json{{"name", "Slack bot"}, {"provider", "slack"}, {"type", "bot_token"},
                                   {"secret", {{"bot_token", "xoxb-API-CANARY"}}}});
  ASSERT_EQ(cred.status, 201) << cred.text;
  EXPECT_EQ(cred.text.find("xoxb-API-CANARY"), std::string::npos);
  for (const char* key : {"id", "name", "provider", "type", "createdAt"}) EXPECT_TRUE(cred.body.contains(key)) << key;
  const std::string cred_id = cred.body["id"];
  Reply creds = server.request("GET", "/api/credentials", owner);
  EXPECT_EQ(creds.text.find("xoxb-API-CANARY"), std::string::npos);
  EXPECT_EQ(creds.body["credentials"].size(), 1u);

  json workflow = {{"name", "Notify"},
                   {"steps", {{{"id", "user"}, {"action", "http.request"}, {"inputs", {{"url", upstream.url("/user")}}}},
                              {{"id", "notify"}, {"action", "slack.sendMessage"}, {"credential", cred_id},
                               {"inputs", {{"channel", "#signups"}, {"text", "{{steps.user.output.body.name}} joined ({{trigger.source}})"}}}}}}};
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  EXPECT_EQ(created.body["version"], 1);
  const std::string wf_id = created.body["id"];
  workflow["steps"][1]["inputs"]["channel"] = "#growth";
  Reply updated = server.request("PUT", "/api/workflows/" + wf_id, owner, workflow);
  ASSERT_EQ(updated.status, 200) << updated.text;
  EXPECT_EQ(updated.body["version"], 2);
  EXPECT_EQ(server.request("GET", "/api/workflows/" + wf_id + "?version=1", owner).body["definition"]["steps"][1]["inputs"]["channel"], "#signups");

  Reply started = server.request("POST", "/api/workflows/" + wf_id + "/runs", owner, json{{"input", {{"source", "api"}}}});
  ASSERT_EQ(started.status, 202) << started.text;
  const std::string run_id = started.body["runId"];
  Reply run = wait_for_run(server, owner, run_id);
  ASSERT_EQ(run.body["status"], "succeeded") << run.text;
  EXPECT_EQ(run.body["workflowId"], wf_id);
  EXPECT_EQ(run.body["workflowVersion"], 2);
  ASSERT_EQ(run.body["steps"].size(), 2u);
  EXPECT_EQ(run.body["steps"][0]["id"], "user");
  EXPECT_EQ(run.body["steps"][0]["output"]["body"]["name"], "Ada");
  EXPECT_EQ(run.body["steps"][1]["input"]["text"], "Ada joined (api)");
  EXPECT_EQ(run.body["steps"][1]["output"]["ts"], "1.5");
  for (const char* key : {"status", "attempts", "input", "output", "logs", "error", "startedAt", "finishedAt"}) {
    EXPECT_TRUE(run.body["steps"][1].contains(key)) << key;
  }
  auto slack_calls = upstream.requests();
  ASSERT_EQ(slack_calls.back().path, "/slack/chat.postMessage");
  EXPECT_EQ(slack_calls.back().header("Authorization"), "Bearer xoxb-API-CANARY");
  EXPECT_EQ(json::parse(slack_calls.back().body), json({{"channel", "#growth"}, {"text", "Ada joined (api)"}}));

  Reply listed = server.request("GET", "/api/runs?workflowId=" + wf_id + "&status=succeeded", owner);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body["runs"].size(), 1u);
  EXPECT_EQ(listed.body["runs"][0]["id"], run_id);
  EXPECT_EQ(server.request("GET", "/api/runs?status=failed", owner).body["runs"].size(), 0u);

  Reply in_use = server.request("DELETE", "/api/credentials/" + cred_id, owner);
  EXPECT_EQ(in_use.status, 409);
  EXPECT_EQ(in_use.body["error"]["details"]["workflows"][0]["id"], wf_id);
  EXPECT_EQ(server.request("DELETE", "/api/credentials/" + cred_id + "?force=true", owner).status, 204);

  // Logout ends the session.
  EXPECT_EQ(server.request("POST", "/api/auth/logout", owner).status, 204);
  EXPECT_EQ(server.request("GET", "/api/auth/me", owner).status, 401);
  auto stopped = server.stop();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_EQ(stopped.err.find("xoxb-API-CANARY"), std::string::npos);
  EXPECT_EQ(stopped.err.find("correct horse battery"), std::string::npos);
}

TEST(ApiFlow, WebhookTriggerEndToEnd) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  json workflow = {{"name", "Hook"},
                   {"trigger", {{"type", "webhook"}}},
                   {"steps", {{{"id", "shape"}, {"action", "core.transform"},
                               {"inputs", {{"value", {{"hello", "{{trigger.body.name}}"}, {"q", "{{trigger.query.src}}"}}}}}}}}};
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string path = created.body["webhook"]["path"];
  ASSERT_EQ(path.rfind("/api/hooks/" + created.body["id"].get<std::string>() + "/", 0), 0u) << path;

  Reply waited = server.request("POST", path + "?wait=true&src=test", As::anonymous(), json{{"name", "Ada"}});
  ASSERT_EQ(waited.status, 200) << waited.text;
  EXPECT_EQ(waited.body["status"], "succeeded");
  EXPECT_EQ(waited.body["output"], json({{"hello", "Ada"}, {"q", "test"}}));

  Reply queued = server.request("POST", path, As::anonymous(), json{{"name", "Bo"}});
  ASSERT_EQ(queued.status, 202) << queued.text;
  Reply run = wait_for_run(server, owner, queued.body["runId"]);
  EXPECT_EQ(run.body["output"]["hello"], "Bo");

  EXPECT_EQ(server.request("POST", path + "x", As::anonymous(), json::object()).status, 404);
  Reply rotated = server.request("POST", "/api/workflows/" + created.body["id"].get<std::string>() + "/webhook/rotate", owner);
  ASSERT_EQ(rotated.status, 200) << rotated.text;
  EXPECT_EQ(server.request("POST", path, As::anonymous(), json::object()).status, 404);
  EXPECT_EQ(server.request("POST", rotated.body["webhook"]["path"].get<std::string>(), As::anonymous(), json::object()).status, 202);
  // The secret never reaches the access log.
  const std::string secret = path.substr(path.rfind('/') + 1);
  EXPECT_EQ(server.log_text().find(secret), std::string::npos);
}

TEST(ApiFlow, ScheduleFiresOncePerSlot) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  json workflow = {{"name", "Every minute"},
                   {"trigger", {{"type", "schedule"}, {"cron", "* * * * *"}, {"timezone", "UTC"}}},
                   {"steps", {{{"id", "tick"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.scheduledAt}}"}}}}}}};
  Reply bad = server.request("POST", "/api/workflows", owner,
                             json{{"name", "bad"}, {"trigger", {{"type", "schedule"}, {"cron", "61 * * * *"}}},
                                  {"steps", workflow["steps"]}});
  EXPECT_EQ(bad.status, 400) << bad.text;
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string wf_id = created.body["id"];
  Reply runs;
  ASSERT_TRUE(eventually([&] {
    runs = server.request("GET", "/api/runs?workflowId=" + wf_id + "&status=succeeded", owner);
    return runs.body["runs"].size() >= 1;
  }, std::chrono::seconds(75))) << runs.text;
  EXPECT_EQ(runs.body["runs"].size(), 1u);  // one slot, one run
  const std::string scheduled = runs.body["runs"][0]["output"];
  EXPECT_NE(scheduled.find(":00.000Z"), std::string::npos) << scheduled;  // a whole minute
}

TEST(ApiFlow, RunEventsStreamStepsLive) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  json workflow = {{"name", "Slow"},
                   {"steps", {{{"id", "first"}, {"action", "core.delay"}, {"inputs", {{"ms", 300}}}},
                              {{"id", "second"}, {"action", "core.delay"}, {"after", {"first"}}, {"inputs", {{"ms", 300}}}}}}};
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  Reply started = server.request("POST", "/api/workflows/" + created.body["id"].get<std::string>() + "/runs", owner, json::object());
  ASSERT_EQ(started.status, 202);
  const std::string run_id = started.body["runId"];

  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(30, 0);
  std::string stream;
  auto res = client.Get("/api/runs/" + run_id + "/events", {{"Cookie", "weft_session=" + owner.cookie}},
                        [&](const char* data, size_t len) {
                          stream.append(data, len);
                          return true;
                        });
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/event-stream");
  const auto first = stream.find("event: step\ndata: {");
  const auto second = stream.find("event: step\ndata: {", first + 1);
  const auto end = stream.find("event: run\ndata: {");
  ASSERT_NE(first, std::string::npos) << stream;
  ASSERT_NE(second, std::string::npos) << stream;
  ASSERT_NE(end, std::string::npos) << stream;
  EXPECT_LT(second, end);
  EXPECT_NE(stream.find("\"id\":\"first\""), std::string::npos);
  EXPECT_LT(stream.find("\"id\":\"first\""), stream.find("\"id\":\"second\""));
  EXPECT_NE(stream.find("\"status\":\"succeeded\"", end), std::string::npos) << stream;
}

TEST(ApiFlow, CancelStopsARunningRunPromptly) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  json workflow = {{"name", "Long"},
                   {"steps", {{{"id", "wait"}, {"action", "core.delay"}, {"inputs", {{"ms", 60000}}}},
                              {{"id", "never"}, {"action", "core.transform"}, {"after", {"wait"}}, {"inputs", {{"value", 1}}}}}}};
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  Reply started = server.request("POST", "/api/workflows/" + created.body["id"].get<std::string>() + "/runs", owner, json::object());
  const std::string run_id = started.body["runId"];
  ASSERT_TRUE(eventually([&] { return server.request("GET", "/api/runs/" + run_id, owner).body["status"] == "running"; }));
  const auto t0 = std::chrono::steady_clock::now();
  Reply cancelled = server.request("POST", "/api/runs/" + run_id + "/cancel", owner);
  ASSERT_EQ(cancelled.status, 200) << cancelled.text;
  EXPECT_EQ(cancelled.body["cancelRequested"], true);
  Reply run = wait_for_run(server, owner, run_id);
  EXPECT_EQ(run.body["status"], "cancelled") << run.text;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));  // not the 60 s delay
  for (const auto& step : run.body["steps"]) EXPECT_NE(step["id"], "never");
  // Cancelling again is harmless; a finished run stays as it is.
  EXPECT_EQ(server.request("POST", "/api/runs/" + run_id + "/cancel", owner).body["status"], "cancelled");
}

// A step whose output is bigger than a stream may buffer (3 MB here, 1 MiB of buffer) still
// reaches the client as an event — without its input, output and logs, marked truncated — and
// the stream ends with the run event instead of being cut (seen from the web app's run panel).
TEST(ApiFlow, RunEventsCarryAHugeStepWithoutCuttingTheStream) {
  testing::LocalHttpServer upstream;
  upstream.on("GET", "/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(3 << 20, 'x'), "text/plain");
  });
  upstream.start();
  WeftServer server(std::map<std::string, std::string>{{"WEFT_HTTP_ALLOW_PRIVATE", "1"}});
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  const json workflow = {{"name", "Big"},
                         {"steps", {{{"id", "big"}, {"action", "http.request"}, {"inputs", {{"url", upstream.url("/big")}}}},
                                    {{"id", "small"}, {"action", "core.transform"}, {"after", {"big"}},
                                     {"inputs", {{"value", "done"}}}}}}};
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  Reply started = server.request("POST", "/api/workflows/" + created.body["id"].get<std::string>() + "/runs", owner,
                                 json::object());
  ASSERT_EQ(started.status, 202);
  const std::string run_id = started.body["runId"];
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(30, 0);
  std::string stream;
  auto res = client.Get("/api/runs/" + run_id + "/events", {{"Cookie", "weft_session=" + owner.cookie}},
                        [&](const char* data, size_t len) {
                          stream.append(data, len);
                          return true;
                        });
  ASSERT_TRUE(res) << "the stream was cut: " << httplib::to_string(res.error());
  EXPECT_LT(stream.size(), 1u << 20);
  const auto big = stream.find("\"id\":\"big\"");
  const auto small = stream.find("\"id\":\"small\"");
  const auto end = stream.find("event: run\ndata: {");
  ASSERT_NE(big, std::string::npos) << stream.substr(0, 500);
  ASSERT_NE(small, std::string::npos) << stream.substr(0, 500);
  ASSERT_NE(end, std::string::npos) << stream.substr(0, 500);
  EXPECT_NE(stream.find("\"truncated\":true"), std::string::npos);
  EXPECT_NE(stream.find("\"status\":\"succeeded\"", end), std::string::npos);
  // The whole step is in the run.
  Reply run = server.request("GET", "/api/runs/" + run_id, owner);
  ASSERT_EQ(run.status, 200);
  EXPECT_EQ(run.body["steps"][0]["output"]["body"].get<std::string>().size(), 3u << 20);
}

}  // namespace
}  // namespace weft::apitest
