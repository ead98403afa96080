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

#include <random>

namespace weft {
namespace {

std::string nested(std::size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

// Issue 8, finding 2: parse_json accepts exactly what json_depth allows, so a value that passed
// the check always reads back after being stored.
TEST(Finding2JsonDepth, ParseJsonAcceptsExactlyTheDepthJsonDepthAllows) {
  auto at_limit = parse_json(nested(kMaxJsonDepth));
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
  EXPECT_EQ(json_depth(*at_limit), static_cast<std::size_t>(kMaxJsonDepth));
  EXPECT_TRUE(parse_json(at_limit->dump()).ok());

  auto past = parse_json(nested(kMaxJsonDepth + 1));
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().code, "invalid_json");
  EXPECT_TRUE(is_too_deep(past.error()));
  EXPECT_NE(past.error().message.find("nested deeper than 512 levels"), std::string::npos);
  EXPECT_FALSE(is_too_deep(parse_json("{\"a\": }").error()));

  // Objects count like arrays; brackets inside strings (with escaped quotes) do not.
  std::string objects;
  for (int i = 0; i < kMaxJsonDepth; ++i) objects += "{\"k\":";
  objects += "1" + std::string(kMaxJsonDepth, '}');
  EXPECT_TRUE(parse_json(objects).ok());
  const std::string brackets = R"(["\"[[[[", "]]]]\\", ")" + std::string(10000, '[') + R"("])";
  auto in_string = parse_json(brackets);
  ASSERT_TRUE(in_string.ok()) << in_string.error().message;
  EXPECT_EQ(json_depth(*in_string), 1u);

  // A lower limit, for a document that will be wrapped.
  EXPECT_TRUE(parse_json(nested(10), 10).ok());
  auto wrapped = parse_json(nested(11), 10);
  ASSERT_FALSE(wrapped.ok());
  EXPECT_TRUE(is_too_deep(wrapped.error()));
  EXPECT_EQ(wrapped.error().details["maxDepth"], 10);

  // Far too deep: refused before anything is built (no crash, no recursion).
  EXPECT_TRUE(is_too_deep(parse_json(nested(1'000'000, '{', '}')).error()));
}

TEST(Finding2JsonDepth, JsonDepthCountsWithoutRecursionAndStopsAtItsLimit) {
  EXPECT_EQ(json_depth(json(1)), 0u);
  EXPECT_EQ(json_depth(json::array()), 1u);
  EXPECT_EQ(json_depth(json{{"a", {1, {2, json::object()}}}, {"b", 1}}), 4u);
  // A value built in memory far deeper than any parser would accept (as templating could).
  json deep = json::array();
  for (int i = 0; i < 100000; ++i) {
    json outer = json::array();
    outer.push_back(std::move(deep));
    deep = std::move(outer);
  }
  EXPECT_EQ(json_depth(deep), 100001u);
  EXPECT_EQ(json_depth(deep, kMaxJsonDepth + 1), static_cast<std::size_t>(kMaxJsonDepth + 1));
}

// Issue 8, finding 7: the bounded distance agrees with the full one up to its limit, and costs
// the band, not the product of the lengths.
TEST(Finding7EditDistance, BoundedDistanceAgreesWithTheFullOne) {
  EXPECT_EQ(edit_distance("kitten", "sitting", 3), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting", 2), 3u);  // more than 2
  EXPECT_EQ(edit_distance("fetc", "fetch", 2), 1u);
  EXPECT_EQ(edit_distance("", "abc", 1), 2u);
  EXPECT_EQ(edit_distance("abc", "abc", 0), 0u);
  EXPECT_EQ(edit_distance("abc", "abd", 0), 1u);
  std::mt19937 rng(8);
  std::uniform_int_distribution<int> length(0, 12), letter(0, 2);
  auto word = [&] {
    std::string w(length(rng), 'a');
    for (char& c : w) c = static_cast<char>('a' + letter(rng));
    return w;
  };
  for (int i = 0; i < 5000; ++i) {
    const std::string a = word(), b = word();
    const std::size_t full = edit_distance(a, b);
    for (std::size_t limit = 0; limit <= 6; ++limit) {
      ASSERT_EQ(edit_distance(a, b, limit), std::min(full, limit + 1)) << a << " / " << b << " limit " << limit;
    }
  }
}

TEST(Finding7EditDistance, LongInputsCostOnlyTheBand) {
  const std::string huge(1'000'000, 'x');
  std::string other = huge;
  other[500'000] = 'y';
  // The full table would be 10^12 cells; the band of width 5 is 5 × 10^6.
  EXPECT_EQ(edit_distance(huge, other, 2), 1u);
  EXPECT_EQ(edit_distance(huge, std::string(64, 'x'), 2), 3u);  // lengths too far apart: at once
}

}  // namespace
}  // namespace weft

namespace weft {
namespace {

// Found by fuzz/workflow_fuzzer (crash input "[\n \n 334820e334820e021…"): a number beyond a
// double made nlohmann throw out_of_range (406) out of parse_json, which promises a Result —
// an anonymous `POST /api/auth/login {"email":1e400}` was answered 500 instead of 400.
TEST(FuzzNumberOverflow, ParseJsonRefusesANumberBeyondADoubleAsInvalidJson) {
  for (const char* text : {"1e400", "[-1e400]", R"({"email":1e400})", "[\n \n 334820e334820e021]"}) {
    Result<json> parsed = Error::internal("not run");
    EXPECT_NO_THROW(parsed = parse_json(text)) << text;
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, "invalid_json") << text;
    EXPECT_TRUE(parsed.error().is_public) << text;
    EXPECT_EQ(parsed.error().message.find("e400"), std::string::npos) << parsed.error().message;
  }
  auto largest = parse_json("[1.7976931348623157e308, -1e308, 1e-400]");
  ASSERT_TRUE(largest.ok());
  EXPECT_EQ((*largest)[0].get<double>(), 1.7976931348623157e308);
}

}  // namespace
}  // namespace weft
