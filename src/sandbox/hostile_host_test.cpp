// The parent does not trust its sandbox process: a compromised child (hostile_host_main.cpp)
// that floods, nests frames deeply, sends wrong types or goes silent gets replaced, and the
// server/worker neither crashes nor hangs. What it writes to its stderr reaches the server log
// only prefixed, escaped and within a budget; a child that cannot shed the parent's
// descriptors is never started.
#include <gtest/gtest.h>
#include <seccomp.h>
#include <spdlog/sinks/base_sink.h>
#include <sys/prctl.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/log.h"
#include "sandbox/host_client.h"
#include "sandbox/stderr_relay.h"

namespace weft::sandbox {
namespace {

using namespace std::chrono_literals;

// Every message the process logger writes, as logged (the payload, without time and level).
class CapturedLog final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Attached to weft::log() once for the whole test program (and never detached, since relay
  // threads may still log while a test ends).
  static CapturedLog& instance() {
    static const std::shared_ptr<CapturedLog> sink = [] {
      auto s = std::make_shared<CapturedLog>();
      weft::log().sinks().push_back(s);
      return s;
    }();
    return *sink;
  }
  std::vector<std::string> lines_starting(const std::string& prefix) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& l : lines_) {
      if (l.rfind(prefix, 0) == 0) out.push_back(l);
    }
    return out;
  }
  std::vector<std::string> lines_containing(const std::string& text) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& l : lines_) {
      if (l.find(text) != std::string::npos) out.push_back(l);
    }
    return out;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override { lines_.emplace_back(msg.payload.data(), msg.payload.size()); }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

class HostileChild : public ::testing::Test {
 public:
  static SandboxOptions options() {
    SandboxOptions o;
    o.binary = HOSTILE_HOST_BINARY;
    o.grace = 500ms;
    return o;
  }

 protected:
  void SetUp() override {
    (void)CapturedLog::instance();
    ASSERT_TRUE(sb.load("k", "source").ok());
  }

  std::string code_of(const std::string& tool) {
    auto r = sb.call("k", tool, "{}", "{}", 1000ms);
    return r.ok() ? "ok" : r.error().code;
  }

  SandboxProcess sb{options()};
};

TEST_F(HostileChild, MisbehaviourReplacesTheChildAndTheParentCarriesOn) {
  EXPECT_EQ(code_of("fine"), "ok");
  for (const char* tool : {"flood", "deep", "badtypes", "forged_error", "silent"}) {
    const auto start = std::chrono::steady_clock::now();
    const int restarts = sb.restarts();
    EXPECT_EQ(code_of(tool), "sandbox_crashed") << tool;
    EXPECT_EQ(sb.restarts(), restarts + 1) << tool;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << tool;  // never hangs
    EXPECT_EQ(code_of("fine"), "ok") << "after " << tool;
  }
}

// Finding 9 (issue 8): the child's stderr used to be the server's, so it could write lines
// indistinguishable from the server's own.
TEST_F(HostileChild, Finding9ForgedLogLinesArriveOnlyPrefixedAndEscaped) {
  EXPECT_EQ(code_of("forge_log"), "ok");
  const std::string prefix = "sandbox[" + std::to_string(sb.pid()) + "]: ";
  sb.reset();  // reaps the child: every line it wrote has been relayed when this returns

  const std::vector<std::string> forged = CapturedLog::instance().lines_containing("POST /api/setup");
  ASSERT_EQ(forged.size(), 2u);
  EXPECT_EQ(forged[0], prefix + "[2026-12-01 10:00:00.000] [info] http POST /api/setup 201");
  EXPECT_EQ(forged[1], prefix + "\\r\\x1b[2K2026-12-01T10:00:00.000Z info http POST /api/setup 201");
  const std::vector<std::string> mine = CapturedLog::instance().lines_starting(prefix);
  ASSERT_EQ(mine.size(), 3u);
  EXPECT_EQ(mine[2], prefix + std::string(StderrRelay::kMaxLineBytes, 'A') + " ...[truncated]");
  for (const auto& line : mine) {
    EXPECT_EQ(line.find_first_of("\r\n\x1b"), std::string::npos) << line;
  }

  ASSERT_TRUE(sb.load("k", "source").ok());
  EXPECT_EQ(code_of("fine"), "ok");
}

TEST_F(HostileChild, Finding9AStderrFloodIsCutToTheLogBudget) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(code_of("flood_log"), "ok");  // the child was never blocked on a full pipe
  const std::string prefix = "sandbox[" + std::to_string(sb.pid()) + "]: ";
  sb.reset();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const std::vector<std::string> mine = CapturedLog::instance().lines_starting(prefix);
  // A burst of 100, then 10 a second (LineBudget's defaults), plus the lines saying how many
  // were dropped — out of 20,000.
  EXPECT_GE(mine.size(), 100u);
  EXPECT_LE(static_cast<double>(mine.size()), 100 + 10 * seconds + 2 * (1 + 10 * seconds)) << seconds << " s";
  EXPECT_FALSE(CapturedLog::instance().lines_containing(prefix + "(").empty());
  const auto said = CapturedLog::instance().lines_containing("lines dropped: over the log budget");
  EXPECT_FALSE(said.empty());
}

// Finding 9: the spawn fails, with a clear error, when close_range cannot close what the child
// inherited — instead of running the sandbox with the parent's descriptors. close_range is made
// to fail (seccomp, EPERM) in a death-test child, and therefore in the sandbox child it forks.
TEST(Finding9Spawn, AChildThatCannotCloseInheritedDescriptorsIsNeverStarted) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
        const int nr = seccomp_syscall_resolve_name("close_range");
        if (filter == nullptr || nr == __NR_SCMP_ERROR || seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), nr, 0) != 0 ||
            ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || seccomp_load(filter) != 0) {
          std::fprintf(stderr, "could not install the test filter\n");
          std::_Exit(3);
        }
        SandboxProcess sb(HostileChild::options());
        auto loaded = sb.load("k", "source");
        std::fprintf(stderr, "load: %s: %s\n", loaded.ok() ? "ok" : loaded.error().code.c_str(),
                     loaded.ok() ? "" : loaded.error().message.c_str());
        std::fflush(stderr);
        std::_Exit(loaded.ok() ? 1 : 0);
      },
      ::testing::ExitedWithCode(0), "load: sandbox_unavailable: .*close_range failed");
}

}  // namespace
}  // namespace weft::sandbox
