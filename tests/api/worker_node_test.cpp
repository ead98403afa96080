// Worker nodes (issue 13): `weft worker --listen` answers the probes a load balancer and
// Prometheus ask every node (/api/health, /api/ready, /metrics) and nothing else; on PostgreSQL
// idle workers wait for NOTIFY instead of polling the queue; and a schedule fires exactly once
// however many processes share the database.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "api_harness.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

// A `weft worker` beside `api`, on its database, with `args` after `worker`: on PostgreSQL with a
// data dir of its own, on SQLite in the server's (where its database file is).
std::unique_ptr<testing::ChildProcess> start_worker(const WeftServer& api, const testing::TempDir& dir,
                                                    const std::string& name, std::vector<std::string> args,
                                                    std::map<std::string, std::string> env = {}) {
  std::vector<std::string> argv{WEFT_BINARY, "--data-dir", on_postgres() ? dir.file(name) : api.data_dir(), "worker"};
  argv.insert(argv.end(), args.begin(), args.end());
  env.emplace("WEFT_MASTER_KEY", std::string(64, 'e'));
  env.emplace("WEFT_LOG_LEVEL", "info");
  return std::make_unique<testing::ChildProcess>(argv, api.sibling_env(env), dir.path());
}

// The port a worker started with --listen 127.0.0.1:0 reports once ready; 0 if it never does.
int probe_port(const testing::ChildProcess& worker) {
  static const std::regex ready(R"(probes on http://127\.0\.0\.1:(\d+))");
  for (int i = 0; i < 2000; ++i) {
    std::smatch m;
    const std::string log = worker.stderr_text();
    if (std::regex_search(log, m, ready)) return std::stoi(m[1]);
    std::this_thread::sleep_for(10ms);
  }
  return 0;
}

// `name`'s value in Prometheus text (the first sample whose name and labels start with it); -1 if absent.
double metric(const std::string& text, const std::string& name) {
  const std::regex sample("(^|\n)" + std::regex_replace(name, std::regex(R"([{}"])"), R"(\$&)") + R"( ([0-9.e+-]+))");
  std::smatch m;
  return std::regex_search(text, m, sample) ? std::stod(m[2]) : -1;
}

std::string start_run(WeftServer& api, const As& owner, const json& steps) {
  Reply created = api.request("POST", "/api/workflows", owner, json{{"name", "w"}, {"steps", steps}});
  EXPECT_EQ(created.status, 201) << created.text;
  Reply started = api.request("POST", "/api/workflows/" + created.body.value("id", "") + "/runs", owner,
                              json{{"input", json::object()}});
  EXPECT_EQ(started.status, 202) << started.text;
  return started.body.value("runId", "");
}

Reply wait_for_end(WeftServer& api, const As& owner, const std::string& run, std::chrono::milliseconds within) {
  Reply last;
  const auto deadline = std::chrono::steady_clock::now() + within;
  do {
    last = api.request("GET", "/api/runs/" + run, owner);
    const std::string status = last.body.value("status", "");
    if (status == "succeeded" || status == "failed" || status == "cancelled") break;
    std::this_thread::sleep_for(10ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return last;
}

TEST(WorkerNode, AnswersHealthReadinessAndMetricsButNoApiRoute) {
  testing::TempDir dir;
  WeftServer api({}, dir.file("api"), {"--no-worker"});
  ASSERT_EQ(api.setup().status, 201);
  const As owner = As::session(api.login("owner@example.com"));
  auto worker = start_worker(api, dir, "worker", {"--concurrency", "2", "--listen", "127.0.0.1:0"},
                             {{"WEFT_POLL_MS", "50"}});
  const int port = probe_port(*worker);
  ASSERT_GT(port, 0) << worker->stderr_text();
  httplib::Client probe("127.0.0.1", port);

  auto health = probe.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json::parse(health->body)["status"], "ok");
  auto ready = probe.Get("/api/ready");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
  EXPECT_EQ(json::parse(ready->body)["database"], on_postgres() ? "postgres" : "sqlite");

  // The worker counts the runs it executes; the API node, which runs none, does not.
  const std::string run = start_run(api, owner, {{{"id", "t"}, {"action", "core.transform"}, {"inputs", {{"value", 7}}}}});
  EXPECT_EQ(wait_for_end(api, owner, run, 10s).body["status"], "succeeded") << worker->stderr_text();
  std::string scraped;
  for (int i = 0; i < 200; ++i) {  // the run's end is stored before the counter moves
    auto metrics = probe.Get("/metrics");
    ASSERT_TRUE(metrics);
    ASSERT_EQ(metrics->status, 200);
    EXPECT_NE(metrics->get_header_value("Content-Type").find("text/plain"), std::string::npos);
    scraped = metrics->body;
    if (metric(scraped, "weft_runs_finished_total{status=\"succeeded\"}") >= 1) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(metric(scraped, "weft_runs_finished_total{status=\"succeeded\"}"), 1) << scraped;
  EXPECT_GE(metric(scraped, "weft_jobs_claimed_total"), 1) << scraped;
  EXPECT_EQ(metric(scraped, "weft_runs_started_total"), 1) << scraped;
  EXPECT_GE(metric(scraped, "weft_queue_depth"), 0) << scraped;
  EXPECT_GE(metric(scraped, "weft_sandbox_processes{state=\"busy\"}"), 0) << scraped;
  EXPECT_GE(metric(scraped, "weft_db_connections_open"), 0) << scraped;
  Reply on_api = api.request("GET", "/metrics");
  EXPECT_EQ(metric(on_api.text, "weft_runs_finished_total{status=\"succeeded\"}"), 0) << on_api.text;

  // No API, no web app, no sign-in: whatever else is asked is a JSON 404 (or 405, 421).
  for (const char* path : {"/api/workflows", "/api/setup", "/api/auth/login", "/", "/index.html", "/api/runs/x"}) {
    auto res = probe.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path << ": " << res->body;
    EXPECT_EQ(json::parse(res->body)["error"]["code"], "not_found") << path;
  }
  auto post = probe.Post("/api/setup", R"({"setupToken":"x"})", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404) << post->body;
  auto wrong_method = probe.Post("/api/health", "", "application/json");
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);
  auto rebound = probe.Get("/api/health", {{"Host", "evil.example.com"}});
  ASSERT_TRUE(rebound);
  EXPECT_EQ(rebound->status, 421);

  worker->signal(SIGTERM);
  EXPECT_EQ(worker->wait().exit_code, 0);
  // Without --listen a worker serves no HTTP at all.
  auto quiet = start_worker(api, dir, "quiet", {"--concurrency", "1"});
  for (int i = 0; i < 1000 && quiet->stderr_text().find("weft worker ready") == std::string::npos; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_NE(quiet->stderr_text().find("no HTTP"), std::string::npos) << quiet->stderr_text();
  quiet->signal(SIGTERM);
  EXPECT_EQ(quiet->wait().exit_code, 0);
}

TEST(WorkerNode, AnInvalidListenAddressIsAClearErrorAtStart) {
  testing::TempDir dir;
  WeftServer api({}, dir.file("api"), {"--no-worker"});
  for (const char* listen : {"8080", "127.0.0.1:http", "127.0.0.1:70000", "127.0.0.1:80x"}) {
    auto worker = start_worker(api, dir, "bad", {"--listen", listen});
    auto ended = worker->wait();
    EXPECT_NE(ended.exit_code, 0) << listen;
    EXPECT_NE(ended.err.find("--listen"), std::string::npos) << listen << ": " << ended.err;
  }
  // A port another process holds: the worker says so and stops, running nothing.
  auto worker = start_worker(api, dir, "taken", {"--listen", "127.0.0.1:" + std::to_string(api.port())});
  auto ended = worker->wait();
  EXPECT_NE(ended.exit_code, 0);
  EXPECT_NE(ended.err.find("listen"), std::string::npos) << ended.err;
}

// Idle workers on PostgreSQL claim when NOTIFY says a job was queued (or given back) and
// otherwise only every sweep (for expired leases): with WEFT_POLL_MS=50 they would ask the
// database 20 times a second per thread.
TEST(WorkerNode, IdleWorkersOnPostgresWaitForNotifyInsteadOfPollingTheQueue) {
  if (!on_postgres()) GTEST_SKIP() << "SQLite has no cross-process signal: workers sharing a file poll it";
  testing::TempDir dir;
  WeftServer api({}, dir.file("api"), {"--no-worker"});
  ASSERT_EQ(api.setup().status, 201);
  const As owner = As::session(api.login("owner@example.com"));
  auto worker = start_worker(api, dir, "worker", {"--concurrency", "2", "--listen", "127.0.0.1:0"},
                             {{"WEFT_POLL_MS", "50"}, {"WEFT_LEASE_MS", "30000"}});
  const int port = probe_port(*worker);
  ASSERT_GT(port, 0) << worker->stderr_text();
  httplib::Client probe("127.0.0.1", port);
  auto claims = [&] {
    auto res = probe.Get("/metrics");
    return res ? metric(res->body, "weft_queue_claim_queries_total") : -1;
  };
  std::this_thread::sleep_for(500ms);  // the first claims and the listener's "look again" are over
  const double idle_from = claims();
  ASSERT_GE(idle_from, 1);
  std::this_thread::sleep_for(2s);
  // Polling every 50 ms, two threads would have asked about 80 times; the sweep is 5 s.
  EXPECT_LE(claims() - idle_from, 4) << "idle workers polled the queue";

  // Yet a run queued by another process starts at once: woken, not found by the sweep.
  for (int i = 0; i < 3; ++i) {
    const auto queued = std::chrono::steady_clock::now();
    const std::string run = start_run(api, owner, {{{"id", "t"}, {"action", "core.transform"}, {"inputs", {{"value", i}}}}});
    Reply ended = wait_for_end(api, owner, run, 10s);
    EXPECT_EQ(ended.body["status"], "succeeded") << ended.text << worker->stderr_text();
    EXPECT_LT(std::chrono::steady_clock::now() - queued, 2500ms) << "run " << i << " waited for the sweep";
  }
  worker->signal(SIGTERM);
  EXPECT_EQ(worker->wait().exit_code, 0);
}

// Every process fires schedules; the store's compare-and-set on the slot lets one of them win.
// The test makes a minute's slot due at once (next_fire_at in the past) five times over, while
// an API node and three workers tick: five runs, not one per process.
TEST(WorkerNode, AScheduleFiresExactlyOnceAcrossEveryProcessSharingTheDatabase) {
  if (!on_postgres()) GTEST_SKIP() << "processes share one database on PostgreSQL";
  testing::TempDir dir;
  WeftServer api({}, dir.file("api"));
  ASSERT_EQ(api.setup().status, 201);
  const As owner = As::session(api.login("owner@example.com"));
  std::vector<std::unique_ptr<testing::ChildProcess>> workers;
  for (int i = 0; i < 3; ++i) workers.push_back(start_worker(api, dir, "w" + std::to_string(i), {"--concurrency", "2"}));
  for (auto& w : workers) {
    for (int i = 0; i < 1000 && w->stderr_text().find("weft worker ready") == std::string::npos; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_NE(w->stderr_text().find("weft worker ready"), std::string::npos) << w->stderr_text();
  }
  Reply created = api.request(
      "POST", "/api/workflows", owner,
      json{{"name", "tick"},
           {"trigger", {{"type", "schedule"}, {"cron", "0 0 1 1 *"}, {"timezone", "UTC"}}},  // once a year
           {"steps", {{{"id", "t"}, {"action", "core.transform"}, {"inputs", {{"value", "{{trigger.scheduledAt}}"}}}}}}});
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string workflow = created.body["id"];
  auto runs_of = [&] {
    Reply runs = api.request("GET", "/api/runs?workflowId=" + workflow, owner);
    return runs.body.contains("runs") ? runs.body["runs"] : json::array();
  };
  ASSERT_EQ(runs_of().size(), 0u);
  for (int round = 1; round <= 5; ++round) {
    // Due: a slot `round` minutes after the epoch, long missed (missed slots fire once).
    api.sql("UPDATE schedules SET next_fire_at = " + std::to_string(round * 60000) + " WHERE workflow_id = '" +
            workflow + "'");
    for (int i = 0; i < 500 && runs_of().size() < static_cast<std::size_t>(round); ++i) std::this_thread::sleep_for(10ms);
    std::this_thread::sleep_for(1500ms);  // every process has ticked since: late duplicates would be here
    ASSERT_EQ(runs_of().size(), static_cast<std::size_t>(round)) << runs_of().dump();
  }
  // One run per slot, each for its own slot.
  std::set<std::string> slots;
  json all = runs_of();
  for (const auto& run : all) {
    Reply one = wait_for_end(api, owner, run["id"], 10s);
    EXPECT_EQ(one.body["status"], "succeeded") << one.text;
    slots.insert(one.body["output"].is_string() ? one.body["output"].get<std::string>() : one.body["output"].dump());
  }
  EXPECT_EQ(slots.size(), 5u) << all.dump();
  for (auto& w : workers) {
    w->signal(SIGTERM);
    EXPECT_EQ(w->wait().exit_code, 0);
  }
}

}  // namespace
}  // namespace weft::apitest
