#include "net/egress.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "net/address_policy.h"
#include "testing/local_http_server.h"

namespace weft::net {
namespace {

using namespace std::chrono_literals;
using weft::testing::LocalHttpServer;

bool public_text(const std::string& text) {
  sockaddr_storage ss{};
  if (inet_pton(AF_INET, text.c_str(), &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr) == 1) {
    ss.ss_family = AF_INET;
  } else if (inet_pton(AF_INET6, text.c_str(), &reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr) == 1) {
    ss.ss_family = AF_INET6;
  } else {
    ADD_FAILURE() << "not an address: " << text;
  }
  return is_public_address(reinterpret_cast<sockaddr*>(&ss));
}

TEST(AddressPolicy, RefusesLoopbackPrivateLinkLocalAndTheirIpv6Disguises) {
  for (const char* a : {"127.0.0.1", "127.5.6.7", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                        "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
                        "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
                        "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2001:db8::1"}) {
    EXPECT_FALSE(public_text(a)) << a;
  }
  for (const char* a : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "2606:4700:4700::1111",
                        "::ffff:8.8.8.8", "2a00:1450:4001::1"}) {
    EXPECT_TRUE(public_text(a)) << a;
  }
}

TEST(EgressCheck, MatchesExactWildcardAndPortedHostsOnly) {
  EgressPolicy p;
  p.allowed_hosts = {"api.example.com", "*.hooks.example.org", "svc.example.net:8443"};
  EXPECT_TRUE(check_egress("https://api.example.com/v1?x=1", p).ok());
  EXPECT_TRUE(check_egress("http://API.Example.com/", p).ok());
  EXPECT_FALSE(check_egress("https://api.example.com:8080/", p).ok());  // other port needs listing
  EXPECT_TRUE(check_egress("https://a.hooks.example.org/", p).ok());
  EXPECT_TRUE(check_egress("https://a.b.hooks.example.org/", p).ok());
  EXPECT_FALSE(check_egress("https://hooks.example.org/", p).ok());  // the apex is not a subdomain
  EXPECT_FALSE(check_egress("https://evilhooks.example.org/", p).ok());
  EXPECT_TRUE(check_egress("https://svc.example.net:8443/", p).ok());
  EXPECT_FALSE(check_egress("https://svc.example.net/", p).ok());
  EXPECT_FALSE(check_egress("https://api.example.com.evil.io/", p).ok());
  EXPECT_FALSE(check_egress("https://user@evil.io/@api.example.com", p).ok());
  auto denied = check_egress("https://other.example.com/secret?token=abc", p);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "egress_denied");
  EXPECT_EQ(denied.error().message.find("token=abc"), std::string::npos);
  EXPECT_EQ(check_egress("ftp://api.example.com/", p).error().code, "egress_denied");
  EXPECT_EQ(check_egress("file:///etc/passwd", p).error().code, "egress_denied");
  EXPECT_EQ(check_egress("not a url", p).error().code, "invalid_url");
  EXPECT_FALSE(check_egress("https://api.example.com/", EgressPolicy{}).ok());  // empty list
  EgressPolicy any;
  any.allowed_hosts = {"*"};
  EXPECT_TRUE(check_egress("https://anything.example/", any).ok());
}

class EgressServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_.on("GET", "/hello", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("hi", "text/plain");
    });
    a_.on("GET", "/to-b", [this](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("http://localhost:" + std::to_string(b_.port()) + "/landing");
    });
    a_.on("GET", "/to-self", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/hello"); });
    a_.on("POST", "/see-other", [](const httplib::Request&, httplib::Response& res) {
      res.status = 303;
      res.set_header("Location", "/hello");
    });
    b_.on("GET", "/landing", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("auth=" + req.get_header_value("Authorization"), "text/plain");
    });
    a_.start();
    b_.start();
    for (int i = 0; i < 500 && !(a_.server().is_running() && b_.server().is_running()); ++i) {
      std::this_thread::sleep_for(2ms);
    }
  }
  void TearDown() override {
    a_.stop();
    b_.stop();
  }
  EgressPolicy local_policy(bool with_b) {
    EgressPolicy p;
    p.allow_private_addresses = true;
    p.allowed_hosts = {"127.0.0.1:" + std::to_string(a_.port())};
    if (with_b) p.allowed_hosts.push_back("localhost:" + std::to_string(b_.port()));
    return p;
  }
  HttpRequest get(const std::string& path) {
    HttpRequest r;
    r.url = a_.url(path);
    r.timeout_ms = 5000;
    return r;
  }
  LocalHttpServer a_, b_;
};

TEST_F(EgressServerTest, LoopbackIsRefusedUnlessThePolicyAllowsPrivateAddresses) {
  EgressPolicy p = local_policy(false);
  p.allow_private_addresses = false;
  auto refused = perform_with_policy(get("/hello"), p);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "egress_denied");
  EXPECT_EQ(refused.error().details.value("address", ""), "127.0.0.1");
  EXPECT_EQ(a_.count("/hello"), 0u);

  auto ok = perform_with_policy(get("/hello"), local_policy(false));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->body, "hi");
}

TEST_F(EgressServerTest, ARedirectLeavingTheAllowListIsRefusedBeforeItIsFollowed) {
  auto r = perform_with_policy(get("/to-b"), local_policy(false));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "egress_denied");
  EXPECT_EQ(r.error().details.value("host", ""), "localhost");
  EXPECT_EQ(b_.count("/landing"), 0u);
}

TEST_F(EgressServerTest, AllowedRedirectsAreFollowedAndDropAuthorizationAcrossHosts) {
  auto same = perform_with_policy(get("/to-self"), local_policy(false));
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_EQ(same->body, "hi");

  auto req = get("/to-b");
  req.headers = {{"Authorization", "Bearer s3cret"}};
  auto cross = perform_with_policy(req, local_policy(true));
  ASSERT_TRUE(cross.ok()) << cross.error().message;
  EXPECT_EQ(cross->body, "auth=");
}

TEST_F(EgressServerTest, SeeOtherTurnsAPostIntoAGetAndRedirectLoopsStop) {
  auto req = get("/see-other");
  req.method = "POST";
  req.body = "payload";
  auto r = perform_with_policy(req, local_policy(false));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "hi");

  EgressPolicy p = local_policy(false);
  p.max_redirects = 0;
  auto loop = perform_with_policy(get("/to-self"), p);
  ASSERT_FALSE(loop.ok());
  EXPECT_EQ(loop.error().code, "too_many_redirects");
}

}  // namespace
}  // namespace weft::net
