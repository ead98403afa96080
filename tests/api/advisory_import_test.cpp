// POST/GET /api/admin/advisories against a real `weft serve`: an import, a re-import (unchanged),
// a newer document (updated), an array with bad entries (skipped by index and id), the stored
// list with its pages; hostile bodies (not JSON, too deep, 17 MB, wrong types, 10,000 tiny
// documents); and who may call them (platform admin only; 403 for org roles, 401 without a session).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "api_harness.h"
#include "testing/raw_connection.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPassword = "correct horse battery";

// GHSA-jf85-cpcp-j695 as the GitHub advisory database exports it (shortened).
json lodash(const std::string& modified = "2023-11-01T04:57:33Z") {
  return {{"schema_version", "1.4.0"},
          {"id", "GHSA-jf85-cpcp-j695"},
          {"modified", modified},
          {"aliases", {"CVE-2019-10744"}},
          {"summary", "Prototype Pollution in lodash"},
          {"severity", json::array({{{"type", "CVSS_V3"}, {"score", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H"}}})},
          {"affected", json::array({{{"package", {{"ecosystem", "npm"}, {"name", "lodash"}}},
                                     {"ranges", json::array({{{"type", "ECOSYSTEM"},
                                                              {"events", json::array({{{"introduced", "0"}}, {{"fixed", "4.17.12"}}})}}})}}})},
          {"database_specific", {{"severity", "CRITICAL"}, {"github_reviewed", true}}}};
}

json tiny(int i) {
  return {{"id", "GHSA-tiny-" + std::to_string(i)},
          {"modified", "2024-01-01T00:00:00Z"},
          {"affected", json::array({{{"package", {{"ecosystem", "npm"}, {"name", "tiny-" + std::to_string(i % 100)}}},
                                     {"versions", json::array({"1.0.0"})}}})}};
}

class AdvisoryApi : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(server.setup().status, 201);
    admin = As::session(server.login("owner@example.com"));
    const std::string org = server.request("GET", "/api/auth/me", admin).body["activeOrg"]["id"];
    for (auto [email, role] : {std::pair{"admin@example.com", "admin"}, std::pair{"member@example.com", "member"}}) {
      ASSERT_EQ(server.request("POST", "/api/admin/users", admin, json{{"email", email}, {"password", kPassword}}).status, 201);
      ASSERT_EQ(server.request("POST", "/api/admin/orgs/" + org + "/members", admin, json{{"email", email}, {"role", role}}).status, 201);
    }
    org_admin = As::session(server.login("admin@example.com"));
    member = As::session(server.login("member@example.com"));
  }

  // The head of a POST /api/admin/advisories by the platform admin, with `framing` headers.
  std::string post_head(const std::string& framing) const {
    return "POST /api/admin/advisories HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
           "\r\nCookie: weft_session=" + admin.cookie + "\r\nOrigin: " + server.base_url() +
           "\r\nContent-Type: application/json\r\n" + framing + "\r\n";
  }

  Reply import(const json& body) { return server.request("POST", "/api/admin/advisories", admin, body); }

  WeftServer server;
  As admin, org_admin, member;
};

TEST_F(AdvisoryApi, ImportReimportUpdateAndList) {
  Reply first = import(lodash());
  ASSERT_EQ(first.status, 200) << first.text;
  EXPECT_EQ(first.body, (json{{"imported", 1}, {"updated", 0}, {"unchanged", 0}, {"skipped", json::array()}, {"skippedCount", 0}}));

  Reply again = import(lodash());
  EXPECT_EQ(again.body["unchanged"], 1);
  EXPECT_EQ(again.body["imported"], 0);
  Reply older = import(lodash("2020-01-01T00:00:00Z"));
  EXPECT_EQ(older.body["unchanged"], 1);  // an older document never replaces a newer one
  json revised = lodash("2024-02-02T00:00:00Z");
  revised["summary"] = "Prototype Pollution in lodash (revised)";
  Reply newer = import(revised);
  EXPECT_EQ(newer.body["updated"], 1);

  Reply list = server.request("GET", "/api/admin/advisories?package=lodash", admin);
  ASSERT_EQ(list.status, 200) << list.text;
  ASSERT_EQ(list.body["advisories"].size(), 1u);
  const json& a = list.body["advisories"][0];
  EXPECT_EQ(a["id"], "GHSA-jf85-cpcp-j695");
  EXPECT_EQ(a["modified"], "2024-02-02T00:00:00Z");
  EXPECT_EQ(a["summary"], "Prototype Pollution in lodash (revised)");
  EXPECT_EQ(a["severity"], "critical");
  EXPECT_EQ(a["aliases"], json::array({"CVE-2019-10744"}));
  EXPECT_EQ(a["affected"], json::array({{{"name", "lodash"}, {"range", "< 4.17.12"}, {"severity", "critical"}}}));
  EXPECT_EQ(list.body["total"], 1);
  EXPECT_TRUE(list.body["next"].is_null());
  EXPECT_EQ(server.request("GET", "/api/admin/advisories?package=left-pad", admin).body["advisories"], json::array());

  // Each import is in the audit log, platform-wide, with who did it.
  Reply audit = server.request("GET", "/api/audit", admin);
  ASSERT_EQ(audit.status, 200) << audit.text;
  int imports = 0;
  for (const json& e : audit.body["events"]) {
    if (e["action"] != "advisories.imported") continue;
    ++imports;
    EXPECT_TRUE(e["orgId"].is_null()) << e;
    EXPECT_EQ(e["actor"]["email"], "owner@example.com");
  }
  EXPECT_EQ(imports, 4);
}

TEST_F(AdvisoryApi, AnArrayImportsTheGoodOnesAndSaysWhyEachBadOneWasSkipped) {
  json wrong_types = lodash();
  wrong_types["id"] = "GHSA-wrong-type";
  wrong_types["affected"][0]["ranges"][0]["events"] = json::array({{{"introduced", 0}}});
  json pypi = lodash();
  pypi["id"] = "PYSEC-2024-1";
  pypi["affected"][0]["package"]["ecosystem"] = "PyPI";
  json no_modified = tiny(1);
  no_modified.erase("modified");
  Reply r = import(json::array({tiny(0), wrong_types, pypi, "not an object", no_modified, tiny(2)}));
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["imported"], 2);
  EXPECT_EQ(r.body["skippedCount"], 4);
  const json& skipped = r.body["skipped"];
  ASSERT_EQ(skipped.size(), 4u);
  EXPECT_EQ(skipped[0]["index"], 1);
  EXPECT_EQ(skipped[0]["id"], "GHSA-wrong-type");
  EXPECT_NE(skipped[0]["error"].get<std::string>().find("/affected/0/ranges/0/events/0/introduced must be a string"),
            std::string::npos) << skipped[0];
  EXPECT_EQ(skipped[1]["index"], 2);
  EXPECT_EQ(skipped[1]["error"].get<std::string>().rfind("advisory_not_npm", 0), 0u);
  EXPECT_EQ(skipped[2]["index"], 3);
  EXPECT_FALSE(skipped[2].contains("id"));
  EXPECT_EQ(skipped[3]["index"], 4);
  EXPECT_NE(skipped[3]["error"].get<std::string>().find("/modified"), std::string::npos);

  // Pages of the stored list, newest id first.
  Reply page1 = server.request("GET", "/api/admin/advisories?limit=1", admin);
  ASSERT_EQ(page1.status, 200);
  EXPECT_EQ(page1.body["advisories"][0]["id"], "GHSA-tiny-2");
  EXPECT_EQ(page1.body["next"], "GHSA-tiny-2");
  Reply page2 = server.request("GET", "/api/admin/advisories?limit=1&before=GHSA-tiny-2", admin);
  EXPECT_EQ(page2.body["advisories"][0]["id"], "GHSA-tiny-0");
  Reply page3 = server.request("GET", "/api/admin/advisories?limit=1&before=GHSA-tiny-0", admin);
  EXPECT_EQ(page3.body["advisories"], json::array());
}

TEST_F(AdvisoryApi, HostileBodies) {
  Reply not_json = server.request_raw("POST", "/api/admin/advisories", admin, "{\"id\": ", "application/json");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.error_code(), "invalid_json");
  EXPECT_TRUE(not_json.is_json_error());
  Reply wrong_type_header = server.request_raw("POST", "/api/admin/advisories", admin, lodash().dump(), "text/plain");
  EXPECT_EQ(wrong_type_header.status, 415);
  for (const json& scalar : {json(42), json("GHSA"), json(nullptr), json(true)}) {
    Reply r = import(scalar);
    EXPECT_EQ(r.status, 400) << scalar;
    EXPECT_EQ(r.error_code(), "invalid_input");
  }
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  Reply too_deep = server.request_raw("POST", "/api/admin/advisories", admin, deep, "application/json");
  EXPECT_EQ(too_deep.status, 400);
  EXPECT_TRUE(too_deep.is_json_error());
  // Deep inside a document that is otherwise fine: refused by the parser, not walked.
  json nested = lodash();
  std::string deep_doc = nested.dump();
  deep_doc.insert(deep_doc.size() - 1, ",\"x\":" + std::string(1000, '[') + std::string(1000, ']'));
  EXPECT_EQ(server.request_raw("POST", "/api/admin/advisories", admin, deep_doc, "application/json").status, 400);

  // 17 MB of valid documents, announced by Content-Length: refused before the body is read.
  std::string huge = "[" + lodash().dump();
  while (huge.size() < 17u * 1024 * 1024) huge += "," + tiny(static_cast<int>(huge.size() % 1000)).dump();
  huge += "]";
  {
    testing::RawConnection c(server.port());
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send(post_head("Content-Length: " + std::to_string(huge.size()) + "\r\n") + huge.substr(0, 65536)));
    const std::string& got = c.read_until("}}", 10s);
    EXPECT_EQ(testing::http_status_of(got), 413) << got.substr(0, 300);
    EXPECT_NE(got.find("payload_too_large"), std::string::npos);
  }
  // The same body chunked: refused while it streams, soon after 16 MB.
  {
    testing::RawConnection c(server.port());
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send(post_head("Transfer-Encoding: chunked\r\n")));
    std::size_t sent = 0;
    char size_line[16];
    while (sent < huge.size()) {
      const std::string piece = huge.substr(sent, 0x10000);
      std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece.size());
      if (!c.send(size_line + piece + "\r\n")) break;
      sent += piece.size();
      if (c.read_until("}}", 0ms).find("}}") != std::string::npos) break;
    }
    const std::string& got = c.read_until("}}", 10s);
    EXPECT_EQ(testing::http_status_of(got), 413) << got.substr(0, 300);
    EXPECT_GE(sent, 16u << 20) << "refused before the limit";
  }
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);

  // Long strings and too many entries: skipped with the bound named.
  json long_id = lodash();
  long_id["id"] = std::string(10000, 'G');
  json many_events = lodash();
  json events = json::array();
  for (int i = 0; i < 300; ++i) events.push_back({{"introduced", "1.0." + std::to_string(i)}});
  many_events["affected"][0]["ranges"][0]["events"] = events;
  Reply bounded = import(json::array({long_id, many_events}));
  ASSERT_EQ(bounded.status, 200);
  EXPECT_EQ(bounded.body["skippedCount"], 2);
  EXPECT_FALSE(bounded.body["skipped"][0].contains("id"));  // too long to echo
  EXPECT_NE(bounded.body["skipped"][1]["error"].get<std::string>().find("more than 256 entries"), std::string::npos);
  // Nothing of this was stored.
  EXPECT_EQ(server.request("GET", "/api/admin/advisories", admin).body["total"], 0);

  // Bad list parameters.
  for (const char* q : {"?limit=0", "?limit=501", "?limit=abc", "?limit=5x", "?package=", "?before="}) {
    Reply r = server.request("GET", std::string("/api/admin/advisories") + q, admin);
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_EQ(r.error_code(), "invalid_input") << q;
  }
  EXPECT_EQ(server.request("GET", "/api/admin/advisories?package=" + std::string(300, 'p'), admin).status, 400);
}

TEST_F(AdvisoryApi, TenThousandTinyDocumentsInOneBody) {
  json all = json::array();
  for (int i = 0; i < 10000; ++i) all.push_back(tiny(i));
  const auto start = std::chrono::steady_clock::now();
  Reply r = import(all);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.status, 200) << r.text.substr(0, 300);
  EXPECT_EQ(r.body["imported"], 10000);
  EXPECT_LT(seconds, 30);
  EXPECT_EQ(server.request("GET", "/api/admin/advisories?limit=1", admin).body["total"], 10000);
  EXPECT_EQ(server.request("GET", "/api/admin/advisories?package=tiny-7&limit=500", admin).body["advisories"].size(), 100u);
  Reply same = import(all);
  EXPECT_EQ(same.body["unchanged"], 10000);
}

TEST_F(AdvisoryApi, OnlyPlatformAdmins) {
  for (const As& who : {org_admin, member}) {
    Reply post = server.request("POST", "/api/admin/advisories", who, lodash());
    EXPECT_EQ(post.status, 403);
    EXPECT_TRUE(post.is_json_error());
    EXPECT_EQ(server.request("GET", "/api/admin/advisories", who).status, 403);
  }
  Reply anonymous = server.request("POST", "/api/admin/advisories", As::anonymous(), lodash());
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_TRUE(anonymous.is_json_error());
  EXPECT_EQ(server.request("GET", "/api/admin/advisories", As::anonymous()).status, 401);
  // None of the refused imports reached the store.
  EXPECT_EQ(server.request("GET", "/api/admin/advisories", admin).body["total"], 0);
}

}  // namespace
}  // namespace weft::apitest
