// `weft worker` beside an API-only `weft serve --no-worker` on the same store: the server
// queues, the worker process runs.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <regex>
#include <thread>

#include "api_harness.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

TEST(ApiWorker, AWorkerProcessRunsWhatAnApiOnlyServerQueues) {
  testing::TempDir dir;
  const std::string data = dir.file("data");
  WeftServer api({}, data, {"--no-worker"});
  ASSERT_EQ(api.setup().status, 201);
  const As owner = As::session(api.login("owner@example.com"));
  json workflow = {{"name", "Double"},
                   {"steps", {{{"id", "d"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.n}}"}}}}}}};
  Reply created = api.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  Reply started = api.request("POST", "/api/workflows/" + created.body["id"].get<std::string>() + "/runs", owner,
                              json{{"input", {{"n", 21}}}});
  ASSERT_EQ(started.status, 202) << started.text;
  const std::string run = started.body["runId"];
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(api.request("GET", "/api/runs/" + run, owner).body["status"], "queued");  // no worker here

  testing::ChildProcess worker({WEFT_BINARY, "--data-dir", data, "worker", "--workers", "1"},
                               api.sibling_env({{"WEFT_MASTER_KEY", std::string(64, 'e')}, {"WEFT_POLL_MS", "50"},
                                                {"WEFT_LOG_LEVEL", "info"}}),
                               dir.path());
  Reply last;
  for (int i = 0; i < 500; ++i) {
    last = api.request("GET", "/api/runs/" + run, owner);
    if (last.body.value("status", "") == "succeeded") break;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(last.body["status"], "succeeded") << last.text << "\n" << worker.stderr_text();
  EXPECT_EQ(last.body["output"], 21);
  EXPECT_NE(worker.stderr_text().find("weft worker ready"), std::string::npos) << worker.stderr_text();
  worker.signal(SIGTERM);
  auto ended = worker.wait();
  EXPECT_EQ(ended.exit_code, 0) << ended.err;
}

}  // namespace
}  // namespace weft::apitest
