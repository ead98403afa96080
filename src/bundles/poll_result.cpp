#include "bundles/poll_result.h"

namespace weft::bundles {

json poll_request(const json& inputs, const json& state) { return {{"inputs", inputs}, {"state", state}}; }

bool is_poll_request(const json& input) {
  return input.is_object() && input.size() == 2 && input.contains("inputs") && input["inputs"].is_object() &&
         input.contains("state");
}

Result<PollResult> read_poll_result(const json& answer, const std::string& trigger) {
  auto invalid = [&](const std::string& why) {
    return Error::make("invalid_output", "trigger '" + trigger + "' returned a poll answer this server refuses: " + why);
  };
  if (!answer.is_object() || !answer.contains("items")) return invalid("it must be an object { items: [...], state }");
  for (auto it = answer.begin(); it != answer.end(); ++it) {
    if (it.key() != "items" && it.key() != "state") return invalid("unknown field '" + it.key().substr(0, 64) + "'");
  }
  const json& items = answer["items"];
  if (!items.is_array()) return invalid("items must be an array");
  if (items.size() > kMaxPollItems) {
    return invalid(std::to_string(items.size()) + " items (at most " + std::to_string(kMaxPollItems) + " per poll)");
  }
  PollResult out;
  out.state = answer.value("state", json(nullptr));
  const std::size_t state_bytes = out.state.dump().size();
  if (state_bytes > kMaxPollStateBytes) {
    return invalid("the state is " + std::to_string(state_bytes) + " bytes (at most " +
                   std::to_string(kMaxPollStateBytes) + ")");
  }
  out.items.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    const std::string where = "items[" + std::to_string(i) + "]";
    if (!item.is_object()) return invalid(where + " must be an object");
    auto id = item.find("id");
    if (id == item.end()) return invalid(where + " has no id");
    const bool string_id = id->is_string() && !id->get_ref<const std::string&>().empty();
    if (!string_id && !id->is_number_integer()) return invalid(where + ".id must be a non-empty string or an integer");
    std::string canonical = id->dump();
    if (canonical.size() > kMaxPollItemIdBytes) {
      return invalid(where + ".id is longer than " + std::to_string(kMaxPollItemIdBytes) + " bytes");
    }
    out.ids.push_back(std::move(canonical));
    out.items.push_back(item);
  }
  return out;
}

}  // namespace weft::bundles
