// bundles/poll_result.h — owns the contract of a polling trigger's call (defineTrigger): the
// request a trigger action's run() takes ({inputs, state}) and the bounds of what a poll may
// answer ({items, state}). Knows no sandbox and no store; the engine and the sandbox both use it.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace weft::bundles {

inline constexpr std::size_t kMaxPollItems = 1000;              // items one poll may return
inline constexpr std::size_t kMaxPollStateBytes = 64 * 1024;    // the cursor, serialised
inline constexpr std::size_t kMaxPollItemIdBytes = 256;         // an item's id, serialised

// What a trigger action's run() receives as ctx.input: {"inputs": <the trigger's inputs>,
// "state": <the cursor of the previous poll, null at first>}.
json poll_request(const json& inputs, const json& state);
// True when `input` has the poll_request shape (an object with exactly inputs and state, inputs
// an object).
bool is_poll_request(const json& input);

struct PollResult {
  std::vector<json> items;       // each an object with an `id`
  std::vector<std::string> ids;  // canonical JSON of each item's id (42 or "abc"), same order
  json state;                    // the new cursor
};

// Checks a poll's answer: an object {items: [...], state} (state may be absent: null), at most
// kMaxPollItems items, each a JSON object whose `id` is a non-empty string or an integer (at most
// kMaxPollItemIdBytes serialised), and a state of at most kMaxPollStateBytes. Error:
// invalid_output (public) naming `trigger` and the first rule broken.
Result<PollResult> read_poll_result(const json& answer, const std::string& trigger);

}  // namespace weft::bundles
