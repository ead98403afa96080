#include "core/json.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace weft {

namespace {

// The deepest nesting of arrays and objects in `text`, reading strings (and their escapes) as
// the parser does; stops counting past `limit`. One pass over the bytes, no allocation: a
// document is measured before nlohmann builds anything from it. Malformed text may be measured
// loosely, but the parser refuses it anyway.
std::size_t text_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

Result<json> parse_json(std::string_view text) { return parse_json(text, kMaxJsonDepth); }

Result<json> parse_json(std::string_view text, std::size_t max_depth) {
  max_depth = std::min<std::size_t>(max_depth, kMaxJsonDepth);
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    return Error::make("invalid_json", fmt::format("malformed JSON at byte {}: NUL byte", nul));
  }
  if (text_depth(text, max_depth) > max_depth) {
    return Error::make("invalid_json", fmt::format("JSON nested deeper than {} levels", max_depth),
                       {{"maxDepth", max_depth}});
  }
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // nlohmann's message may quote the text it read ("last read: '…'"), which can be part of
    // a secret: keep only the position and the reason.
    std::string_view what(e.what());
    if (auto quoted = what.find("; last read:"); quoted != std::string_view::npos) what = what.substr(0, quoted);
    if (auto bracket = what.find("] "); bracket != std::string_view::npos) what.remove_prefix(bracket + 2);
    return Error::make("invalid_json", fmt::format("malformed JSON at byte {}: {}", e.byte, what));
  } catch (const json::exception&) {
    // out_of_range 406: a number beyond a double ("1e400"). Found by fuzz/workflow_fuzzer; it
    // escaped as an exception where every caller expects a Result. The message quotes the
    // number, so it is not passed on either.
    return Error::make("invalid_json", "malformed JSON: a number is out of range");
  }
}

bool is_too_deep(const Error& error) {
  return error.code == "invalid_json" && error.details.is_object() && error.details.contains("maxDepth");
}

std::size_t json_depth(const json& value, std::size_t stop_at) {
  // Depth-first over containers with an explicit stack: (container, its depth).
  std::vector<std::pair<const json*, std::size_t>> stack;
  std::size_t deepest = 0;
  if (value.is_structured()) stack.emplace_back(&value, 1);
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > deepest) deepest = depth;
    if (deepest >= stop_at) return stop_at;
    for (const auto& child : *node) {
      if (child.is_structured()) stack.emplace_back(&child, depth + 1);
    }
  }
  return deepest;
}

const char* json_type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "boolean";
    case json::value_t::null:
    case json::value_t::discarded: return "null";
    default: return "number";
  }
}

bool json_truthy(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded: return false;
    case json::value_t::boolean: return value.get<bool>();
    case json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      return !s.empty() && s != "false";
    }
    case json::value_t::number_integer: return value.get<std::int64_t>() != 0;
    case json::value_t::number_unsigned: return value.get<std::uint64_t>() != 0;
    case json::value_t::number_float: return value.get<double>() != 0.0;
    default: return true;
  }
}

}  // namespace weft
