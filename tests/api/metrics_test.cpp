// GET /api/ready and GET /metrics (issue 13): readiness names the backend and is 503 without a
// database; the Prometheus text counts the runs and steps this process ended, the queue and the
// pools. Runs on both backends like the rest of the suite.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "api_harness.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

// The value of the sample `name` (with its labels, as written) in a Prometheus text; -1 if absent.
double sample(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

TEST(Metrics, ReadyNamesTheBackendAndMetricsCountWhatThisProcessRan) {
  WeftServer server;
  Reply ready = server.request("GET", "/api/ready");
  ASSERT_EQ(ready.status, 200) << ready.text;
  EXPECT_EQ(ready.body["status"], "ready");
  EXPECT_EQ(ready.body["database"], on_postgres() ? "postgres" : "sqlite");

  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  json workflow = {{"name", "Two"},
                   {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}},
                              {{"id", "b"}, {"action", "core.transform"}, {"inputs", {{"value", 2}}}}}}};
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string id = created.body["id"];
  for (int i = 0; i < 3; ++i) {
    Reply started = server.request("POST", "/api/workflows/" + id + "/runs", owner, json{{"input", json::object()}});
    ASSERT_EQ(started.status, 202) << started.text;
    const std::string run = started.body["runId"];
    Reply last;
    for (int t = 0; t < 500; ++t) {
      last = server.request("GET", "/api/runs/" + run, owner);
      if (last.body.value("status", "") == "succeeded") break;
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_EQ(last.body["status"], "succeeded") << last.text;
  }

  Reply metrics = server.request("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.text;
  EXPECT_NE(metrics.header("Content-Type").find("text/plain"), std::string::npos);
  const std::string& text = metrics.text;
  EXPECT_EQ(sample(text, "weft_runs_finished_total{status=\"succeeded\"}"), 3) << text;
  EXPECT_EQ(sample(text, "weft_runs_finished_total{status=\"failed\"}"), 0) << text;
  EXPECT_EQ(sample(text, "weft_steps_finished_total{status=\"succeeded\"}"), 6) << text;
  EXPECT_EQ(sample(text, "weft_step_duration_seconds_count"), 6) << text;
  EXPECT_EQ(sample(text, "weft_step_duration_seconds_bucket{le=\"+Inf\"}"), 6) << text;
  EXPECT_EQ(sample(text, "weft_queue_depth"), 0) << text;
  EXPECT_EQ(sample(text, "weft_jobs_claimed_total"), 3) << text;
  EXPECT_EQ(sample(text, "weft_lease_expiries_total"), 0) << text;
  EXPECT_GE(sample(text, "weft_sandbox_processes{state=\"idle\"}"), 0) << text;
  EXPECT_EQ(sample(text, "weft_sandbox_processes{state=\"busy\"}"), 0) << text;
  if (on_postgres()) {
    EXPECT_GE(sample(text, "weft_db_connections_open"), 1) << text;
  }
  EXPECT_NE(text.find("# TYPE weft_step_duration_seconds histogram"), std::string::npos);
}

}  // namespace
}  // namespace weft::apitest
