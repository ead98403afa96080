// sandbox/ipc.h — owns the wire format between the server/worker and a sandbox process
// (weft-sandbox-host): length-prefixed JSON frames (4-byte big-endian length, then UTF-8 JSON) over a pair
// of file descriptors (a pipe pair or one socket). Blocking; EINTR is retried; writes to a
// socket never raise SIGPIPE.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/result.h"

namespace weft::sandbox {

inline constexpr std::size_t kMaxFrameBytes = 32u << 20;
// Frames nested deeper are refused before parsing (parse_json with this limit): copying a
// deep nlohmann value recurses.
inline constexpr std::size_t kMaxFrameDepth = 64;

// Writes one frame. On a non-blocking descriptor whose peer stops reading, waits at most until
// `deadline` (ipc_timeout). Errors: ipc_frame_too_large, ipc_closed (peer gone), ipc_timeout,
// ipc_error.
Status write_frame(int fd, const nlohmann::json& message, std::size_t max_bytes = kMaxFrameBytes,
                   std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

// Reads one frame (the descriptor may be blocking or not). With a timeout, waits at most that
// long in total. Frames nested deeper than
// kMaxFrameDepth are ipc_bad_frame. With `spin`, first polls
// without sleeping for up to that long (for answers expected within microseconds). Errors:
// ipc_closed (EOF before/inside a frame), ipc_timeout, ipc_frame_too_large, ipc_bad_frame
// (not JSON), ipc_error.
Result<nlohmann::json> read_frame(int fd, std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                                  std::size_t max_bytes = kMaxFrameBytes,
                                  std::chrono::microseconds spin = std::chrono::microseconds(0));

// How long each side spins for the other's next frame before sleeping in poll().
inline constexpr std::chrono::microseconds kIpcSpin{100};

}  // namespace weft::sandbox
