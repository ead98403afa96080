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

// Finding 4 (issue 8): the endpoint is a member's input, the key an admin's secret. The key
// goes only to the configured Acme API base (here `server_`); any other host — a listener of
// the member's, or one a redirect points to — fails the step before the key is sent.
class AcmePingEgressTest : public AcmePingTest {
 protected:
  void SetUp() override {
    listener_.on("GET", "/steal", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"up":true})", "application/json");
    });
    listener_.start();
    testing::wait_until_serving(listener_);
    server_.on("GET", "/moved", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/health"); });
    server_.on("GET", "/away", [this](const httplib::Request&, httplib::Response& res) {
      res.set_redirect(listener_.url("/steal"));
    });
    AcmePingTest::SetUp();
  }

  std::size_t keys_at_listener() const {
    std::size_t n = 0;
    for (const auto& r : listener_.requests()) n += r.header("X-Api-Key").empty() ? 0 : 1;
    return n;
  }

  weft::testing::LocalHttpServer listener_;
};

TEST_F(AcmePingEgressTest, Finding4AnEndpointOffTheAcmeHostFailsAndTheKeyIsNeverSent) {
  StepRun step(action(), {{"endpoint", listener_.url("/steal")}});
  step.with_auth(vault::AuthType::api_key, {{"api_key", kKey}}, "acme");
  auto out = step.run();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "egress_denied");
  EXPECT_TRUE(out.error().is_public);
  EXPECT_NE(out.error().message.find("127.0.0.1:" + std::to_string(listener_.port())), std::string::npos)
      << out.error().message;
  EXPECT_NE(out.error().message.find("WEFT_ACME_API_BASE"), std::string::npos) << out.error().message;
  EXPECT_TRUE(listener_.requests().empty());
  EXPECT_EQ(step.log.text().find(kKey), std::string::npos);
}

TEST_F(AcmePingEgressTest, Finding4ARedirectOffTheAcmeHostFailsAndSameHostRedirectsAreFollowed) {
  StepRun away(action(), {{"endpoint", server_.url("/away")}});
  away.with_auth(vault::AuthType::api_key, {{"api_key", kKey}}, "acme");
  auto denied = away.run();
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "egress_denied");
  EXPECT_EQ(keys_at_listener(), 0u);
  EXPECT_TRUE(listener_.requests().empty());

  StepRun moved(action(), {{"endpoint", server_.url("/moved")}});
  moved.with_auth(vault::AuthType::api_key, {{"api_key", kKey}}, "acme");
  auto out = moved.run();
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ((*out)["httpStatus"], 200);
}

TEST_F(AcmePingEgressTest, Finding4PrivateAddressesAreRefusedWhenTheOperatorSaysSo) {
  BuiltinOptions options = testing::options_for(server_);
  options.http_allow_private = false;  // WEFT_HTTP_ALLOW_PRIVATE=0
  BuiltinCatalog strict(options);
  StepRun step(strict.action("acme.ping"), {{"endpoint", server_.url("/health")}});
  step.with_auth(vault::AuthType::api_key, {{"api_key", kKey}}, "acme");
  auto out = step.run();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "egress_denied");
  EXPECT_EQ(out.error().details.value("address", ""), "127.0.0.1");
  EXPECT_EQ(server_.count("/health"), 0u);
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
