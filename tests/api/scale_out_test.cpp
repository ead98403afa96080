// Issue 13 on PostgreSQL (skipped on the SQLite run: one file, one machine): two API nodes and a
// worker, each with a data dir of its own, share one database. A bundle uploaded through one API
// node appears in the other's catalog within a second (NOTIFY), runs on the worker (which fetches
// the archive from the database, checks it and keeps a copy), and a disable reaches the other
// node as fast.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "api_harness.h"
#include "core/digest.h"
#include "bundle_upload_helpers.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

// True once catalog_has(server, as, key) == want, checked every 20 ms for at most `within`.
bool catalog_becomes(WeftServer& server, const As& as, const std::string& key, bool want,
                     std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (catalog_has(server, as, key) == want) return true;
    std::this_thread::sleep_for(20ms);
  }
  return catalog_has(server, as, key) == want;
}

TEST(ScaleOut, ABundleUploadedOnOneNodeRunsOnAnotherAndCatalogChangesReachEveryNode) {
  if (!on_postgres()) GTEST_SKIP() << "processes share one database on PostgreSQL";
  testing::TempDir dir;
  const std::string archive = pack_weather(dir, "1.0.0");
  ASSERT_FALSE(archive.empty());
  WeftServer api1({}, dir.file("api1"), {"--no-worker"});
  WeftServer api2({{"WEFT_DATABASE_URL", api1.database_url()}}, dir.file("api2"), {"--no-worker"});
  ASSERT_EQ(api1.setup().status, 201);
  const As on1 = As::session(api1.login("owner@example.com"));
  const As on2 = As::session(api2.login("owner@example.com"));  // the same users: one database
  ASSERT_FALSE(on2.cookie.empty());
  ASSERT_FALSE(catalog_has(api2, on2, "weather.describe"));

  Reply up = upload_bundle(api1, on1, archive);
  ASSERT_EQ(up.status, 201) << up.text;
  const std::string bundle = up.body["id"];
  EXPECT_TRUE(catalog_becomes(api2, on2, "weather.describe", true, 1500ms)) << "the upload did not reach node 2";

  Reply cred = api2.request("POST", "/api/credentials", on2,
                            json{{"name", "weather key"}, {"provider", "weather"}, {"type", "api_key"},
                                 {"secret", {{"api_key", "k"}}}});
  ASSERT_EQ(cred.status, 201) << cred.text;
  Reply wf = api2.request("POST", "/api/workflows", on2,
                          json{{"name", "Describe"},
                               {"steps", {{{"id", "d"}, {"action", "weather.describe"}, {"credential", cred.body["id"]},
                                           {"inputs", {{"temperature", 21}}}}}}});
  ASSERT_EQ(wf.status, 201) << wf.text;
  Reply started = api2.request("POST", "/api/workflows/" + wf.body["id"].get<std::string>() + "/runs", on2,
                               json{{"input", json::object()}});
  ASSERT_EQ(started.status, 202) << started.text;
  const std::string run = started.body["runId"];

  // Neither API node runs steps: the worker, with a data dir of its own, does.
  const std::string worker_dir = dir.file("worker");
  testing::ChildProcess worker({WEFT_BINARY, "--data-dir", worker_dir, "worker", "--concurrency", "2"},
                               api1.sibling_env({{"WEFT_MASTER_KEY", std::string(64, 'e')}, {"WEFT_POLL_MS", "50"},
                                                 {"WEFT_LOG_LEVEL", "info"}}),
                               dir.path());
  Reply last;
  for (int i = 0; i < 1000; ++i) {
    last = api1.request("GET", "/api/runs/" + run, on1);
    const std::string status = last.body.value("status", "");
    if (status == "succeeded" || status == "failed") break;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(last.body["status"], "succeeded") << last.text << "\n" << worker.stderr_text();
  EXPECT_EQ(last.body["steps"][0]["output"]["word"], "mild");
  // The worker read the archive from the database and kept a copy in its own data dir.
  // Named by its SHA-256.
  bool cached = false;
  for (const auto& e : std::filesystem::directory_iterator(worker_dir + "/blob-cache/sha256")) {
    cached |= e.is_regular_file() && sha256_hex(testing::read_file(e.path().string())) == e.path().filename().string();
  }
  EXPECT_TRUE(cached) << "no archive under " << worker_dir << "/blob-cache/sha256";

  ASSERT_EQ(api1.request("POST", "/api/bundles/" + bundle + "/disable", on1).status, 200);
  EXPECT_TRUE(catalog_becomes(api2, on2, "weather.describe", false, 1500ms)) << "the disable did not reach node 2";
  worker.signal(SIGTERM);
  EXPECT_EQ(worker.wait().exit_code, 0);
}

// The run-event stream and cancel when the run executes in another process than the API node:
// events come through the database (the stream re-reads the run), the cancel through NOTIFY.
TEST(ScaleOut, EventStreamsAndCancelWorkWhenAnotherProcessRunsTheRun) {
  if (!on_postgres()) GTEST_SKIP() << "processes share one database on PostgreSQL";
  testing::TempDir dir;
  WeftServer api({}, dir.file("api"), {"--no-worker"});
  ASSERT_EQ(api.setup().status, 201);
  const As owner = As::session(api.login("owner@example.com"));
  testing::ChildProcess worker({WEFT_BINARY, "--data-dir", dir.file("worker"), "worker", "--concurrency", "2"},
                               api.sibling_env({{"WEFT_MASTER_KEY", std::string(64, 'e')}, {"WEFT_POLL_MS", "50"},
                                                {"WEFT_LOG_LEVEL", "info"}}),
                               dir.path());
  auto start = [&](const json& steps) {
    Reply created = api.request("POST", "/api/workflows", owner, json{{"name", "w"}, {"steps", steps}});
    EXPECT_EQ(created.status, 201) << created.text;
    Reply started = api.request("POST", "/api/workflows/" + created.body["id"].get<std::string>() + "/runs", owner,
                                json{{"input", json::object()}});
    EXPECT_EQ(started.status, 202) << started.text;
    return started.body.value("runId", "");
  };

  const std::string streamed = start({{{"id", "first"}, {"action", "core.delay"}, {"inputs", {{"ms", 300}}}},
                                      {{"id", "second"}, {"action", "core.delay"}, {"after", {"first"}},
                                       {"inputs", {{"ms", 300}}}}});
  httplib::Client client("127.0.0.1", api.port());
  client.set_read_timeout(30, 0);
  std::string stream;
  auto res = client.Get("/api/runs/" + streamed + "/events", {{"Cookie", "weft_session=" + owner.cookie}},
                        [&](const char* data, size_t len) {
                          stream.append(data, len);
                          return true;
                        });
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const auto first = stream.find("\"id\":\"first\"");
  const auto second = stream.find("\"id\":\"second\"");
  const auto end = stream.find("event: run\ndata: {");
  ASSERT_NE(first, std::string::npos) << stream;
  ASSERT_NE(second, std::string::npos) << stream;
  ASSERT_NE(end, std::string::npos) << stream;
  EXPECT_LT(first, second);
  EXPECT_LT(second, end);
  EXPECT_NE(stream.find("\"status\":\"succeeded\"", end), std::string::npos) << stream;

  const std::string long_run = start({{{"id", "wait"}, {"action", "core.delay"}, {"inputs", {{"ms", 60000}}}},
                                      {{"id", "never"}, {"action", "core.transform"}, {"after", {"wait"}},
                                       {"inputs", {{"value", 1}}}}});
  Reply now = api.request("GET", "/api/runs/" + long_run, owner);
  for (int i = 0; i < 500 && now.body.value("status", "") != "running"; ++i) {
    std::this_thread::sleep_for(20ms);
    now = api.request("GET", "/api/runs/" + long_run, owner);
  }
  ASSERT_EQ(now.body["status"], "running") << now.text << worker.stderr_text();
  std::this_thread::sleep_for(200ms);  // inside the 60 s step, on the worker
  const auto t0 = std::chrono::steady_clock::now();
  Reply cancelled = api.request("POST", "/api/runs/" + long_run + "/cancel", owner);
  ASSERT_EQ(cancelled.status, 200) << cancelled.text;
  for (int i = 0; i < 500; ++i) {
    now = api.request("GET", "/api/runs/" + long_run, owner);
    if (now.body.value("status", "") == "cancelled") break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(now.body["status"], "cancelled") << now.text;
  // At once, not at the worker's next heartbeat (a third of the 30 s lease) or the step's end.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  for (const auto& step : now.body["steps"]) EXPECT_NE(step["id"], "never");
  worker.signal(SIGTERM);
  EXPECT_EQ(worker.wait().exit_code, 0);
}

}  // namespace
}  // namespace weft::apitest
