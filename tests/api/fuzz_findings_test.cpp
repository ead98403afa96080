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

}  // namespace
}  // namespace weft::apitest
