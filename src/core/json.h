// core/json.h — owns Weft's JSON type (nlohmann::json) and strict parsing into Result.
// Depends on nothing above core.
#pragma once

#include <nlohmann/json.hpp>
#include <cstddef>
#include <string_view>

#include "core/result.h"

namespace weft {

using json = nlohmann::json;

// How many arrays/objects any JSON Weft accepts may nest: `1`, `[]` and `[[]]` have depths 0,
// 1 and 2. Everything that walks a JSON value recursively (dump, copy, compare, templating,
// schema validation) relies on it, so every JSON that comes from outside (request bodies,
// third-party answers, stored documents, files) goes through parse_json, and values Weft
// builds by combining them (rendered step inputs, step and run outputs) are checked with
// json_depth before they are stored.
inline constexpr int kMaxJsonDepth = 512;

// Parses `text` as one JSON document. Errors carry code "invalid_json" with the byte position.
// Refuses documents nested deeper than kMaxJsonDepth (details {"maxDepth": kMaxJsonDepth}; see
// is_too_deep) before building anything, and raw NUL bytes (never valid JSON; they would hide
// trailing bytes). The only JSON parser Weft code may call on text it did not write itself.
Result<json> parse_json(std::string_view text);
// The same with a lower limit, for a document that will sit `kMaxJsonDepth - max_depth` levels
// down inside a value Weft builds (an HTTP body inside a step output).
Result<json> parse_json(std::string_view text, std::size_t max_depth);

// True when `error` is parse_json's refusal of a document nested deeper than kMaxJsonDepth.
bool is_too_deep(const Error& error);

// The nesting depth of `value` as defined above, counted without recursion; counting stops at
// `stop_at` (the result is then `stop_at`), so a check costs no more than the limit.
std::size_t json_depth(const json& value, std::size_t stop_at = static_cast<std::size_t>(-1));

// Returns "object", "array", "string", "number", "boolean" or "null".
const char* json_type_name(const json& value);

// JavaScript-like truthiness: null, false, 0, "" and "false" are falsy; everything else is truthy.
bool json_truthy(const json& value);

}  // namespace weft
