// kill -9 in the middle of a run, restart, and the run finishes exactly once: committed steps are
// not repeated, the interrupted step runs again (at-least-once), later steps run once.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <thread>

#include "cli/app.h"
#include "engine/workflow_service.h"
#include "testing/local_http_server.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft {
namespace {

template <typename Pred>
bool wait_until(Pred pred, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

TEST(CrashRecovery, KillNineMidRunThenRestartFinishesTheRunOnce) {
  testing::TempDir dir;
  testing::LocalHttpServer server;
  std::mutex mutex;
  std::condition_variable cv;
  bool slow_entered = false, released = false;
  int slow_calls = 0;
  server.on("GET", "/one", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"token":"t-1"})", "application/json");
  });
  server.on("GET", "/slow", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mutex);
    if (++slow_calls == 1) {
      slow_entered = true;
      cv.notify_all();
      cv.wait_for(lock, std::chrono::seconds(30), [&] { return released; });
    }
    res.set_content(R"({"slow":"done"})", "application/json");
  });
  server.on("GET", "/three", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"three":true})", "application/json");
  });
  server.start();

  Config config;
  config.data_dir = dir.file("data");
  config.master_key = std::string(64, 'd');
  auto app = cli::App::open(config);
  ASSERT_TRUE(app.ok()) << app.error().message;
  auto& a = **app;
  const json doc = {
      {"name", "crashy"},
      {"steps",
       {{{"id", "one"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/one")}}}},
        {{"id", "two"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/slow?t={{steps.one.output.body.token}}")}, {"timeoutMs", 60000}}}},
        {{"id", "three"}, {"action", "http.request"}, {"inputs", {{"url", server.url("/three")}}}, {"after", {"two"}}}}}};
  auto wf = engine::save_workflow(*a.store, a.catalog, a.credentials.get(), a.org.id, doc);
  ASSERT_TRUE(wf.ok()) << wf.error().message;
  auto run = engine::enqueue_run(*a.store, a.org.id, wf->id, std::nullopt, json::object());
  ASSERT_TRUE(run.ok());

  const std::vector<std::string> argv = {WEFT_BINARY, "--data-dir", config.data_dir, "serve", "--listen", "127.0.0.1:0", "--workers", "1"};
  const std::map<std::string, std::string> env = {{"WEFT_MASTER_KEY", config.master_key},
                                                   {"WEFT_LEASE_MS", "3000"},
                                                   {"WEFT_POLL_MS", "50"}};
  {
    testing::ChildProcess first(argv, env, dir.path());
    {
      std::unique_lock lock(mutex);
      ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return slow_entered; }))
          << first.stderr_text();
    }
    // Step one is committed; step two is in flight.
    auto steps = a.store->runs().steps(a.org.id, run->id).take();
    ASSERT_EQ(steps.size(), 1u);
    EXPECT_EQ(steps[0].step_id, "one");
    first.signal(SIGKILL);
    auto killed = first.wait();
    EXPECT_EQ(killed.signal, SIGKILL);
  }
  {
    std::lock_guard lock(mutex);
    released = true;
    cv.notify_all();
  }
  EXPECT_EQ(a.store->runs().get(a.org.id, run->id)->status, store::RunStatus::running);

  testing::ChildProcess second(argv, env, dir.path());
  ASSERT_TRUE(wait_until([&] { return store::is_terminal(a.store->runs().get(a.org.id, run->id)->status); },
                         std::chrono::seconds(30)))
      << second.stderr_text();
  auto finished = a.store->runs().get(a.org.id, run->id).take();
  EXPECT_EQ(finished.status, store::RunStatus::succeeded) << finished.error.dump();
  EXPECT_EQ(finished.output["body"], json({{"three", true}}));
  EXPECT_EQ(server.count("/one"), 1u);    // committed before the crash: not repeated
  EXPECT_EQ(slow_calls, 2);               // interrupted: run again
  EXPECT_EQ(server.count("/three"), 1u);  // after the crash: once
  auto steps = a.store->runs().steps(a.org.id, run->id).take();
  ASSERT_EQ(steps.size(), 3u);
  for (const auto& s : steps) {
    EXPECT_EQ(s.status, store::StepStatus::succeeded) << s.step_id;
    EXPECT_EQ(s.attempts, 1) << s.step_id;
  }
  EXPECT_EQ(a.store->jobs().pending_count().take(), 0);

  second.signal(SIGTERM);
  auto stopped = second.wait();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_NE(stopped.err.find("shutting down"), std::string::npos) << stopped.err;
}

}  // namespace
}  // namespace weft
