// HandlerThreads: no thread before the first task; a thread that waits for work takes the next
// task instead of a new one starting; a task that blocks makes the next start another, never
// more than the maximum; join() runs every queued task before the threads end.
#include "http/handler_threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <set>
#include <thread>

namespace weft::http {
namespace {

using namespace std::chrono_literals;

TEST(HandlerThreads, StartsNoThreadBeforeTheFirstTaskAndReusesAWaitingOne) {
  HandlerThreads pool(8);
  EXPECT_EQ(pool.threads(), 0u);
  std::set<std::thread::id> ran_on;
  for (int i = 0; i < 20; ++i) {
    std::promise<std::thread::id> done;
    auto id = done.get_future();
    pool.post([&done] { done.set_value(std::this_thread::get_id()); });
    ran_on.insert(id.get());
    // Posted while it is still on its way back to waiting, the next task would start another.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (pool.idle() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(100us);
  }
  EXPECT_EQ(pool.threads(), 1u);
  EXPECT_EQ(ran_on.size(), 1u);
}

TEST(HandlerThreads, ABlockedTaskMakesTheNextStartAnotherUpToTheMaximum) {
  constexpr int kMax = 3;
  HandlerThreads pool(kMax);
  std::latch release(1);
  std::atomic<int> started{0};
  std::atomic<int> finished{0};
  for (int i = 0; i < kMax + 4; ++i) {
    pool.post([&] {
      ++started;
      release.wait();
      ++finished;
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (started.load() < kMax && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(started.load(), kMax);  // the other four wait for a thread: none beyond the maximum
  EXPECT_EQ(pool.threads(), static_cast<std::size_t>(kMax));
  release.count_down();
  pool.join();
  EXPECT_EQ(finished.load(), kMax + 4);
}

TEST(HandlerThreads, JoinRunsEveryQueuedTaskIncludingOnesTheyPost) {
  std::atomic<int> ran{0};
  {
    HandlerThreads pool(2);
    for (int i = 0; i < 50; ++i) {
      pool.post([&pool, &ran] {
        ++ran;
        pool.post([&ran] { ++ran; });
      });
    }
    pool.join();
    EXPECT_EQ(ran.load(), 100);
    pool.join();  // idempotent
  }
  EXPECT_EQ(ran.load(), 100);
}

TEST(HandlerThreads, ATaskThatThrowsDoesNotEndItsThread) {
  HandlerThreads pool(1);
  pool.post([] { throw std::runtime_error("boom"); });
  std::promise<void> done;
  pool.post([&done] { done.set_value(); });
  EXPECT_EQ(done.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(pool.threads(), 1u);
}

}  // namespace
}  // namespace weft::http
