#include <gtest/gtest.h>

#include <memory>

#include "integrations/builtin/test_support.h"

namespace weft::integrations {
namespace {

using testing::BuiltinCatalog;
using testing::StepRun;
using testing::wait_for_requests;

constexpr const char* kKey = "acme-key-123";

class AcmePingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.on("GET", "/health", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"up":true})", "application/json");
    });
    server_.on("GET", "/down", [](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      res.set_content("maintenance", "text/plain");
    });
    server_.start();
    testing::wait_until_serving(server_);
    builtins_ = std::make_unique<BuiltinCatalog>(testing::options_for(server_));
  }

  const catalog::Action& action() { return builtins_->action("acme.ping"); }

  weft::testing::LocalHttpServer server_;
  std::unique_ptr<BuiltinCatalog> builtins_;
};

TEST_F(AcmePingTest, SendsTheApiKeyAndReportsOk) {
  StepRun step(action(), {{"endpoint", server_.url("/health")}});
  step.with_auth(vault::AuthType::api_key, {{"api_key", kKey}}, "acme");
  auto out = step.run();
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, json({{"status", "ok"}, {"httpStatus", 200}}));

  auto recorded = wait_for_requests(server_, 1);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].method, "GET");
  EXPECT_EQ(recorded[0].path, "/health");
  EXPECT_EQ(recorded[0].header("X-Api-Key"), kKey);
  EXPECT_EQ(step.log.text().find(kKey), std::string::npos);
}

TEST_F(AcmePingTest, UnavailableOnServerError) {
  StepRun step(action(), {{"endpoint", server_.url("/down")}});
  step.with_auth(vault::AuthType::api_key, {{"api_key", kKey}}, "acme");
  auto out = step.run();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "acme_unavailable");
  EXPECT_EQ(out.error().details["httpStatus"], 503);
  EXPECT_NE(out.error().message.find("503"), std::string::npos);
  EXPECT_EQ(step.log.text().find(kKey), std::string::npos);
}

TEST_F(AcmePingTest, WithoutCredentialFailsBeforeAnyRequest) {
  StepRun step(action(), {{"endpoint", server_.url("/health")}});
  auto out = step.run();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "credential_required");
  EXPECT_TRUE(server_.requests().empty());
}

}  // namespace
}  // namespace weft::integrations
