#include "integrations/builtin/action_support.h"

#include <gtest/gtest.h>

#include "integrations/builtin/test_support.h"

namespace weft::integrations {
namespace {

TEST(ActionSupport, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(base64_encode("\xfb\xff", Base64Alphabet::url_safe), "-_8=");
  EXPECT_EQ(testing::base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(testing::base64_decode("-_8"), "\xfb\xff");
}

TEST(ActionSupport, UrlHelpers) {
  EXPECT_EQ(url_encode("a b&c=d/é~"), "a%20b%26c%3Dd%2F%C3%A9~");
  EXPECT_EQ(join_url("http://h/api/", "/chat.postMessage"), "http://h/api/chat.postMessage");
  EXPECT_EQ(join_url("http://h", "x"), "http://h/x");
  EXPECT_EQ(url_origin("https://user:pw@Api.Example.com:8443/hooks/SECRET?key=v#f"),
            "https://Api.Example.com:8443");
  EXPECT_EQ(url_origin("HTTP://h?x=1"), "http://h");
  EXPECT_TRUE(is_http_url("HTTPS://x"));
  EXPECT_TRUE(is_http_url("http://x"));
  EXPECT_FALSE(is_http_url("ftp://x"));
  EXPECT_FALSE(is_http_url("http:/x"));
}

TEST(ActionSupport, JsonContentTypes) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("application/problem+json"));
  EXPECT_FALSE(is_json_content_type("text/plain"));
  EXPECT_FALSE(is_json_content_type("application/jsonp"));
  EXPECT_FALSE(is_json_content_type(""));
}

TEST(ActionSupport, Utf8) {
  EXPECT_TRUE(is_valid_utf8("plain ✓ 日本 😀"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));        // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));    // surrogate
  EXPECT_FALSE(is_valid_utf8("\xe2\x9c"));        // truncated
  EXPECT_EQ(safe_utf8_prefix("ab✓cd", 4), "ab");  // ✓ is 3 bytes: not cut in half
  EXPECT_EQ(safe_utf8_prefix("ab✓cd", 5), "ab✓");
  EXPECT_EQ(safe_utf8_prefix("a\xff"
                             "b",
                             10),
            "a?b");
}

TEST(ActionSupport, HeadersToJsonJoinsRepeats) {
  const json h = headers_to_json({{"set-cookie", "a=1"}, {"x", "y"}, {"set-cookie", "b=2"}});
  EXPECT_EQ(h, json({{"set-cookie", "a=1, b=2"}, {"x", "y"}}));
}

TEST(ActionSupport, StringField) {
  const json j = {{"s", "v"}, {"n", 1}};
  EXPECT_EQ(string_field(j, "s"), "v");
  EXPECT_EQ(string_field(j, "n", "fb"), "fb");
  EXPECT_EQ(string_field(j, "missing", "fb"), "fb");
  EXPECT_EQ(string_field(json::array(), "s", "fb"), "fb");
}

TEST(ActionSupport, SchemaFromTextReportsBadLiterals) {
  EXPECT_TRUE(schema_from_text(R"({"type":"object"})").ok());
  auto bad = schema_from_text("{not json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_schema");
}

}  // namespace
}  // namespace weft::integrations
