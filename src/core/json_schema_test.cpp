#include "core/json_schema.h"

#include <gtest/gtest.h>

namespace weft {
namespace {

TEST(JsonSchema, ValidatesAndNamesPointers) {
  auto schema = JsonSchema::compile({{"type", "object"},
                                     {"required", {"channel"}},
                                     {"properties", {{"channel", {{"type", "string"}}},
                                                     {"to", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}});
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE(schema->validate({{"channel", "#a"}, {"to", {"x"}}}).empty());
  auto wrong = schema->validate({{"channel", 3}, {"to", {"x", 5}}});
  ASSERT_EQ(wrong.size(), 2u);
  std::set<std::string> pointers = {wrong[0].pointer, wrong[1].pointer};
  EXPECT_TRUE(pointers.count("/channel"));
  EXPECT_TRUE(pointers.count("/to/1"));
  auto missing = schema->validate(json::object());
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].pointer, "");
  EXPECT_NE(missing[0].message.find("channel"), std::string::npos) << missing[0].message;
}

TEST(JsonSchema, RejectsNonSchemas) {
  EXPECT_FALSE(JsonSchema::compile(json(3)).ok());
  auto bad = JsonSchema::compile({{"type", 12}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_schema");
}

}  // namespace
}  // namespace weft

namespace weft {
namespace {

TEST(JsonSchema, ReportsEverySiblingProblem) {
  auto schema = JsonSchema::compile({{"type", "object"},
                                     {"additionalProperties", false},
                                     {"required", {"a", "b"}},
                                     {"properties", {{"a", {{"type", "string"}}}, {"b", {{"type", "string"}}}, {"c", {{"type", "integer"}}}}}});
  ASSERT_TRUE(schema.ok());
  auto v = schema->validate({{"c", "x"}, {"d", 1}});
  std::string all;
  for (const auto& e : v) all += e.pointer + ": " + e.message + "\n";
  EXPECT_NE(all.find("'a'"), std::string::npos) << all;
  EXPECT_NE(all.find("'b'"), std::string::npos) << all;
  EXPECT_NE(all.find("/c: "), std::string::npos) << all;
  EXPECT_NE(all.find("d"), std::string::npos) << all;
  EXPECT_EQ(all.find("Failed to validate against schema associated"), std::string::npos) << all;
}

}  // namespace
}  // namespace weft
