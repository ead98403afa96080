#include <gtest/gtest.h>

#include <memory>
#include <mutex>

#include "integrations/builtin/test_support.h"

namespace weft::integrations {
namespace {

using testing::BuiltinCatalog;
using testing::StepRun;
using testing::wait_for_requests;

constexpr const char* kToken = "xoxb-test-token";

// A fake Slack Web API: chat.postMessage answers whatever the test set last.
class SlackSendMessageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.on("POST", "/chat.postMessage",
               [this](const httplib::Request&, httplib::Response& res) {
                 std::lock_guard lock(mutex_);
                 res.status = reply_status_;
                 for (const auto& [k, v] : reply_headers_) res.set_header(k, v);
                 res.set_content(reply_body_, reply_type_);
               });
    server_.start();
    testing::wait_until_serving(server_);
    builtins_ = std::make_unique<BuiltinCatalog>(testing::options_for(server_));
  }

  void reply(int status, std::string body, std::string type = "application/json",
             httplib::Headers headers = {}) {
    std::lock_guard lock(mutex_);
    reply_status_ = status;
    reply_body_ = std::move(body);
    reply_type_ = std::move(type);
    reply_headers_ = std::move(headers);
  }

  Result<json> send(const json& input, vault::AuthType type = vault::AuthType::oauth2,
                    json secret = {{"access_token", kToken}}) {
    StepRun step(builtins_->action("slack.sendMessage"), input);
    step.with_auth(type, std::move(secret), "slack");
    auto out = step.run();
    last_logs_ = step.log.text();
    return out;
  }

  std::mutex mutex_;
  int reply_status_ = 200;
  std::string reply_body_;
  std::string reply_type_;
  httplib::Headers reply_headers_;
  std::string last_logs_;
  weft::testing::LocalHttpServer server_;
  std::unique_ptr<BuiltinCatalog> builtins_;
};

TEST_F(SlackSendMessageTest, PostsExactlyTheGivenFields) {
  reply(200, R"({"ok":true,"channel":"C024BE91L","ts":"1700000000.000100",
                 "message":{"text":"Deploy finished","type":"message"},"warning":"x"})");
  auto out = send({{"channel", "#ops"},
                   {"text", "Deploy finished"},
                   {"thread_ts", "1699999999.000200"},
                   {"unfurl_links", false}});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, json::parse(R"({"ok":true,"channel":"C024BE91L","ts":"1700000000.000100",
                                  "message":{"text":"Deploy finished","type":"message"}})"));

  auto recorded = wait_for_requests(server_, 1);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].method, "POST");
  EXPECT_EQ(recorded[0].path, "/chat.postMessage");
  EXPECT_EQ(recorded[0].header("Authorization"), "Bearer xoxb-test-token");
  EXPECT_EQ(recorded[0].header("Content-Type"), "application/json; charset=utf-8");
  const json expected = {{"channel", "#ops"},
                         {"text", "Deploy finished"},
                         {"thread_ts", "1699999999.000200"},
                         {"unfurl_links", false}};
  EXPECT_EQ(recorded[0].body, expected.dump());
  EXPECT_EQ(last_logs_.find(kToken), std::string::npos);
  EXPECT_EQ(last_logs_.find("Bearer"), std::string::npos);
}

TEST_F(SlackSendMessageTest, BlocksWithoutText) {
  reply(200, R"({"ok":true,"channel":"C1","ts":"1.2"})");
  const json blocks = json::parse(R"([{"type":"section","text":{"type":"mrkdwn","text":"*hi*"}}])");
  auto out = send({{"channel", "C1"}, {"blocks", blocks}});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, json({{"ok", true}, {"channel", "C1"}, {"ts", "1.2"}}));
  auto recorded = wait_for_requests(server_, 1);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(json::parse(recorded[0].body), json({{"channel", "C1"}, {"blocks", blocks}}));
}

TEST_F(SlackSendMessageTest, OkFalseIsASlackError) {
  reply(200, R"({"ok":false,"error":"channel_not_found"})");
  auto out = send({{"channel", "#nope"}, {"text", "hi"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "slack_error");
  EXPECT_EQ(out.error().message, "Slack API error: channel_not_found");
  EXPECT_EQ(out.error().details["slackError"], "channel_not_found");
  EXPECT_TRUE(out.error().is_public);
  EXPECT_EQ(last_logs_.find(kToken), std::string::npos);
}

TEST_F(SlackSendMessageTest, BotTokenCredentialWorks) {
  reply(200, R"({"ok":true,"channel":"C1","ts":"1.2"})");
  auto out = send({{"channel", "C1"}, {"text", "hi"}}, vault::AuthType::bot_token,
                  {{"bot_token", "xoxb-bot-token"}});
  ASSERT_TRUE(out.ok()) << out.error().message;
  auto recorded = wait_for_requests(server_, 1);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].header("Authorization"), "Bearer xoxb-bot-token");
  EXPECT_EQ(last_logs_.find("xoxb-bot-token"), std::string::npos);
}

TEST_F(SlackSendMessageTest, RateLimitedCarriesRetryAfter) {
  reply(429, R"({"ok":false,"error":"ratelimited"})", "application/json", {{"Retry-After", "30"}});
  auto out = send({{"channel", "C1"}, {"text", "hi"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "rate_limited");
  EXPECT_EQ(out.error().details["retryAfter"], 30);
}

TEST_F(SlackSendMessageTest, NonJsonIsABadResponse) {
  reply(502, "<html>Bad Gateway</html>", "text/html");
  auto out = send({{"channel", "C1"}, {"text", "hi"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "slack_bad_response");
  EXPECT_EQ(out.error().details["httpStatus"], 502);
}

// Finding 4 (issue 8): the token goes only to the Slack API base's origin, also across redirects.
TEST_F(SlackSendMessageTest, Finding4ARedirectOffTheSlackHostFailsAndTheTokenStaysHome) {
  weft::testing::LocalHttpServer elsewhere;
  elsewhere.on("POST", "/chat.postMessage", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ok":true,"channel":"C1","ts":"9.9"})", "application/json");
  });
  elsewhere.start();
  testing::wait_until_serving(elsewhere);
  reply(307, "", "text/plain", {{"Location", elsewhere.url("/chat.postMessage")}});
  auto out = send({{"channel", "C1"}, {"text", "hi"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "egress_denied");
  EXPECT_NE(out.error().message.find("WEFT_SLACK_API_BASE"), std::string::npos) << out.error().message;
  EXPECT_TRUE(elsewhere.requests().empty());
}

TEST_F(SlackSendMessageTest, MissingTextAndBlocksIsRefusedBySchema) {
  auto out = send({{"channel", "C1"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "invalid_input");
  EXPECT_TRUE(server_.requests().empty());
}

// Issue 8, finding 2: Slack's answer is parsed depth-limited; a hostile one is a bad response.
TEST_F(SlackSendMessageTest, Finding2DeepJsonIsABadResponseNotACrash) {
  reply(200, R"({"ok":true,"message":)" + std::string(200000, '[') + std::string(200000, ']') + "}");
  auto out = send({{"channel", "C1"}, {"text", "hi"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "slack_bad_response");
  EXPECT_EQ(out.error().details["httpStatus"], 200);
}

}  // namespace
}  // namespace weft::integrations
