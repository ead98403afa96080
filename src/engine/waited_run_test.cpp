// WorkerPool::run_waited: a webhook's waited run, created leased to this process and executed
// at once — on the step loop (stored in the write of its first steps) when every step is
// inline-safe, on the caller's thread otherwise — against a real SQLite store.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/test_env.h"
#include "engine/worker_pool.h"

namespace weft::engine {
namespace {

using store::RunStatus;

// Collects the answer of one waited run, from whichever thread gives it.
struct Answer {
  std::mutex mutex;
  std::condition_variable cv;
  std::optional<Result<store::RunRecord>> got;
  std::thread::id thread;

  WorkerPool::WaitedAnswer callback() {
    return [this](Result<store::RunRecord> r) {
      std::lock_guard lock(mutex);
      got = std::move(r);
      thread = std::this_thread::get_id();
      cv.notify_all();
    };
  }
  Result<store::RunRecord> wait() {
    std::unique_lock lock(mutex);
    if (!cv.wait_for(lock, std::chrono::seconds(10), [&] { return got.has_value(); })) {
      return Error::internal("no answer within 10 s");
    }
    return *got;
  }
};

json chain(int steps) {
  json list = json::array({{{"id", "s0"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.n}}"}}}}});
  for (int i = 1; i < steps; ++i) {
    list.push_back({{"id", "s" + std::to_string(i)},
                    {"action", "core.transform"},
                    {"inputs", {{"value", "{{steps.s" + std::to_string(i - 1) + ".output}}"}}}});
  }
  return {{"name", "chain" + std::to_string(steps)}, {"steps", list}};
}

class WaitedRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env = std::make_unique<test::EngineEnv>();
    pool = std::make_unique<WorkerPool>(*env->store, *env->executor,
                                        WorkerOptions{.threads = 0, .lease_ms = 30000, .poll_ms = 5});
    pool->start();
  }
  void TearDown() override {
    pool.reset();
    env.reset();
  }
  store::WorkflowRecord save(const json& doc) {
    return save_workflow(*env->store, env->catalog, env->credentials.get(), env->org.id, doc).take();
  }
  bool run_waited(const store::WorkflowRecord& wf, json input, Answer& answer,
                  std::chrono::steady_clock::time_point hand_back_at = std::chrono::steady_clock::now() +
                                                                       std::chrono::seconds(30)) {
    return pool->run_waited(wf, input, hand_back_at, nullptr, 4, answer.callback());
  }

  std::unique_ptr<test::EngineEnv> env;
  std::unique_ptr<WorkerPool> pool;
};

// An inline-only run goes to the step loop: the caller is not blocked (the answer comes from
// the loop's thread), the run ends with every step recorded and its job gone, and its insert
// shares the write of its steps and its ending (no commit of its own).
TEST_F(WaitedRunTest, AnInlineOnlyRunIsStoredWithItsFirstStepOnTheStepLoop) {
  const auto wf = save(chain(3));
  const store::StoreStats before = env->store->stats();
  Answer answer;
  ASSERT_TRUE(run_waited(wf, {{"n", 41}}, answer));
  auto done = answer.wait();
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_NE(answer.thread, std::this_thread::get_id());
  EXPECT_EQ(done->status, RunStatus::succeeded);
  EXPECT_EQ(done->output, 41);
  // The output's text, as the store wrote it, comes with the answer: not serialised again.
  ASSERT_NE(done->output_text, nullptr);
  EXPECT_EQ(*done->output_text, store::json_text(done->output));
  const store::StoreStats after = env->store->stats();
  // It ended in its first turn (3 pure steps, held): the run is inserted ended with its 3
  // records, one write in one transaction, and its job is never stored.
  EXPECT_EQ(after.writes - before.writes, 1u);
  EXPECT_EQ(after.write_transactions - before.write_transactions, 1u);
  EXPECT_EQ(*env->store->jobs().pending_count(), 0);

  auto stored = env->store->runs().get(env->org.id, done->id).take();
  EXPECT_EQ(stored.status, RunStatus::succeeded);
  EXPECT_EQ(stored.output, 41);
  EXPECT_EQ(env->steps(done->id).size(), 3u);
  EXPECT_FALSE(env->store->jobs().claim("someone-else", SystemClock::instance().now_ms() + 3600000, 1000)->has_value());
  EXPECT_EQ(pool->finished_runs(), 1);
}

// A run whose wait is already over when it reaches the loop starts no step: it is stored
// running with its job released, so a worker resumes it, and the caller hears it is running.
TEST_F(WaitedRunTest, AnInlineRunPastItsWaitIsStoredAndHandedToTheQueue) {
  const auto wf = save(chain(2));
  Answer answer;
  ASSERT_TRUE(run_waited(wf, {{"n", 5}}, answer, std::chrono::steady_clock::now() - std::chrono::seconds(1)));
  auto done = answer.wait();
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->status, RunStatus::running);
  EXPECT_EQ(env->store->runs().get(env->org.id, done->id)->status, RunStatus::running);
  EXPECT_TRUE(env->steps(done->id).empty());
  auto claimed = env->store->jobs().claim("a-worker", SystemClock::instance().now_ms(), 30000).take();
  ASSERT_TRUE(claimed.has_value());
  EXPECT_EQ(claimed->run, done->id);
  RunControl control;
  control.job = &*claimed;
  ASSERT_TRUE(env->executor->execute(env->org.id, done->id, control).ok());
  EXPECT_EQ(env->store->runs().get(env->org.id, done->id)->output, 5);
}

// When the run's own insert fails (its org does not exist), nothing of it is stored and the
// caller hears the error.
TEST_F(WaitedRunTest, AFailedInsertStoresNothingAndAnswersTheError) {
  auto wf = save(chain(2));
  wf.org = OrgId("org_missing");
  Answer answer;
  ASSERT_TRUE(run_waited(wf, {{"n", 1}}, answer));
  auto done = answer.wait();
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code, "not_found");
  EXPECT_TRUE(env->store->runs().list(env->org.id, {})->empty());
  EXPECT_FALSE(env->store->jobs().claim("a-worker", SystemClock::instance().now_ms() + 3600000, 1000)->has_value());
}

// A run with a step that is not inline-safe runs on the caller's thread, answered before
// run_waited returns.
TEST_F(WaitedRunTest, ARunThatMayBlockRunsOnTheCallersThread) {
  const auto wf = save({{"name", "delayed"},
                        {"steps", {{{"id", "wait"}, {"action", "core.delay"}, {"inputs", {{"ms", 1}}}},
                                   {{"id", "echo"},
                                    {"action", "core.transform"},
                                    {"inputs", {{"value", "{{trigger.n}}"}}},
                                    {"after", {"wait"}}}}}});
  Answer answer;
  ASSERT_TRUE(run_waited(wf, {{"n", 3}}, answer));
  ASSERT_TRUE(answer.got.has_value());
  EXPECT_EQ(answer.thread, std::this_thread::get_id());
  ASSERT_TRUE(answer.got->ok()) << answer.got->error().message;
  EXPECT_EQ((*answer.got)->status, RunStatus::succeeded);
  EXPECT_EQ((*answer.got)->output, 3);
}

// Many waited runs at once share the loop's commits and each gets its own answer.
TEST_F(WaitedRunTest, ConcurrentWaitedRunsShareCommits) {
  const auto wf = save(chain(5));
  constexpr int kRuns = 24;
  std::vector<Answer> answers(kRuns);
  const store::StoreStats before = env->store->stats();
  // Gathered on the loop before any can commit, whatever the scheduler does with this thread.
  test::WriteLockHolder blocker(env->db_path());
  for (int i = 0; i < kRuns; ++i) ASSERT_TRUE(run_waited(wf, {{"n", i}}, answers[i]));
  EXPECT_TRUE(test::wait_for_runs_on_step_loop(*env->executor, kRuns));
  blocker.release();
  for (int i = 0; i < kRuns; ++i) {
    auto done = answers[i].wait();
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(done->status, RunStatus::succeeded);
    EXPECT_EQ(done->output, i);
    EXPECT_EQ(env->steps(done->id).size(), 5u);
  }
  const store::StoreStats after = env->store->stats();
  // Per run one write: inserted ended, with its 5 records.
  EXPECT_EQ(after.writes - before.writes, static_cast<std::uint64_t>(kRuns));
  // In 1 turn, or 2 if the first turn began before the rest arrived (alone, with a commit per
  // step, each run would take 6 commits: 144).
  EXPECT_LE(after.write_transactions - before.write_transactions, 2u);
  EXPECT_EQ(*env->store->jobs().pending_count(), 0);
}

// Stopping the pool waits for the waited runs on the loop and tells each caller.
TEST_F(WaitedRunTest, StoppingThePoolAnswersEveryWaitedRun) {
  const auto wf = save(chain(50));
  constexpr int kRuns = 8;
  std::vector<Answer> answers(kRuns);
  for (int i = 0; i < kRuns; ++i) ASSERT_TRUE(run_waited(wf, {{"n", i}}, answers[i]));
  pool->stop();
  for (int i = 0; i < kRuns; ++i) {
    ASSERT_TRUE(answers[i].got.has_value());  // told before stop() returned
    ASSERT_TRUE(answers[i].got->ok()) << answers[i].got->error().message;
    const auto status = (*answers[i].got)->status;
    EXPECT_TRUE(status == RunStatus::succeeded || status == RunStatus::running);
    EXPECT_EQ(env->store->runs().get(env->org.id, (*answers[i].got)->id)->status, status);
  }
  Answer late;
  EXPECT_FALSE(run_waited(wf, {{"n", 0}}, late));
}

}  // namespace
}  // namespace weft::engine
