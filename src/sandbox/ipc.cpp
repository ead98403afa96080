#include "sandbox/ipc.h"

#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <string>

#include "core/json.h"

namespace weft::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

Error errno_error(const char* what, int err) {
  if (err == EPIPE || err == ECONNRESET) {
    return Error::make("ipc_closed", std::string(what) + ": peer closed the channel");
  }
  return Error::make("ipc_error", std::string(what) + ": " + std::strerror(err));
}

// Waits until `fd` is ready for `events` or the deadline passes (ipc_timeout).
Status wait_ready(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Error::make("ipc_timeout", "the channel was not ready before the deadline");
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count() + 1, 1 << 30)));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return errno_error("poll", errno);
    if (r > 0) return {};
  }
}

Status write_all(int fd, const char* data, std::size_t size, std::optional<Clock::time_point> deadline) {
  bool is_socket = true;
  while (size > 0) {
    ssize_t n = is_socket ? ::send(fd, data, size, MSG_NOSIGNAL) : ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        // A non-blocking channel whose peer is not reading: wait, but never past the deadline.
        WEFT_TRY(wait_ready(fd, POLLOUT, deadline.value_or(Clock::time_point::max())));
        continue;
      }
      if (is_socket && errno == ENOTSOCK) {
        is_socket = false;
        continue;
      }
      return errno_error("write", errno);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

Status read_exact(int fd, char* data, std::size_t size, std::optional<Clock::time_point> deadline) {
  while (size > 0) {
    if (deadline) {
      for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
        if (left.count() <= 0) return Error::make("ipc_timeout", "no answer before the deadline");
        pollfd p{fd, POLLIN, 0};
        int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count() + 1, 1 << 30)));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return errno_error("poll", errno);
        if (r > 0) break;
      }
    }
    ssize_t n = ::read(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking channel, nothing yet
        WEFT_TRY(wait_ready(fd, POLLIN, deadline.value_or(Clock::time_point::max())));
        continue;
      }
      return errno_error("read", errno);
    }
    if (n == 0) return Error::make("ipc_closed", "the channel was closed");
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

// Polls without sleeping until `fd` is readable or `spin` has passed: an answer that comes
// within microseconds is picked up without a scheduler wake-up (tens of µs across cores on a VM).
void spin_until_readable(int fd, std::chrono::microseconds spin) {
  const auto until = Clock::now() + spin;
  do {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) != 0) return;  // readable, hung up, or an error read() will report
    ::sched_yield();  // a runnable thread on this core goes first: spinning only uses idle time
  } while (Clock::now() < until);
}

}  // namespace

Status write_frame(int fd, const nlohmann::json& message, std::size_t max_bytes,
                   std::optional<std::chrono::steady_clock::time_point> deadline) {
  std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (body.size() > max_bytes || body.size() > UINT32_MAX) {
    return Error::make("ipc_frame_too_large", "frame of " + std::to_string(body.size()) +
                                                  " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  const auto len = static_cast<std::uint32_t>(body.size());
  std::string frame;
  frame.reserve(4 + body.size());
  frame.push_back(static_cast<char>((len >> 24) & 0xff));
  frame.push_back(static_cast<char>((len >> 16) & 0xff));
  frame.push_back(static_cast<char>((len >> 8) & 0xff));
  frame.push_back(static_cast<char>(len & 0xff));
  frame += body;
  return write_all(fd, frame.data(), frame.size(), deadline);
}

Result<nlohmann::json> read_frame(int fd, std::optional<std::chrono::milliseconds> timeout,
                                  std::size_t max_bytes, std::chrono::microseconds spin) {
  if (spin.count() > 0) spin_until_readable(fd, spin);
  std::optional<Clock::time_point> deadline;
  if (timeout) deadline = Clock::now() + *timeout;
  unsigned char header[4];
  WEFT_TRY(read_exact(fd, reinterpret_cast<char*>(header), 4, deadline));
  const std::uint32_t len = (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
                            (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]};
  if (len > max_bytes) {
    return Error::make("ipc_frame_too_large", "incoming frame of " + std::to_string(len) +
                                                  " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  std::string body(len, '\0');
  WEFT_TRY(read_exact(fd, body.data(), len, deadline));
  auto parsed = parse_json(body, kMaxFrameDepth);
  if (!parsed.ok()) {
    return Error::make("ipc_bad_frame", is_too_deep(parsed.error()) ? "frame is nested too deeply" : "frame is not JSON");
  }
  return std::move(parsed).take();
}

}  // namespace weft::sandbox
