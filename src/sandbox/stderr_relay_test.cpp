#include "sandbox/stderr_relay.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <mutex>
#include <string>
#include <vector>

namespace weft::sandbox {
namespace {

using namespace std::chrono_literals;

TEST(EscapeLogLine, KeepsPrintableAsciiAndEscapesEverythingElse) {
  EXPECT_EQ(escape_log_line("plain text: 42 {json}"), "plain text: 42 {json}");
  EXPECT_EQ(escape_log_line("a\rb\nc\td"), "a\\rb\\nc\\td");
  EXPECT_EQ(escape_log_line("\x1b[2K\x1b[31mred"), "\\x1b[2K\\x1b[31mred");
  EXPECT_EQ(escape_log_line(std::string("nul\0bell\x07" "del\x7f", 13)), "nul\\x00bell\\x07del\\x7f");
  EXPECT_EQ(escape_log_line("caf\xc3\xa9 \xc2\x9b"), "caf\\xc3\\xa9 \\xc2\\x9b");  // incl. C1 CSI
  // A backslash is doubled, so an escape in the output is never the child's own text.
  EXPECT_EQ(escape_log_line("\\x1b"), "\\\\x1b");
}

TEST(LineBudget, ABurstThenARefillAndTheDropsAreCounted) {
  LineBudget budget(3, 2);
  const auto t0 = LineBudget::Clock::now() + 1s;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(budget.take(t0));
  EXPECT_FALSE(budget.take(t0));
  EXPECT_FALSE(budget.take(t0 + 100ms));
  EXPECT_EQ(budget.take_dropped(), 2u);
  EXPECT_EQ(budget.take_dropped(), 0u);
  EXPECT_TRUE(budget.take(t0 + 600ms));  // 2 lines a second: one more after half a second
  EXPECT_FALSE(budget.take(t0 + 600ms));
  EXPECT_TRUE(budget.take(t0 + 60s));  // never more than the burst, however long the pause
  EXPECT_TRUE(budget.take(t0 + 60s));
  EXPECT_TRUE(budget.take(t0 + 60s));
  EXPECT_FALSE(budget.take(t0 + 60s));
}

class RelayTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::pipe2(fds_, O_CLOEXEC), 0); }
  void TearDown() override {
    if (fds_[1] >= 0) ::close(fds_[1]);
  }
  void write_all(const std::string& text) {
    ASSERT_EQ(::write(fds_[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  void close_writer() {
    ::close(fds_[1]);
    fds_[1] = -1;
  }
  StderrRelay::Sink sink() {
    return [this](const std::string& line) {
      std::lock_guard lock(mu_);
      lines_.push_back(line);
    };
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }

  int fds_[2] = {-1, -1};
  std::mutex mu_;
  std::vector<std::string> lines_;
};

TEST_F(RelayTest, Finding9LinesArePrefixedEscapedAndCapped) {
  LineBudget budget;
  StderrRelay relay(fds_[0], 4242, budget, sink());
  write_all("[2026-12-01 10:00:00.000] [info] http POST /api/setup 201\n");
  write_all("\r\x1b[2Kforged\n\n");
  write_all(std::string(5000, 'A') + "\n");
  write_all("an unfinished last line");
  close_writer();
  relay.stop();
  const auto got = lines();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], "sandbox[4242]: [2026-12-01 10:00:00.000] [info] http POST /api/setup 201");
  EXPECT_EQ(got[1], "sandbox[4242]: \\r\\x1b[2Kforged");  // the empty line is not logged
  EXPECT_EQ(got[2], "sandbox[4242]: " + std::string(StderrRelay::kMaxLineBytes, 'A') + " ...[truncated]");
  EXPECT_EQ(got[3], "sandbox[4242]: an unfinished last line");
}

TEST_F(RelayTest, Finding9AFloodIsCutToTheBudgetAndTheDropsAreSaid) {
  LineBudget budget(20, 0);
  StderrRelay relay(fds_[0], 7, budget, sink());
  std::string flood;
  for (int i = 0; i < 5000; ++i) flood += "line " + std::to_string(i) + "\n";
  write_all(flood.substr(0, 60000));  // within one pipe buffer: no reader needed to finish
  close_writer();
  relay.stop();
  const auto got = lines();
  ASSERT_EQ(got.size(), 21u);
  EXPECT_EQ(got[0], "sandbox[7]: line 0");
  EXPECT_EQ(got[19], "sandbox[7]: line 19");
  EXPECT_NE(got[20].find("lines dropped: over the log budget"), std::string::npos) << got[20];
}

TEST_F(RelayTest, StopReturnsWhileTheWriterIsStillOpen) {
  LineBudget budget;
  StderrRelay relay(fds_[0], 9, budget, sink());
  write_all("before stop\n");
  const auto start = std::chrono::steady_clock::now();
  relay.stop();  // the writer (fds_[1]) stays open: stop() must not wait for end of file
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(lines(), std::vector<std::string>{"sandbox[9]: before stop"});
}

}  // namespace
}  // namespace weft::sandbox
