// The password-check semaphore: the concurrency cap, the bounded wait, the bounded queue, and
// slots freed when they go out of scope.
#include "accounts/password_checks.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace weft::accounts {
namespace {

using std::chrono::milliseconds;

TEST(PasswordChecks, AtMostMaxConcurrentAtOnce) {
  PasswordChecks checks({.max_concurrent = 3, .max_wait = milliseconds(10000), .max_waiting = 64});
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      auto slot = checks.acquire();
      ASSERT_TRUE(slot.has_value());
      const int now = ++running;
      for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(milliseconds(20));  // the "argon2" work
      --running;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  const auto stats = checks.stats();
  EXPECT_EQ(stats.granted, 12);
  EXPECT_EQ(stats.refused, 0);
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_LE(stats.peak_in_use, 3);
  EXPECT_GE(stats.peak_in_use, 2) << "twelve 20 ms holders never overlapped: the cap serialised them";
}

TEST(PasswordChecks, WaitsAtMostMaxWaitThenRefuses) {
  PasswordChecks checks({.max_concurrent = 1, .max_wait = milliseconds(100), .max_waiting = 8});
  auto held = checks.acquire();
  ASSERT_TRUE(held.has_value());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(checks.acquire().has_value());
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, milliseconds(90));
  EXPECT_LT(waited, milliseconds(2000));
  EXPECT_EQ(checks.stats().refused, 1);
}

TEST(PasswordChecks, AQueuedCallerGetsTheFreedSlot) {
  PasswordChecks checks({.max_concurrent = 1, .max_wait = milliseconds(10000), .max_waiting = 8});
  std::optional<PasswordChecks::Slot> held = checks.acquire();
  ASSERT_TRUE(held.has_value());
  std::atomic<bool> got{false};
  std::thread waiter([&] { got = checks.acquire().has_value(); });
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_FALSE(got.load());
  held.reset();  // frees the slot
  waiter.join();
  EXPECT_TRUE(got.load());
  EXPECT_EQ(checks.stats().in_use, 0);
}

TEST(PasswordChecks, AFullQueueRefusesAtOnce) {
  PasswordChecks checks({.max_concurrent = 1, .max_wait = milliseconds(3000), .max_waiting = 1});
  std::optional<PasswordChecks::Slot> held = checks.acquire();
  ASSERT_TRUE(held.has_value());
  std::atomic<bool> queued_got{false};
  std::thread queued([&] { queued_got = checks.acquire().has_value(); });
  while (checks.stats().waiting == 0) std::this_thread::sleep_for(milliseconds(1));
  // The one place in the queue is taken: the next caller is refused without waiting.
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(checks.acquire().has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000));
  held.reset();
  queued.join();
  EXPECT_TRUE(queued_got.load());
  EXPECT_EQ(checks.stats().refused, 1);
  EXPECT_EQ(checks.stats().granted, 2);
}

}  // namespace
}  // namespace weft::accounts
