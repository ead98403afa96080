// Issue 8, finding 4, black-box: a stored credential goes only to its provider's API base. A
// member who cannot read credentials points acme.ping at a listener of their own, with an
// admin's acme key: the run fails with egress_denied naming the host, and the listener never
// sees the key. WEFT_HTTP_ALLOW_PRIVATE=0 refuses a credentialed call to loopback as well.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api_harness.h"
#include "testing/local_http_server.h"

namespace weft::apitest {
namespace {

constexpr const char* kKey = "acme-ADMIN-KEY-CANARY";

Reply wait_for_run(WeftServer& server, const As& as, const std::string& run_id) {
  Reply last;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < end) {
    last = server.request("GET", "/api/runs/" + run_id, as);
    const std::string status = last.body.value("status", "");
    if (status == "succeeded" || status == "failed" || status == "cancelled") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return last;
}

// An org with an admin who stores an acme key and a member (not admin) who may only use it.
struct Org {
  explicit Org(WeftServer& s) : server(s) {
    if (server.setup().status != 201) throw std::runtime_error("setup failed");
    admin = As::session(server.login("owner@example.com"));
    const std::string org = server.request("GET", "/api/auth/me", admin).body["activeOrg"]["id"];
    Reply user = server.request("POST", "/api/admin/users", admin,
                                json{{"email", "member@example.com"}, {"password", "correct horse battery"}});
    if (user.status != 201) throw std::runtime_error("create user: " + user.text);
    Reply joined = server.request("POST", "/api/admin/orgs/" + org + "/members", admin,
                                  json{{"email", "member@example.com"}, {"role", "member"}});
    if (joined.status != 201) throw std::runtime_error("add member: " + joined.text);
    member = As::session(server.login("member@example.com"));
    Reply cred = server.request("POST", "/api/credentials", admin,
                                json{{"name", "Acme (admin)"}, {"provider", "acme"}, {"type", "api_key"},
                                     {"secret", {{"api_key", kKey}}}});
    if (cred.status != 201) throw std::runtime_error("create credential: " + cred.text);
    credential = cred.body["id"];
  }

  // The member saves and runs a one-step acme.ping workflow; returns the finished run.
  Reply member_pings(const std::string& endpoint) {
    json workflow = {{"name", "ping " + std::to_string(++runs)},
                     {"steps", {{{"id", "ping"}, {"action", "acme.ping"}, {"credential", credential},
                                 {"inputs", {{"endpoint", endpoint}}}}}}};
    Reply created = server.request("POST", "/api/workflows", member, workflow);
    if (created.status != 201) throw std::runtime_error("create workflow: " + created.text);
    Reply started = server.request("POST", "/api/workflows/" + created.body["id"].get<std::string>() + "/runs",
                                   member, json::object());
    if (started.status != 202) throw std::runtime_error("start run: " + started.text);
    return wait_for_run(server, member, started.body["runId"]);
  }

  WeftServer& server;
  As admin, member;
  std::string credential;
  int runs = 0;
};

std::size_t keys_seen(const testing::LocalHttpServer& s) {
  std::size_t n = 0;
  for (const auto& r : s.requests()) n += r.header("X-Api-Key").empty() ? 0 : 1;
  return n;
}

TEST(Finding4StoredKeyEgress, AMemberCannotSendAnAdminsAcmeKeyToALocalListener) {
  testing::LocalHttpServer acme;  // the configured Acme API
  acme.on("GET", "/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"up":true})", "application/json");
  });
  testing::LocalHttpServer listener;  // the member's
  listener.on("GET", "/collect", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"up":true})", "application/json");
  });
  listener.start();
  acme.on("GET", "/away", [&listener](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(listener.url("/collect"));
  });
  acme.start();
  WeftServer server({{"WEFT_ACME_API_BASE", acme.url("")}});
  Org org(server);
  Reply listed = server.request("GET", "/api/credentials", org.member);
  ASSERT_EQ(listed.status, 200) << listed.text;  // the member sees the credential's name, never its key
  EXPECT_EQ(listed.text.find(kKey), std::string::npos);

  // Straight to the listener: refused before anything is sent.
  Reply direct = org.member_pings(listener.url("/collect"));
  ASSERT_EQ(direct.body["status"], "failed") << direct.text;
  const json& error = direct.body["steps"][0]["error"];
  EXPECT_EQ(error["code"], "egress_denied") << direct.text;
  EXPECT_NE(error["message"].get<std::string>().find("127.0.0.1:" + std::to_string(listener.port())),
            std::string::npos)
      << error;
  EXPECT_NE(error["message"].get<std::string>().find("acme credential"), std::string::npos) << error;

  // Through a redirect from the Acme host: refused at the hop that leaves it.
  Reply bounced = org.member_pings(acme.url("/away"));
  ASSERT_EQ(bounced.body["status"], "failed") << bounced.text;
  EXPECT_EQ(bounced.body["steps"][0]["error"]["code"], "egress_denied") << bounced.text;

  EXPECT_TRUE(listener.requests().empty());
  EXPECT_EQ(keys_seen(listener), 0u);
  EXPECT_EQ(direct.text.find(kKey), std::string::npos);

  // The key still works where it belongs.
  Reply home = org.member_pings(acme.url("/health"));
  ASSERT_EQ(home.body["status"], "succeeded") << home.text;
  EXPECT_EQ(acme.count("/health"), 1u);
  EXPECT_EQ(keys_seen(acme), 2u);  // /away and /health
  EXPECT_EQ(server.log_text().find(kKey), std::string::npos);
}

TEST(Finding4StoredKeyEgress, WithPrivateAddressesRefusedACredentialedCallToLoopbackIsRefused) {
  testing::LocalHttpServer acme;
  acme.on("GET", "/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"up":true})", "application/json");
  });
  acme.start();
  WeftServer server({{"WEFT_ACME_API_BASE", acme.url("")}, {"WEFT_HTTP_ALLOW_PRIVATE", "0"}});
  Org org(server);

  Reply run = org.member_pings(acme.url("/health"));
  ASSERT_EQ(run.body["status"], "failed") << run.text;
  const json& error = run.body["steps"][0]["error"];
  EXPECT_EQ(error["code"], "egress_denied") << error;
  EXPECT_NE(error["message"].get<std::string>().find("not a public address"), std::string::npos) << error;
  EXPECT_TRUE(acme.requests().empty());
  EXPECT_EQ(keys_seen(acme), 0u);
}

}  // namespace
}  // namespace weft::apitest
