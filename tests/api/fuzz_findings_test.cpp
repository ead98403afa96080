// What the libFuzzer targets (fuzz/) found, replayed black-box against the real `weft serve`:
// each is an input an anonymous caller can send, answered with a clear error, and a server that
// still answers afterwards.
#include <gtest/gtest.h>

#include "api_harness.h"

namespace weft::apitest {
namespace {

// fuzz_workflow: a number beyond a double ("1e400") made parse_json throw instead of failing.
TEST(FuzzNumberOverflow, AnonymousLoginWithANumberBeyondADoubleIsInvalidJson) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  Reply r = server.request_raw("POST", "/api/auth/login", As::anonymous(),
                               R"({"email": 1e400, "password": "correct horse battery"})", "application/json");
  EXPECT_EQ(r.status, 400) << r.text;
  EXPECT_EQ(r.error_code(), "invalid_json") << r.text;
  EXPECT_EQ(r.text.find("1e400"), std::string::npos) << r.text;
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
}

// The same number in a webhook body: the run starts with the body as text, as for any body
// that is not JSON, instead of the call failing with 500.
TEST(FuzzNumberOverflow, WebhookBodyWithANumberBeyondADoubleRunsWithTheRawBody) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  json workflow = {{"name", "Hook"},
                   {"trigger", {{"type", "webhook"}}},
                   {"steps", {{{"id", "echo"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.body}}"}}}}}}};
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string path = created.body["webhook"]["path"];

  const std::string body = R"({"amount": 1e400})";
  Reply waited = server.request_raw("POST", path + "?wait=true", As::anonymous(), body, "application/json");
  ASSERT_EQ(waited.status, 200) << waited.text;
  EXPECT_EQ(waited.body["status"], "succeeded") << waited.text;
  EXPECT_EQ(waited.body["output"], body);
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
}

// A member's webhook workflow naming the trigger's body 200 times, posted a 100 KB body by
// anyone: the step fails with invalid_input at once instead of building (and storing) 20 MB —
// with the workflow's 1 MiB and the body's 1 MiB, that was 100 GB.
TEST(FuzzTemplateAmplification, AWebhookCannotMakeATemplateRenderWithoutBound) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  std::string text;
  for (int i = 0; i < 200; ++i) text += "{{trigger.body}}";
  json workflow = {{"name", "Amplifier"},
                   {"trigger", {{"type", "webhook"}}},
                   {"steps", {{{"id", "echo"}, {"action", "core.transform"}, {"inputs", {{"value", text}}}}}}};
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string path = created.body["webhook"]["path"];

  Reply waited = server.request_raw("POST", path + "?wait=true", As::anonymous(), std::string(100000, 'x'), "text/plain");
  ASSERT_EQ(waited.status, 200) << waited.text.substr(0, 500);
  EXPECT_EQ(waited.body["status"], "failed") << waited.text.substr(0, 500);
  EXPECT_EQ(waited.body["error"]["code"], "invalid_input") << waited.text.substr(0, 500);
  EXPECT_LT(waited.text.size(), 10000u);
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
}

}  // namespace
}  // namespace weft::apitest
