#include "core/json.h"

#include <gtest/gtest.h>

namespace weft {
namespace {

TEST(Json, ParseReportsPosition) {
  auto ok = parse_json(R"({"a":[1,2]})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["a"][1], 2);
  auto bad = parse_json("{\"a\": }");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_json");
  EXPECT_NE(bad.error().message.find("byte 7"), std::string::npos) << bad.error().message;
}

TEST(Json, Truthiness) {
  for (const json& falsy : {json(nullptr), json(false), json(0), json(0.0), json(""), json("false")}) {
    EXPECT_FALSE(json_truthy(falsy)) << falsy.dump();
  }
  for (const json& truthy : {json(true), json(1), json(-2.5), json("no"), json::array(), json::object()}) {
    EXPECT_TRUE(json_truthy(truthy)) << truthy.dump();
  }
}

TEST(Json, TypeNames) {
  EXPECT_STREQ(json_type_name(json::object()), "object");
  EXPECT_STREQ(json_type_name(json(3)), "number");
  EXPECT_STREQ(json_type_name(json(nullptr)), "null");
}

}  // namespace
}  // namespace weft

namespace weft {
namespace {

TEST(Json, ParseErrorsNeverQuoteTheInput) {
  auto bad = parse_json(R"({"bot_token": "xoxb-SECRET-VALUE)");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message.find("xoxb-SECRET"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace weft

namespace weft {
namespace {

TEST(Json, DepthAndNulAreRefused) {
  EXPECT_TRUE(parse_json(std::string(500, '[') + std::string(500, ']')).ok());
  auto deep = parse_json(std::string(20000, '[') + std::string(20000, ']'));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, "invalid_json");
  auto nul = parse_json(std::string("{\"a\":1}\0garbage", 16));
  ASSERT_FALSE(nul.ok());
  EXPECT_NE(nul.error().message.find("NUL"), std::string::npos);
}

}  // namespace
}  // namespace weft

#include "core/edit_distance.h"

namespace weft {
namespace {

TEST(EditDistance, CountsSingleCharacterEdits) {
  EXPECT_EQ(edit_distance("slack.sendMesage", "slack.sendMessage"), 1u);
  EXPECT_EQ(edit_distance("fetc", "fetch"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

}  // namespace
}  // namespace weft
