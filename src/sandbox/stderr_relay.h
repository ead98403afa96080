// sandbox/stderr_relay.h — owns the relay of a sandbox child's stderr into the server log: the
// child writes into a pipe, never into the log. Each of its lines is logged with a prefix naming
// the process ("sandbox[pid]: "), escaped and length-capped, within a line budget, so a child
// cannot forge, garble or flood log lines. Trusts nothing it reads; never stops reading (a
// child blocked on a full pipe would stall its calls), it drops what is over the budget instead.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace weft::sandbox {

// `raw` with printable ASCII kept, '\\' doubled, tab, CR and LF as \t \r \n, and every other
// byte (other control characters, ESC of ANSI sequences, DEL, anything non-ASCII) as \xNN.
std::string escape_log_line(std::string_view raw);

// A token bucket of lines: `burst` at once, refilled at `per_second`. Not thread-safe: one relay
// uses it at a time (a SandboxProcess keeps one across its children, so restarts do not refill it).
class LineBudget {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LineBudget(int burst = 100, int per_second = 10);

  // True when one more line may be logged at `now`; otherwise the line is counted as dropped.
  bool take(Clock::time_point now = Clock::now());
  // The lines dropped since the last call, and resets that count.
  std::uint64_t take_dropped();

 private:
  double burst_;
  double per_second_;
  double tokens_;
  Clock::time_point refilled_;
  std::uint64_t dropped_ = 0;
};

class StderrRelay {
 public:
  // Receives one finished log line (prefix included). Called on the relay's thread.
  using Sink = std::function<void(const std::string& line)>;
  static constexpr std::size_t kMaxLineBytes = 1024;  // raw bytes kept of one line; the rest is dropped

  // Takes ownership of `read_fd` (the read end of the child's stderr pipe) and relays it on a
  // thread of its own until end of file or stop(). `budget` must outlive the relay. An empty
  // `sink` logs to weft::log() at warn level.
  StderrRelay(int read_fd, pid_t pid, LineBudget& budget, Sink sink = {});
  ~StderrRelay();  // stop()
  StderrRelay(const StderrRelay&) = delete;
  StderrRelay& operator=(const StderrRelay&) = delete;

  // Relays what the pipe holds now (at most 1 MiB more), then an unfinished last line, then
  // joins the thread and closes the pipe. Call after the child is reaped to have all its lines.
  // Idempotent; not concurrently with itself.
  void stop();

 private:
  void run();
  void feed(const char* data, std::size_t n);
  void emit();

  int fd_;
  int stop_fd_;
  std::string prefix_;
  LineBudget& budget_;
  Sink sink_;
  std::string line_;
  bool truncated_ = false;
  std::thread thread_;
};

}  // namespace weft::sandbox
