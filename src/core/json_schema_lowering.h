// core/json_schema_lowering.h — rewrites a JSON Schema document into the form JsonSchema hands to
// valijson, so that valijson never runs std::regex (no pattern, format, patternProperties, id or
// non-local $ref survives) and never recurses without bound. Resolves every $ref itself (RFC 3986,
// $id-aware), so valijson's placeholder URI handling is never used. Internal to json_schema.cpp.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ecma_regex.h"
#include "core/json.h"
#include "core/result.h"

namespace weft::schema_lowering {

enum class Draft { k4, k7 };

// Private keywords of a lowered document (a user schema's own "$weft:…" keywords are dropped).
// "$weft:pattern": index into Tables::regexes; the string must match it.
inline constexpr const char* kPatternKeyword = "$weft:pattern";
// "$weft:format": a format string_formats checks.
inline constexpr const char* kFormatKeyword = "$weft:format";
// "$weft:integer": true — a number must have no fractional part. Draft 7 counts 1.0 (and 1e300)
// as an integer, valijson only integers it stored as such: "type": "integer" becomes "number"
// plus this check.
inline constexpr const char* kIntegerKeyword = "$weft:integer";
// "$weft:multipleOf": a number > 0. valijson divides integers by an integer divisor without
// checking it (multipleOf 0 raised SIGFPE) and truncates a fractional value first.
inline constexpr const char* kMultipleOfKeyword = "$weft:multipleOf";
// "$weft:minLength" / "$weft:maxLength": a count of code points. valijson's counter reads past
// its table on a long run of UTF-8 continuation bytes (a string built in code, not parsed).
inline constexpr const char* kMinLengthKeyword = "$weft:minLength";
inline constexpr const char* kMaxLengthKeyword = "$weft:maxLength";
// "$weft:name": "<op> <regex index>…" — a test on the name of the property being validated (the
// schema sits under additionalProperties or properties, so valijson's context ends in "[name]").
inline constexpr const char* kNameKeyword = "$weft:name";
// Root array holding the $ref targets that were not schemas in place ("#/foo/bar" under an
// unknown keyword, a subschema of a remote document), lowered.
inline constexpr const char* kTargetsKeyword = "$weft:targets";

// What a "$weft:name" test does with the property's name N.
//   length: fails (with a violation) when N is longer than kMaxNameBytes.
//   match:  passes when some regex matches N (used as an `if`).
//   none:   passes when no regex matches N (used as an `if`).
//   forbid: fails (with a violation) when no regex matches N: additionalProperties false.
//   reject: fails (with a violation) when some regex matches N: a patternProperties schema false.

struct Limits {
  static constexpr int kMaxSchemaDepth = 64;             // nested schemas in one document
  static constexpr std::size_t kMaxRefBytes = 1024;      // a $ref or $id string
  static constexpr std::size_t kMaxPatterns = 128;       // distinct patterns in one schema
  static constexpr std::size_t kMaxSchemaNodes = 20000;  // subschemas in one schema
  // Bytes of bookkeeping (paths of subschemas, base URIs, references) the lowering may keep: a
  // path repeats its parents' property names, so a long name above many subschemas multiplies.
  static constexpr std::size_t kMaxWorkBytes = 32 * 1024 * 1024;
  // valijson's parser recurses along chains of subschemas (~1.3 KB of stack each, measured):
  // no chain through $refs and nesting may be longer, counting every subschema of a recursive
  // group once (so about 3 MB of stack at most).
  static constexpr std::size_t kMaxSchemaChain = 2048;
  // Its validator recurses once per subschema applied (~0.3 KB each): JsonSchema::validate
  // refuses an instance when (depth + 2) × (in_place_chain + 1) would exceed this.
  static constexpr std::size_t kMaxValidationNesting = 8192;
};

// Compiled patterns shared by every document of one schema (the root and fetched remotes).
struct Tables {
  std::vector<EcmaRegex> regexes;
  std::map<std::string, std::size_t, std::less<>> index;  // pattern source → position
  std::size_t nodes = 0;                                  // subschemas lowered so far
  std::size_t work_bytes = 0;                             // see Limits::kMaxWorkBytes
  // The longest chain of subschemas applied to one value (allOf, $ref, not, if… without
  // descending into the instance), counted in subschemas. Set by lower().
  std::size_t in_place_chain = 0;
};

struct Options {
  Draft draft = Draft::k7;
  // Empty (the product): a $ref to a document other than the schema itself (or a subschema with
  // that $id) fails the schema. The conformance test serves the suite's remotes through it; the
  // documents it returns are lowered into the result like the schema's own subschemas.
  std::function<std::optional<json>(const std::string& uri)> remote_documents;
};

// The lowered form of `document`: one self-contained document whose every $ref is "#<pointer>",
// without ids, or "invalid_schema" naming where the problem is. `tables` gains the patterns the
// result refers to.
Result<json> lower(const json& document, const Options& options, Tables& tables);

}  // namespace weft::schema_lowering
