// Issue 8, findings 2 and 7, black-box against the real `weft serve`: a third party's deep JSON
// fails one step and leaves the server up; a job that keeps killing its worker is parked as
// `worker_crashed` instead of being reclaimed forever; "did you mean" over a huge workflow
// answers a 400 at once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "api_harness.h"
#include "testing/local_http_server.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

// Polls GET /api/runs/{id} until the run is terminal (or the server stops answering).
Reply wait_for_run(WeftServer& server, const As& as, const std::string& run,
                   std::chrono::seconds limit = 30s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  Reply last;
  while (std::chrono::steady_clock::now() < end) {
    last = server.request("GET", "/api/runs/" + run, as);
    if (last.status != 200) return last;  // -1: the server died
    const std::string status = last.body.value("status", "");
    if (status == "succeeded" || status == "failed" || status == "cancelled") return last;
    std::this_thread::sleep_for(50ms);
  }
  return last;
}

// Creates the workflow and starts one manual run; returns the run id ("" on failure).
std::string start_run(WeftServer& server, const As& as, const json& workflow) {
  Reply created = server.request("POST", "/api/workflows", as, workflow);
  EXPECT_EQ(created.status, 201) << created.text;
  if (created.status != 201) return "";
  Reply started = server.request("POST", "/api/workflows/" + created.body["id"].get<std::string>() + "/runs", as,
                                 json{{"input", json::object()}});
  EXPECT_EQ(started.status, 202) << started.text;
  return started.status == 202 ? started.body["runId"].get<std::string>() : "";
}

// The pid of this test's child `weft serve` on `data_dir` (the harness keeps its process
// private; a crash test must kill it without the courtesy of SIGTERM).
pid_t server_pid(const std::string& data_dir) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid != getpid() || state == 'Z') continue;
    std::ifstream cmdline_file(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(cmdline_file)), std::istreambuf_iterator<char>());
    if (cmdline.find(std::string("\0", 1) + data_dir + std::string("\0", 1)) != std::string::npos &&
        cmdline.find(std::string("\0serve\0", 7)) != std::string::npos) {
      return static_cast<pid_t>(std::stol(name));
    }
  }
  return -1;
}

// ---- Finding 2: a deep JSON response ------------------------------------------------------

TEST(Finding2DeepJson, HttpResponseNestedTooDeepFailsTheStepAndTheServerStaysUp) {
  testing::LocalHttpServer api;
  api.on("GET", "/deep", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(200000, '[') + std::string(200000, ']'), "application/json");
  });
  api.on("GET", "/fine", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ok":true})", "application/json");
  });
  api.start();
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));

  const std::string run = start_run(
      server, owner,
      {{"name", "Deep answer"},
       {"steps", {{{"id", "call"}, {"action", "http.request"}, {"inputs", {{"url", api.url("/deep")}}}}}}});
  ASSERT_FALSE(run.empty());
  Reply done = wait_for_run(server, owner, run);
  ASSERT_EQ(done.status, 200) << "the server died:\n" << server.log_text();
  EXPECT_EQ(done.body["status"], "failed") << done.text;
  EXPECT_EQ(done.body["error"]["code"], "response_too_deep") << done.text;
  EXPECT_EQ(done.body["error"]["step"], "call") << done.text;
  ASSERT_EQ(done.body["steps"].size(), 1u) << done.text;
  const json& step = done.body["steps"][0];
  EXPECT_EQ(step["status"], "failed");
  const std::string message = step["error"].value("message", "");
  EXPECT_NE(message.find("JSON nested deeper than 511 levels"), std::string::npos) << message;
  EXPECT_EQ(api.count("/deep"), 1u);

  EXPECT_EQ(server.request("GET", "/api/health").status, 200) << server.log_text();
  // And the engine still runs the next workflow.
  const std::string next = start_run(
      server, owner,
      {{"name", "Fine answer"},
       {"steps", {{{"id", "call"}, {"action", "http.request"}, {"inputs", {{"url", api.url("/fine")}}}}}}});
  Reply fine = wait_for_run(server, owner, next);
  EXPECT_EQ(fine.body["status"], "succeeded") << fine.text;
  EXPECT_EQ(server.stop().exit_code, 0);
}

// A job whose worker dies mid-step (here: SIGKILL while the step waits on a slow server) is
// reclaimed after its lease expires; after the third crash the next claim parks it as failed
// with worker_crashed instead of running the step a fourth time.
TEST(Finding2WorkerCrashes, AJobThatKillsItsWorkerThreeTimesIsParkedAsWorkerCrashed) {
  std::mutex mutex;
  std::condition_variable cv;
  int calls = 0;
  bool release = false;
  testing::LocalHttpServer api;
  api.on("GET", "/hang", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mutex);
    ++calls;
    cv.notify_all();
    cv.wait_for(lock, 30s, [&] { return release; });
    res.set_content(R"({"late":true})", "application/json");
  });
  api.start();
  struct Release {  // frees blocked handlers before the local server stops, however the test ends
    std::mutex& m;
    std::condition_variable& cv;
    bool& flag;
    ~Release() {
      std::lock_guard lock(m);
      flag = true;
      cv.notify_all();
    }
  } releaser{mutex, cv, release};

  testing::TempDir dir;
  const std::string data = dir.file("data");
  const std::map<std::string, std::string> env = {{"WEFT_LEASE_MS", "1000"}};
  std::string run;
  As owner;
  for (int crash = 1; crash <= 3; ++crash) {
    WeftServer server(env, data);
    if (crash == 1) {
      ASSERT_EQ(server.setup().status, 201);
      owner = As::session(server.login("owner@example.com"));
      run = start_run(server, owner,
                      {{"name", "Crashy"},
                       {"steps", {{{"id", "slow"}, {"action", "http.request"},
                                   {"inputs", {{"url", api.url("/hang")}, {"timeoutMs", 60000}}}}}}});
      ASSERT_FALSE(run.empty());
    }
    {
      std::unique_lock lock(mutex);
      ASSERT_TRUE(cv.wait_for(lock, 20s, [&] { return calls >= crash; })) << server.log_text();
    }
    const pid_t pid = server_pid(data);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    EXPECT_EQ(server.stop().signal, SIGKILL);
  }

  WeftServer server(env, data);
  owner = As::session(server.login("owner@example.com"));
  Reply done = wait_for_run(server, owner, run);
  ASSERT_EQ(done.status, 200) << server.log_text();
  EXPECT_EQ(done.body["status"], "failed") << done.text;
  EXPECT_EQ(done.body["error"]["code"], "worker_crashed") << done.text;
  EXPECT_EQ(done.body["error"]["step"], "slow") << done.text;
  const std::string message = done.body["error"].value("message", "");
  EXPECT_NE(message.find("3 times"), std::string::npos) << message;
  ASSERT_EQ(done.body["steps"].size(), 1u) << done.text;
  EXPECT_EQ(done.body["steps"][0]["status"], "failed");
  EXPECT_EQ(done.body["steps"][0]["error"]["code"], "worker_crashed");
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(calls, 3);  // parked before the step could run (and crash) a fourth time
  }
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
  EXPECT_EQ(server.stop().exit_code, 0);
}

// ---- Finding 7: quadratic "did you mean" ---------------------------------------------------

// `count` steps; with `long_ids`, each id is as long as an id may be (64 characters), the case
// that made every suggestion cost 64 × the unknown name's length per step.
json many_steps(std::size_t count, bool long_ids = false) {
  json steps = json::array();
  for (std::size_t i = 0; i < count; ++i) {
    std::string id = "step" + std::to_string(i);
    if (long_ids) id += "_" + std::string(63 - id.size(), 'x');
    steps.push_back({{"id", id}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}});
  }
  return steps;
}

TEST(Finding7DidYouMean, AThousandStepsAndAHugeUnknownAfterNameAnswer400AtOnce) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  json steps = many_steps(1000, /*long_ids=*/true);
  steps[999]["after"] = json::array({std::string(100000, 'x')});
  const auto started = std::chrono::steady_clock::now();
  Reply r = server.request("POST", "/api/workflows/validate", owner, json{{"name", "Huge"}, {"steps", steps}});
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(r.status, 400) << r.text.substr(0, 2000);
  EXPECT_EQ(r.error_code(), "workflow_invalid");
  // A generous bound that still catches the quadratic case (17 s before the fix).
  EXPECT_LT(took, 10s);
  const std::string message = r.body["error"].value("message", "");
  EXPECT_NE(message.find("after[0]"), std::string::npos) << message.substr(0, 500);
  EXPECT_NE(message.find("64 characters"), std::string::npos) << message.substr(0, 500);
  EXPECT_EQ(message.find("did you mean"), std::string::npos) << message.substr(0, 500);
  EXPECT_LT(r.text.size(), 20000u);  // the 100,000-character name is not echoed back
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
}

TEST(Finding7DidYouMean, ProblemsBeyondAHundredAreCutWithANote) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  json steps = many_steps(1000);
  for (std::size_t i = 0; i < steps.size(); ++i) steps[i]["after"] = json::array({"missing" + std::to_string(i)});
  Reply r = server.request("POST", "/api/workflows/validate", owner, json{{"name", "Many"}, {"steps", steps}});
  ASSERT_EQ(r.status, 400) << r.text.substr(0, 2000);
  EXPECT_EQ(r.error_code(), "workflow_invalid");
  const json& details = r.body["error"]["details"];
  ASSERT_TRUE(details.is_array());
  ASSERT_EQ(details.size(), 101u);  // 100 problems and the note
  EXPECT_EQ(details[0]["step"], "step0");
  const std::string note = details[100].value("message", "");
  EXPECT_NE(note.find("900 more problems"), std::string::npos) << note;
  EXPECT_NE(r.body["error"].value("message", "").find("900 more problems"), std::string::npos);
}

TEST(Finding7DidYouMean, OverlongIdsAndNamesAreRefusedWithoutEchoingThem) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  {  // structure: a step id and an action key past their bounds
    json steps = many_steps(2);
    steps[0]["id"] = std::string(100000, 'a');
    steps[1]["action"] = "core." + std::string(100000, 't');
    Reply r = server.request("POST", "/api/workflows/validate", owner, json{{"name", "Long"}, {"steps", steps}});
    ASSERT_EQ(r.status, 400) << r.text.substr(0, 2000);
    EXPECT_EQ(r.error_code(), "workflow_invalid");
    EXPECT_LT(r.text.size(), 5000u) << r.text.substr(0, 2000);
    const std::string message = r.body["error"].value("message", "");
    EXPECT_NE(message.find("steps[0]"), std::string::npos) << message;
    EXPECT_NE(message.find("step 'step1' field 'action'"), std::string::npos) << message;
  }
  {  // references: a template naming a 100,000-character step among 1,000
    json steps = many_steps(1000, /*long_ids=*/true);
    steps[999]["inputs"] = {{"value", "{{steps." + std::string(100000, 'b') + ".output}}"}};
    const auto started = std::chrono::steady_clock::now();
    Reply r = server.request("POST", "/api/workflows/validate", owner, json{{"name", "Long ref"}, {"steps", steps}});
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
    ASSERT_EQ(r.status, 400) << r.text.substr(0, 2000);
    EXPECT_EQ(r.error_code(), "workflow_invalid");
    EXPECT_LT(r.text.size(), 5000u) << r.text.substr(0, 2000);
    const std::string message = r.body["error"].value("message", "");
    EXPECT_NE(message.find("step '" + steps[999]["id"].get<std::string>() + "' field 'inputs.value'"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("did you mean"), std::string::npos) << message;
  }
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
}

}  // namespace
}  // namespace weft::apitest
