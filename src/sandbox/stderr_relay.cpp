#include "sandbox/stderr_relay.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "core/log.h"

namespace weft::sandbox {
namespace {

constexpr std::size_t kMaxDrainBytes = 1 << 20;

}  // namespace

std::string escape_log_line(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size());
  for (const char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

LineBudget::LineBudget(int burst, int per_second)
    : burst_(std::max(1, burst)), per_second_(std::max(0, per_second)), tokens_(burst_), refilled_(Clock::now()) {}

bool LineBudget::take(Clock::time_point now) {
  if (now > refilled_) {
    const double seconds = std::chrono::duration<double>(now - refilled_).count();
    tokens_ = std::min(burst_, tokens_ + seconds * per_second_);
    refilled_ = now;
  }
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return true;
  }
  ++dropped_;
  return false;
}

std::uint64_t LineBudget::take_dropped() { return std::exchange(dropped_, 0); }

StderrRelay::StderrRelay(int read_fd, pid_t pid, LineBudget& budget, Sink sink)
    : fd_(read_fd),
      stop_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      prefix_("sandbox[" + std::to_string(pid) + "]: "),
      budget_(budget),
      sink_(std::move(sink)) {
  if (!sink_) sink_ = [](const std::string& line) { weft::log().warn("{}", line); };
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  thread_ = std::thread([this] { run(); });
}

StderrRelay::~StderrRelay() { stop(); }

void StderrRelay::stop() {
  if (!thread_.joinable()) return;
  const std::uint64_t one = 1;
  if (stop_fd_ < 0 || ::write(stop_fd_, &one, sizeof one) != sizeof one) {
    // No way to wake the thread: it ends at the pipe's end of file (the child is gone).
  }
  thread_.join();
  ::close(fd_);
  if (stop_fd_ >= 0) ::close(stop_fd_);
  fd_ = stop_fd_ = -1;
}

void StderrRelay::run() {
  char buf[16384];
  bool stopping = false;
  std::size_t drained = 0;
  for (;;) {
    if (!stopping) {
      pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      const int ready = ::poll(fds, stop_fd_ >= 0 ? 2 : 1, -1);
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) break;
      stopping = stop_fd_ >= 0 && (fds[1].revents & POLLIN) != 0;
    }
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n > 0) {
      feed(buf, static_cast<std::size_t>(n));
      if (stopping && (drained += static_cast<std::size_t>(n)) >= kMaxDrainBytes) break;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      if (stopping) break;  // nothing more now: stop() asked us to finish
      continue;
    }
    break;  // end of file, or the pipe failed
  }
  if (!line_.empty() || truncated_) emit();
  if (const std::uint64_t dropped = budget_.take_dropped(); dropped > 0) {
    sink_(prefix_ + "(" + std::to_string(dropped) + " more lines dropped: over the log budget)");
  }
}

void StderrRelay::feed(const char* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (data[i] == '\n') {
      emit();
    } else if (line_.size() < kMaxLineBytes) {
      line_ += data[i];
    } else {
      truncated_ = true;
    }
  }
}

void StderrRelay::emit() {
  const bool empty = line_.empty() && !truncated_;
  if (!empty && budget_.take()) {
    if (const std::uint64_t dropped = budget_.take_dropped(); dropped > 0) {
      sink_(prefix_ + "(" + std::to_string(dropped) + " lines dropped: over the log budget)");
    }
    sink_(prefix_ + escape_log_line(line_) + (truncated_ ? " ...[truncated]" : ""));
  }
  line_.clear();
  truncated_ = false;
}

}  // namespace weft::sandbox
