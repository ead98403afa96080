// diff_schemas case by case: each row is two small schemas, a side, and the exact list of
// (pointer, kind, breaking) the comparison must give. Then the hostile inputs: schemas nested far
// past the limits, tens of thousands of properties, huge enums, non-schema values.
#include "bundles/schema_diff.h"

#include <gtest/gtest.h>

#include <chrono>
#include <tuple>

namespace weft::bundles {
namespace {

using Expected = std::vector<std::tuple<std::string, std::string, bool>>;

struct Case {
  const char* name;
  SchemaSide side;
  json from;
  json to;
  Expected expected;
};

constexpr SchemaSide in = SchemaSide::input;
constexpr SchemaSide out = SchemaSide::output;

json obj(json properties, json required = json::array()) {
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}

Expected actual(const SchemaDiff& diff) {
  Expected got;
  for (const auto& c : diff.changes) got.emplace_back(c.pointer, c.kind, c.breaking);
  return got;
}

std::vector<Case> cases() {
  const json s = {{"type", "string"}};
  const json n = {{"type", "number"}};
  const json i = {{"type", "integer"}};
  return {
      {"identical", in, obj({{"a", s}}, {"a"}), obj({{"a", s}}, {"a"}), {}},
      {"input: optional property added", in, obj({{"a", s}}), obj({{"a", s}, {"b", s}}),
       {{"/properties/b", kPropertyAdded, false}}},
      {"input: required property added", in, obj({{"a", s}}), obj({{"a", s}, {"b", s}}, {"b"}),
       {{"/properties/b", kRequiredPropertyAdded, true}}},
      {"output: required property added", out, obj({{"a", s}}), obj({{"a", s}, {"b", s}}, {"b"}),
       {{"/properties/b", kRequiredPropertyAdded, false}}},
      {"output: optional property added", out, obj({{"a", s}}), obj({{"a", s}, {"b", s}}),
       {{"/properties/b", kPropertyAdded, false}}},
      {"input: property removed", in, obj({{"a", s}, {"b", s}}), obj({{"a", s}}),
       {{"/properties/b", kPropertyRemoved, true}}},
      {"output: property removed", out, obj({{"a", s}, {"b", s}}, {"b"}), obj({{"a", s}}),
       {{"/properties/b", kPropertyRemoved, true}}},
      {"input: property became required", in, obj({{"a", s}}), obj({{"a", s}}, {"a"}),
       {{"/properties/a", kBecameRequired, true}}},
      {"output: property became required", out, obj({{"a", s}}), obj({{"a", s}}, {"a"}),
       {{"/properties/a", kBecameRequired, false}}},
      {"input: property became optional", in, obj({{"a", s}}, {"a"}), obj({{"a", s}}),
       {{"/properties/a", kBecameOptional, false}}},
      {"output: property became optional", out, obj({{"a", s}}, {"a"}), obj({{"a", s}}),
       {{"/properties/a", kBecameOptional, true}}},
      {"input: required without a property entry", in, obj(json::object()), obj(json::object(), {"x"}),
       {{"/properties/x", kBecameRequired, true}}},
      {"input: number narrowed to integer", in, obj({{"a", n}}), obj({{"a", i}}),
       {{"/properties/a", kTypeNarrowed, true}}},
      {"input: integer widened to number", in, obj({{"a", i}}), obj({{"a", n}}),
       {{"/properties/a", kTypeWidened, false}}},
      {"output: integer widened to number", out, obj({{"a", i}}), obj({{"a", n}}),
       {{"/properties/a", kTypeWidened, true}}},
      {"output: number narrowed to integer", out, obj({{"a", n}}), obj({{"a", i}}),
       {{"/properties/a", kTypeNarrowed, false}}},
      {"input: type list shrunk", in, json{{"type", {"string", "null"}}}, json{{"type", "string"}},
       {{"", kTypeNarrowed, true}}},
      {"input: type list grown", in, json{{"type", "string"}}, json{{"type", {"string", "null"}}},
       {{"", kTypeWidened, false}}},
      {"input: type changed", in, s, n, {{"", kTypeChanged, true}}},
      {"output: type changed", out, s, n, {{"", kTypeChanged, true}}},
      {"type list order and number+integer are the same", in, json{{"type", {"number", "integer"}}},
       json{{"type", {"number"}}}, {}},
      {"input: type added where any was accepted", in, json::object(), s, {{"", kTypeNarrowed, true}}},
      {"input: enum values removed", in, json{{"enum", {"a", "b", "c"}}}, json{{"enum", {"a", "c"}}},
       {{"", kEnumValuesRemoved, true}}},
      {"input: enum values added", in, json{{"enum", {"a"}}}, json{{"enum", {"a", "b"}}},
       {{"", kEnumValuesAdded, false}}},
      {"output: enum values added", out, json{{"enum", {"a"}}}, json{{"enum", {"a", "b"}}},
       {{"", kEnumValuesAdded, true}}},
      {"input: enum introduced", in, s, json{{"type", "string"}, {"enum", {"a"}}}, {{"", kEnumValuesRemoved, true}}},
      {"input: enum dropped", in, json{{"type", "string"}, {"enum", {"a"}}}, s, {{"", kEnumValuesAdded, false}}},
      {"input: const changed", in, json{{"const", 1}}, json{{"const", 2}},
       {{"", kEnumValuesRemoved, true}, {"", kEnumValuesAdded, false}}},
      {"input: new maxLength", in, s, json{{"type", "string"}, {"maxLength", 10}}, {{"", kConstraintNarrowed, true}}},
      {"input: lower maxLength", in, json{{"type", "string"}, {"maxLength", 10}},
       json{{"type", "string"}, {"maxLength", 5}}, {{"", kConstraintNarrowed, true}}},
      {"input: higher maxLength", in, json{{"type", "string"}, {"maxLength", 5}},
       json{{"type", "string"}, {"maxLength", 10}}, {{"", kConstraintWidened, false}}},
      {"output: higher maximum", out, json{{"maximum", 5}}, json{{"maximum", 10}}, {{"", kConstraintWidened, true}}},
      {"input: maximum removed", in, json{{"maximum", 5}}, json::object(), {{"", kConstraintWidened, false}}},
      {"input: higher minimum", in, json{{"minimum", 1}}, json{{"minimum", 2}}, {{"", kConstraintNarrowed, true}}},
      {"input: lower minItems", in, json{{"minItems", 2}}, json{{"minItems", 1}}, {{"", kConstraintWidened, false}}},
      {"input: draft-4 exclusiveMaximum flag", in, json{{"maximum", 5}, {"exclusiveMaximum", false}},
       json{{"maximum", 5}, {"exclusiveMaximum", true}}, {{"", kConstraintChanged, true}}},
      {"input: new pattern", in, s, json{{"type", "string"}, {"pattern", "^a"}}, {{"", kConstraintNarrowed, true}}},
      {"input: pattern changed", in, json{{"pattern", "^a"}}, json{{"pattern", "^b"}}, {{"", kConstraintChanged, true}}},
      {"input: pattern removed", in, json{{"pattern", "^a"}}, json::object(), {{"", kConstraintWidened, false}}},
      {"input: new format", in, s, json{{"type", "string"}, {"format", "email"}}, {{"", kConstraintNarrowed, true}}},
      {"input: uniqueItems turned on", in, json{{"type", "array"}}, json{{"type", "array"}, {"uniqueItems", true}},
       {{"", kConstraintNarrowed, true}}},
      {"input: additionalProperties turned false", in, obj({{"a", s}}),
       [&] { json j = obj({{"a", s}}); j["additionalProperties"] = false; return j; }(),
       {{"/additionalProperties", kAdditionalPropertiesNarrowed, true}}},
      {"output: additionalProperties turned false", out, obj({{"a", s}}),
       [&] { json j = obj({{"a", s}}); j["additionalProperties"] = false; return j; }(),
       {{"/additionalProperties", kAdditionalPropertiesNarrowed, false}}},
      {"input: additionalProperties false dropped", in,
       [&] { json j = obj({{"a", s}}); j["additionalProperties"] = false; return j; }(), obj({{"a", s}}),
       {{"/additionalProperties", kAdditionalPropertiesWidened, false}}},
      {"input: additionalProperties schema narrowed inside", in, json{{"additionalProperties", n}},
       json{{"additionalProperties", i}}, {{"/additionalProperties", kTypeNarrowed, true}}},
      {"input: description changed", in, json{{"type", "string"}, {"description", "x"}},
       json{{"type", "string"}, {"description", "y"}}, {{"", kDescriptionChanged, false}}},
      {"output: title changed", out, json{{"title", "x"}}, json{{"title", "y"}}, {{"", kTitleChanged, false}}},
      {"examples and default are not changes", in, json{{"examples", {1}}, {"default", 1}},
       json{{"examples", {2}}, {"default", 2}}, {}},
      {"nested properties", in, obj({{"user", obj({{"name", s}})}}), obj({{"user", obj({{"name", s}}, {"name"})}}),
       {{"/properties/user/properties/name", kBecameRequired, true}}},
      {"pointer escapes ~ and /", in, obj({{"a/b~c", s}}), obj({{"a/b~c", n}}),
       {{"/properties/a~1b~0c", kTypeChanged, true}}},
      {"items schema", in, json{{"type", "array"}, {"items", n}}, json{{"type", "array"}, {"items", i}},
       {{"/items", kTypeNarrowed, true}}},
      {"items tuple by position", in, json{{"items", {s, n}}}, json{{"items", {s, i}}},
       {{"/items/1", kTypeNarrowed, true}}},
      {"items tuple length", in, json{{"items", {s}}}, json{{"items", {s, n}}}, {{"/items", kConstraintChanged, true}}},
      {"items schema to tuple", in, json{{"items", s}}, json{{"items", {s}}}, {{"/items", kConstraintChanged, true}}},
      {"items added", in, json{{"type", "array"}}, json{{"type", "array"}, {"items", s}},
       {{"/items", kTypeNarrowed, true}}},
      {"anyOf by position", in, json{{"anyOf", {s, n}}}, json{{"anyOf", {s, i}}},
       {{"/anyOf/1", kTypeNarrowed, true}}},
      {"input: anyOf branch added", in, json{{"anyOf", {s}}}, json{{"anyOf", {s, n}}},
       {{"/anyOf/1", kAlternativeAdded, false}}},
      {"output: oneOf branch added", out, json{{"oneOf", {s}}}, json{{"oneOf", {s, n}}},
       {{"/oneOf/1", kAlternativeAdded, true}}},
      {"input: oneOf branch removed", in, json{{"oneOf", {s, n}}}, json{{"oneOf", {s}}},
       {{"/oneOf/1", kAlternativeRemoved, true}}},
      {"input: allOf branch added", in, json{{"allOf", {s}}}, json{{"allOf", {s, json{{"maxLength", 3}}}}},
       {{"/allOf/1", kConstraintNarrowed, true}}},
      {"input: anyOf introduced", in, json::object(), json{{"anyOf", {s, n}}}, {{"/anyOf", kConstraintNarrowed, true}}},
      {"input: true to false", in, json(true), json(false), {{"", kSchemaNarrowed, true}}},
      {"input: false to true", in, json(false), json(true), {{"", kSchemaWidened, false}}},
      {"output: false to true", out, json(false), json(true), {{"", kSchemaWidened, true}}},
      {"property schema became false", in, obj({{"a", s}}), obj({{"a", false}}),
       {{"/properties/a", kSchemaNarrowed, true}}},
      {"true and {} are the same", in, json(true), json::object(), {}},
      {"$ref changed", in, json{{"$ref", "#/definitions/a"}}, json{{"$ref", "#/definitions/b"}},
       {{"/$ref", kConstraintChanged, true}}},
      {"not added", out, json::object(), json{{"not", s}}, {{"/not", kConstraintChanged, true}}},
      {"non-schema values compare as anything", in, json(42), json("text"), {}},
      {"properties not an object is ignored", in, json{{"properties", 3}}, json{{"properties", "x"}}, {}},
      {"several changes in document order", in, obj({{"a", s}, {"b", s}}, {"a"}), obj({{"a", n}, {"c", s}}, {"a", "c"}),
       {{"/properties/a", kTypeChanged, true},
        {"/properties/b", kPropertyRemoved, true},
        {"/properties/c", kRequiredPropertyAdded, true}}},
  };
}

TEST(SchemaDiff, EveryCase) {
  for (const auto& c : cases()) {
    const SchemaDiff diff = diff_schemas(c.from, c.to, c.side);
    EXPECT_EQ(actual(diff), c.expected) << c.name << "\n" << to_json(diff).dump(2);
    bool any = false;
    for (const auto& [p, k, b] : c.expected) any = any || b;
    EXPECT_EQ(diff.breaking(), any) << c.name;
    EXPECT_FALSE(diff.truncated) << c.name;
  }
}

TEST(SchemaDiff, ChangesCarrySmallValuesAndAMessage) {
  const auto diff = diff_schemas(json{{"maxLength", 10}}, json{{"maxLength", 5}}, in);
  ASSERT_EQ(diff.changes.size(), 1u);
  const json j = to_json(diff.changes[0]);
  EXPECT_EQ(j["from"], 10);
  EXPECT_EQ(j["to"], 5);
  EXPECT_EQ(j["message"], "maxLength lowered from 10 to 5");
  EXPECT_EQ(j["pointer"], "");
  const auto types = to_json(diff_schemas(json{{"type", {"string", "null"}}}, json{{"type", "string"}}, in));
  EXPECT_EQ(types[0]["from"], json({"string", "null"}));
  EXPECT_EQ(types[0]["to"], "string");
  // A big value (a subschema) is not quoted.
  const auto big = to_json(diff_schemas(json{{"not", {{"type", "string"}}}}, json::object(), in));
  EXPECT_FALSE(big[0].contains("from"));
}

// A chain of `levels` nested "properties.x" objects ending in `leaf`.
json nested(int levels, const json& leaf) {
  json schema = leaf;
  for (int i = 0; i < levels; ++i) schema = obj({{"x", std::move(schema)}});
  return schema;
}

TEST(SchemaDiff, NestingPastTheDepthLimitStopsWithABreakingTooDeep) {
  const auto diff = diff_schemas(nested(200, json{{"type", "string"}}), nested(200, json{{"type", "number"}}), out);
  ASSERT_EQ(diff.changes.size(), 1u) << to_json(diff).dump();
  EXPECT_EQ(diff.changes[0].kind, kTooDeep);
  EXPECT_TRUE(diff.changes[0].breaking);
  EXPECT_TRUE(diff.truncated);
  // It stopped at level 65: 65 "/properties/x" segments.
  std::string expected;
  for (int i = 0; i < 65; ++i) expected += "/properties/x";
  EXPECT_EQ(diff.changes[0].pointer, expected);
  // Within the limit the change deep down is found.
  const auto ok = diff_schemas(nested(60, json{{"type", "string"}}), nested(60, json{{"type", "number"}}), out);
  ASSERT_EQ(ok.changes.size(), 1u);
  EXPECT_EQ(ok.changes[0].kind, kTypeChanged);
  EXPECT_FALSE(ok.truncated);
}

TEST(SchemaDiff, DocumentsDeeperThanAnyParsedJsonAreRefusedWithoutRecursing) {
  // 100,000 nested arrays: deeper than parse_json ever lets through (kMaxJsonDepth); comparing
  // or ordering them recursively would overflow the stack.
  // Built in place (a copy would recurse); nlohmann::json frees it without recursing.
  json a = {{"enum", json::array()}};
  json* inner = &a["enum"];
  for (int i = 0; i < 100000; ++i) {
    inner->push_back(json::array());
    inner = &inner->back();
  }
  const json b = {{"enum", json::array()}};
  const auto diff = diff_schemas(a, b, in);
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].kind, kTooDeep);
  EXPECT_TRUE(diff.breaking());
  EXPECT_EQ(diff_schemas(b, a, out).changes.at(0).kind, kTooDeep);
}

TEST(SchemaDiff, ManyChangesAreCappedWithABreakingTruncated) {
  json from = obj(json::object()), to = obj(json::object());
  for (int i = 0; i < 20000; ++i) to["properties"]["p" + std::to_string(i)] = {{"type", "string"}};
  const auto started = std::chrono::steady_clock::now();
  const auto diff = diff_schemas(from, to, in);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  ASSERT_EQ(diff.changes.size(), 501u);
  EXPECT_EQ(diff.changes.back().kind, kTruncated);
  EXPECT_TRUE(diff.truncated);
  // Every listed change is compatible, but what was not listed is unknown: breaking.
  EXPECT_TRUE(diff.breaking());
  // A smaller limit applies the same way.
  const auto small = diff_schemas(from, to, in, SchemaDiffLimits{64, 3, 100000});
  EXPECT_EQ(small.changes.size(), 4u);
}

TEST(SchemaDiff, TheNodeBudgetBoundsWideSchemasWithoutChanges) {
  // 20,000 properties differing only deep inside each: every pair is visited until the budget.
  json from = obj(json::object()), to = obj(json::object());
  for (int i = 0; i < 20000; ++i) {
    from["properties"]["p" + std::to_string(i)] = obj({{"x", {{"examples", {1}}}}});
    to["properties"]["p" + std::to_string(i)] = obj({{"x", {{"examples", {2}}}}});
  }
  const auto diff = diff_schemas(from, to, in, SchemaDiffLimits{64, 500, 1000});
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].kind, kTruncated);
  // With the default budget the whole schema is compared and nothing changed.
  EXPECT_TRUE(diff_schemas(from, to, in).changes.empty());
}

TEST(SchemaDiff, HugeEnumsAreComparedAsSets) {
  json a = json::array(), b = json::array();
  for (int i = 0; i < 100000; ++i) {
    a.push_back(i);
    b.push_back(99999 - i);  // same values, reversed
  }
  EXPECT_TRUE(diff_schemas(json{{"enum", a}}, json{{"enum", b}}, in).changes.empty());
  b.erase(b.begin());  // 99999 removed
  const auto diff = diff_schemas(json{{"enum", a}}, json{{"enum", b}}, in);
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].kind, kEnumValuesRemoved);
  EXPECT_EQ(diff.changes[0].from, json({99999}));
}

TEST(SchemaDiff, WrongTypesEverywhereNeverThrow) {
  const std::vector<json> odd = {json(nullptr), json(1), json("x"), json::array({1, 2}), json(true), json(false),
                                 json{{"type", 5}},
                                 json{{"type", {1, "nope"}}},
                                 json{{"required", "a"}},
                                 json{{"required", {1, json::object()}}},
                                 json{{"enum", "a"}},
                                 json{{"items", 3}},
                                 json{{"anyOf", json::object()}},
                                 json{{"additionalProperties", "x"}},
                                 json{{"maxLength", "ten"}},
                                 json{{"properties", {{"a", 7}}}}};
  for (const auto& a : odd) {
    for (const auto& b : odd) {
      for (auto side : {in, out}) {
        EXPECT_NO_THROW({
          const auto d = diff_schemas(a, b, side);
          (void)to_json(d).dump();
        }) << a.dump()
           << " → " << b.dump();
      }
    }
  }
  // A non-numeric limit is a change that is not comparable.
  const auto d = diff_schemas(json{{"maxLength", "ten"}}, json{{"maxLength", 5}}, in);
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.changes[0].kind, kConstraintChanged);
}

}  // namespace
}  // namespace weft::bundles
