#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <regex>

#include "integrations/builtin/action_support.h"
#include "integrations/builtin/test_support.h"

namespace weft::integrations {
namespace {

using testing::BuiltinCatalog;
using testing::StepRun;
using testing::wait_for_requests;

constexpr const char* kToken = "ya29.test-access-token";
constexpr const char* kPath = "/gmail/v1/users/me/messages/send";

struct Mime {
  std::vector<std::string> headers;  // unfolded header lines
  std::string body;

  bool has(const std::string& line) const {
    return std::find(headers.begin(), headers.end(), line) != headers.end();
  }
  std::string get(const std::string& name) const {
    for (const auto& h : headers) {
      if (h.rfind(name + ": ", 0) == 0) return h.substr(name.size() + 2);
    }
    return "";
  }
};

// Splits a CRLF message into unfolded header lines and the body.
Mime parse_mime(const std::string& message) {
  Mime out;
  const auto end = message.find("\r\n\r\n");
  const std::string head = message.substr(0, end);
  out.body = end == std::string::npos ? "" : message.substr(end + 4);
  std::size_t pos = 0;
  while (pos <= head.size()) {
    auto next = head.find("\r\n", pos);
    if (next == std::string::npos) next = head.size();
    std::string line = head.substr(pos, next - pos);
    if (!line.empty() && line[0] == ' ' && !out.headers.empty()) {
      out.headers.back() += line;
    } else {
      out.headers.push_back(line);
    }
    pos = next + 2;
  }
  return out;
}

class GmailSendEmailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.on("POST", kPath, [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      res.status = reply_status_;
      res.set_content(reply_body_, "application/json; charset=UTF-8");
    });
    server_.start();
    testing::wait_until_serving(server_);
    builtins_ = std::make_unique<BuiltinCatalog>(testing::options_for(server_));
  }

  void reply(int status, std::string body) {
    std::lock_guard lock(mutex_);
    reply_status_ = status;
    reply_body_ = std::move(body);
  }

  Result<json> send(const json& input) {
    StepRun step(builtins_->action("gmail.sendEmail"), input);
    step.with_auth(vault::AuthType::oauth2, {{"access_token", kToken}}, "gmail");
    auto out = step.run();
    last_logs_ = step.log.text();
    return out;
  }

  // The RFC 5322 message of the only request received.
  std::string sent_message() {
    auto recorded = wait_for_requests(server_, 1);
    if (recorded.size() != 1) return "";
    const json body = json::parse(recorded[0].body);
    const std::string raw = body.at("raw").get<std::string>();
    EXPECT_EQ(raw.find_first_of("+/"), std::string::npos) << "raw must be base64url";
    return testing::base64_decode(raw);
  }

  std::mutex mutex_;
  int reply_status_ = 200;
  std::string reply_body_ = R"({"id":"18c1","threadId":"18c0","labelIds":["SENT"]})";
  std::string last_logs_;
  weft::testing::LocalHttpServer server_;
  std::unique_ptr<BuiltinCatalog> builtins_;
};

TEST_F(GmailSendEmailTest, SendsAPlainTextMessage) {
  auto out = send({{"to", {"ada@example.com", "bob@example.com"}},
                   {"cc", "cy@example.com"},
                   {"bcc", {"dee@example.com"}},
                   {"from", "Ops <ops@example.com>"},
                   {"replyTo", "help@example.com"},
                   {"subject", "Deploy ✓ done"},
                   {"text", "Line one\nLine two ✓"}});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, json::parse(R"({"id":"18c1","threadId":"18c0","labelIds":["SENT"]})"));

  auto recorded = wait_for_requests(server_, 1);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].method, "POST");
  EXPECT_EQ(recorded[0].path, kPath);
  EXPECT_EQ(recorded[0].header("Authorization"), std::string("Bearer ") + kToken);
  EXPECT_EQ(recorded[0].header("Content-Type"), "application/json; charset=UTF-8");

  const std::string message = sent_message();
  // CRLF everywhere: no bare LF.
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\n') {
      ASSERT_TRUE(i > 0 && message[i - 1] == '\r') << "bare LF at " << i;
    }
  }
  const Mime mime = parse_mime(message);
  EXPECT_EQ(mime.headers[0], "MIME-Version: 1.0");
  EXPECT_TRUE(std::regex_match(
      mime.get("Date"),
      std::regex(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000)")))
      << mime.get("Date");
  EXPECT_TRUE(mime.has("From: Ops <ops@example.com>"));
  EXPECT_TRUE(mime.has("To: ada@example.com, bob@example.com"));
  EXPECT_TRUE(mime.has("Cc: cy@example.com"));
  EXPECT_TRUE(mime.has("Bcc: dee@example.com"));
  EXPECT_TRUE(mime.has("Reply-To: help@example.com"));
  EXPECT_TRUE(mime.has("Subject: =?UTF-8?B?" + base64_encode("Deploy ✓ done") + "?="));
  EXPECT_TRUE(mime.has("Content-Type: text/plain; charset=UTF-8"));
  EXPECT_TRUE(mime.has("Content-Transfer-Encoding: base64"));
  EXPECT_EQ(testing::base64_decode(mime.body), "Line one\r\nLine two ✓");

  EXPECT_EQ(last_logs_.find(kToken), std::string::npos);
  EXPECT_EQ(last_logs_.find("Bearer"), std::string::npos);
}

TEST_F(GmailSendEmailTest, TextAndHtmlMakeMultipartAlternative) {
  auto out = send({{"to", "ada@example.com"},
                   {"subject", "Report"},
                   {"text", "plain version"},
                   {"html", "<p>html version</p>"}});
  ASSERT_TRUE(out.ok()) << out.error().message;
  const Mime mime = parse_mime(sent_message());
  EXPECT_TRUE(mime.has("Subject: Report"));
  EXPECT_FALSE(mime.has("From: "));
  const std::string type = mime.get("Content-Type");
  std::smatch m;
  ASSERT_TRUE(
      std::regex_match(type, m, std::regex(R"re(multipart/alternative; boundary="([^"]+)")re")))
      << type;
  const std::string boundary = m[1];

  const std::string delimiter = "--" + boundary + "\r\n";
  const auto first = mime.body.find(delimiter);
  const auto second = mime.body.find(delimiter, first + 1);
  const auto close = mime.body.find("--" + boundary + "--\r\n");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(close, std::string::npos);
  const Mime text =
      parse_mime(mime.body.substr(first + delimiter.size(), second - first - delimiter.size()));
  const Mime html =
      parse_mime(mime.body.substr(second + delimiter.size(), close - second - delimiter.size()));
  EXPECT_TRUE(text.has("Content-Type: text/plain; charset=UTF-8"));
  EXPECT_TRUE(text.has("Content-Transfer-Encoding: base64"));
  EXPECT_EQ(testing::base64_decode(text.body), "plain version");
  EXPECT_TRUE(html.has("Content-Type: text/html; charset=UTF-8"));
  EXPECT_EQ(testing::base64_decode(html.body), "<p>html version</p>");
}

TEST_F(GmailSendEmailTest, HeaderInjectionIsRefused) {
  auto out = send(
      {{"to", "ada@example.com"}, {"subject", "Hi\r\nBcc: victim@example.com"}, {"text", "x"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "invalid_input");
  EXPECT_EQ(out.error().details["field"], "/subject");

  out = send(
      {{"to", {"ada@example.com", "eve@example.com\nBcc: all@example.com"}}, {"subject", "Hi"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "invalid_input");
  EXPECT_EQ(out.error().details["field"], "/to/1");

  for (const char* field : {"cc", "bcc", "from", "replyTo"}) {
    json input = {{"to", "ada@example.com"}, {"subject", "Hi"}};
    input[field] = "x@example.com\rX-Evil: 1";
    out = send(input);
    ASSERT_FALSE(out.ok()) << field;
    EXPECT_EQ(out.error().code, "invalid_input") << field;
  }
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(GmailSendEmailTest, GoogleErrorsBecomeGmailError) {
  reply(403, R"({"error":{"code":403,"message":"Request had insufficient authentication scopes.",
                 "status":"PERMISSION_DENIED"}})");
  auto out = send({{"to", "ada@example.com"}, {"subject", "Hi"}, {"text", "x"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "gmail_error");
  EXPECT_EQ(out.error().message,
            "Gmail API error: Request had insufficient authentication scopes.");
  EXPECT_EQ(out.error().details["httpStatus"], 403);
  EXPECT_EQ(out.error().details["googleStatus"], "PERMISSION_DENIED");
  EXPECT_EQ(last_logs_.find(kToken), std::string::npos);
}

TEST_F(GmailSendEmailTest, NonJsonErrorStillNamesTheStatus) {
  reply(500, "oops");
  auto out = send({{"to", "ada@example.com"}, {"subject", "Hi"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "gmail_error");
  EXPECT_EQ(out.error().message, "Gmail answered HTTP 500");
}

// Issue 8, finding 2: Google's answer is parsed depth-limited; a hostile one is a bad response.
TEST_F(GmailSendEmailTest, Finding2DeepJsonAnswersAreBadResponsesNotCrashes) {
  reply(200, std::string(200000, '[') + std::string(200000, ']'));
  auto out = send({{"to", "ada@example.com"}, {"subject", "Hi"}, {"text", "x"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "gmail_bad_response");
  reply(500, R"({"error":)" + std::string(200000, '[') + std::string(200000, ']') + "}");
  out = send({{"to", "ada@example.com"}, {"subject", "Hi"}, {"text", "x"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "gmail_error");
  EXPECT_EQ(out.error().message, "Gmail answered HTTP 500");
}

}  // namespace
}  // namespace weft::integrations
