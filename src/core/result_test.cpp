#include "core/result.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "core/log.h"

namespace weft {
namespace {

Result<int> half(int x) {
  if (x % 2 != 0) return Error::make("odd", "not even");
  return x / 2;
}

Result<int> quarter(int x) {
  WEFT_TRY_ASSIGN(int h, half(x));
  return half(h);
}

TEST(Result, PropagatesErrors) {
  EXPECT_EQ(*quarter(8), 2);
  auto bad = quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "odd");
}

TEST(Result, InternalErrorsAreMaskedForUsers) {
  const Error e = Error::internal("db password is hunter2");
  const json shown = e.to_public_json();
  EXPECT_EQ(shown["code"], "internal_error");
  EXPECT_EQ(shown.dump().find("hunter2"), std::string::npos);
  const Error pub = Error::make("slack_error", "Slack said no", {{"slackError", "x"}});
  EXPECT_EQ(pub.to_public_json()["details"]["slackError"], "x");
}

TEST(Secret, FormatsAsRedacted) {
  Secret<std::string> s("xoxb-very-secret");
  EXPECT_EQ(fmt::format("token={}", s), "token=[redacted]");
  EXPECT_EQ(s.reveal(), "xoxb-very-secret");
}

}  // namespace
}  // namespace weft
