#include "net/outbound_policy.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "testing/local_http_server.h"

namespace weft::net {
namespace {

using namespace std::chrono_literals;
using weft::testing::LocalHttpServer;

const CredentialBinding kAcme{"acme", "https://api.acme.com/v1", "WEFT_ACME_API_BASE"};

TEST(OutboundPolicy, ACredentialGoesOnlyToTheOriginOfItsApiBase) {
  auto policy = OutboundPolicy{}.with_credential(kAcme);
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  EXPECT_TRUE(check_egress("https://api.acme.com/health", *policy).ok());
  EXPECT_TRUE(check_egress("https://API.Acme.com:443/other/path?x=1", *policy).ok());
  for (const char* url : {"https://evil.example/health", "https://x.api.acme.com/", "https://api.acme.com:8443/",
                          "https://api.acme.com.evil.io/", "https://user@evil.io/@api.acme.com"}) {
    auto denied = check_egress(url, *policy);
    ASSERT_FALSE(denied.ok()) << url;
    EXPECT_EQ(denied.error().code, "egress_denied") << url;
  }
  auto other = check_egress("https://evil.example/steal?key=abc", *policy);
  EXPECT_EQ(other.error().details.value("host", ""), "evil.example");
  EXPECT_NE(other.error().message.find("evil.example"), std::string::npos);
  EXPECT_NE(other.error().message.find("acme credential"), std::string::npos);
  EXPECT_NE(other.error().message.find("WEFT_ACME_API_BASE"), std::string::npos);
  EXPECT_EQ(other.error().message.find("key=abc"), std::string::npos);
  // An https base never lets the credential travel in clear, not even to its own host.
  auto clear = check_egress("http://api.acme.com/health", *policy);
  ASSERT_FALSE(clear.ok());
  EXPECT_EQ(clear.error().code, "egress_denied");
  EXPECT_FALSE(check_egress("http://api.acme.com:443/health", *policy).ok());
}

TEST(OutboundPolicy, AnExplicitLocalBaseIsTheOneAllowedHostAndCarriesTheAddressRule) {
  OutboundPolicy rules;
  rules.allow_private_addresses = false;
  rules.max_redirects = 3;
  auto policy = rules.with_credential({"slack", "http://127.0.0.1:5555/api", "WEFT_SLACK_API_BASE"});
  ASSERT_TRUE(policy.ok());
  EXPECT_TRUE(check_egress("http://127.0.0.1:5555/api/chat.postMessage", *policy).ok());
  EXPECT_FALSE(check_egress("http://127.0.0.1:5556/api/chat.postMessage", *policy).ok());
  EXPECT_FALSE(check_egress("http://localhost:5555/api/chat.postMessage", *policy).ok());
  EXPECT_FALSE(policy->allow_private_addresses);
  EXPECT_EQ(policy->max_redirects, 3);
  EXPECT_FALSE(policy->https_only);
}

TEST(OutboundPolicy, AMalformedBaseIsAConfigurationErrorNamingTheSetting) {
  for (const char* base : {"", "api.acme.com", "ftp://api.acme.com", "https://"}) {
    auto policy = OutboundPolicy{}.with_credential({"acme", base, "WEFT_ACME_API_BASE"});
    ASSERT_FALSE(policy.ok()) << base;
    EXPECT_EQ(policy.error().code, "invalid_configuration") << base;
    EXPECT_NE(policy.error().message.find("WEFT_ACME_API_BASE"), std::string::npos);
  }
}

TEST(OutboundPolicy, WithoutACredentialAnyHostUnderTheAddressRule) {
  OutboundPolicy rules;
  rules.allow_private_addresses = false;
  const EgressPolicy policy = rules.without_credential();
  EXPECT_TRUE(check_egress("https://anything.example/x", policy).ok());
  EXPECT_FALSE(check_egress("ftp://anything.example/x", policy).ok());
  EXPECT_FALSE(policy.allow_private_addresses);
}

// The bound origin (a_) and a stranger (b_) on loopback.
class CredentialedRequest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_.on("GET", "/health", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("key=" + req.get_header_value("X-Api-Key"), "text/plain");
    });
    a_.on("GET", "/moved", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/health"); });
    a_.on("GET", "/away", [this](const httplib::Request&, httplib::Response& res) {
      res.set_redirect(b_.url("/collect"));
    });
    b_.on("GET", "/collect", [](const httplib::Request&, httplib::Response& res) { res.set_content("got it", "text/plain"); });
    a_.start();
    b_.start();
    for (int i = 0; i < 500 && !(a_.server().is_running() && b_.server().is_running()); ++i) {
      std::this_thread::sleep_for(2ms);
    }
  }
  EgressPolicy policy(bool allow_private = true) {
    OutboundPolicy rules;
    rules.allow_private_addresses = allow_private;
    auto p = rules.with_credential({"acme", a_.url(""), "WEFT_ACME_API_BASE"});
    EXPECT_TRUE(p.ok());
    return *p;
  }
  HttpRequest get(const std::string& url) {
    HttpRequest r;
    r.url = url;
    r.timeout_ms = 5000;
    r.headers = {{"X-Api-Key", "k-secret"}};
    return r;
  }
  std::size_t keys_seen_by_b() {
    std::size_t n = 0;
    for (const auto& r : b_.requests()) n += r.header("X-Api-Key").empty() ? 0 : 1;
    return n;
  }
  LocalHttpServer a_, b_;
};

TEST_F(CredentialedRequest, Finding4SameOriginRedirectsKeepTheKeyAndNoHopLeavesTheOrigin) {
  auto same = perform_with_policy(get(a_.url("/moved")), policy());
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_EQ(same->body, "key=k-secret");

  auto away = perform_with_policy(get(a_.url("/away")), policy());
  ASSERT_FALSE(away.ok());
  EXPECT_EQ(away.error().code, "egress_denied");
  EXPECT_EQ(away.error().details.value("host", ""), "127.0.0.1");
  EXPECT_NE(away.error().message.find(std::to_string(b_.port())), std::string::npos) << away.error().message;

  auto direct = perform_with_policy(get(b_.url("/collect")), policy());
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().code, "egress_denied");
  EXPECT_TRUE(b_.requests().empty());
  EXPECT_EQ(keys_seen_by_b(), 0u);
}

TEST_F(CredentialedRequest, Finding4TheAddressRuleHoldsEvenForTheBoundOrigin) {
  auto refused = perform_with_policy(get(a_.url("/health")), policy(/*allow_private=*/false));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "egress_denied");
  EXPECT_EQ(refused.error().details.value("address", ""), "127.0.0.1");
  EXPECT_TRUE(a_.requests().empty());
}

}  // namespace
}  // namespace weft::net
