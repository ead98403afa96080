#include "engine/executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <set>
#include <thread>

#include "engine/test_env.h"
#include "engine/worker_pool.h"
#include "testing/local_http_server.h"

namespace weft::engine {
namespace {

using store::RunStatus;
using store::StepStatus;

class ExecutorTest : public ::testing::Test {
 protected:
  ExecutorTest() {
    server.on("GET", "/data", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"id":42,"name":"Ada","channel":"#signups"})", "application/json");
    });
    server.on("POST", "/api/chat.postMessage", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"ok":true,"channel":"C123","ts":"1700000000.000100"})", "application/json");
    });
    server.on("GET", "/flaky", [this](const httplib::Request&, httplib::Response& res) {
      if (++flaky_calls < 3) {
        res.status = 500;
        res.set_content("boom", "text/plain");
      } else {
        res.set_content(R"({"ok":true})", "application/json");
      }
    });
    // Answers 200 only when two requests are inside it at the same time: proof of parallelism.
    server.on("GET", "/barrier", [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock lock(barrier_mutex);
      ++barrier_arrived;
      barrier_cv.notify_all();
      const bool both = barrier_cv.wait_for(lock, std::chrono::seconds(5), [this] { return barrier_arrived >= 2; });
      res.status = both ? 200 : 504;
      res.set_content(R"({"together":true})", "application/json");
    });
    server.start();
    env = std::make_unique<test::EngineEnv>(server.url("/api"));
    slack = env->add_credential("slack", vault::AuthType::oauth2, {{"access_token", "xoxb-secret-token"}});
  }

  // Records step `id` of run `run` as succeeded, as a worker that then died would have.
  Status record_succeeded(const RunId& run, const std::string& id, json input, json output) {
    store::StepRunRecord rec;
    rec.run = run;
    rec.org = env->org.id;
    rec.step_id = id;
    rec.status = StepStatus::succeeded;
    rec.attempts = 1;
    rec.input = std::move(input);
    rec.output = std::move(output);
    return env->store->runs().record_step(rec);
  }

  testing::LocalHttpServer server;
  std::unique_ptr<test::EngineEnv> env;
  CredentialId slack;
  std::atomic<int> flaky_calls{0};
  std::mutex barrier_mutex;
  std::condition_variable barrier_cv;
  int barrier_arrived = 0;
};

TEST_F(ExecutorTest, RunsHttpThenSlackAndRecordsEveryStep) {
  const json doc = {
      {"name", "Notify on signup"},
      {"steps",
       {{{"id", "fetch"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/data")}}}},
        {{"id", "notify"},
         {"action", "slack.sendMessage"},
         {"credential", slack.str()},
         {"inputs", {{"channel", "{{steps.fetch.output.body.channel}}"},
                     {"text", "New signup: {{steps.fetch.output.body.name}} ({{trigger.plan}})"}}}}}}};
  auto run = env->run(doc, {{"plan", "pro"}});
  ASSERT_EQ(run.status, RunStatus::succeeded) << run.error.dump();

  // The exact request Slack would get.
  std::vector<testing::RecordedRequest> slack_calls;
  for (auto& r : server.requests()) {
    if (r.path == "/api/chat.postMessage") slack_calls.push_back(r);
  }
  ASSERT_EQ(slack_calls.size(), 1u);
  EXPECT_EQ(slack_calls[0].method, "POST");
  EXPECT_EQ(slack_calls[0].header("Authorization"), "Bearer xoxb-secret-token");
  EXPECT_EQ(slack_calls[0].header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(json::parse(slack_calls[0].body), json({{"channel", "#signups"}, {"text", "New signup: Ada (pro)"}}));

  auto steps = env->steps(run.id);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps["fetch"].status, StepStatus::succeeded);
  EXPECT_EQ(steps["fetch"].output["body"]["id"], 42);
  EXPECT_EQ(steps["fetch"].attempts, 1);
  EXPECT_EQ(steps["notify"].input["channel"], "#signups");
  EXPECT_EQ(steps["notify"].output["ts"], "1700000000.000100");
  EXPECT_LE(steps["fetch"].finished_at, steps["notify"].started_at);
  EXPECT_EQ(run.output, steps["notify"].output);  // default run output: the last step's
  EXPECT_EQ(run.input, json({{"plan", "pro"}}));
  // The step record holds inputs, never the credential.
  EXPECT_EQ(steps["notify"].input.dump().find("xoxb-secret-token"), std::string::npos);
  EXPECT_EQ(steps["notify"].logs.dump().find("xoxb-secret-token"), std::string::npos);
  // Which credential the step used is in its log: id and name.
  bool audited = false;
  for (const auto& line : steps["notify"].logs) {
    if (line.contains("fields") && line["fields"].contains("credential")) {
      EXPECT_EQ(line["fields"]["credential"]["id"], slack.str());
      EXPECT_FALSE(line["fields"]["credential"]["name"].get<std::string>().empty());
      audited = true;
    }
  }
  EXPECT_TRUE(audited) << steps["notify"].logs.dump();
  EXPECT_EQ(steps["fetch"].logs.dump().find("\"credential\""), std::string::npos);  // no credential, no line
}

TEST_F(ExecutorTest, SlackErrorFailsTheRunWithSlacksCode) {
  server.stop();
  testing::LocalHttpServer bad;
  bad.on("POST", "/api/chat.postMessage", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ok":false,"error":"channel_not_found"})", "application/json");
  });
  bad.start();
  test::EngineEnv local(bad.url("/api"));
  auto cred = local.add_credential("slack", vault::AuthType::bot_token, {{"bot_token", "xoxb-bot"}});
  const json doc = {{"name", "s"},
                    {"steps", {{{"id", "post"}, {"action", "slack.sendMessage"}, {"credential", cred.str()},
                                {"inputs", {{"channel", "#nope"}, {"text", "hi"}}}},
                               {{"id", "after"}, {"action", "core.transform"}, {"after", {"post"}}, {"inputs", {{"value", 1}}}}}}};
  auto run = local.run(doc);
  EXPECT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["step"], "post");
  EXPECT_EQ(run.error["code"], "slack_error");
  EXPECT_EQ(run.error["details"]["slackError"], "channel_not_found");
  auto steps = local.steps(run.id);
  EXPECT_EQ(steps.size(), 1u);  // `after` never ran
  EXPECT_EQ(bad.requests().at(0).header("Authorization"), "Bearer xoxb-bot");
}

TEST_F(ExecutorTest, FalsyConditionSkipsStepAndItsDependents) {
  const json doc = {
      {"name", "branching"},
      {"steps",
       {{{"id", "check"}, {"action", "core.transform"}, {"inputs", {{"value", {{"vip", false}}}}}},
        {{"id", "vip_only"}, {"action", "core.transform"}, {"if", "{{steps.check.output.vip}}"}, {"inputs", {{"value", "vip"}}}},
        {{"id", "after_vip"}, {"action", "core.transform"}, {"after", {"vip_only"}}, {"inputs", {{"value", "x"}}}},
        {{"id", "always"}, {"action", "core.transform"}, {"after", {"check"}}, {"inputs", {{"value", "done"}}}}}}};
  auto run = env->run(doc);
  ASSERT_EQ(run.status, RunStatus::succeeded);
  auto steps = env->steps(run.id);
  EXPECT_EQ(steps["vip_only"].status, StepStatus::skipped);
  EXPECT_EQ(steps["after_vip"].status, StepStatus::skipped);
  EXPECT_EQ(steps["always"].status, StepStatus::succeeded);
  EXPECT_EQ(run.output, "done");
}

TEST_F(ExecutorTest, RetriesWithBackoffUntilSuccess) {
  const json doc = {{"name", "retry"},
                    {"steps", {{{"id", "call"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/flaky")}}},
                                {"retry", {{"maxAttempts", 3}, {"backoffMs", 20}}}}}}};
  auto run = env->run(doc);
  ASSERT_EQ(run.status, RunStatus::succeeded) << run.error.dump();
  auto steps = env->steps(run.id);
  EXPECT_EQ(steps["call"].attempts, 3);
  EXPECT_EQ(flaky_calls.load(), 3);
  EXPECT_GE(steps["call"].finished_at - steps["call"].started_at, 20 + 40);
  int retry_lines = 0;
  for (const auto& line : steps["call"].logs) retry_lines += line["message"].get<std::string>().find("retrying") != std::string::npos;
  EXPECT_EQ(retry_lines, 2);
}

TEST_F(ExecutorTest, RetriesAreBoundedByMaxAttempts) {
  const json doc = {{"name", "fail"},
                    {"steps", {{{"id", "boom"}, {"action", "core.fail"}, {"inputs", {{"message", "nope"}, {"code", "my_code"}}},
                                {"retry", {{"maxAttempts", 2}}}}}}};
  auto run = env->run(doc);
  EXPECT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "my_code");
  EXPECT_EQ(run.error["message"], "step 'boom' failed: nope");
  EXPECT_EQ(env->steps(run.id)["boom"].attempts, 2);
}

TEST_F(ExecutorTest, IndependentBranchesRunInParallel) {
  const json doc = {{"name", "parallel"},
                    {"steps", {{{"id", "left"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/barrier")}}}},
                               {{"id", "right"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/barrier")}}}},
                               {{"id", "join"}, {"action", "core.transform"}, {"after", {"left", "right"}},
                                {"inputs", {{"value", {"{{steps.left.output.status}}", "{{steps.right.output.status}}"}}}}}}}};
  auto run = env->run(doc);
  ASSERT_EQ(run.status, RunStatus::succeeded) << run.error.dump();
  EXPECT_EQ(run.output, json({200, 200}));  // both were inside /barrier at once
}

TEST_F(ExecutorTest, InputsInvalidAfterTemplatingFailTheStep) {
  const json doc = {{"name", "bad"},
                    {"steps", {{{"id", "wait"}, {"action", "core.delay"}, {"inputs", {{"ms", "{{trigger.ms}}"}}}}}}};
  auto run = env->run(doc, {{"ms", "soon"}});
  EXPECT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "invalid_input");
  EXPECT_NE(run.error["message"].get<std::string>().find("inputs.ms"), std::string::npos) << run.error.dump();
}

TEST_F(ExecutorTest, ResumesAfterTheLastCommittedStep) {
  const json doc = {{"name", "resume"},
                    {"steps", {{{"id", "one"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/data")}}}},
                               {{"id", "two"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.one.output.body.name}}"}}}}}}};
  auto queued = env->start(doc);
  // Step one committed by a worker that then died.
  ASSERT_TRUE(record_succeeded(queued.id, "one", {{"url", "recorded"}},
                               {{"status", 200}, {"body", {{"name", "from-before-the-crash"}}}})
                  .ok());
  RunControl control;
  ASSERT_TRUE(env->executor->execute(env->org.id, queued.id, control).ok());
  auto run = env->store->runs().get(env->org.id, queued.id).take();
  EXPECT_EQ(run.status, RunStatus::succeeded);
  EXPECT_EQ(run.output, "from-before-the-crash");
  EXPECT_EQ(server.count("/data"), 0u);  // step one was not run again
}

TEST_F(ExecutorTest, CancelStopsALongStep) {
  const json doc = {{"name", "slow"}, {"steps", {{{"id", "wait"}, {"action", "core.delay"}, {"inputs", {{"ms", 5000}}}}}}};
  auto queued = env->start(doc);
  RunControl control;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    control.cancel.cancel();
  });
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(env->executor->execute(env->org.id, queued.id, control).ok());
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  auto run = env->store->runs().get(env->org.id, queued.id).take();
  EXPECT_EQ(run.status, RunStatus::cancelled);
}

TEST_F(ExecutorTest, AbandonedRunStaysRunningAndLeavesTheStepUnrecorded) {
  const json doc = {{"name", "slow"}, {"steps", {{{"id", "wait"}, {"action", "core.delay"}, {"inputs", {{"ms", 5000}}}}}}};
  auto queued = env->start(doc);
  RunControl control;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    control.abandon = true;
    control.cancel.cancel();
  });
  auto outcome = env->executor->execute(env->org.id, queued.id, control);
  stopper.join();
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, Outcome::interrupted);
  EXPECT_EQ(env->store->runs().get(env->org.id, queued.id)->status, RunStatus::running);
  EXPECT_TRUE(env->steps(queued.id).empty());
}

// Runs of inline-safe steps execute on the step loop: resumed after their last committed
// step like any run (step one's record is not replaced, step two reads its output).
TEST_F(ExecutorTest, AnInlineOnlyRunResumesOnTheStepLoop) {
  const json doc = {{"name", "resume inline"},
                    {"steps", {{{"id", "one"}, {"action", "core.transform"}, {"inputs", {{"value", "fresh"}}}},
                               {{"id", "two"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.one.output}}"}}}}}}};
  auto queued = env->start(doc);
  ASSERT_TRUE(record_succeeded(queued.id, "one", {{"value", "recorded"}}, "from-before-the-crash").ok());
  RunControl control;
  ASSERT_TRUE(env->executor->execute(env->org.id, queued.id, control).ok());
  auto run = env->store->runs().get(env->org.id, queued.id).take();
  EXPECT_EQ(run.status, RunStatus::succeeded);
  EXPECT_EQ(run.output, "from-before-the-crash");
  ASSERT_TRUE(control.ended.has_value());
  EXPECT_EQ(control.ended->status, RunStatus::succeeded);
  EXPECT_EQ(env->steps(queued.id)["one"].input, (json{{"value", "recorded"}}));
}

// A drained run on the step loop starts no step and stays running for a later claim.
TEST_F(ExecutorTest, ADrainedRunOnTheStepLoopIsInterrupted) {
  const json doc = {{"name", "drained"},
                    {"steps", {{{"id", "one"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}}}}};
  auto queued = env->start(doc);
  RunControl control;
  control.drain = true;
  auto outcome = env->executor->execute(env->org.id, queued.id, control);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, Outcome::interrupted);
  EXPECT_EQ(env->store->runs().get(env->org.id, queued.id)->status, RunStatus::running);
  EXPECT_TRUE(env->store->runs().steps(env->org.id, queued.id)->empty());
}

// Pure steps (inline-safe, and skips) are held: a chain of them runs in one turn and its
// records are one write, stored in the chain's order with each step's input rendered from the
// held output before it; a skipped step and the steps after it are held too.
TEST_F(ExecutorTest, AChainOfPureStepsIsCommittedAsOneWrite) {
  constexpr int kSteps = 30;
  json steps = json::array({{{"id", "s0"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.n}}"}}}}});
  for (int i = 1; i < kSteps; ++i) {
    json step = {{"id", "s" + std::to_string(i)},
                 {"action", "core.transform"},
                 {"inputs", {{"value", {{"prev", "{{steps.s" + std::to_string(i - 1) + ".output}}"}}}}}};
    if (i == 20) step["if"] = "{{trigger.skip}}";
    steps.push_back(step);
  }
  steps.push_back({{"id", "last"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.s19.output}}"}}}});
  const store::StoreStats before = env->store->stats();
  auto run = env->run({{"name", "pure chain"}, {"steps", steps}}, {{"n", 7}, {"skip", false}});
  const store::StoreStats after = env->store->stats();
  ASSERT_EQ(run.status, RunStatus::succeeded) << run.error.dump();
  // enqueue, mark running, the held records, the ending.
  EXPECT_EQ(after.writes - before.writes, 4u);
  auto records = env->store->runs().steps(env->org.id, run.id).take();
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kSteps + 1));
  // Stored in the order they ran: "last" (it reads s19 only) right after s20, the first step
  // that became ready with it.
  std::vector<std::string> order;
  for (const auto& rec : records) order.push_back(rec.step_id);
  std::vector<std::string> ran;
  for (int i = 0; i <= 20; ++i) ran.push_back("s" + std::to_string(i));
  ran.push_back("last");
  for (int i = 21; i < kSteps; ++i) ran.push_back("s" + std::to_string(i));
  EXPECT_EQ(order, ran);
  auto by_id = env->steps(run.id);
  json expected = 7;
  for (int i = 0; i < kSteps; ++i) {
    const auto& rec = by_id["s" + std::to_string(i)];
    if (i < 20) {
      EXPECT_EQ(rec.status, StepStatus::succeeded) << "s" << i;
      if (i > 0) expected = {{"prev", expected}};
      EXPECT_EQ(rec.output, expected) << "s" << i;
    } else {
      EXPECT_EQ(rec.status, StepStatus::skipped) << "s" << i;
    }
  }
  EXPECT_EQ(run.output, by_id["s19"].output);
}

// A step that can reach the world (here http.request) starts only once every step it reads
// is committed: the server, asked by the step, finds both pure steps before it in the store.
TEST_F(ExecutorTest, AStepThatReachesTheWorldWaitsForTheHeldStepsItReads) {
  std::atomic<int> seen_before{-1};
  testing::LocalHttpServer checker;
  checker.on("GET", "/check", [&](const httplib::Request&, httplib::Response& res) {
    auto runs = env->store->runs().list(env->org.id, {}).take();
    int committed = 0;
    for (const auto& r : runs) {
      for (const auto& rec : env->store->runs().steps(env->org.id, r.id).take()) {
        if (rec.status == StepStatus::succeeded) ++committed;
      }
    }
    seen_before = committed;
    res.set_content(R"({"checked":true})", "application/json");
  });
  checker.start();
  const json doc = {
      {"name", "pure then http"},
      {"steps",
       {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", "check"}}}},
        {{"id", "b"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.a.output}}"}}}},
        {{"id", "fetch"}, {"action", "http.request"}, {"inputs", {{"url", checker.url("/{{steps.b.output}}")}}}},
        {{"id", "after"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.fetch.output.body.checked}}"}}}}}}};
  auto run = env->run(doc);
  ASSERT_EQ(run.status, RunStatus::succeeded) << run.error.dump();
  EXPECT_EQ(seen_before.load(), 2);
  EXPECT_EQ(run.output, true);
  auto records = env->store->runs().steps(env->org.id, run.id).take();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[2].step_id, "fetch");
}

// Concurrent runs of inline-safe steps share the step loop's turns: one transaction carries
// several runs' step records, and every run still ends with each of its steps recorded.
TEST_F(ExecutorTest, ConcurrentInlineRunsShareCommitsOnTheStepLoop) {
  json steps = json::array({{{"id", "s0"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.n}}"}}}}});
  for (int i = 1; i < 6; ++i) {
    steps.push_back({{"id", "s" + std::to_string(i)},
                     {"action", "core.transform"},
                     {"inputs", {{"value", "{{steps.s" + std::to_string(i - 1) + ".output}}"}}}});
  }
  auto wf = save_workflow(*env->store, env->catalog, env->credentials.get(), env->org.id,
                          {{"name", "chain6"}, {"steps", steps}})
                .take();
  constexpr int kRuns = 16;
  std::vector<RunId> ids;
  for (int i = 0; i < kRuns; ++i) ids.push_back(enqueue_run(*env->store, env->org.id, wf.id, std::nullopt, {{"n", i}})->id);
  // Claimed first, so execute() writes nothing before it hands its run over.
  std::vector<store::Job> jobs;
  for (int i = 0; i < kRuns; ++i) {
    auto job = env->store->jobs().claim_run(ids[i], "test", SystemClock::instance().now_ms(), 60000).take();
    ASSERT_TRUE(job.has_value());
    jobs.push_back(*job);
  }
  // The runs are together on the loop before any of them can commit (a scheduler that runs
  // the callers one after another would otherwise let each finish alone): another connection
  // holds the write lock until the loop holds every run but the first, which stays on its
  // caller's thread (a lone run does), blocked in its first write.
  test::WriteLockHolder blocker(env->db_path());
  const store::StoreStats before = env->store->stats();
  std::vector<std::thread> callers;
  for (int i = 0; i < kRuns; ++i) {
    callers.emplace_back([&, i] {
      RunControl control;
      control.job = &jobs[i];
      EXPECT_TRUE(env->executor->execute(env->org.id, ids[i], control).ok());
    });
  }
  EXPECT_TRUE(test::wait_for_runs_on_step_loop(*env->executor, kRuns - 1));
  EXPECT_EQ(env->executor->runs_on_step_loop(), static_cast<std::size_t>(kRuns - 1));
  blocker.release();
  for (auto& t : callers) t.join();
  const store::StoreStats after = env->store->stats();
  for (int i = 0; i < kRuns; ++i) {
    auto run = env->store->runs().get(env->org.id, ids[i]).take();
    EXPECT_EQ(run.status, RunStatus::succeeded);
    EXPECT_EQ(run.output, i);
    EXPECT_EQ(env->store->runs().steps(env->org.id, ids[i])->size(), 6u);
  }
  EXPECT_EQ(env->executor->runs_on_step_loop(), 0u);
  // On the loop each run's six pure steps are held and written with its ending as one write;
  // the lone run on its caller's thread writes its steps, then its ending.
  EXPECT_EQ(after.writes - before.writes, static_cast<std::uint64_t>(kRuns - 1 + 2));
  // The 15 runs on the loop commit together: 1 turn, or 2 when the first turn started before
  // the rest arrived. The lone run commits twice. (Each run alone, a commit per step, would
  // take 16 x 7 = 112.)
  EXPECT_LE(after.write_transactions - before.write_transactions, static_cast<std::uint64_t>(2 + 2));
}

TEST_F(ExecutorTest, WorkerPoolDrainsTheQueue) {
  const json doc = {{"name", "chain"},
                    {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.n}}"}}}},
                               {{"id", "b"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.a.output}}"}}}}}}};
  std::vector<RunId> ids;
  auto wf = save_workflow(*env->store, env->catalog, env->credentials.get(), env->org.id, doc).take();
  for (int i = 0; i < 30; ++i) ids.push_back(enqueue_run(*env->store, env->org.id, wf.id, std::nullopt, {{"n", i}})->id);
  WorkerPool pool(*env->store, *env->executor, {.threads = 3, .lease_ms = 5000, .poll_ms = 20});
  pool.start();
  for (int spin = 0; spin < 6000 && pool.finished_runs() < 30; ++spin) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(pool.finished_runs(), 30);
  pool.stop();
  for (int i = 0; i < 30; ++i) {
    auto run = env->store->runs().get(env->org.id, ids[i]).take();
    EXPECT_EQ(run.status, RunStatus::succeeded);
    EXPECT_EQ(run.output, i);
  }
  EXPECT_EQ(env->store->jobs().pending_count().take(), 0);
}

namespace {
// The threads runs finished on, and how many.
struct FinishThreads : RunObserver {
  explicit FinishThreads(WorkflowId counted) : workflow(std::move(counted)) {}
  void on_run_finished(const store::RunRecord& run) override {
    std::lock_guard lock(mutex);
    ++finished;
    if (run.workflow == workflow) threads.insert(std::this_thread::get_id());
  }
  const WorkflowId workflow;  // whose runs' threads are counted
  std::mutex mutex;
  std::set<std::thread::id> threads;
  int finished = 0;
};
}  // namespace

// Queued runs of inline-safe steps are claimed in batches and run on the step loop, not on
// the worker threads: they all end on the loop's one thread, the claims and commits are
// shared (a run alone takes a claim, its records and its ending: 3 transactions), and a run
// whose earlier claim recorded a step resumes after it there. Runs that need a thread (an
// HTTP step) still run on the workers, in the same queue.
TEST_F(ExecutorTest, WorkerPoolRunsInlineOnlyRunsOnTheStepLoopInBatches) {
  const json chain = {{"name", "chain"},
                      {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.n}}"}}}},
                                 {{"id", "b"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.a.output}}"}}}},
                                 {{"id", "c"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.b.output}}"}}}}}}};
  const json fetch = {{"name", "fetch"},
                      {"steps", {{{"id", "get"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/data")}}}}}}};
  auto wf = save_workflow(*env->store, env->catalog, env->credentials.get(), env->org.id, chain).take();
  auto http = save_workflow(*env->store, env->catalog, env->credentials.get(), env->org.id, fetch).take();
  constexpr int kRuns = 60;
  std::vector<RunId> ids;
  for (int i = 0; i < kRuns; ++i) ids.push_back(enqueue_run(*env->store, env->org.id, wf.id, std::nullopt, {{"n", i}})->id);
  std::vector<RunId> http_ids;
  for (int i = 0; i < 3; ++i) http_ids.push_back(enqueue_run(*env->store, env->org.id, http.id, std::nullopt, {})->id);
  // The first run was claimed before, recorded `a` (with a value of its own) and lost its lease.
  auto stale = env->store->jobs().claim_run(ids[0], "dead-worker", SystemClock::instance().now_ms(), 1).take();
  ASSERT_TRUE(stale.has_value());
  ASSERT_TRUE(record_succeeded(ids[0], "a", {{"value", 0}}, "recorded before").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));

  FinishThreads seen(wf.id);
  const store::StoreStats before = env->store->stats();
  WorkerPool pool(*env->store, *env->executor, {.threads = 2, .lease_ms = 5000, .poll_ms = 20, .observer = &seen, .loop_runs = 256});
  pool.start();
  for (int spin = 0; spin < 6000 && pool.finished_runs() < kRuns + 3; ++spin) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(pool.finished_runs(), kRuns + 3);
  pool.stop();
  const store::StoreStats after = env->store->stats();
  for (int i = 0; i < kRuns; ++i) {
    auto run = env->store->runs().get(env->org.id, ids[i]).take();
    EXPECT_EQ(run.status, RunStatus::succeeded);
    EXPECT_EQ(run.output, i == 0 ? json("recorded before") : json(i));
    EXPECT_EQ(env->store->runs().steps(env->org.id, ids[i])->size(), 3u);
  }
  for (const auto& id : http_ids) EXPECT_EQ(env->store->runs().get(env->org.id, id)->status, RunStatus::succeeded);
  EXPECT_EQ(env->store->jobs().pending_count().take(), 0);
  // The chain runs ended on one thread (the loop's), whichever worker claimed them.
  EXPECT_EQ(seen.finished, kRuns + 3);
  EXPECT_EQ(seen.threads.size(), 1u);
  EXPECT_LT(after.write_transactions - before.write_transactions, static_cast<std::uint64_t>(kRuns));
}

// With room for one run on the loop, workers that find it full wait for it to empty, and a
// mixed queue (runs for the loop, runs that need a thread, refused and handed back) still
// drains completely, each run once.
TEST_F(ExecutorTest, WorkerPoolWithAFullStepLoopStillDrainsAMixedQueue) {
  const json chain = {{"name", "chain"},
                      {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.n}}"}}}},
                                 {{"id", "b"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.a.output}}"}}}}}}};
  const json fetch = {{"name", "fetch"},
                      {"steps", {{{"id", "get"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/data")}}}}}}};
  auto wf = save_workflow(*env->store, env->catalog, env->credentials.get(), env->org.id, chain).take();
  auto http = save_workflow(*env->store, env->catalog, env->credentials.get(), env->org.id, fetch).take();
  std::vector<RunId> ids;
  for (int i = 0; i < 40; ++i) {
    const bool needs_thread = i % 8 == 3;
    ids.push_back(enqueue_run(*env->store, env->org.id, needs_thread ? http.id : wf.id, std::nullopt, {{"n", i}})->id);
  }
  WorkerPool pool(*env->store, *env->executor, {.threads = 3, .lease_ms = 60000, .poll_ms = 20, .loop_runs = 1});
  pool.start();
  for (int spin = 0; spin < 3000 && pool.finished_runs() < 40; ++spin) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(pool.finished_runs(), 40);
  pool.stop();
  for (const auto& id : ids) EXPECT_EQ(env->store->runs().get(env->org.id, id)->status, RunStatus::succeeded);
  EXPECT_EQ(env->store->jobs().pending_count().take(), 0);
  int http_calls = 0;
  for (const auto& r : server.requests()) http_calls += r.path == "/data" ? 1 : 0;
  EXPECT_EQ(http_calls, 5);  // each HTTP run once: a handed-back run was never started
}

// A run executed on a caller's thread (a webhook with ?wait=true) hands itself back to the
// queue once the caller's wait is over: it stops between steps, and a worker finishes it
// without repeating the committed steps.
TEST_F(ExecutorTest, AnInlineRunPastItsHandBackTimeReturnsToTheQueueAndAWorkerFinishesIt) {
  const json doc = {{"name", "slow chain"},
                    {"steps", {{{"id", "a"}, {"action", "core.delay"}, {"inputs", {{"ms", 150}}}},
                               {{"id", "b"}, {"action", "core.transform"},
                                {"inputs", {{"value", "done after {{steps.a.output.delayedMs}} ms"}}}}}}};
  auto queued = env->start(doc);
  WorkerPool pool(*env->store, *env->executor, {.threads = 0, .lease_ms = 5000, .poll_ms = 20});
  pool.start();  // heartbeats only
  auto job = env->store->jobs().claim_run(queued.id, pool.owner() + "/h0", SystemClock::instance().now_ms(), 5000);
  ASSERT_TRUE(job.ok() && job->has_value());
  auto outcome = pool.run_job(**job, nullptr, std::chrono::steady_clock::now() + std::chrono::milliseconds(50));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, Outcome::interrupted);
  EXPECT_EQ(env->store->runs().get(env->org.id, queued.id)->status, RunStatus::running);
  auto steps = env->steps(queued.id);
  ASSERT_EQ(steps.size(), 1u);  // a finished, b never started
  EXPECT_EQ(steps.count("a"), 1u);
  pool.stop();

  WorkerPool workers(*env->store, *env->executor, {.threads = 1, .lease_ms = 5000, .poll_ms = 20});
  workers.start();
  for (int spin = 0; spin < 500 && workers.finished_runs() < 1; ++spin) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  workers.stop();
  auto run = env->store->runs().get(env->org.id, queued.id).take();
  EXPECT_EQ(run.status, RunStatus::succeeded);
  EXPECT_EQ(run.output, "done after 150 ms");
  EXPECT_EQ(env->steps(queued.id)["a"].attempts, 1);  // not repeated
}

// Once every enqueue anywhere wakes the pool (the store's signals), idle workers stop polling:
// they claim when woken, or at the sweep (expired leases), never every poll_ms.
TEST_F(ExecutorTest, APoolWokenByTheStoreClaimsWhenWokenInsteadOfPolling) {
  WorkerPool pool(*env->store, *env->executor, {.threads = 2, .lease_ms = 5000, .poll_ms = 10, .sweep_ms = 60000});
  pool.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_GE(pool.claim_queries(), 10) << "polling every 10 ms before";
  pool.woken_by_store();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a poll under way ends
  const std::int64_t idle_from = pool.claim_queries();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(pool.claim_queries(), idle_from) << "an idle pool woken by the store polled";
  auto queued = env->start({{"name", "one"}, {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}}}}});
  pool.wake();
  for (int spin = 0; spin < 500 && pool.finished_runs() < 1; ++spin) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(pool.finished_runs(), 1);
  EXPECT_GT(pool.claim_queries(), idle_from);
  pool.stop();
  EXPECT_EQ(env->store->runs().get(env->org.id, queued.id)->status, RunStatus::succeeded);
}

// ---- Issue 8, finding 2 --------------------------------------------------------------------

// `levels` arrays around `inner` (a template string, kept whole so it keeps its JSON type).
json wrapped(json inner, int levels) {
  for (int i = 0; i < levels; ++i) {
    json outer = json::array();
    outer.push_back(std::move(inner));
    inner = std::move(outer);
  }
  return inner;
}

// Templates can nest an earlier output inside a step's own structure, step after step: a value
// past kMaxJsonDepth fails the step (or the run's output) and is never stored, so everything
// stored reads back.
TEST_F(ExecutorTest, Finding2TemplatingCannotBuildValuesDeeperThanTheLimit) {
  const json input = {{"x", wrapped(1, 500)}};
  const json doc = {{"name", "deeper"},
                    {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.x}}"}}}},
                               {{"id", "b"}, {"action", "core.transform"},
                                {"inputs", {{"value", wrapped("{{steps.a.output}}", 20)}}}}}}};
  auto run = env->run(doc, input);
  EXPECT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "invalid_input") << run.error.dump();
  EXPECT_EQ(run.error["step"], "b");
  auto steps = env->steps(run.id);  // reads every record back
  EXPECT_EQ(steps["a"].status, StepStatus::succeeded);
  EXPECT_EQ(json_depth(steps["a"].output), 500u);
  EXPECT_EQ(steps["b"].status, StepStatus::failed);
  EXPECT_TRUE(steps["b"].input.is_null());
  EXPECT_NE(steps["b"].error["message"].get<std::string>().find("nested deeper than 512 levels"), std::string::npos);

  json with_output = {{"name", "deep output"},
                      {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.x}}"}}}}}},
                      {"output", wrapped("{{steps.a.output}}", 20)}};
  run = env->run(with_output, input);
  EXPECT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "invalid_output") << run.error.dump();
  EXPECT_TRUE(run.output.is_null());

  // A trigger payload past the limit is refused when the run is enqueued.
  auto wf = save_workflow(*env->store, env->catalog, env->credentials.get(), env->org.id, doc).take();
  auto refused = enqueue_run(*env->store, env->org.id, wf.id, std::nullopt, {{"x", wrapped(1, kMaxJsonDepth)}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "invalid_input");
}

// A template that names a large value many times fails its step (or the run's output, or an
// `if`) with a clear error instead of building it: 200 × a 100 KB trigger field is 20 MB.
TEST_F(ExecutorTest, FuzzTemplateAmplificationFailsTheStepNotTheWorker) {
  const json input = {{"big", std::string(100000, 'x')}};
  std::string text;
  for (int i = 0; i < 200; ++i) text += "{{trigger.big}}";
  const json doc = {{"name", "amplified"},
                    {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", text}}}}}}};
  auto run = env->run(doc, input);
  EXPECT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "invalid_input") << run.error.dump();
  EXPECT_NE(run.error["message"].get<std::string>().find("larger than 16777216 bytes"), std::string::npos) << run.error.dump();
  auto steps = env->steps(run.id);
  EXPECT_EQ(steps["a"].status, StepStatus::failed);
  EXPECT_TRUE(steps["a"].input.is_null());

  const json in_if = {{"name", "amplified if"},
                      {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"if", text}, {"inputs", {{"value", 1}}}}}}};
  run = env->run(in_if, input);
  EXPECT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "invalid_input") << run.error.dump();
  EXPECT_EQ(env->steps(run.id)["a"].status, StepStatus::failed);

  const json in_output = {{"name", "amplified output"},
                          {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}}}},
                          {"output", text}};
  run = env->run(in_output, input);
  EXPECT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "invalid_output") << run.error.dump();
  EXPECT_TRUE(run.output.is_null());
}

// A job whose lease expired three times (its worker died with it each time) is parked at its
// next claim: the run fails with worker_crashed, naming the step that was in flight, and the
// step is not run a fourth time. Two expiries are an ordinary recovery.
TEST_F(ExecutorTest, Finding2AJobWhoseWorkerDiedThreeTimesIsParkedAsWorkerCrashed) {
  const json doc = {{"name", "crashy"},
                    {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}},
                               {{"id", "b"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/data")}}},
                                {"after", {"a"}}},
                               {{"id", "c"}, {"action", "core.transform"}, {"inputs", {{"value", 2}}}, {"after", {"b"}}}}}};
  WorkerPool pool(*env->store, *env->executor, {.threads = 0, .lease_ms = 5000, .poll_ms = 20});
  pool.start();  // heartbeats only
  // Leases taken by workers that "die" at once: each expires 1 ms after it was taken.
  auto die_holding = [&](const RunId& run, int times) {
    const TimeMs past = SystemClock::instance().now_ms() - 100000;
    for (int i = 0; i < times; ++i) {
      auto job = env->store->jobs().claim_run(run, "dead" + std::to_string(i), past + 10 * i, 1);
      ASSERT_TRUE(job.ok() && job->has_value());
    }
  };

  auto survivor = env->start(doc);
  die_holding(survivor.id, 2);
  auto job = env->store->jobs().claim_run(survivor.id, pool.owner() + "/h0", SystemClock::instance().now_ms(), 5000);
  ASSERT_TRUE(job.ok() && job->has_value());
  EXPECT_EQ((*job)->expired_leases, 2);
  ASSERT_TRUE(pool.run_job(**job, nullptr).ok());
  EXPECT_EQ(env->store->runs().get(env->org.id, survivor.id)->status, RunStatus::succeeded);
  EXPECT_EQ(server.count("/data"), 1u);

  auto doomed = env->start(doc);
  // Step a committed before the first crash; b was in flight each time.
  store::StepRunRecord a;
  a.run = doomed.id;
  a.org = env->org.id;
  a.step_id = "a";
  a.status = StepStatus::succeeded;
  a.attempts = 1;
  a.output = 1;
  a.started_at = a.finished_at = SystemClock::instance().now_ms();
  ASSERT_TRUE(env->store->runs().record_step(a).ok());
  die_holding(doomed.id, 3);
  job = env->store->jobs().claim_run(doomed.id, pool.owner() + "/h0", SystemClock::instance().now_ms(), 5000);
  ASSERT_TRUE(job.ok() && job->has_value());
  EXPECT_EQ((*job)->expired_leases, 3);
  auto outcome = pool.run_job(**job, nullptr);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(*outcome, Outcome::finished);
  pool.stop();

  auto run = env->store->runs().get(env->org.id, doomed.id).take();
  EXPECT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], kWorkerCrashed) << run.error.dump();
  EXPECT_EQ(run.error["step"], "b");
  EXPECT_NE(run.error["message"].get<std::string>().find("step 'b' failed: its worker stopped 3 times"),
            std::string::npos)
      << run.error.dump();
  auto steps = env->steps(doomed.id);
  ASSERT_EQ(steps.size(), 2u);  // a as it was, b parked, c never started
  EXPECT_EQ(steps["a"].status, StepStatus::succeeded);
  EXPECT_EQ(steps["b"].status, StepStatus::failed);
  EXPECT_EQ(steps["b"].error["code"], kWorkerCrashed);
  EXPECT_EQ(server.count("/data"), 1u);  // only the survivor's call: b was not run again
  EXPECT_EQ(env->store->jobs().pending_count().take(), 0);
}

}  // namespace
}  // namespace weft::engine
