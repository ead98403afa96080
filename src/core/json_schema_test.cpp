#include "core/json_schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

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

// A schema compiled on first use validates exactly as one compiled at once, from any thread and
// its copies; one that does not compile answers every validation with one violation saying why.
TEST(JsonSchema, CompiledOnFirstUseValidatesLikeCompile) {
  const json source = {{"type", "object"}, {"required", {"n"}}, {"properties", {{"n", {{"type", "integer"}}}}}};
  const JsonSchema now = JsonSchema::compile(source).take();
  const JsonSchema later = JsonSchema::compile_on_first_use(source);
  EXPECT_EQ(later.source(), source);
  const JsonSchema copy = later;  // shares the one compilation
  std::vector<std::thread> threads;
  std::vector<std::size_t> counts(4);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    threads.emplace_back([&, i] { counts[i] = (i % 2 ? copy : later).validate({{"n", "seven"}}).size(); });
  }
  for (auto& t : threads) t.join();
  for (std::size_t count : counts) EXPECT_EQ(count, now.validate({{"n", "seven"}}).size());
  EXPECT_EQ(counts[0], 1u);
  EXPECT_TRUE(later.validate({{"n", 7}}).empty());
  EXPECT_EQ(later.validate(json::object())[0].pointer, now.validate(json::object())[0].pointer);

  const JsonSchema broken = JsonSchema::compile_on_first_use({{"type", "object"}, {"pattern", "(?<=a)b"}});
  for (int i = 0; i < 2; ++i) {
    auto said = broken.validate(json::object());
    ASSERT_EQ(said.size(), 1u);
    EXPECT_EQ(said[0].pointer, "");
    EXPECT_NE(said[0].message.find("does not compile"), std::string::npos) << said[0].message;
  }
}

// A schema of annotations only accepts any value, deep ones too (nothing to recurse into);
// one assertion keyword among them is checked as usual.
TEST(JsonSchema, AnnotationOnlySchemasAcceptEveryValue) {
  json deep = 1;
  for (int i = 0; i < 500; ++i) deep = json::array({deep});
  for (const json& doc : {json(true), json::object(), json{{"description", "The value."}, {"title", "T"}}}) {
    auto schema = JsonSchema::compile(doc);
    ASSERT_TRUE(schema.ok()) << doc.dump();
    EXPECT_TRUE(schema->validate(json{{"a", {1, "x", nullptr}}}).empty()) << doc.dump();
    EXPECT_TRUE(schema->validate(deep).empty()) << doc.dump();
  }
  auto never = JsonSchema::compile(json(false));
  ASSERT_TRUE(never.ok());
  EXPECT_FALSE(never->validate(json(1)).empty());
  auto typed = JsonSchema::compile({{"description", "A number."}, {"type", "number"}});
  ASSERT_TRUE(typed.ok());
  EXPECT_TRUE(typed->validate(json(2)).empty());
  EXPECT_FALSE(typed->validate(json("2")).empty());
  EXPECT_FALSE(typed->validate(deep).empty());
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

namespace weft {
namespace {

// The `url` schema of http.request (src/integrations/builtin/http/request.cpp) and acme.ping's
// `endpoint`: valijson checked this pattern with std::regex, whose matcher recurses once per
// character, so a 300,000-character URL overflowed the stack (SIGSEGV) before this fix.
const json kUrlSchema = {{"type", "string"}, {"pattern", "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+"}};

std::string all_messages(const std::vector<SchemaViolation>& violations) {
  std::string out;
  for (const auto& v : violations) out += v.pointer + ": " + v.message + "\n";
  return out;
}

TEST(Finding1LongString, HttpRequestUrlOf300000CharactersIsAViolationNotACrash) {
  auto schema = JsonSchema::compile({{"type", "object"}, {"properties", {{"url", kUrlSchema}}}});
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  const std::string url = "http://" + std::string(300000, 'a');
  auto violations = schema->validate({{"url", url}});
  ASSERT_EQ(violations.size(), 1u) << all_messages(violations);
  EXPECT_EQ(violations[0].pointer, "/url");
  EXPECT_NE(violations[0].message.find("300007 bytes"), std::string::npos) << violations[0].message;
  EXPECT_NE(violations[0].message.find(std::to_string(kMaxPatternSubjectBytes)), std::string::npos);
  // Up to the limit the pattern is really checked (by RE2, in linear time).
  EXPECT_TRUE(schema->validate({{"url", "http://" + std::string(kMaxPatternSubjectBytes - 7, 'a')}}).empty());
  EXPECT_FALSE(schema->validate({{"url", "ftp://" + std::string(60000, 'a')}}).empty());
  EXPECT_TRUE(schema->validate({{"url", "https://example.com/x"}}).empty());
}

TEST(Finding1LongString, HostileFormatValuesAreViolationsNotCrashes) {
  auto schema = JsonSchema::compile({{"properties", {{"at", {{"format", "date-time"}}},
                                                     {"day", {{"format", "date"}}},
                                                     {"clock", {{"format", "time"}}}}}});
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  // valijson matched these with std::regex: "([0-9]+)-…" recursed once per digit.
  const std::string digits(300000, '9');
  auto v = schema->validate({{"at", digits + "-01-01T00:00:00Z"}, {"day", digits + "-01-01"},
                             {"clock", "00:00:00" + std::string(300000, '0')}});
  const std::string all = all_messages(v);
  EXPECT_NE(all.find("/at: String should be a valid date-time"), std::string::npos) << all;
  EXPECT_NE(all.find("/day: String should be a valid date"), std::string::npos) << all;
  EXPECT_NE(all.find("/clock: String should be a valid time"), std::string::npos) << all;
  // RFC 3339 puts no bound on the fraction of a second: a long one is valid, and checked in
  // one pass.
  EXPECT_TRUE(schema->validate({{"at", "2024-02-29T23:59:60.5" + std::string(300000, '1') + "Z"}}).empty());
  EXPECT_FALSE(schema->validate({{"at", "2023-02-29T10:00:00Z"}}).empty());  // not a leap year
  EXPECT_FALSE(schema->validate({{"at", "2024-01-01T10:00:60Z"}}).empty());  // leap second off 23:59 UTC
  EXPECT_TRUE(schema->validate({{"at", "2024-01-01T01:29:60+01:30"}}).empty());
}

TEST(Finding1LongString, LongPropertyNamesAgainstPatternPropertiesAreViolations) {
  auto schema = JsonSchema::compile({{"patternProperties", {{"^x-", {{"type", "string"}}}}}});
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  const std::string name = "x-" + std::string(300000, 'a');
  auto v = schema->validate({{name, "ok"}});
  ASSERT_EQ(v.size(), 1u) << all_messages(v);
  EXPECT_EQ(v[0].pointer, "");
  EXPECT_NE(v[0].message.find("never match 'patternProperties'"), std::string::npos) << v[0].message;
}

TEST(JsonSchemaPatterns, UnsupportedEcmaPatternsMakeTheSchemaInvalid) {
  for (const std::string pattern : {"^(?=.*[A-Z]).+$", "(a)\\1", "(?<!x)y", "\\k<name>"}) {
    auto bad = JsonSchema::compile({{"properties", {{"password", {{"type", "string"}, {"pattern", pattern}}}}}});
    ASSERT_FALSE(bad.ok()) << pattern;
    EXPECT_EQ(bad.error().code, "invalid_schema");
    EXPECT_NE(bad.error().message.find(pattern), std::string::npos) << bad.error().message;
    EXPECT_NE(bad.error().message.find("#/properties/password/pattern"), std::string::npos) << bad.error().message;
  }
  auto bad_key = JsonSchema::compile({{"patternProperties", {{"(?=x)", {{"type", "string"}}}}}});
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.error().message.find("(?=x)"), std::string::npos) << bad_key.error().message;
  // A pattern that would need a huge automaton is refused rather than compiled.
  std::string huge;
  for (int i = 0; i < 40; ++i) huge += ".{1000}";
  auto too_big = JsonSchema::compile({{"pattern", huge}});
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.error().message.find("KiB"), std::string::npos) << too_big.error().message;
}

TEST(JsonSchemaPatterns, PatternsAreSearchedWithEcmaMeaning) {
  auto schema = JsonSchema::compile({{"properties", {{"a", {{"pattern", "b+"}}},                 // unanchored
                                                     {"s", {{"pattern", "^\\s$"}}},              // Unicode space
                                                     {"u", {{"pattern", "^\\u00e9\\/$"}}},       // \u and \/
                                                     {"dot", {{"pattern", "^.$"}}}}}});         // no line ends
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  EXPECT_TRUE(schema->validate({{"a", "abbc"}}).empty());
  EXPECT_FALSE(schema->validate({{"a", "ac"}}).empty());
  EXPECT_TRUE(schema->validate({{"s", "\xc2\xa0"}}).empty());  // U+00A0 is \s in ECMA-262
  EXPECT_TRUE(schema->validate({{"u", "\xc3\xa9/"}}).empty());
  EXPECT_FALSE(schema->validate({{"dot", "\r"}}).empty());
  EXPECT_TRUE(schema->validate({{"dot", "\xf0\x9f\x90\xb2"}}).empty());  // one code point
  EXPECT_TRUE(schema->validate({{"a", 3}}).empty());  // patterns only judge strings
}

TEST(JsonSchemaPatterns, PatternPropertiesPropertiesAndAdditionalPropertiesTogether) {
  auto schema = JsonSchema::compile({{"properties", {{"foo", {{"type", "array"}, {"maxItems", 3}}},
                                                     {"bar", {{"type", "array"}}}}},
                                     {"patternProperties", {{"f.o", {{"minItems", 2}}}}},
                                     {"additionalProperties", {{"type", "integer"}}}});
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  EXPECT_TRUE(schema->validate({{"foo", {1, 2}}, {"bar", json::array()}, {"quux", 3}}).empty());
  // "foo" is in properties and matches f.o: both apply.
  auto v = schema->validate({{"foo", json::array()}});
  ASSERT_EQ(v.size(), 1u) << all_messages(v);
  EXPECT_EQ(v[0].pointer, "/foo");
  EXPECT_FALSE(schema->validate({{"foo", {1, 2, 3, 4}}}).empty());
  // "fxo" matches only the pattern, so additionalProperties does not apply to it.
  EXPECT_TRUE(schema->validate({{"fxo", {1, 2}}}).empty());
  v = schema->validate({{"fxo", json::array()}});
  ASSERT_EQ(v.size(), 1u) << all_messages(v);
  EXPECT_EQ(v[0].pointer, "/fxo");
  // "quux" matches nothing: additionalProperties applies.
  v = schema->validate({{"quux", "foo"}});
  ASSERT_EQ(v.size(), 1u) << all_messages(v);
  EXPECT_EQ(v[0].pointer, "/quux");
  EXPECT_NE(v[0].message.find("type"), std::string::npos) << v[0].message;

  auto closed = JsonSchema::compile({{"properties", {{"id", {{"type", "string"}}}}},
                                     {"patternProperties", {{"^x-", {{"type", "string"}}}, {"^secret", false}}},
                                     {"additionalProperties", false}});
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  EXPECT_TRUE(closed->validate({{"id", "a"}, {"x-trace", "b"}}).empty());
  v = closed->validate({{"id", "a"}, {"other", 1}, {"x-n", 2}, {"secretKey", "s"}});
  const std::string all = all_messages(v);
  EXPECT_NE(all.find(": Object contains a property that could not be validated using 'properties', "
                     "'patternProperties' or 'additionalProperties' constraints: 'other'."),
            std::string::npos) << all;
  EXPECT_NE(all.find("/x-n: "), std::string::npos) << all;
  EXPECT_NE(all.find("'^secret', whose schema is false: 'secretKey'"), std::string::npos) << all;
  EXPECT_EQ(all.find("Failed to validate against"), std::string::npos) << all;
}

TEST(JsonSchemaRefs, RefsResolveInsideTheSchemaOnly) {
  auto tree = JsonSchema::compile({{"definitions", {{"node", {{"type", "object"},
                                                              {"properties", {{"children", {{"type", "array"},
                                                                                            {"items", {{"$ref", "#/definitions/node"}}}}}}},
                                                              {"required", {"children"}}}}}},
                                   {"$ref", "#/definitions/node"}});
  ASSERT_TRUE(tree.ok()) << tree.error().message;
  EXPECT_TRUE(tree->validate({{"children", {{{"children", json::array()}}}}}).empty());
  auto v = tree->validate({{"children", {json::object()}}});
  ASSERT_EQ(v.size(), 1u) << all_messages(v);
  EXPECT_EQ(v[0].pointer, "/children/0");

  auto by_id = JsonSchema::compile({{"$id", "https://weft.example/root.json"},
                                    {"properties", {{"a", {{"$ref", "item.json"}}}}},
                                    {"definitions", {{"item", {{"$id", "item.json"}, {"type", "integer"}}}}}});
  ASSERT_TRUE(by_id.ok()) << by_id.error().message;
  EXPECT_TRUE(by_id->validate({{"a", 1}}).empty());
  EXPECT_FALSE(by_id->validate({{"a", "x"}}).empty());

  for (const json& remote : {json{{"$ref", "https://json-schema.org/draft-07/schema#"}},
                             json{{"properties", {{"a", {{"$ref", "other.json#/definitions/x"}}}}}}}) {
    auto bad = JsonSchema::compile(remote);
    ASSERT_FALSE(bad.ok()) << remote.dump();
    EXPECT_EQ(bad.error().code, "invalid_schema");
    EXPECT_NE(bad.error().message.find("self-contained"), std::string::npos) << bad.error().message;
  }
  auto nowhere = JsonSchema::compile({{"$ref", "#/definitions/missing"}});
  ASSERT_FALSE(nowhere.ok());
  EXPECT_NE(nowhere.error().message.find("points nowhere"), std::string::npos) << nowhere.error().message;
}

TEST(JsonSchemaRefs, RefsIntoUnknownKeywordsAreLoweredCopies) {
  // The target of a $ref is lowered like any schema (its pattern goes to RE2), while the same
  // JSON used as data (enum) is left alone.
  auto hostile = JsonSchema::compile({{"x", {{"pattern", "^(?=a)"}}}, {"properties", {{"p", {{"$ref", "#/x"}}}}}});
  ASSERT_FALSE(hostile.ok());
  EXPECT_NE(hostile.error().message.find("#/x/pattern"), std::string::npos) << hostile.error().message;

  auto data = JsonSchema::compile({{"properties", {{"p", {{"$ref", "#/properties/q/enum/0"}}},
                                                   {"q", {{"enum", {{{"pattern", "^a+$"}}}}}}}}});
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_TRUE(data->validate({{"p", "aaa"}, {"q", {{"pattern", "^a+$"}}}}).empty());
  EXPECT_FALSE(data->validate({{"p", "b"}}).empty());
  EXPECT_FALSE(data->validate({{"q", {{"pattern", "other"}}}}).empty());
}

TEST(JsonSchemaRefs, HostileStructuresFailToCompile) {
  auto expect_invalid = [](const json& schema, const std::string& words) {
    auto compiled = JsonSchema::compile(schema);
    ASSERT_FALSE(compiled.ok()) << schema.dump().substr(0, 200);
    EXPECT_EQ(compiled.error().code, "invalid_schema");
    EXPECT_NE(compiled.error().message.find(words), std::string::npos) << compiled.error().message;
  };
  // valijson recursed forever on these (while parsing, or while validating any value).
  expect_invalid({{"$ref", "#"}}, "without descending");
  expect_invalid({{"definitions", {{"a", {{"$ref", "#/definitions/b"}}}, {"b", {{"$ref", "#/definitions/a"}}}}},
                  {"properties", {{"x", {{"$ref", "#/definitions/a"}}}}}},
                 "without descending");
  expect_invalid({{"definitions", {{"a", {{"anyOf", {{{"type", "null"}}, {{"$ref", "#/definitions/a"}}}}}}}},
                  {"$ref", "#/definitions/a"}},
                 "without descending");
  json deep = {{"type", "string"}};
  for (int i = 0; i < 70; ++i) deep = {{"items", deep}};
  expect_invalid(deep, "deeper than 64");
  expect_invalid({{"$ref", "#/definitions/" + std::string(2000, 'a')}}, "longer than 1024 bytes");
  json chain = json::object();
  for (int i = 0; i < 1100; ++i) {
    chain["d" + std::to_string(i)] = {{"properties", {{"x", {{"$ref", "#/definitions/d" + std::to_string(i + 1)}}}}}};
  }
  chain["d1100"] = true;
  expect_invalid({{"definitions", chain}, {"$ref", "#/definitions/d0"}}, "more than 2048 deep");
  // Recursion through the instance is fine: it ends with the value.
  EXPECT_TRUE(JsonSchema::compile({{"properties", {{"next", {{"$ref", "#"}}}}}}).ok());
  // A path repeats its parents' names: a 1 MB name above many subschemas would multiply.
  json many = json::object();
  for (int i = 0; i < 40; ++i) many["p" + std::to_string(i)] = {{"type", "string"}};
  expect_invalid({{"properties", {{std::string(1 << 20, 'n'), {{"properties", many}}}}}}, "too large to compile");
  json wide = json::object();
  for (int i = 0; i < 5000; ++i) wide["property" + std::to_string(i)] = {{"type", "string"}, {"maxLength", 10}};
  EXPECT_TRUE(JsonSchema::compile({{"properties", wide}}).ok());
}

TEST(JsonSchemaRefs, ValueNestingIsBoundedByTheSchemasRecursion) {
  json defs = json::object();
  // 100 subschemas applied in place (each an allOf of a $ref to the next), then one level down.
  for (int i = 0; i < 100; ++i) defs["d" + std::to_string(i)] = {{"allOf", {{{"$ref", "#/definitions/d" + std::to_string(i + 1)}}}}};
  defs["d100"] = {{"items", {{"$ref", "#"}}}};
  auto schema = JsonSchema::compile({{"definitions", defs}, {"$ref", "#/definitions/d0"}});
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  json value = json::array();
  for (int i = 0; i < 20; ++i) value = json::array({value});
  EXPECT_TRUE(schema->validate(value).empty()) << all_messages(schema->validate(value));
  for (int i = 0; i < 480; ++i) value = json::array({value});
  auto v = schema->validate(value);
  ASSERT_EQ(v.size(), 1u) << all_messages(v);
  EXPECT_NE(v[0].message.find("levels deep"), std::string::npos) << v[0].message;
}

TEST(JsonSchemaDrafts, Draft4IsReadWhenTheSchemaSaysSo) {
  auto draft4 = JsonSchema::compile({{"$schema", "http://json-schema.org/draft-04/schema#"},
                                     {"maximum", 5}, {"exclusiveMaximum", true}});
  ASSERT_TRUE(draft4.ok()) << draft4.error().message;
  EXPECT_FALSE(draft4->validate(5).empty());
  EXPECT_TRUE(draft4->validate(4).empty());
  EXPECT_FALSE(JsonSchema::compile({{"maximum", 5}, {"exclusiveMaximum", true}}).ok());  // draft 7
  auto draft7 = JsonSchema::compile({{"exclusiveMaximum", 5}});
  ASSERT_TRUE(draft7.ok());
  EXPECT_FALSE(draft7->validate(5).empty());
  // Draft 7: a number without a fractional part is an integer, however it is written.
  auto integer = JsonSchema::compile({{"type", "integer"}});
  ASSERT_TRUE(integer.ok());
  EXPECT_TRUE(integer->validate(json(1.0)).empty());
  EXPECT_FALSE(integer->validate(json(1.5)).empty());
  EXPECT_FALSE(integer->validate("1").empty());
}

TEST(JsonSchemaViolations, FalseSubschemasStillReportAViolation) {
  auto schema = JsonSchema::compile({{"properties", {{"x", false}}}});
  ASSERT_TRUE(schema.ok());
  EXPECT_FALSE(schema->validate({{"x", 1}}).empty());
  EXPECT_TRUE(schema->validate({{"y", 1}}).empty());
}

}  // namespace
}  // namespace weft

namespace weft {
namespace {

TEST(JsonSchemaNumbers, MultipleOfIsCheckedWithoutValijsonsIntegerDivision) {
  // valijson divided integers by the divisor unchecked: multipleOf 0 raised SIGFPE on any
  // integer value.
  for (const json& divisor : {json(0), json(-2), json(0.0), json("2")}) {
    auto bad = JsonSchema::compile({{"multipleOf", divisor}});
    ASSERT_FALSE(bad.ok()) << divisor.dump();
    EXPECT_NE(bad.error().message.find("greater than 0"), std::string::npos) << bad.error().message;
  }
  auto by_int = JsonSchema::compile({{"multipleOf", 2}});
  ASSERT_TRUE(by_int.ok());
  EXPECT_TRUE(by_int->validate(10).empty());
  EXPECT_FALSE(by_int->validate(7).empty());
  EXPECT_TRUE(by_int->validate(json(4.0)).empty());
  EXPECT_FALSE(by_int->validate(json(4.5)).empty());  // valijson truncated 4.5 to 4
  EXPECT_TRUE(by_int->validate(json(std::numeric_limits<std::int64_t>::min())).empty());
  auto by_fraction = JsonSchema::compile({{"multipleOf", 0.0001}});
  ASSERT_TRUE(by_fraction.ok());
  EXPECT_TRUE(by_fraction->validate(json(0.0075)).empty());
  EXPECT_FALSE(by_fraction->validate(json(0.00751)).empty());
  auto tiny = JsonSchema::compile({{"type", "integer"}, {"multipleOf", 0.123456789}});
  ASSERT_TRUE(tiny.ok());
  EXPECT_FALSE(tiny->validate(json(1e308)).empty());  // the quotient overflows: not a multiple
}

TEST(JsonSchemaStrings, LengthsCountCodePointsOfAnyBytes) {
  auto schema = JsonSchema::compile({{"minLength", 2}, {"maxLength", 3}});
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE(schema->validate("\xf0\x9f\x90\xb2\xc3\xa9").empty());  // two code points, six bytes
  EXPECT_FALSE(schema->validate("a").empty());
  EXPECT_FALSE(schema->validate("abcd").empty());
  // Not UTF-8 (a string built in code, not parsed): valijson's counter read past its table.
  EXPECT_FALSE(schema->validate(std::string("\xc3") + std::string(100, '\x80')).empty());
  EXPECT_FALSE(JsonSchema::compile({{"maxLength", -1}}).ok());
  EXPECT_TRUE(JsonSchema::compile({{"maxLength", 2.0}}).ok());
}

// 200,000 wrong items are 200,000 violations: removing duplicates must not compare each with
// every other (it did: two minutes of CPU for one 1.3 MB document; found with a bundle manifest).
TEST(JsonSchemaViolations, ManyViolationsAreCollectedInLinearTime) {
  auto schema = JsonSchema::compile({{"type", "array"}, {"items", {{"type", "string"}}}});
  ASSERT_TRUE(schema.ok());
  json items = json::array();
  for (int i = 0; i < 200000; ++i) items.push_back(i);
  const auto start = std::chrono::steady_clock::now();
  const auto violations = schema->validate(items);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  ASSERT_EQ(violations.size(), 200000u);
  EXPECT_EQ(violations[199999].pointer, "/199999");
}

}  // namespace
}  // namespace weft

namespace weft {
namespace {

// Issue 10 item 6: an anyOf/oneOf of `required` lists is said in words, not as valijson's trail.
TEST(JsonSchemaAlternatives, ARequiredAlternativeIsSaidInWords) {
  auto schema = JsonSchema::compile(json::parse(R"({
    "type": "object",
    "properties": {"channel": {"type": "string"},
                   "items": {"type": "array", "items": {"type": "object",
                             "oneOf": [{"required": ["a"]}, {"required": ["b", "c"]}]}}},
    "required": ["channel"],
    "anyOf": [{"required": ["text"]}, {"required": ["blocks"]}]})"));
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  auto v = schema->validate(json{{"items", json::array({json::object(), {{"a", 1}}})}});
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& x : v) got.emplace_back(x.pointer, x.message);
  EXPECT_THAT(got, ::testing::UnorderedElementsAre(
                       std::make_pair(std::string(""), std::string("Missing required property 'channel'.")),
                       std::make_pair(std::string(""), std::string("give `text` or `blocks`")),
                       std::make_pair(std::string("/items/0"), std::string("give exactly one of `a`, or `b` and `c`"))));
  EXPECT_TRUE(schema->validate(json{{"channel", "#x"}, {"text", "hi"}}).empty());
}

TEST(JsonSchemaAlternatives, OtherAlternativesKeepTheirOwnMessages) {
  auto schema = JsonSchema::compile(json::parse(R"({"anyOf": [{"type": "string"}, {"type": "integer"}]})"));
  ASSERT_TRUE(schema.ok());
  auto v = schema->validate(json::array());
  ASSERT_FALSE(v.empty());
  for (const auto& x : v) EXPECT_EQ(x.message.find("give "), std::string::npos) << x.message;
}

}  // namespace
}  // namespace weft
