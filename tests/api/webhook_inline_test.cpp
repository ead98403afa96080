// Issue 12: a webhook run the caller waits for (?wait=true) starts executing on the request's
// thread without a queue round trip — stored already running, its job leased to this process —
// and yet survives the process: kill -9 in the middle of it, and the next start resumes it
// after its last committed step, exactly like a queued run.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api_harness.h"
#include "testing/local_http_server.h"
#include "testing/raw_connection.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

struct JobRow {
  bool found = false;
  std::string lease_owner;
  int attempts = 0;
  std::string run_status;
};

// The job and run rows of `run`, read straight from the server's database.
JobRow job_of(const WeftServer& server, const std::string& run) {
  JobRow row;
  // Run ids are [a-z0-9_]: safe in the statement's text.
  const auto rows = server.sql("SELECT jobs.lease_owner, jobs.attempts, runs.status FROM runs LEFT JOIN jobs "
                               "ON jobs.run_id = runs.id WHERE runs.id = '" + run + "'");
  if (rows.empty()) return row;
  row.found = true;
  const std::string& line = rows.front();
  const auto first = line.find('|'), second = line.find('|', first + 1);
  row.lease_owner = line.substr(0, first);
  const std::string attempts = line.substr(first + 1, second - first - 1);
  row.attempts = attempts.empty() ? 0 : std::stoi(attempts);
  row.run_status = line.substr(second + 1);
  return row;
}

TEST(WebhookInline, AWaitedRunIsLeasedAtOnceAndResumedAfterKillNine) {
  testing::LocalHttpServer upstream;
  std::mutex mutex;
  std::condition_variable cv;
  bool slow_entered = false, released = false;
  int slow_calls = 0;
  upstream.on("GET", "/one", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"token":"t-1"})", "application/json");
  });
  upstream.on("GET", "/slow", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mutex);
    if (++slow_calls == 1) {
      slow_entered = true;
      cv.notify_all();
      cv.wait_for(lock, 30s, [&] { return released; });
    }
    res.set_content(R"({"slow":"done"})", "application/json");
  });
  upstream.on("GET", "/three", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"three":true})", "application/json");
  });
  upstream.start();

  testing::TempDir dir;
  const std::string data = dir.file("data");
  const std::map<std::string, std::string> env = {{"WEFT_LEASE_MS", "2000"}, {"WEFT_POLL_MS", "50"}};
  std::string hook, run_id, workflow_id;
  As owner;
  {
    auto first = std::make_unique<WeftServer>(env, data, std::vector<std::string>{"--workers", "1"});
    ASSERT_EQ(first->setup().status, 201);
    owner = As::session(first->login("owner@example.com"));
    json workflow = {
        {"name", "Hooked"},
        {"trigger", {{"type", "webhook"}}},
        {"steps",
         {{{"id", "one"}, {"action", "http.request"}, {"inputs", {{"url", upstream.url("/one")}}}},
          {{"id", "two"},
           {"action", "http.request"},
           {"inputs", {{"url", upstream.url("/slow?t={{steps.one.output.body.token}}")}, {"timeoutMs", 60000}}}},
          {{"id", "three"}, {"action", "http.request"}, {"inputs", {{"url", upstream.url("/three")}}}, {"after", {"two"}}}}}};
    Reply created = first->request("POST", "/api/workflows", owner, workflow);
    ASSERT_EQ(created.status, 201) << created.text;
    hook = created.body["webhook"]["path"];
    workflow_id = created.body["id"];

    // The caller waits; its connection dies with the server below.
    std::thread caller([&, port = first->port()] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(60, 0);
      (void)client.Post(hook + "?wait=true", R"({"n":1})", "application/json");
    });
    {
      std::unique_lock lock(mutex);
      ASSERT_TRUE(cv.wait_for(lock, 20s, [&] { return slow_entered; })) << first->log_text();
    }
    Reply runs = first->request("GET", "/api/runs?workflowId=" + workflow_id, owner);
    ASSERT_EQ(runs.status, 200) << runs.text;
    ASSERT_EQ(runs.body["runs"].size(), 1u) << runs.text;
    run_id = runs.body["runs"][0]["id"];
    // Running on the request's thread: created leased to this process (an "/h" owner, first
    // attempt), never claimed from the queue by the worker thread ("/w0").
    JobRow job = job_of(*first, run_id);
    ASSERT_TRUE(job.found);
    EXPECT_EQ(job.run_status, "running");
    EXPECT_EQ(job.attempts, 1);
    EXPECT_NE(job.lease_owner.find("/h"), std::string::npos) << job.lease_owner;

    ASSERT_EQ(::kill(first->pid(), SIGKILL), 0);
    caller.join();
    (void)first->stop();
  }
  {
    std::lock_guard lock(mutex);
    released = true;
    cv.notify_all();
  }
  WeftServer second(env, data, {"--workers", "1"});
  const As again = As::session(second.login("owner@example.com"));
  Reply run;
  for (int i = 0; i < 300; ++i) {
    run = second.request("GET", "/api/runs/" + run_id, again);
    if (run.status == 200 && run.body["status"] != "running") break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(run.body["status"], "succeeded") << run.text << second.log_text();
  EXPECT_EQ(run.body["output"]["body"], json({{"three", true}}));
  EXPECT_EQ(upstream.count("/one"), 1u);    // committed before the crash: not repeated
  EXPECT_EQ(slow_calls, 2);                 // in flight at the crash: run again
  EXPECT_EQ(upstream.count("/three"), 1u);  // after: once
  ASSERT_EQ(run.body["steps"].size(), 3u);
  JobRow job = job_of(second, run_id);
  EXPECT_TRUE(job.lease_owner.empty());  // the job is gone: completed with the run

  // A waited run that finishes answers 200 with its output at once, in one request.
  {
    std::lock_guard lock(mutex);
    slow_calls = 1;  // /slow answers at once from now on
  }
  Reply waited = second.request("POST", hook + "?wait=true", As::anonymous(), json{{"n", 2}});
  ASSERT_EQ(waited.status, 200) << waited.text;
  EXPECT_EQ(waited.body["status"], "succeeded");
  EXPECT_EQ(waited.body["output"]["body"], json({{"three", true}}));
}

// A webhook workflow of one step that answers with the body's "n".
json echo_workflow() {
  return {{"name", "Echo"},
          {"trigger", {{"type", "webhook"}}},
          {"steps", {{{"id", "e"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.body.n}}"}}}}}}};
}

// The connection stays open as long as the client keeps it: 300 waited webhook calls, one after
// the other, on one TCP connection, each answered with its run's output.
TEST(WebhookInline, OneKeepAliveConnectionCarriesEveryRequest) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  json workflow = echo_workflow();
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string hook = created.body["webhook"]["path"];
  testing::RawConnection conn(server.port());
  ASSERT_TRUE(conn.connected());
  for (int i = 0; i < 300; ++i) {
    const std::string body = "{\"n\":" + std::to_string(i) + "}";
    const std::string request = "POST " + hook + "?wait=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    conn.clear();
    ASSERT_TRUE(conn.send(request)) << "the server closed the connection before request " << i;
    const std::string expected = "\"output\":" + std::to_string(i) + ",";
    const std::string& got = conn.read_until("\"status\":\"succeeded\"}");  // the body's last bytes
    ASSERT_EQ(testing::http_status_of(got), 200) << "request " << i << ": " << got;
    ASSERT_NE(got.find(expected), std::string::npos) << "request " << i << ": " << got;
    ASSERT_EQ(got.find("Connection: close"), std::string::npos) << got;
  }
  EXPECT_FALSE(conn.closed_by_peer(std::chrono::milliseconds(200)));

  // A new version is what the next call runs (the webhook path caches versions, not "latest").
  workflow["steps"][0]["inputs"]["value"] = {{"again", "{{trigger.body.n}}"}};
  Reply updated = server.request("PUT", "/api/workflows/" + created.body["id"].get<std::string>(), owner, workflow);
  ASSERT_EQ(updated.status, 200) << updated.text;
  Reply waited = server.request("POST", hook + "?wait=true", As::anonymous(), json{{"n", 5}});
  ASSERT_EQ(waited.status, 200) << waited.text;
  EXPECT_EQ(waited.body["output"], json({{"again", 5}}));
  // The body carries the output's text as the store wrote it, in the bytes send_json gives.
  EXPECT_EQ(waited.text, waited.body.dump());
  EXPECT_EQ(waited.body["error"], nullptr);
}

// A waited call with no credentials and no Origin, once its trigger and version have been read,
// is answered from memory on the network thread. Every change made through the API is seen by
// the very next call: a rotated secret, a new version, a trigger that is no longer a webhook, a
// deleted workflow. And the checks of the pool path still hold (a foreign Origin is refused).
TEST(WebhookInline, TheMemoryPathSeesEveryChangeAtOnce) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  json workflow = echo_workflow();
  Reply created = server.request("POST", "/api/workflows", owner, workflow);
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string id = created.body["id"];
  std::string hook = created.body["webhook"]["path"];
  const httplib::Headers plain = {{"Host", "127.0.0.1"}};
  const auto call = [&](const std::string& path, int n) {
    return server.request_with_headers("POST", path + "?wait=true", plain, "{\"n\":" + std::to_string(n) + "}",
                                       "application/json");
  };
  for (int i = 0; i < 3; ++i) {  // the first reads the trigger and the version; the next ones do not
    Reply r = call(hook, i);
    ASSERT_EQ(r.status, 200) << r.text;
    EXPECT_EQ(r.body["output"], i);
  }

  Reply foreign = server.request_with_headers("POST", hook + "?wait=true",
                                              {{"Host", "127.0.0.1"}, {"Origin", "https://evil.example"}},
                                              R"({"n":1})", "application/json");
  EXPECT_EQ(foreign.status, 403) << foreign.text;
  EXPECT_EQ(foreign.error_code(), "csrf_failed");

  Reply rotated = server.request("POST", "/api/workflows/" + id + "/webhook/rotate", owner);
  ASSERT_EQ(rotated.status, 200) << rotated.text;
  const std::string old_hook = hook;
  hook = rotated.body["webhook"]["path"];
  EXPECT_EQ(call(old_hook, 1).status, 404);
  Reply fresh = call(hook, 4);
  ASSERT_EQ(fresh.status, 200) << fresh.text;
  EXPECT_EQ(fresh.body["output"], 4);
  EXPECT_EQ(call(hook, 5).body["output"], 5);  // read again once, then from memory

  workflow["steps"][0]["inputs"]["value"] = {{"v2", "{{trigger.body.n}}"}};
  ASSERT_EQ(server.request("PUT", "/api/workflows/" + id, owner, workflow).status, 200);
  EXPECT_EQ(call(hook, 6).body["output"], json({{"v2", 6}}));
  EXPECT_EQ(call(hook, 7).body["output"], json({{"v2", 7}}));

  workflow["trigger"] = {{"type", "manual"}};
  ASSERT_EQ(server.request("PUT", "/api/workflows/" + id, owner, workflow).status, 200);
  EXPECT_EQ(call(hook, 8).status, 404);

  workflow["trigger"] = {{"type", "webhook"}};
  Reply again = server.request("PUT", "/api/workflows/" + id, owner, workflow);
  ASSERT_EQ(again.status, 200) << again.text;
  if (again.body.contains("webhook")) hook = again.body["webhook"]["path"];
  ASSERT_EQ(call(hook, 9).status, 200);
  ASSERT_EQ(call(hook, 10).status, 200);
  ASSERT_EQ(server.request("DELETE", "/api/workflows/" + id, owner).status, 204);
  EXPECT_EQ(call(hook, 11).status, 404);
}

}  // namespace
}  // namespace weft::apitest
