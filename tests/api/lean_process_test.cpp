// Issue 12 item 4, a lean API process: V8 (libnode) is mapped only by the sandbox processes
// (weft-sandbox-host), never by `weft serve` or `weft worker`, and sandboxed steps still run.
// libcurl and libarchive are mapped only once a step calls out over HTTP or a bundle is read.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api_harness.h"
#include "bundle_upload_helpers.h"
#include "testing/local_http_server.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

std::string read_proc(int pid, const std::string& what) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + what);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool maps_library(int pid, const std::string& name) {
  const std::string maps = read_proc(pid, "maps");
  EXPECT_FALSE(maps.empty()) << "no /proc/" << pid << "/maps";
  return maps.find(name) != std::string::npos;
}

bool maps_libnode(int pid) { return maps_library(pid, "libnode"); }

// The direct children of `pid` (every thread's children list).
std::vector<int> children_of(int pid) {
  std::vector<int> out;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream in(task.path() / "children");
    for (int child; in >> child;) out.push_back(child);
  }
  return out;
}

std::string exe_name(int pid) {
  std::error_code ec;
  return std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec).filename().string();
}

json code_workflow() {
  return {{"name", "Code"},
          {"steps", {{{"id", "c"}, {"action", "core.code"}, {"inputs", {{"code", "return input.n * 6;"}, {"input", {{"n", 7}}}}}}}}};
}

Reply wait_for_end(WeftServer& server, const As& as, const std::string& run) {
  Reply last;
  for (int i = 0; i < 1000; ++i) {
    last = server.request("GET", "/api/runs/" + run, as);
    const std::string status = last.body.value("status", "");
    if (status == "succeeded" || status == "failed") break;
    std::this_thread::sleep_for(20ms);
  }
  return last;
}

// Creates `workflow` and starts a run of it; returns the run id ("" after a failed expectation).
std::string start_run_of(WeftServer& server, const As& as, const json& workflow) {
  Reply created = server.request("POST", "/api/workflows", as, workflow);
  EXPECT_EQ(created.status, 201) << created.text;
  Reply started = server.request("POST", "/api/workflows/" + created.body.value("id", "") + "/runs", as,
                                 json{{"input", json::object()}});
  EXPECT_EQ(started.status, 202) << started.text;
  return started.body.value("runId", "");
}

std::string start_code_run(WeftServer& server, const As& as) { return start_run_of(server, as, code_workflow()); }

// A run of one http.request step that GETs `url`.
std::string start_call_out_run(WeftServer& server, const As& as, const std::string& url) {
  return start_run_of(server, as, {{"name", "Call out"},
                                   {"steps", {{{"id", "get"}, {"action", "http.request"}, {"inputs", {{"url", url}}}}}}});
}

// The V8 that ran the step lives in a child: weft-sandbox-host, which maps libnode.
void expect_a_sandbox_child_with_v8(int parent) {
  int hosts = 0;
  for (int child : children_of(parent)) {
    if (exe_name(child) != "weft-sandbox-host") continue;
    ++hosts;
    EXPECT_TRUE(maps_libnode(child)) << "sandbox process " << child << " maps no libnode";
  }
  EXPECT_GE(hosts, 1) << "no weft-sandbox-host child of " << parent;
}

TEST(LeanProcess, ServeMapsNoLibnodeAndCoreCodeRunsInTheSandboxProcess) {
  WeftServer server;
  ASSERT_GT(server.pid(), 0);
  EXPECT_FALSE(maps_libnode(server.pid()));
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  Reply done = wait_for_end(server, owner, start_code_run(server, owner));
  ASSERT_EQ(done.body["status"], "succeeded") << done.text << "\n" << server.log_text();
  EXPECT_EQ(done.body["steps"][0]["output"], 42) << done.text;
  EXPECT_FALSE(maps_libnode(server.pid())) << "running a sandboxed step mapped libnode into weft serve";
  expect_a_sandbox_child_with_v8(server.pid());
}

TEST(LeanProcess, WorkerMapsNoLibnodeAndRunsCoreCode) {
  testing::TempDir dir;
  const std::string data = dir.file("data");
  WeftServer api({}, data, {"--no-worker"});
  ASSERT_EQ(api.setup().status, 201);
  const As owner = As::session(api.login("owner@example.com"));
  const std::string run = start_code_run(api, owner);
  testing::ChildProcess worker({WEFT_BINARY, "--data-dir", data, "worker", "--workers", "1"},
                               api.sibling_env({{"WEFT_MASTER_KEY", std::string(64, 'e')}, {"WEFT_POLL_MS", "50"},
                                                {"WEFT_LOG_LEVEL", "info"}}),
                               dir.path());
  Reply done = wait_for_end(api, owner, run);
  ASSERT_EQ(done.body["status"], "succeeded") << done.text << "\n" << worker.stderr_text();
  EXPECT_EQ(done.body["steps"][0]["output"], 42) << done.text;
  EXPECT_FALSE(maps_libnode(worker.pid())) << "weft worker maps libnode";
  EXPECT_FALSE(maps_libnode(api.pid()));
  expect_a_sandbox_child_with_v8(worker.pid());
  worker.signal(SIGTERM);
  EXPECT_EQ(worker.wait().exit_code, 0);
}

// A server that has made no outbound call and read no bundle maps neither libcurl nor
// libarchive (nor what they pull in: TLS, Kerberos, LDAP, XML, ICU); an http.request step loads
// libcurl and works.
TEST(LeanProcess, ServeMapsLibcurlOnlyOnceAStepCallsOutAndNeverLibarchiveWithoutABundle) {
  testing::LocalHttpServer upstream;
  upstream.on("GET", "/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"hello":"world"})", "application/json");
  });
  upstream.start();
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  EXPECT_FALSE(maps_library(server.pid(), "libcurl")) << "weft serve mapped libcurl before any outbound call";
  EXPECT_FALSE(maps_library(server.pid(), "libarchive"));

  Reply done = wait_for_end(server, owner, start_call_out_run(server, owner, upstream.url("/hello")));
  ASSERT_EQ(done.body["status"], "succeeded") << done.text << "\n" << server.log_text();
  EXPECT_EQ(done.body["steps"][0]["output"]["body"]["hello"], "world") << done.text;
  EXPECT_TRUE(maps_library(server.pid(), "libcurl"));
  EXPECT_FALSE(maps_library(server.pid(), "libarchive"));
}

// Without the libraries (WEFT_LIBCURL / WEFT_LIBARCHIVE name files that do not exist) the server
// still starts and serves; the step that calls out fails with http_client_unavailable naming the
// package, without retries, and an upload fails with an internal error whose cause is logged.
TEST(LeanProcess, AMissingLibcurlOrLibarchiveFailsOnlyWhatNeedsIt) {
  testing::TempDir dir;
  const std::string no_curl = dir.file("libcurl-missing.so.4");
  const std::string no_archive = dir.file("libarchive-missing.so.13");
  WeftServer server({{"WEFT_LIBCURL", no_curl}, {"WEFT_LIBARCHIVE", no_archive}});
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  Reply done = wait_for_end(server, owner, start_call_out_run(server, owner, "http://127.0.0.1:9/never"));
  ASSERT_EQ(done.body["status"], "failed") << done.text;
  EXPECT_EQ(done.body["steps"][0]["error"]["code"], "http_client_unavailable") << done.text;
  EXPECT_NE(done.body["steps"][0]["error"]["message"].get<std::string>().find("libcurl4"), std::string::npos)
      << done.text;
  EXPECT_EQ(done.body["steps"][0]["attempts"], 1) << done.text;

  Reply upload = upload_bundle(server, owner, bundle_archive("lazyvendor"));
  EXPECT_EQ(upload.status, 500) << upload.text;
  EXPECT_EQ(upload.error_code(), "internal_error") << upload.text;
  EXPECT_NE(server.log_text().find("libarchive13"), std::string::npos) << server.log_text();
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
}

// No sandbox executable: the server still serves, says so when it starts, and a sandboxed step
// fails (an internal error to the user; the path and the fix in the log).
TEST(LeanProcess, AMissingSandboxHostIsLoggedAtStartAndFailsTheStep) {
  testing::TempDir dir;
  const std::string missing = dir.file("no-such-sandbox-host");
  WeftServer server({{"WEFT_SANDBOX_HOST", missing}});
  EXPECT_NE(server.log_text().find("sandboxed steps (core.code, bundles) will fail"), std::string::npos)
      << server.log_text();
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  Reply done = wait_for_end(server, owner, start_code_run(server, owner));
  ASSERT_EQ(done.body["status"], "failed") << done.text;
  EXPECT_EQ(done.body["error"]["code"], "internal_error") << done.text;
  EXPECT_EQ(done.text.find(missing), std::string::npos) << "a server path leaked to the user: " << done.text;
  const std::string log = server.log_text();
  size_t said = 0;
  for (size_t at = log.find(missing); at != std::string::npos; at = log.find(missing, at + 1)) ++said;
  EXPECT_GE(said, 2u) << "the path should be in the start-up line and in the failed call's line:\n" << log;
}

}  // namespace
}  // namespace weft::apitest
