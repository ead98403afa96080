#include "api/session_cookie.h"

#include <gtest/gtest.h>

namespace weft::api {
namespace {

http::Request with_cookies(std::initializer_list<std::string> headers) {
  http::Request r;
  for (const auto& h : headers) r.headers.emplace("Cookie", h);
  return r;
}

TEST(Finding8SessionCookie, ExactlyOneSessionCookieIsRead) {
  EXPECT_EQ(session_token(with_cookies({"a=1; weft_session=tok; b=2"}), false), "tok");
  EXPECT_EQ(session_token(with_cookies({"weft_session=one; weft_session=two"}), false), "");
  EXPECT_EQ(session_token(with_cookies({"weft_session=one", "weft_session=two"}), false), "");
  EXPECT_EQ(session_token(with_cookies({"xweft_session=no"}), false), "");
  EXPECT_EQ(session_token(with_cookies({}), false), "");
}

TEST(Finding8SessionCookie, OverHttpsOnlyTheHostPrefixedSecureCookieCounts) {
  EXPECT_EQ(session_token(with_cookies({"weft_session=plain"}), true), "");
  EXPECT_EQ(session_token(with_cookies({"weft_session=plain; __Host-weft_session=sec"}), true), "sec");
  const std::string set = session_cookie("tok", 3600 * 1000, true);
  EXPECT_EQ(set.rfind("__Host-weft_session=tok;", 0), 0u) << set;
  EXPECT_NE(set.find("; Secure"), std::string::npos);
  EXPECT_NE(set.find("Path=/"), std::string::npos);
  EXPECT_EQ(set.find("Domain"), std::string::npos);
  EXPECT_EQ(session_cookie("tok", 1000, false).find("Secure"), std::string::npos);
  EXPECT_NE(cleared_session_cookie(true).find("__Host-weft_session=;"), std::string::npos);
}

}  // namespace
}  // namespace weft::api
