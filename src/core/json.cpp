#include "core/json.h"

#include <fmt/format.h>

namespace weft {

namespace {
struct TooDeep {};
}  // namespace

Result<json> parse_json(std::string_view text) {
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    return Error::make("invalid_json", fmt::format("malformed JSON at byte {}: NUL byte", nul));
  }
  const json::parser_callback_t limit_depth = [](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) throw TooDeep{};
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), limit_depth);
  } catch (const TooDeep&) {
    return Error::make("invalid_json", fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth));
  } catch (const json::parse_error& e) {
    // nlohmann's message may quote the text it read ("last read: '…'"), which can be part of
    // a secret: keep only the position and the reason.
    std::string_view what(e.what());
    if (auto quoted = what.find("; last read:"); quoted != std::string_view::npos) what = what.substr(0, quoted);
    if (auto bracket = what.find("] "); bracket != std::string_view::npos) what.remove_prefix(bracket + 2);
    return Error::make("invalid_json", fmt::format("malformed JSON at byte {}: {}", e.byte, what));
  }
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
