// Issue 9 "Must show", end to end over HTTP against the real `weft serve`: the weather example
// built with `weft-bundle pack`, uploaded into org A; its tools in A's catalog and not in B's; a
// workflow calling one; v2 uploaded while a run started on v1 is under way (that run finishes on
// v1, new runs take v2); v2 disabled → v1 again; delete refused while workflows use it; a
// tampered blob → the bundle `failed` with "content hash mismatch" and never run.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "api_harness.h"
#include "bundle_upload_helpers.h"
#include "testing/local_http_server.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string multipart(const std::string& boundary, const std::string& archive) {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"b.bundle.tar.gz\"\r\n" +
         "Content-Type: application/gzip\r\n\r\n" + archive + "\r\n--" + boundary + "--\r\n";
}

Reply upload(WeftServer& server, const As& as, const std::string& archive, const std::string& query = "") {
  const std::string boundary = "weftTestBoundary7d1c0e";
  return server.request_raw("POST", "/api/bundle-upload" + query, as, multipart(boundary, archive),
                            "multipart/form-data; boundary=" + boundary);
}

bool catalog_lists(WeftServer& server, const As& as, const std::string& key, std::string* version = nullptr) {
  Reply catalog = server.request("GET", "/api/catalog", as);
  EXPECT_EQ(catalog.status, 200);
  for (const auto& p : catalog.body["providers"]) {
    for (const auto& a : p["actions"]) {
      if (a["key"] == key) {
        if (version) *version = p.value("version", "");
        return true;
      }
    }
  }
  return false;
}

json wait_run(WeftServer& server, const As& as, const std::string& id) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    Reply r = server.request("GET", "/api/runs/" + id, as);
    const std::string status = r.body.value("status", "");
    if (status == "succeeded" || status == "failed" || status == "cancelled") return r.body;
    std::this_thread::sleep_for(20ms);
  }
  ADD_FAILURE() << "run " << id << " did not finish";
  return json::object();
}

std::string start_run(WeftServer& server, const As& as, const std::string& workflow, const json& input) {
  Reply started = server.request("POST", "/api/workflows/" + workflow + "/runs", as, json{{"input", input}});
  EXPECT_EQ(started.status, 202) << started.text;
  return started.body.value("runId", "");
}

const json* step(const json& run, const std::string& id) {
  for (const auto& s : run["steps"]) {
    if (s["id"] == id) return &s;
  }
  return nullptr;
}

TEST(BundleLifecycle, UploadRunUpgradePinFallBackRefuseDeleteAndRefuseATamperedBlob) {
  testing::TempDir dir;
  const std::string v1 = pack_weather(dir, "1.0.0");
  const std::string v2 = pack_weather(dir, "2.0.0");
  const std::string v3 = pack_weather(dir, "3.0.0");
  ASSERT_FALSE(v1.empty() || v2.empty() || v3.empty());

  // A slow upstream: the pinned run waits in it while v2 is installed.
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  testing::LocalHttpServer slow;
  slow.on("GET", "/slow", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, 30s, [&] { return released; });
    res.set_content(R"({"ok":true})", "application/json");
  });
  slow.start();
  struct Release {
    std::mutex& mu;
    std::condition_variable& cv;
    bool& released;
    ~Release() {
      { std::lock_guard lock(mu); released = true; }
      cv.notify_all();
    }
  } release_on_exit{mu, cv, released};

  WeftServer server(std::map<std::string, std::string>{{"WEFT_HTTP_ALLOW_PRIVATE", "1"}});
  ASSERT_EQ(server.setup().status, 201);
  const As a = As::session(server.login("owner@example.com"));
  // Org B with its own admin.
  Reply org_b = server.request("POST", "/api/admin/orgs", a, json{{"name", "Org B"}});
  ASSERT_EQ(org_b.status, 201) << org_b.text;
  ASSERT_EQ(server.request("POST", "/api/admin/users", a,
                           json{{"email", "b@example.com"}, {"password", "correct horse battery"}}).status, 201);
  ASSERT_EQ(server.request("POST", "/api/admin/orgs/" + org_b.body["id"].get<std::string>() + "/members", a,
                           json{{"email", "b@example.com"}, {"role", "admin"}}).status, 201);
  const As b = As::session(server.login("b@example.com"));

  // v1 into org A: its tools in A's catalog, not in B's.
  Reply up1 = upload(server, a, v1);
  ASSERT_EQ(up1.status, 201) << up1.text;
  EXPECT_EQ(up1.body["vendorId"], "weather");
  EXPECT_EQ(up1.body["version"], "1.0.0");
  EXPECT_EQ(up1.body["toolCount"], 2);
  EXPECT_EQ(up1.body["productCount"], 1);
  EXPECT_EQ(up1.body["scope"], "organization");
  EXPECT_EQ(up1.body["status"], "active");
  const std::string v1_id = up1.body["id"];
  std::string version;
  EXPECT_TRUE(catalog_lists(server, a, "weather.describe", &version));
  EXPECT_EQ(version, "1.0.0");
  EXPECT_FALSE(catalog_lists(server, b, "weather.describe"));
  EXPECT_EQ(server.request("GET", "/api/bundles/" + v1_id, b).status, 404);

  Reply cred = server.request("POST", "/api/credentials", a,
                              json{{"name", "weather key"}, {"provider", "weather"}, {"type", "api_key"},
                                   {"secret", {{"api_key", "k"}}}});
  ASSERT_EQ(cred.status, 201) << cred.text;
  const std::string cred_id = cred.body["id"];
  auto describe = [&](const std::string& id) {
    return json{{"id", id}, {"action", "weather.describe"}, {"credential", cred_id},
                {"inputs", {{"temperature", "{{trigger.t}}"}}}};
  };
  Reply quick = server.request("POST", "/api/workflows", a, json{{"name", "Describe"}, {"steps", {describe("d")}}});
  ASSERT_EQ(quick.status, 201) << quick.text;
  json pinned_steps = json::array({describe("first"),
                                   {{"id", "wait"}, {"action", "http.request"}, {"after", {"first"}},
                                    {"inputs", {{"url", slow.url("/slow")}, {"timeoutMs", 60000}}}},
                                   describe("second")});
  pinned_steps[2]["after"] = {"wait"};
  Reply pinned = server.request("POST", "/api/workflows", a, json{{"name", "Pinned"}, {"steps", pinned_steps}});
  ASSERT_EQ(pinned.status, 201) << pinned.text;
  // Workflows of B cannot name A's tool.
  Reply in_b = server.request("POST", "/api/workflows", b, json{{"name", "No"}, {"steps", {{{"id", "d"},
                              {"action", "weather.describe"}, {"inputs", {{"temperature", 1}}}}}}});
  EXPECT_EQ(in_b.status, 400) << in_b.text;

  json run = wait_run(server, a, start_run(server, a, quick.body["id"], {{"t", 21}}));
  ASSERT_EQ(run["status"], "succeeded") << run.dump();
  EXPECT_EQ((*step(run, "d"))["output"]["word"], "mild");
  EXPECT_EQ((*step(run, "d"))["bundle"], (json{{"vendorId", "weather"}, {"version", "1.0.0"}}));

  // A run on v1 is waiting in its second step when v2 arrives.
  const std::string pinned_run = start_run(server, a, pinned.body["id"], {{"t", 21}});
  for (int i = 0; i < 1500 && slow.count("/slow") == 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(slow.count("/slow"), 1u);
  Reply up2 = upload(server, a, v2);
  ASSERT_EQ(up2.status, 201) << up2.text;
  const std::string v2_id = up2.body["id"];
  EXPECT_TRUE(catalog_lists(server, a, "weather.describe", &version));
  EXPECT_EQ(version, "2.0.0");
  run = wait_run(server, a, start_run(server, a, quick.body["id"], {{"t", 21}}));
  ASSERT_EQ(run["status"], "succeeded") << run.dump();
  EXPECT_EQ((*step(run, "d"))["output"]["word"], "mild-v2");
  EXPECT_EQ((*step(run, "d"))["bundle"]["version"], "2.0.0");
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
  run = wait_run(server, a, pinned_run);
  ASSERT_EQ(run["status"], "succeeded") << run.dump();
  EXPECT_EQ((*step(run, "first"))["bundle"]["version"], "1.0.0");
  EXPECT_EQ((*step(run, "second"))["bundle"]["version"], "1.0.0") << "a run finishes on the version it started on";
  EXPECT_EQ((*step(run, "second"))["output"]["word"], "mild");

  // Both versions are listed; disabling v2 falls back to v1.
  Reply listed = server.request("GET", "/api/bundles", a);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body["bundles"].size(), 2u);
  EXPECT_TRUE(server.request("GET", "/api/bundles", b).body["bundles"].empty());
  Reply disabled = server.request("POST", "/api/bundles/" + v2_id + "/disable", a);
  ASSERT_EQ(disabled.status, 200) << disabled.text;
  EXPECT_EQ(disabled.body["status"], "disabled");
  run = wait_run(server, a, start_run(server, a, quick.body["id"], {{"t", 21}}));
  ASSERT_EQ(run["status"], "succeeded") << run.dump();
  EXPECT_EQ((*step(run, "d"))["output"]["word"], "mild");
  EXPECT_EQ((*step(run, "d"))["bundle"]["version"], "1.0.0");

  // v1 is the only active version: deleting it would break both workflows.
  Reply refused = server.request("DELETE", "/api/bundles/" + v1_id, a);
  ASSERT_EQ(refused.status, 409) << refused.text;
  EXPECT_EQ(refused.error_code(), "bundle_in_use");
  std::set<std::string> names;
  for (const auto& w : refused.body["error"]["details"]["workflows"]) names.insert(w["name"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"Describe", "Pinned"}));
  EXPECT_EQ(server.request("GET", "/api/bundles/" + v1_id, a).status, 200) << "nothing deleted";

  // v3's stored archive is altered before its first call: it is never run.
  Reply up3 = upload(server, a, v3);
  ASSERT_EQ(up3.status, 201) << up3.text;
  const std::string v3_id = up3.body["id"];
  const std::string org_a = server.request("GET", "/api/auth/me", a).body["activeOrg"]["id"];
  auto key = [&org_a](const std::string& version) {
    return org_a + "/00_organization/integration-bundles/weather/" + version + "/bundle.tar.gz";
  };
  // Where the archive is: a file under the data dir (SQLite), a row of weft_blobs (PostgreSQL).
  auto stored = [&](const std::string& version) {
    if (server.database_url().empty()) return fs::exists(server.data_dir() + "/blobs/" + key(version));
    return server.sql_text("SELECT count(*) FROM weft_blobs WHERE key = '" + key(version) + "'") == "1";
  };
  ASSERT_TRUE(stored("3.0.0"));
  if (server.database_url().empty()) {
    std::ofstream(server.data_dir() + "/blobs/" + key("3.0.0"), std::ios::app | std::ios::binary) << "tampered";
  } else {  // row and hash rewritten together, as by someone with access to the database
    server.sql("UPDATE weft_blobs SET content = content || 'tampered'::bytea, "
               "sha256 = encode(sha256(content || 'tampered'::bytea), 'hex') WHERE key = '" + key("3.0.0") + "'");
  }
  run = wait_run(server, a, start_run(server, a, quick.body["id"], {{"t", 21}}));
  ASSERT_EQ(run["status"], "failed") << run.dump();
  EXPECT_EQ((*step(run, "d"))["error"]["code"], "bundle_load_failed") << run.dump();
  EXPECT_NE((*step(run, "d"))["error"]["message"].get<std::string>().find("content hash mismatch"), std::string::npos);
  EXPECT_EQ((*step(run, "d"))["output"], nullptr);
  Reply failed = server.request("GET", "/api/bundles/" + v3_id, a);
  EXPECT_EQ(failed.body["status"], "failed");
  EXPECT_EQ(failed.body["error"], "content hash mismatch");
  EXPECT_TRUE(catalog_lists(server, a, "weather.describe", &version));
  EXPECT_EQ(version, "1.0.0") << "a failed version leaves the catalog";
  Reply retry = server.request("POST", "/api/bundles/" + v3_id + "/enable", a);
  EXPECT_EQ(retry.status, 409) << retry.text;
  EXPECT_EQ(retry.error_code(), "bundle_failed");
  EXPECT_EQ(server.request("GET", "/api/bundles/" + v3_id, a).body["status"], "failed");

  // Forced delete removes the record and its blob; the tools are gone at once.
  Reply forced = server.request("DELETE", "/api/bundles/" + v1_id + "?force=true", a);
  EXPECT_EQ(forced.status, 204) << forced.text;
  EXPECT_EQ(server.request("GET", "/api/bundles/" + v1_id, a).status, 404);
  EXPECT_FALSE(stored("1.0.0"));
  EXPECT_FALSE(catalog_lists(server, a, "weather.describe"));
  run = wait_run(server, a, start_run(server, a, quick.body["id"], {{"t", 21}}));
  ASSERT_EQ(run["status"], "failed") << run.dump();
  EXPECT_NE(run["error"].dump().find("weather.describe"), std::string::npos) << run.dump();
}

}  // namespace
}  // namespace weft::apitest
