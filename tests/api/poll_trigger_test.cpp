// Polling triggers end to end: the real `weft serve` with the committed first-party github bundle
// (its manifest copied with the fake's 127.0.0.1:PORT allowed, as tests/bundles/first_party_e2e_test.sh
// does), and the local fake GitHub API (bundles/src/github/test-support/fake-github.mjs, a node
// process on 127.0.0.1, killed by the test). Polls go through POST /api/workflows/{id}/poll:
// overlapping pages start exactly one run per new issue and none on the first poll, a restart on
// the same data dir starts no duplicate, and a failing poll (the fake answers 500) shows on the
// workflow's triggerStatus until the next poll succeeds.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "api_harness.h"

namespace weft::apitest {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kToken = "ghp_poll_test_token";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The fake GitHub as a child process; its port read from its first stdout line.
class FakeGitHub {
 public:
  explicit FakeGitHub(const std::string& dir) : dir_(dir) {
    const std::string script = std::string(WEFT_SOURCE_DIR) + "/bundles/src/github/test-support/fake-github.mjs";
    process_ = std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", "exec node \"$0\" \"$1\" > \"$2\"", script, kToken, dir + "/fake.json"},
        std::map<std::string, std::string>{}, dir);
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      auto parsed = parse_json(read_text(dir + "/fake.json"));
      if (parsed.ok() && parsed->is_object() && parsed->contains("port")) port_ = (*parsed)["port"].get<int>();
      else std::this_thread::sleep_for(50ms);
    }
  }
  ~FakeGitHub() {
    if (process_) {
      process_->signal(SIGTERM);
      process_->wait();
    }
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Opens an issue through the fake's own API; returns its GitHub id.
  std::int64_t open_issue(const std::string& title) {
    httplib::Client client("127.0.0.1", port_);
    httplib::Headers headers = {{"Authorization", std::string("Bearer ") + kToken},
                                {"Accept", "application/vnd.github+json"},
                                {"X-GitHub-Api-Version", "2022-11-28"},
                                {"User-Agent", "weft-test"}};
    auto res = client.Post("/repos/octo/hello/issues", headers, json{{"title", title}}.dump(), "application/json");
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    return res && res->status == 201 ? json::parse(res->body)["id"].get<std::int64_t>() : -1;
  }
  void fail_next(int status) {
    httplib::Client client("127.0.0.1", port_);
    auto res = client.Post("/_fake/fail-next?status=" + std::to_string(status), "", "application/json");
    EXPECT_TRUE(res && res->status == 204);
  }

 private:
  std::string dir_;
  std::unique_ptr<testing::ChildProcess> process_;
  int port_ = 0;
};

// bundles/github with "127.0.0.1:PORT" added to network.allowedHosts, under `dir`/bundles.
std::string bundles_allowing(const std::string& dir, int port) {
  const fs::path out = fs::path(dir) / "bundles" / "github";
  fs::create_directories(out.parent_path());
  fs::copy(std::string(WEFT_SOURCE_DIR) + "/bundles/github", out, fs::copy_options::recursive);
  json manifest = json::parse(read_text((out / "manifest.json").string()));
  manifest["network"]["allowedHosts"].push_back("127.0.0.1:" + std::to_string(port));
  std::ofstream((out / "manifest.json").string(), std::ios::trunc) << manifest.dump(2);
  return out.parent_path().string();
}

std::map<std::string, std::string> env_for(const std::string& bundles) {
  return {{"WEFT_BUNDLES_DIR", bundles}, {"WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS", "1"}};
}

json poll_workflow(const std::string& cred, const std::string& base_url) {
  // The cron's next slot is months away: between the test's own polls the background poller only
  // ever primes the trigger right after the save (which starts nothing either way).
  return {{"name", "New issue → note"},
          {"trigger", {{"type", "bundle"}, {"block", "github.newIssue"}, {"credential", cred},
                       {"inputs", {{"owner", "octo"}, {"repo", "hello"}, {"baseUrl", base_url}}},
                       {"cron", "0 0 1 1 *"}, {"timezone", "UTC"}}},
          {"steps", {{{"id", "note"}, {"action", "core.transform"}, {"inputs", {{"value", "new: {{trigger.title}}"}}}}}}};
}

std::vector<json> runs_of(WeftServer& server, const As& as, const std::string& wf) {
  Reply runs = server.request("GET", "/api/runs?workflowId=" + wf + "&limit=100", as);
  EXPECT_EQ(runs.status, 200) << runs.text;
  return runs.body.value("runs", json::array()).get<std::vector<json>>();
}

json run_input(WeftServer& server, const As& as, const std::string& run) {
  Reply got = server.request("GET", "/api/runs/" + run, as);
  EXPECT_EQ(got.status, 200) << got.text;
  return got.body["input"];
}

TEST(ApiPollTrigger, OverlappingPagesStartOneRunPerNewIssueAndSurviveARestart) {
  testing::TempDir dir;
  FakeGitHub github(dir.path());
  ASSERT_NE(github.port(), 0) << "the fake GitHub did not start";
  const std::string bundles = bundles_allowing(dir.path(), github.port());
  const std::string data = dir.path() + "/data";
  std::string wf;
  std::string cred;
  std::int64_t issue_a = 0;
  {
    WeftServer server(env_for(bundles), data);
    ASSERT_EQ(server.setup().status, 201);
    const As owner = As::session(server.login("owner@example.com"));
    Reply created_cred = server.request("POST", "/api/credentials", owner,
                                        json{{"name", "GitHub"}, {"provider", "github"}, {"type", "bearer_token"},
                                             {"secret", {{"token", kToken}}}});
    ASSERT_EQ(created_cred.status, 201) << created_cred.text;
    cred = created_cred.body["id"];
    Reply created = server.request("POST", "/api/workflows", owner, poll_workflow(cred, github.url()));
    ASSERT_EQ(created.status, 201) << created.text;
    wf = created.body["id"];

    // Poll 1: the issues already there (6, #5 is a pull request) are recorded, nothing starts.
    Reply first = server.request("POST", "/api/workflows/" + wf + "/poll", owner);
    ASSERT_EQ(first.status, 200) << first.text;
    EXPECT_EQ(first.body["items"], 6);
    EXPECT_EQ(first.body["started"], json::array());
    EXPECT_TRUE(runs_of(server, owner, wf).empty());
    Reply shown = server.request("GET", "/api/workflows/" + wf, owner);
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(shown.body["triggerStatus"]["primed"], true) << shown.text;
    EXPECT_EQ(shown.body["triggerStatus"]["failures"], 0);
    EXPECT_TRUE(shown.body["triggerStatus"]["lastPollAt"].is_string());

    // Poll 2: one new issue on top of a page that repeats the 6 others → one run, the issue as trigger.
    issue_a = github.open_issue("A: build is red");
    Reply second = server.request("POST", "/api/workflows/" + wf + "/poll", owner);
    ASSERT_EQ(second.status, 200) << second.text;
    EXPECT_EQ(second.body["items"], 7);
    EXPECT_EQ(second.body["primed"], false);
    ASSERT_EQ(second.body["started"].size(), 1u) << second.text;
    json input = run_input(server, owner, second.body["started"][0]);
    EXPECT_EQ(input["id"], issue_a);
    EXPECT_EQ(input["title"], "A: build is red");
    EXPECT_EQ(input["user"], "octocat");
    EXPECT_EQ(input["url"], "https://github.com/octo/hello/issues/8");

    // Poll 3: two more → two runs, oldest first.
    const std::int64_t issue_b = github.open_issue("B");
    const std::int64_t issue_c = github.open_issue("C");
    Reply third = server.request("POST", "/api/workflows/" + wf + "/poll", owner);
    ASSERT_EQ(third.status, 200) << third.text;
    ASSERT_EQ(third.body["started"].size(), 2u) << third.text;
    EXPECT_EQ(run_input(server, owner, third.body["started"][0])["id"], issue_b);
    EXPECT_EQ(run_input(server, owner, third.body["started"][1])["id"], issue_c);
    EXPECT_EQ(runs_of(server, owner, wf).size(), 3u);

    // The runs ran with {{trigger.title}}.
    std::string status;
    for (int i = 0; i < 300 && status != "succeeded" && status != "failed"; ++i) {
      Reply run = server.request("GET", "/api/runs/" + second.body["started"][0].get<std::string>(), owner);
      status = run.body.value("status", "");
      if (status == "succeeded") {
        EXPECT_EQ(run.body["output"], "new: A: build is red") << run.text;
      }
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(status, "succeeded");
    EXPECT_EQ(server.stop().exit_code, 0);
  }
  // Same data dir, same page: nothing is started again.
  WeftServer again(env_for(bundles), data);
  const As owner = As::session(again.login("owner@example.com"));
  Reply fourth = again.request("POST", "/api/workflows/" + wf + "/poll", owner);
  ASSERT_EQ(fourth.status, 200) << fourth.text;
  EXPECT_EQ(fourth.body["items"], 9);
  EXPECT_EQ(fourth.body["started"], json::array());
  EXPECT_EQ(runs_of(again, owner, wf).size(), 3u);

  // A failing poll: 502, counted and shown; the next poll succeeds and clears it.
  github.fail_next(500);
  Reply failed = again.request("POST", "/api/workflows/" + wf + "/poll", owner);
  EXPECT_EQ(failed.status, 502) << failed.text;
  EXPECT_EQ(failed.error_code(), "poll_failed");
  EXPECT_TRUE(failed.is_json_error());
  Reply shown = again.request("GET", "/api/workflows/" + wf, owner);
  EXPECT_EQ(shown.body["triggerStatus"]["failures"], 1) << shown.text;
  const std::string last_error = shown.body["triggerStatus"].value("lastError", "");
  EXPECT_NE(last_error.find("HTTP 500"), std::string::npos) << shown.text;
  EXPECT_EQ(last_error.find(kToken), std::string::npos);
  Reply recovered = again.request("POST", "/api/workflows/" + wf + "/poll", owner);
  ASSERT_EQ(recovered.status, 200) << recovered.text;
  EXPECT_EQ(recovered.body["started"], json::array());
  shown = again.request("GET", "/api/workflows/" + wf, owner);
  EXPECT_EQ(shown.body["triggerStatus"]["failures"], 0) << shown.text;
  EXPECT_TRUE(shown.body["triggerStatus"]["lastError"].is_null());
  EXPECT_EQ(runs_of(again, owner, wf).size(), 3u);

  // Saving the workflow unchanged keeps the trigger primed: a new issue still starts one run.
  Reply resaved = again.request("PUT", "/api/workflows/" + wf, owner, poll_workflow(cred, github.url()));
  ASSERT_EQ(resaved.status, 200) << resaved.text;
  github.open_issue("D");
  Reply after_resave = again.request("POST", "/api/workflows/" + wf + "/poll", owner);
  ASSERT_EQ(after_resave.status, 200) << after_resave.text;
  EXPECT_EQ(after_resave.body["started"].size(), 1u) << after_resave.text;
  // Changing its inputs resets it: the next poll only primes again (no flood of old issues).
  json moved = poll_workflow(cred, github.url() + "/");
  Reply changed = again.request("PUT", "/api/workflows/" + wf, owner, moved);
  ASSERT_EQ(changed.status, 200) << changed.text;
  github.open_issue("E");
  Reply reprimed = again.request("POST", "/api/workflows/" + wf + "/poll", owner);
  ASSERT_EQ(reprimed.status, 200) << reprimed.text;
  EXPECT_EQ(reprimed.body["started"], json::array()) << reprimed.text;
  EXPECT_EQ(runs_of(again, owner, wf).size(), 4u);
  // The github fake saw the token only in the Authorization header, and our requests only.
  EXPECT_EQ(again.log_text().find(kToken), std::string::npos);
}

TEST(ApiPollTrigger, HostileSavesAndPollsAreRefused) {
  WeftServer server({{"WEFT_BUNDLES_DIR", std::string(WEFT_SOURCE_DIR) + "/bundles"}});
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  Reply cred = server.request("POST", "/api/credentials", owner,
                              json{{"name", "GitHub"}, {"provider", "github"}, {"type", "bearer_token"},
                                   {"secret", {{"token", "t"}}}});
  ASSERT_EQ(cred.status, 201) << cred.text;
  const std::string id = cred.body["id"];
  auto refused = [&](json doc, const std::string& pointer) {
    Reply r = server.request("POST", "/api/workflows", owner, doc);
    EXPECT_EQ(r.status, 400) << r.text;
    EXPECT_EQ(r.error_code(), "workflow_invalid");
    bool found = false;
    for (const auto& d : r.body["error"]["details"]) found = found || d.value("pointer", "") == pointer;
    EXPECT_TRUE(found) << pointer << " in " << r.text;
  };
  json doc = poll_workflow(id, "http://127.0.0.1:9");
  doc["trigger"]["block"] = "github.createIssue";  // a tool is not a trigger
  refused(doc, "/trigger/block");
  doc["trigger"]["block"] = "github.newIssue";
  doc["trigger"]["inputs"] = {{"owner", "octo"}};  // repo missing
  refused(doc, "/trigger/inputs");
  doc["trigger"]["inputs"] = {{"owner", "octo"}, {"repo", std::string(200000, 'r')}};
  refused(doc, "/trigger/inputs");
  doc = poll_workflow("cred_nope", "http://127.0.0.1:9");
  refused(doc, "/trigger/credential");
  json as_step = poll_workflow(id, "http://127.0.0.1:9");
  as_step["trigger"] = {{"type", "manual"}};
  as_step["steps"] = {{{"id", "poll"}, {"action", "github.newIssue"}, {"credential", id},
                       {"inputs", {{"owner", "octo"}, {"repo", "hello"}}}}};
  refused(as_step, "/steps/0/action");

  // Poll: a manual workflow, an unknown one, a malformed id, a body where none is taken.
  Reply manual = server.request("POST", "/api/workflows", owner,
                                json{{"name", "m"}, {"steps", {{{"id", "s"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}}}}});
  ASSERT_EQ(manual.status, 201) << manual.text;
  Reply not_bundle = server.request("POST", "/api/workflows/" + manual.body["id"].get<std::string>() + "/poll", owner);
  EXPECT_EQ(not_bundle.status, 400) << not_bundle.text;
  EXPECT_EQ(not_bundle.error_code(), "invalid_input");
  EXPECT_EQ(server.request("POST", "/api/workflows/wf_nope/poll", owner).status, 404);
  EXPECT_EQ(server.request("POST", "/api/workflows/..%2F..%2Fx/poll", owner).status, 404);
  EXPECT_EQ(server.request("POST", "/api/workflows/wf_nope/poll", As::anonymous()).status, 401);
  Reply big = server.request_raw("POST", "/api/workflows/wf_nope/poll", owner, std::string(4096, 'x'), "application/json");
  EXPECT_EQ(big.status, 413) << big.text;
}

// Two API nodes on one PostgreSQL database polling the same trigger at once, two requests each:
// every new issue starts exactly one run (the poll state is locked and compared in the store),
// however the polls interleave. A poll that read the state before another one applied it is
// refused with 409 and starts nothing.
TEST(ApiPollTrigger, ConcurrentPollsOnTwoNodesStartOneRunPerNewIssue) {
  if (!on_postgres()) GTEST_SKIP() << "processes share one database on PostgreSQL";
  testing::TempDir dir;
  FakeGitHub github(dir.path());
  ASSERT_NE(github.port(), 0) << "the fake GitHub did not start";
  const std::string bundles = bundles_allowing(dir.path(), github.port());
  WeftServer node1(env_for(bundles), dir.path() + "/node1");
  auto env2 = env_for(bundles);
  env2.emplace("WEFT_DATABASE_URL", node1.database_url());
  WeftServer node2(env2, dir.path() + "/node2");
  ASSERT_EQ(node1.setup().status, 201);
  const As on1 = As::session(node1.login("owner@example.com"));
  const As on2 = As::session(node2.login("owner@example.com"));
  Reply cred = node1.request("POST", "/api/credentials", on1,
                             json{{"name", "GitHub"}, {"provider", "github"}, {"type", "bearer_token"},
                                  {"secret", {{"token", kToken}}}});
  ASSERT_EQ(cred.status, 201) << cred.text;
  Reply created = node1.request("POST", "/api/workflows", on1, poll_workflow(cred.body["id"], github.url()));
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string wf = created.body["id"];
  ASSERT_EQ(node2.request("POST", "/api/workflows/" + wf + "/poll", on2).status, 200);  // primes

  std::size_t opened = 0;
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i <= round % 2; ++i, ++opened) github.open_issue("round " + std::to_string(round));
    std::vector<int> statuses(4, 0);
    std::vector<std::size_t> started(4, 0);
    std::vector<std::thread> polls;
    for (int p = 0; p < 4; ++p) {
      polls.emplace_back([&, p] {
        WeftServer& node = p % 2 == 0 ? node1 : node2;
        Reply r = node.request("POST", "/api/workflows/" + wf + "/poll", p % 2 == 0 ? on1 : on2);
        statuses[p] = r.status;
        started[p] = r.body.contains("started") ? r.body["started"].size() : 0;
      });
    }
    for (auto& t : polls) t.join();
    std::size_t total = 0;
    int applied = 0;
    for (int p = 0; p < 4; ++p) {
      EXPECT_TRUE(statuses[p] == 200 || statuses[p] == 409) << "round " << round << " poll " << p << ": " << statuses[p];
      applied += statuses[p] == 200;
      total += started[p];
    }
    EXPECT_GE(applied, 1) << "round " << round;
    EXPECT_EQ(total, static_cast<std::size_t>(round % 2 + 1)) << "round " << round;
    EXPECT_EQ(runs_of(node1, on1, wf).size(), opened) << "round " << round;
  }
  // Each run is a different issue.
  std::set<std::int64_t> issues;
  for (const json& run : runs_of(node2, on2, wf)) issues.insert(run_input(node2, on2, run["id"])["id"].get<std::int64_t>());
  EXPECT_EQ(issues.size(), opened);
}

}  // namespace
}  // namespace weft::apitest
