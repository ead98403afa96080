// core/json.h — owns Weft's JSON type (nlohmann::json) and strict parsing into Result.
// Depends on nothing above core.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"

namespace weft {

using json = nlohmann::json;

// Parses `text` as one JSON document. Errors carry code "invalid_json" with the byte position.
// Refuses documents nested deeper than kMaxJsonDepth (recursion elsewhere must stay bounded) and
// raw NUL bytes (never valid JSON; they would hide trailing bytes).
Result<json> parse_json(std::string_view text);
inline constexpr int kMaxJsonDepth = 512;

// Returns "object", "array", "string", "number", "boolean" or "null".
const char* json_type_name(const json& value);

// JavaScript-like truthiness: null, false, 0, "" and "false" are falsy; everything else is truthy.
bool json_truthy(const json& value);

}  // namespace weft
