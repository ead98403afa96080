// Issue 8, finding 1, over HTTP against the real server: a long string checked against a JSON
// Schema `pattern` used to overflow the stack inside valijson's std::regex (SIGSEGV, server
// gone) — from any member through POST /api/workflows/validate, and anonymously through a
// webhook whose body feeds http.request's url. Now each is a clear error and the server stays up.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "api_harness.h"

namespace weft::apitest {
namespace {

json http_request_workflow(const std::string& url) {
  return {{"name", "Long URL"},
          {"trigger", {{"type", "webhook"}}},
          {"steps", {{{"id", "fetch"}, {"action", "http.request"}, {"inputs", {{"url", url}}}}}}};
}

void expect_alive(WeftServer& server) {
  Reply health = server.request("GET", "/api/health");
  EXPECT_EQ(health.status, 200) << health.text;
}

TEST(Finding1LongString, ValidateWorkflowWithA300000CharacterUrlIsA400) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));

  Reply r = server.request("POST", "/api/workflows/validate", owner,
                           http_request_workflow("http://" + std::string(300000, 'a')));
  ASSERT_EQ(r.status, 400) << r.text.substr(0, 500);
  ASSERT_TRUE(r.is_json_error()) << r.text.substr(0, 500);
  EXPECT_EQ(r.error_code(), "workflow_invalid") << r.text.substr(0, 500);
  const std::string text = r.body.dump();
  EXPECT_NE(text.find("300007 bytes"), std::string::npos) << text.substr(0, 500);
  EXPECT_NE(text.find("url"), std::string::npos) << text.substr(0, 500);
  expect_alive(server);

  // The same URL within the limit is checked against the pattern for real.
  Reply fine = server.request("POST", "/api/workflows/validate", owner,
                              http_request_workflow("http://" + std::string(60000, 'a')));
  EXPECT_EQ(fine.status, 200) << fine.text.substr(0, 500);
  Reply wrong = server.request("POST", "/api/workflows/validate", owner, http_request_workflow("ftp://example.com"));
  EXPECT_EQ(wrong.status, 400) << wrong.text;
  expect_alive(server);
}

TEST(Finding1LongString, WebhookWithA200KbUrlFailsTheRunAndTheServerStaysUp) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  Reply created = server.request("POST", "/api/workflows", owner, http_request_workflow("{{trigger.body.url}}"));
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string hook = created.body["webhook"]["path"];
  const std::string long_url = "http://" + std::string(200 * 1024, 'a');

  // Run on the HTTP thread (?wait=true) and on a worker: both used to take the process down.
  Reply waited = server.request("POST", hook + "?wait=true", As::anonymous(), json{{"url", long_url}});
  ASSERT_EQ(waited.status, 200) << waited.text.substr(0, 500);
  EXPECT_EQ(waited.body["status"], "failed") << waited.text.substr(0, 500);
  const std::string error = waited.body["error"].dump();
  EXPECT_NE(error.find("invalid_input"), std::string::npos) << error.substr(0, 500);
  EXPECT_NE(error.find("bytes long"), std::string::npos) << error.substr(0, 500);
  expect_alive(server);

  Reply queued = server.request("POST", hook, As::anonymous(), json{{"url", long_url}});
  ASSERT_EQ(queued.status, 202) << queued.text.substr(0, 500);
  const std::string run_id = queued.body["runId"];
  Reply run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    run = server.request("GET", "/api/runs/" + run_id, owner);
    const std::string status = run.body.value("status", "");
    if (status == "succeeded" || status == "failed" || status == "cancelled") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(run.body.value("status", ""), "failed") << run.text.substr(0, 500);
  EXPECT_NE(run.text.find("bytes long"), std::string::npos) << run.text.substr(0, 500);
  expect_alive(server);
}

}  // namespace
}  // namespace weft::apitest
