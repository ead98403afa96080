// core/json.h — owns Weft's JSON type (nlohmann::json) and strict parsing into Result.
// Depends on nothing above core.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"

namespace weft {

using json = nlohmann::json;

// Parses `text` as one JSON document. Errors carry code "invalid_json" with line/column detail.
Result<json> parse_json(std::string_view text);

// Returns "object", "array", "string", "number", "boolean" or "null".
const char* json_type_name(const json& value);

// JavaScript-like truthiness: null, false, 0, "" and "false" are falsy; everything else is truthy.
bool json_truthy(const json& value);

}  // namespace weft
