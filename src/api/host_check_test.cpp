#include "api/host_check.h"

#include <gtest/gtest.h>

namespace weft::api {
namespace {

TEST(Finding5DnsRebinding, OnlyIpLiteralsLocalhostAndConfiguredOriginsAreAnswered) {
  HostCheck check({"https://weft.example.com", "http://intranet.local:8080"});
  EXPECT_TRUE(check.allowed("127.0.0.1:8080"));
  EXPECT_TRUE(check.allowed("[::1]:8080"));
  EXPECT_TRUE(check.allowed("10.1.2.3"));
  EXPECT_TRUE(check.allowed("localhost:8080"));
  EXPECT_TRUE(check.allowed("LOCALHOST"));
  EXPECT_TRUE(check.allowed("weft.example.com"));
  EXPECT_TRUE(check.allowed("weft.example.com:443"));
  EXPECT_TRUE(check.allowed("Intranet.Local:8080"));
  EXPECT_FALSE(check.allowed("intranet.local:9090"));
  EXPECT_FALSE(check.allowed("attacker.example:8080"));
  EXPECT_FALSE(check.allowed("127.0.0.1.attacker.example"));
  EXPECT_FALSE(check.allowed("localhost.attacker.example"));
  EXPECT_FALSE(check.allowed("weft.example.com.evil"));
  EXPECT_FALSE(check.allowed("[::1"));
  EXPECT_FALSE(check.allowed("a:b:c"));
  EXPECT_FALSE(check.allowed(std::string(1000, 'a')));
}

TEST(OriginAuthority, DropsDefaultPortsAndPaths) {
  EXPECT_EQ(origin_authority("HTTPS://Example.com:443/x"), "example.com");
  EXPECT_EQ(origin_authority("http://a:8080"), "a:8080");
  EXPECT_EQ(origin_authority("http://a:80"), "a");
  EXPECT_EQ(origin_authority("ftp://a"), "");
}

}  // namespace
}  // namespace weft::api
