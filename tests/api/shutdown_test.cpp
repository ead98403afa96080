// SIGTERM while a step is running: the step finishes and is recorded, the process exits 0, and
// the next start resumes the run after that step instead of repeating it.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api_harness.h"

namespace weft::apitest {
namespace {

TEST(ApiShutdown, SigtermFinishesInFlightStepsAndTheNextStartResumes) {
  testing::TempDir dir;
  const std::string data = dir.file("data");
  std::string run_id;
  As owner;
  {
    WeftServer first({}, data);
    ASSERT_EQ(first.setup().status, 201);
    owner = As::session(first.login("owner@example.com"));
    json workflow = {{"name", "Long step"},
                     {"steps", {{{"id", "slow"}, {"action", "core.delay"}, {"inputs", {{"ms", 1500}}}},
                                {{"id", "after"}, {"action", "core.transform"}, {"after", {"slow"}}, {"inputs", {{"value", "done"}}}}}}};
    Reply created = first.request("POST", "/api/workflows", owner, workflow);
    ASSERT_EQ(created.status, 201) << created.text;
    Reply started = first.request("POST", "/api/workflows/" + created.body["id"].get<std::string>() + "/runs", owner, json::object());
    ASSERT_EQ(started.status, 202);
    run_id = started.body["runId"];
    // Wait until the slow step is in flight (up to 10 s: a loaded machine starts it late).
    for (int i = 0; i < 1000 && first.request("GET", "/api/runs/" + run_id, owner).body["status"] != "running"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto stopped = first.stop();
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
    EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(500));  // it waited for the step
    EXPECT_NE(stopped.err.find("received SIGTERM"), std::string::npos);
  }
  WeftServer second({}, data);
  Reply run;
  for (int i = 0; i < 400; ++i) {
    run = second.request("GET", "/api/runs/" + run_id, owner);
    if (run.body.value("status", "") == "succeeded") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(run.body["status"], "succeeded") << run.text;
  ASSERT_EQ(run.body["steps"].size(), 2u);
  EXPECT_EQ(run.body["steps"][0]["id"], "slow");
  EXPECT_EQ(run.body["steps"][0]["attempts"], 1);
  EXPECT_EQ(run.body["steps"][0]["status"], "succeeded");
  EXPECT_EQ(run.body["output"], "done");
}

}  // namespace
}  // namespace weft::apitest
