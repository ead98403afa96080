// The sliding-window attempt counter: limits, retry-after, expiry, clearing, bounded memory, and
// reserve(): check-and-count in one step, so parallel callers never pass more than the limit.
#include "accounts/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace weft::accounts {
namespace {

constexpr std::int64_t kWindow = 60 * 1000;

TEST(RateLimiter, AllowsUpToTheLimitThenGivesRetryAfter) {
  RateLimiter limiter({.max_failures = 3, .window_ms = kWindow});
  EXPECT_EQ(limiter.retry_after_ms("k", 1000), 0);
  limiter.record_failure("k", 1000);
  limiter.record_failure("k", 2000);
  EXPECT_EQ(limiter.retry_after_ms("k", 2000), 0);
  limiter.record_failure("k", 3000);
  // Over the limit until the oldest failure (t=1000) leaves the window.
  EXPECT_EQ(limiter.retry_after_ms("k", 3000), 1000 + kWindow - 3000);
  EXPECT_EQ(limiter.retry_after_ms("k", 1000 + kWindow - 1), 1);
  EXPECT_EQ(limiter.retry_after_ms("k", 1000 + kWindow), 0);
  EXPECT_EQ(limiter.retry_after_ms("other", 3000), 0);
}

TEST(RateLimiter, WindowSlides) {
  RateLimiter limiter({.max_failures = 2, .window_ms = kWindow});
  limiter.record_failure("k", 0);
  limiter.record_failure("k", 50 * 1000);
  EXPECT_GT(limiter.retry_after_ms("k", 50 * 1000), 0);
  // At t=61 s the first failure has left the window; one failure later, locked again until the
  // second one leaves.
  EXPECT_EQ(limiter.retry_after_ms("k", 61 * 1000), 0);
  limiter.record_failure("k", 61 * 1000);
  EXPECT_EQ(limiter.retry_after_ms("k", 61 * 1000), 50 * 1000 + kWindow - 61 * 1000);
}

TEST(RateLimiter, ClearForgets) {
  RateLimiter limiter({.max_failures = 1, .window_ms = kWindow});
  limiter.record_failure("k", 0);
  EXPECT_GT(limiter.retry_after_ms("k", 0), 0);
  limiter.clear("k");
  EXPECT_EQ(limiter.retry_after_ms("k", 0), 0);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, MemoryIsBounded) {
  RateLimiter limiter({.max_failures = 5, .window_ms = kWindow, .max_keys = 100});
  for (int i = 0; i < 10000; ++i) limiter.record_failure("k" + std::to_string(i), 1000);
  EXPECT_LE(limiter.size(), 100u);
  // Stale keys are dropped once their window has passed.
  limiter.record_failure("late", 1000 + 2 * kWindow);
  EXPECT_EQ(limiter.size(), 1u);
}

TEST(RateLimiter, KeepsTheRecentKeysWhenFull) {
  RateLimiter limiter({.max_failures = 1, .window_ms = kWindow, .max_keys = 8});
  for (int i = 0; i < 8; ++i) limiter.record_failure("old" + std::to_string(i), 1000 + i);
  limiter.record_failure("new", 2000);
  EXPECT_LE(limiter.size(), 8u);
  EXPECT_GT(limiter.retry_after_ms("new", 2000), 0);
  EXPECT_GT(limiter.retry_after_ms("old7", 2000), 0);
}

TEST(RateLimiter, ThreadSafe) {
  RateLimiter limiter({.max_failures = 1000000, .window_ms = kWindow, .max_keys = 50});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        limiter.record_failure("k" + std::to_string((i + t) % 80), i);
        (void)limiter.retry_after_ms("k" + std::to_string(i % 80), i);
        if (i % 100 == 0) limiter.clear("k1");
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(limiter.size(), 50u);
}

TEST(RateLimiter, ReserveCountsTheAttemptItLetsThrough) {
  RateLimiter limiter({.max_failures = 2, .window_ms = kWindow});
  EXPECT_EQ(limiter.reserve("k", 1000), 0);
  EXPECT_EQ(limiter.reserve("k", 2000), 0);
  // Both attempts count although neither has finished (or failed) yet.
  EXPECT_EQ(limiter.reserve("k", 3000), 1000 + kWindow - 3000);
  EXPECT_EQ(limiter.retry_after_ms("k", 3000), 1000 + kWindow - 3000);
  // A refused reserve recorded nothing: the lock ends when the first attempt leaves the window.
  EXPECT_EQ(limiter.reserve("k", 1000 + kWindow), 0);
}

TEST(RateLimiter, ReleaseGivesBackOneAttempt) {
  RateLimiter limiter({.max_failures = 2, .window_ms = kWindow});
  ASSERT_EQ(limiter.reserve("k", 1000), 0);
  ASSERT_EQ(limiter.reserve("k", 1000), 0);
  EXPECT_GT(limiter.reserve("k", 1000), 0);
  limiter.release("k", 1000);  // one of the two attempts at t=1000
  EXPECT_EQ(limiter.retry_after_ms("k", 1000), 0);
  EXPECT_EQ(limiter.reserve("k", 1500), 0);
  EXPECT_GT(limiter.reserve("k", 1500), 0);
  limiter.release("k", 4242);    // nothing reserved then: no-op
  limiter.release("nobody", 1);  // unknown key: no-op
  EXPECT_GT(limiter.retry_after_ms("k", 1500), 0);
  limiter.release("k", 1000);
  limiter.release("k", 1500);
  EXPECT_EQ(limiter.size(), 0u);  // a key with nothing left is forgotten
}

// Finding 6: the limit was checked, then the work ran, then the failure was counted, so parallel
// attempts all passed the check. reserve() must let exactly max_failures through, however many
// threads race for them.
TEST(Finding6LoginRateLimitRace, ParallelReservesNeverPassTheLimit) {
  constexpr int kLimit = 10;
  constexpr int kThreads = 16;
  constexpr int kPerThread = 50;
  RateLimiter limiter({.max_failures = kLimit, .window_ms = kWindow});
  std::atomic<int> admitted{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kPerThread; ++i) {
        if (limiter.reserve("acct:victim@example.com", 5000) == 0) ++admitted;
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), kLimit);
  EXPECT_GT(limiter.retry_after_ms("acct:victim@example.com", 5000), 0);
}

}  // namespace
}  // namespace weft::accounts
