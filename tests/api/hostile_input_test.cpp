// Hostile input over HTTP: malformed JSON, oversized bodies, wrong content types, unknown fields,
// path traversal in ids, SQL metacharacters in every string field and query parameter, missing,
// forged, expired and revoked credentials, cross-site writes. Each must be answered with the right
// 4xx and a JSON error body {"error":{"code","message"}}, and must change nothing: the suite
// snapshots what the org holds before and compares afterwards. After every test the server must
// still answer GET /api/health.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "api_harness.h"

namespace weft::apitest {
namespace {

constexpr const char* kPassword = "correct horse battery";

::testing::AssertionResult IsJsonError(const Reply& r, int status, const std::string& code = "") {
  if (r.status != status) {
    return ::testing::AssertionFailure() << "expected " << status << ", got " << r.status << ": " << r.text;
  }
  if (!r.is_json_error()) return ::testing::AssertionFailure() << "not a JSON error body: " << r.text;
  if (r.header("Content-Type").find("application/json") == std::string::npos) {
    return ::testing::AssertionFailure() << "Content-Type " << r.header("Content-Type");
  }
  if (!code.empty() && r.error_code() != code) {
    return ::testing::AssertionFailure() << "expected code " << code << ": " << r.text;
  }
  return ::testing::AssertionSuccess();
}

// Any 4xx must carry a JSON error body.
::testing::AssertionResult FourXxIsJson(const Reply& r) {
  if (r.status >= 400 && r.status < 500 && !r.is_json_error()) {
    return ::testing::AssertionFailure() << r.status << " without a JSON error body: " << r.text;
  }
  return ::testing::AssertionSuccess();
}

// Percent-encodes every byte but unreserved ones (RFC 3986).
std::string url_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

json transform_workflow(const std::string& name) {
  return json{{"name", name}, {"steps", {{{"id", "shape"}, {"action", "core.transform"}, {"inputs", {{"value", "ok"}}}}}}};
}
json credential_body(const std::string& name) {
  return json{{"name", name}, {"provider", "slack"}, {"type", "bot_token"}, {"secret", {{"bot_token", "xoxb-hostile"}}}};
}

// What the org and the platform hold; compared before and after refused requests.
struct Snapshot {
  json workflows, credentials, runs, members, invitations, tokens, orgs, me;
  bool operator==(const Snapshot&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Snapshot& s) {
  return os << "workflows=" << s.workflows.dump() << "\ncredentials=" << s.credentials.dump()
            << "\nruns=" << s.runs.dump() << "\nmembers=" << s.members.dump()
            << "\ninvitations=" << s.invitations.dump() << "\ntokens=" << s.tokens.dump()
            << "\norgs=" << s.orgs.dump() << "\nme=" << s.me.dump();
}

struct Site {
  WeftServer server;
  std::string org;     // Acme, the owner's org
  As owner;            // platform admin and admin of Acme (session)
  As member;           // member of Acme (session)
  std::string token;   // bearer token of the owner in Acme
  std::string wf;      // a workflow of Acme
  std::string run;     // a run of it
  std::string cred;    // a credential of Acme
  int counter = 0;

  std::string unique(const std::string& prefix) { return prefix + "-" + std::to_string(++counter); }

  Site() {
    if (server.setup().status != 201) throw std::runtime_error("setup failed");
    owner = As::session(server.login("owner@example.com"));
    org = server.request("GET", "/api/auth/me", owner).body["activeOrg"]["id"];
    create_user("member@example.com");
    server.request("POST", "/api/admin/orgs/" + org + "/members", owner,
                   json{{"email", "member@example.com"}, {"role", "member"}});
    member = As::session(server.login("member@example.com"));
    token = server.request("POST", "/api/auth/tokens", owner, json{{"name", "script"}}).body["token"];
    wf = server.request("POST", "/api/workflows", owner, transform_workflow("Site workflow")).body["id"];
    run = server.request("POST", "/api/workflows/" + wf + "/runs", owner, json::object()).body["runId"];
    cred = server.request("POST", "/api/credentials", owner, credential_body("Site credential")).body["id"];
    if (member.cookie.empty() || token.empty() || wf.empty() || run.empty() || cred.empty()) {
      throw std::runtime_error("site setup failed:\n" + server.log_text());
    }
  }

  Reply create_user(const std::string& email, const std::string& password = kPassword) {
    return server.request("POST", "/api/admin/users", owner, json{{"email", email}, {"password", password}});
  }

  Snapshot snapshot() {
    auto get = [&](const std::string& path, const char* key) {
      Reply r = server.request("GET", path, owner);
      return r.status == 200 ? r.body[key] : json(r.text);
    };
    Snapshot s;
    s.workflows = get("/api/workflows", "workflows");
    s.credentials = get("/api/credentials", "credentials");
    s.runs = json::array();
    for (const auto& run : get("/api/runs?limit=500", "runs")) s.runs.push_back(run["id"]);  // status moves on its own
    s.members = get("/api/members", "members");
    s.invitations = get("/api/invitations", "invitations");
    s.tokens = get("/api/auth/tokens", "tokens");
    s.orgs = get("/api/admin/orgs", "orgs");
    s.me = server.request("GET", "/api/auth/me", member).body;
    return s;
  }
};

class HostileInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { site_ = std::make_unique<Site>(); }
  static void TearDownTestSuite() {
    if (site_) {
      // After the whole suite the server is alive and well.
      EXPECT_EQ(site_->server.request("GET", "/api/health").status, 200) << site_->server.log_text();
    }
    site_.reset();
  }
  void SetUp() override { ASSERT_TRUE(site_); }
  void TearDown() override {
    Reply health = site_->server.request("GET", "/api/health");
    EXPECT_EQ(health.status, 200) << "server unhealthy after this test:\n" << site_->server.log_text();
    EXPECT_EQ(health.body, json({{"status", "ok"}}));
  }

  Site& site() { return *site_; }

  // The site's rows are all still there and every list answers: no table was dropped or emptied.
  void ExpectTablesIntact() {
    auto contains = [&](const std::string& path, const char* key, const std::string& id) {
      Reply r = server().request("GET", path, site().owner);
      EXPECT_EQ(r.status, 200) << path << ": " << r.text;
      bool found = false;
      for (const auto& item : r.body[key]) found |= item.value("id", item.value("userId", "")) == id;
      EXPECT_TRUE(found) << path << " lost " << id << ": " << r.text;
    };
    contains("/api/workflows", "workflows", site().wf);
    contains("/api/runs?limit=500", "runs", site().run);
    contains("/api/credentials", "credentials", site().cred);
    contains("/api/admin/orgs", "orgs", site().org);
    EXPECT_EQ(server().request("GET", "/api/members", site().owner).body["members"].size() >= 2, true);
    EXPECT_EQ(server().request("GET", "/api/auth/me", site().member).status, 200);
    EXPECT_EQ(server().request("GET", "/api/auth/me", As::bearer(site().token)).status, 200);
  }
  WeftServer& server() { return site_->server; }

  static std::unique_ptr<Site> site_;
};
std::unique_ptr<Site> HostileInput::site_;

struct Target {
  std::string method, path;
};

// Every route that reads a JSON body, with the owner's session.
std::vector<Target> json_routes(Site& s) {
  return {{"POST", "/api/setup"},
          {"POST", "/api/auth/login"},
          {"POST", "/api/auth/switch-org"},
          {"POST", "/api/auth/tokens"},
          {"POST", "/api/credentials"},
          {"POST", "/api/credentials/" + s.cred + "/rotate"},
          {"POST", "/api/workflows"},
          {"POST", "/api/workflows/validate"},
          {"PUT", "/api/workflows/" + s.wf},
          {"POST", "/api/workflows/" + s.wf + "/runs"},
          {"POST", "/api/invitations"},
          {"POST", "/api/invitations/accept"},
          {"POST", "/api/admin/orgs"},
          {"POST", "/api/admin/orgs/" + s.org + "/members"},
          {"POST", "/api/admin/users"}};
}

// --- Malformed JSON → 400 invalid_json; valid JSON that is not an object → 400 invalid_input. ---

TEST_F(HostileInput, MalformedJsonIsInvalidJson) {
  const Snapshot before = site().snapshot();
  const std::vector<std::string> bodies = {
      "{",          R"({"name":)",        "not json",        R"({"a":1}})",     "{'a':1}",
      R"({"a":1,})", R"({"a":01})",       "[1,2",            "nul",             "\xff\xfe{}",
      "{\"name\":\"\xc3\x28\"}",  // ill-formed UTF-8 inside a string
      "{\"a\":\"\\ud800\"}",      // lone surrogate escape
  };
  for (const auto& target : json_routes(site())) {
    for (const auto& body : bodies) {
      SCOPED_TRACE(target.method + " " + target.path + " body " + json(body).dump(-1, ' ', false, json::error_handler_t::replace));
      Reply r = server().request_raw(target.method, target.path, site().owner, body, "application/json");
      EXPECT_TRUE(IsJsonError(r, 400, "invalid_json"));
    }
  }
  // An empty body is malformed JSON too, except where the body is optional (start a run).
  for (const auto& target : json_routes(site())) {
    if (target.path.ends_with("/runs")) continue;
    SCOPED_TRACE(target.method + " " + target.path + " empty body");
    EXPECT_TRUE(IsJsonError(server().request_raw(target.method, target.path, site().owner, "", "application/json"),
                            400, "invalid_json"));
  }
  EXPECT_EQ(site().snapshot(), before);
}

// A NUL byte ends the parse early: `{"a":1}<NUL>garbage` must be malformed, not `{"a":1}`.
TEST_F(HostileInput, BytesAfterANulAreMalformedJson) {
  const Snapshot before = site().snapshot();
  const std::string tail = std::string("\0", 1) + "garbage";
  for (const auto& target : json_routes(site())) {
    SCOPED_TRACE(target.method + " " + target.path);
    Reply r = server().request_raw(target.method, target.path, site().owner, "{\"a\":1}" + tail, "application/json");
    EXPECT_TRUE(IsJsonError(r, 400, "invalid_json"));
  }
  Reply cred = server().request_raw("POST", "/api/credentials", site().owner, credential_body("after nul").dump() + tail,
                                    "application/json");
  EXPECT_TRUE(IsJsonError(cred, 400, "invalid_json"));
  EXPECT_EQ(site().snapshot(), before);
}

TEST_F(HostileInput, JsonThatIsNotAnObjectIsInvalidInput) {
  const Snapshot before = site().snapshot();
  for (const auto& target : json_routes(site())) {
    for (const char* body : {"[]", "[{\"name\":\"x\"}]", "\"text\"", "42", "null", "true"}) {
      SCOPED_TRACE(target.method + " " + target.path + " body " + body);
      Reply r = server().request_raw(target.method, target.path, site().owner, body, "application/json");
      EXPECT_EQ(r.status, 400) << r.text;
      EXPECT_TRUE(r.is_json_error()) << r.text;
      // Workflow documents answer with their own validation code.
      EXPECT_TRUE(r.error_code() == "invalid_input" || r.error_code() == "workflow_invalid") << r.text;
    }
  }
  EXPECT_EQ(site().snapshot(), before);
}

// --- Bodies over the route's limit → 413 JSON, nothing stored. --------------------------------

TEST_F(HostileInput, OversizedBodiesAre413) {
  const Snapshot before = site().snapshot();
  const std::string big_password(10 * 1024, 'p');
  struct Case {
    std::string method, path, body;
    As as;
  };
  const std::vector<Case> cases = {
      {"POST", "/api/auth/login", json{{"email", "owner@example.com"}, {"password", big_password}}.dump(), As::anonymous()},
      {"POST", "/api/setup", json{{"email", "x@example.com"}, {"password", big_password}, {"orgName", "X"}}.dump(),
       As::anonymous()},
      {"POST", "/api/auth/logout", json{{"pad", std::string(2048, 'x')}}.dump(), site().owner},
      {"POST", "/api/auth/tokens", json{{"name", std::string(5000, 't')}}.dump(), site().owner},
      {"POST", "/api/credentials",
       json{{"name", "big"}, {"provider", "slack"}, {"type", "bot_token"}, {"secret", {{"bot_token", std::string(70 * 1024, 'x')}}}}
           .dump(),
       site().owner},
      {"POST", "/api/workflows/" + site().wf + "/runs", json{{"input", {{"blob", std::string(300 * 1024, 'x')}}}}.dump(),
       site().owner},
      {"POST", "/api/workflows", json{{"name", std::string(2 * 1024 * 1024, 'w')}, {"steps", json::array()}}.dump(),
       site().owner},
      {"PUT", "/api/workflows/" + site().wf,
       json{{"name", "renamed"}, {"description", std::string(2 * 1024 * 1024, 'd')}, {"steps", json::array()}}.dump(),
       site().owner},
      {"POST", "/api/workflows/validate", std::string(2 * 1024 * 1024, ' ') + "{}", site().owner},
      {"POST", "/api/hooks/" + site().wf + "/secret", std::string(2 * 1024 * 1024, 'h'), As::anonymous()},
      // Routes that take no body at all refuse one.
      {"DELETE", "/api/workflows/" + site().wf, "{}", site().owner},
      {"DELETE", "/api/credentials/" + site().cred, "{\"force\":true}", site().owner},
      {"POST", "/api/runs/" + site().run + "/cancel", "{}", site().owner},
      {"POST", "/api/invitations", json{{"email", std::string(5000, 'e') + "@example.com"}}.dump(), site().owner},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path + " with " + std::to_string(c.body.size()) + " bytes");
    Reply r = server().request_raw(c.method, c.path, c.as, c.body, "application/json");
    EXPECT_TRUE(IsJsonError(r, 413, "payload_too_large"));
  }
  EXPECT_EQ(site().snapshot(), before);
  // The owner's session survived the oversized logout.
  EXPECT_EQ(server().request("GET", "/api/auth/me", site().owner).status, 200);
}

// --- Wrong content type → 415, nothing stored. --------------------------------------------------

TEST_F(HostileInput, WrongContentTypeIs415) {
  const Snapshot before = site().snapshot();
  struct Case {
    std::string method, path;
    json body;
    As as;
  };
  auto fresh_email = site().unique("ctype") + "@example.com";
  const std::vector<Case> cases = {
      {"POST", "/api/auth/login", {{"email", "owner@example.com"}, {"password", kPassword}}, As::anonymous()},
      {"POST", "/api/auth/tokens", {{"name", "ctype"}}, site().owner},
      {"POST", "/api/auth/switch-org", {{"orgId", site().org}}, site().owner},
      {"POST", "/api/credentials", credential_body("ctype"), site().owner},
      {"POST", "/api/credentials/" + site().cred + "/rotate", {{"secret", {{"bot_token", "xoxb-ctype"}}}}, site().owner},
      {"POST", "/api/workflows", transform_workflow("ctype"), site().owner},
      {"PUT", "/api/workflows/" + site().wf, transform_workflow("ctype"), site().owner},
      {"POST", "/api/workflows/" + site().wf + "/runs", {{"input", {{"a", 1}}}}, site().owner},
      {"POST", "/api/invitations", {{"email", "member@example.com"}, {"role", "admin"}}, site().owner},
      {"POST", "/api/invitations/accept", {{"token", "wfi_x"}, {"password", kPassword}}, As::anonymous()},
      {"POST", "/api/admin/orgs", {{"name", "ctype"}}, site().owner},
      {"POST", "/api/admin/users", {{"email", fresh_email}, {"password", kPassword}}, site().owner},
  };
  const std::vector<std::string> types = {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                                          "application/xml", "text/json", "application/octet-stream", ""};
  for (const auto& c : cases) {
    for (const auto& type : types) {
      SCOPED_TRACE(c.method + " " + c.path + " as '" + type + "'");
      Reply r = server().request_raw(c.method, c.path, c.as, c.body.dump(), type);
      EXPECT_TRUE(IsJsonError(r, 415, "unsupported_media_type"));
    }
  }
  // The classic cross-site form post of a login, url-encoded.
  Reply form = server().request_raw("POST", "/api/auth/login", As::anonymous(),
                                    "email=owner%40example.com&password=correct+horse+battery",
                                    "application/x-www-form-urlencoded");
  EXPECT_TRUE(IsJsonError(form, 415, "unsupported_media_type"));
  EXPECT_EQ(form.header("Set-Cookie"), "");
  // Multipart: a well-formed form is 415; a body that is not multipart at all is refused by the
  // HTTP layer (400 bad_request). Either way a JSON error, and nothing happens.
  const std::string multipart =
      "--xyz\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nowner@example.com\r\n"
      "--xyz\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\ncorrect horse battery\r\n--xyz--\r\n";
  Reply multi = server().request_raw("POST", "/api/auth/login", As::anonymous(), multipart, "multipart/form-data; boundary=xyz");
  EXPECT_TRUE(IsJsonError(multi, 415, "unsupported_media_type"));
  EXPECT_EQ(multi.header("Set-Cookie"), "");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path + " as multipart with a JSON body");
    Reply r = server().request_raw(c.method, c.path, c.as, c.body.dump(), "multipart/form-data; boundary=xyz");
    EXPECT_TRUE(r.status == 400 || r.status == 415) << r.text;
    EXPECT_TRUE(r.is_json_error()) << r.text;
  }
  EXPECT_EQ(site().snapshot(), before);
  // A charset parameter is fine.
  Reply ok = server().request_raw("POST", "/api/workflows/validate", site().owner, transform_workflow("x").dump(),
                                  "application/json; charset=utf-8");
  EXPECT_EQ(ok.status, 200) << ok.text;
}

// --- Unknown fields → 400 naming every unknown field, nothing stored. ---------------------------

TEST_F(HostileInput, UnknownFieldsAreRefusedByName) {
  const Snapshot before = site().snapshot();
  struct Case {
    std::string method, path;
    json body;
    std::vector<std::string> unknown;
    As as;
  };
  const std::string fresh = site().unique("unknown") + "@example.com";
  const std::vector<Case> cases = {
      {"POST", "/api/auth/login", {{"email", "owner@example.com"}, {"password", kPassword}, {"isAdmin", true}}, {"isAdmin"},
       As::anonymous()},
      {"POST", "/api/setup",
       {{"email", "x@example.com"}, {"password", kPassword}, {"orgName", "X"}, {"platformAdmin", true}},
       {"platformAdmin"}, As::anonymous()},
      {"POST", "/api/auth/switch-org", {{"orgId", site().org}, {"role", "admin"}}, {"role"}, site().member},
      {"POST", "/api/auth/tokens", {{"name", "t"}, {"orgId", "org_other"}, {"scopes", {"*"}}}, {"orgId", "scopes"},
       site().member},
      {"POST", "/api/credentials",
       {{"name", "n"}, {"provider", "slack"}, {"type", "bot_token"}, {"secret", {{"bot_token", "x"}}}, {"orgId", "org_other"}},
       {"orgId"}, site().owner},
      {"POST", "/api/credentials",
       {{"name", "n"}, {"provider", "slack"}, {"type", "bot_token"}, {"secret", {{"bot_token", "x"}}}, {"id", "cred_mine"}},
       {"id"}, site().owner},
      {"POST", "/api/credentials/" + site().cred + "/rotate", {{"secret", {{"bot_token", "x"}}}, {"provider", "github"}},
       {"provider"}, site().owner},
      {"POST", "/api/workflows/" + site().wf + "/runs", {{"input", json::object()}, {"orgId", "org_other"}}, {"orgId"},
       site().owner},
      {"POST", "/api/invitations", {{"email", "member@example.com"}, {"role", "admin"}, {"orgId", "org_other"}}, {"orgId"},
       site().owner},
      {"POST", "/api/invitations/accept", {{"token", "wfi_x"}, {"orgId", site().org}, {"role", "admin"}},
       {"orgId", "role"}, As::anonymous()},
      {"POST", "/api/admin/orgs", {{"name", "O"}, {"id", "org_mine"}}, {"id"}, site().owner},
      {"POST", "/api/admin/orgs/" + site().org + "/members", {{"email", fresh}, {"role", "member"}, {"platformAdmin", true}},
       {"platformAdmin"}, site().owner},
      {"POST", "/api/admin/users", {{"email", fresh}, {"password", kPassword}, {"role", "admin"}, {"org", "x"}},
       {"role", "org"}, site().owner},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path + " " + c.body.dump());
    Reply r = server().request(c.method, c.path, c.as, c.body);
    ASSERT_TRUE(IsJsonError(r, 400, "invalid_input"));
    std::vector<std::string> expected = c.unknown, listed;
    for (const auto& f : r.body["error"]["details"]["unknownFields"]) listed.push_back(f);
    std::sort(expected.begin(), expected.end());
    std::sort(listed.begin(), listed.end());
    EXPECT_EQ(listed, expected) << r.text;
    for (const auto& field : c.unknown) EXPECT_NE(r.body["error"]["message"].get<std::string>().find(field), std::string::npos);
  }
  // Workflow documents: unknown fields at the top and inside a step, named in the error.
  json top = transform_workflow("unknown");
  top["orgId"] = "org_other";
  json in_step = transform_workflow("unknown");
  in_step["steps"][0]["runAs"] = "root";
  for (const auto& [doc, field] : std::vector<std::pair<json, std::string>>{{top, "orgId"}, {in_step, "runAs"}}) {
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"POST", "/api/workflows"}, {"POST", "/api/workflows/validate"}, {"PUT", "/api/workflows/" + site().wf}}) {
      SCOPED_TRACE(method + " " + path + " with " + field);
      Reply r = server().request(method, path, site().owner, doc);
      EXPECT_TRUE(IsJsonError(r, 400, "workflow_invalid"));
      EXPECT_NE(r.text.find(field), std::string::npos) << r.text;
    }
  }
  EXPECT_EQ(site().snapshot(), before);
}

// --- Path traversal and odd ids → 404 JSON, nothing touched, server healthy. --------------------

TEST_F(HostileInput, PathTraversalAndOddIdsAre404) {
  const Snapshot before = site().snapshot();
  const std::string wf = site().wf, cred = site().cred, run = site().run;
  const std::string id128(128, 'a'), id129(129, 'a'), id5000(5000, 'a');
  const std::vector<Target> targets = {
      {"GET", "/api/workflows/..%2F..%2Fetc%2Fpasswd"},
      {"GET", "/api/workflows/../../etc/passwd"},
      {"GET", "/api/workflows/%2e%2e%2f%2e%2e%2fetc%2fpasswd"},
      {"GET", "/api/workflows/%252e%252e%252fetc%252fpasswd"},
      {"GET", "/api/workflows/..%5C..%5Cwindows%5Cwin.ini"},
      {"GET", "/api/workflows/%c0%ae%c0%ae%c0%af"},
      {"GET", "/api/workflows/.."},
      {"GET", "/api/workflows/%"},
      {"GET", "/api/workflows/abc%00def"},
      {"GET", "/api/workflows/" + wf + "%00"},
      {"GET", "/api/workflows/" + wf + "%00../../x"},
      {"GET", "/api/workflows/" + id128},
      {"GET", "/api/workflows/" + id129},
      {"GET", "/api/runs/../../x"},
      {"GET", "/api/runs/..%2F..%2Fx"},
      {"GET", "/api/runs/" + run + "%2F..%2F..%2Fx"},
      {"GET", "/api/runs/" + run + "/../" + run},
      {"GET", "/api/runs/" + id128 + "/events"},
      {"GET", "/../../../../etc/passwd"},
      {"GET", "/%2e%2e/%2e%2e/etc/passwd"},
      {"GET", "/api/../../etc/passwd"},
      {"PUT", "/api/workflows/..%2F" + wf},
      {"DELETE", "/api/workflows/" + wf + "%00"},
      {"DELETE", "/api/workflows/" + wf + "%2F.."},
      {"DELETE", "/api/workflows/..%2F" + wf},
      {"DELETE", "/api/workflows/" + id128},
      {"DELETE", "/api/credentials/" + cred + "%00"},
      {"DELETE", "/api/credentials/..%2Fcredentials%2F" + cred},
      {"POST", "/api/credentials/" + cred + "%2F..%2F" + cred + "/rotate"},
      {"DELETE", "/api/members/..%2F..%2Fadmin%2Fusers"},
      {"DELETE", "/api/auth/tokens/..%2F..%2F"},
      {"POST", "/api/runs/" + run + "%00/cancel"},
      {"POST", "/api/workflows/" + wf + "%00/runs"},
      {"POST", "/api/hooks/..%2F..%2Fetc/passwd"},
      {"POST", "/api/hooks/" + wf + "/..%2F..%2Fx"},
      {"POST", "/api/hooks/" + wf + "/" + id128},
      {"POST", "/api/admin/orgs/..%2F" + site().org + "/members"},
  };
  for (const auto& t : targets) {
    SCOPED_TRACE(t.method + " " + t.path.substr(0, 200));
    std::optional<json> body;
    if (t.method == "PUT") body = transform_workflow("traversal");
    Reply r = server().request(t.method, t.path, site().owner, body);
    EXPECT_TRUE(IsJsonError(r, 404));
    EXPECT_EQ(r.text.find("root:"), std::string::npos);
  }
  // Ids too long for any request line: the server refuses the request as such (414), still JSON.
  for (const std::string method : {"GET", "DELETE"}) {
    Reply r = server().request(method, "/api/workflows/" + std::string(10000, 'a'), site().owner);
    EXPECT_TRUE(r.status == 404 || r.status == 414) << r.status << " " << r.text;
    EXPECT_TRUE(r.is_json_error()) << r.text;
  }
  Reply r = server().request("GET", "/api/workflows/" + id5000, site().owner);
  EXPECT_TRUE(IsJsonError(r, 404));
  // Traversal in a query parameter is just a value that matches nothing.
  Reply runs = server().request("GET", "/api/runs?workflowId=..%2F..%2Fetc%2Fpasswd", site().owner);
  EXPECT_EQ(runs.status, 200) << runs.text;
  EXPECT_TRUE(runs.body["runs"].empty());
  EXPECT_EQ(site().snapshot(), before);
  EXPECT_EQ(server().request("GET", "/api/workflows/" + wf, site().owner).status, 200);
}

// --- SQL metacharacters, unicode and NULs in every string field: stored verbatim or a clean 400. -

const std::vector<std::string>& nasty_strings() {
  static const std::vector<std::string> strings = {
      "x'; DROP TABLE runs;--",
      "\" OR 1=1 --",
      "Robert'); DROP TABLE workflows;--",
      "' UNION SELECT token_hash, user_id FROM sessions --",
      "1; DELETE FROM credentials WHERE 1=1",
      "%' OR name LIKE '%",
      "ユニコード 🚀 Ωμέγα ضياء",
      std::string("nul\0byte'--", 11),
      "back\\slash \\' \\\" \\\\",
      "<script>alert(1)</script>",
      "\xe2\x80\xae" "RTL override",
      "?1 ?2 :name @p $1",
      "admin'--",
      "x'OR'1'='1",
  };
  return strings;
}

std::string show(const std::string& s) { return json(s).dump(); }

TEST_F(HostileInput, SqlMetacharactersInWorkflowsAreStoredVerbatim) {
  for (const auto& s : nasty_strings()) {
    SCOPED_TRACE("string " + show(s));
    json doc = {{"name", s},
                {"description", s},
                {"steps", {{{"id", "shape"}, {"name", s}, {"action", "core.transform"}, {"inputs", {{"value", s}}}}}}};
    Reply created = server().request("POST", "/api/workflows", site().owner, doc);
    ASSERT_TRUE(FourXxIsJson(created));
    // Workflow names, descriptions, step names and input values have no character policy, so
    // every string must be accepted and come back byte for byte.
    ASSERT_EQ(created.status, 201) << created.text;
    const std::string id = created.body["id"];
    Reply got = server().request("GET", "/api/workflows/" + id, site().owner);
    ASSERT_EQ(got.status, 200) << got.text;
    EXPECT_EQ(got.body["name"], s);
    EXPECT_EQ(got.body["definition"], doc);
    Reply list = server().request("GET", "/api/workflows", site().owner);
    bool listed = false;
    for (const auto& wf : list.body["workflows"]) listed |= wf["id"] == id && wf["name"] == s;
    EXPECT_TRUE(listed) << list.text;

    // Renamed through PUT, and run with the string as input key and value.
    json renamed = doc;
    renamed["name"] = s + " v2";
    Reply put = server().request("PUT", "/api/workflows/" + id, site().owner, renamed);
    ASSERT_EQ(put.status, 200) << put.text;
    EXPECT_EQ(server().request("GET", "/api/workflows/" + id, site().owner).body["name"], s + " v2");
    const json input = {{"k", s}, {s, s}};
    Reply started = server().request("POST", "/api/workflows/" + id + "/runs", site().owner, json{{"input", input}});
    ASSERT_EQ(started.status, 202) << started.text;
    Reply run = server().request("GET", "/api/runs/" + started.body["runId"].get<std::string>(), site().owner);
    ASSERT_EQ(run.status, 200) << run.text;
    EXPECT_EQ(run.body["input"], input);
  }
  // A step id must be an identifier: every nasty string is refused with a precise error.
  for (const auto& s : nasty_strings()) {
    SCOPED_TRACE("step id " + show(s));
    json doc = transform_workflow("bad step id");
    doc["steps"][0]["id"] = s;
    EXPECT_TRUE(IsJsonError(server().request("POST", "/api/workflows", site().owner, doc), 400, "workflow_invalid"));
  }
  ExpectTablesIntact();
}

TEST_F(HostileInput, SqlMetacharactersInCredentialsAreStoredVerbatim) {
  for (const auto& s : nasty_strings()) {
    SCOPED_TRACE("string " + show(s));
    Reply created = server().request("POST", "/api/credentials", site().owner, credential_body(s));
    ASSERT_TRUE(FourXxIsJson(created));
    {
      // Credential names have no character policy either.
      ASSERT_EQ(created.status, 201) << created.text;
      EXPECT_EQ(created.body["name"], s);
      const std::string id = created.body["id"];
      Reply rotated = server().request("POST", "/api/credentials/" + id + "/rotate", site().owner,
                                       json{{"secret", {{"bot_token", s}}}, {"name", s + " (rotated)"}});
      ASSERT_EQ(rotated.status, 200) << rotated.text;
      Reply list = server().request("GET", "/api/credentials", site().owner);
      bool listed = false;
      for (const auto& c : list.body["credentials"]) listed |= c["id"] == id && c["name"] == s + " (rotated)";
      EXPECT_TRUE(listed) << list.text;
      EXPECT_EQ(server().request("DELETE", "/api/credentials/" + id, site().owner).status, 204);
    }
    // Provider and type are identifiers: refused.
    json bad_provider = credential_body("p");
    bad_provider["provider"] = s;
    EXPECT_TRUE(IsJsonError(server().request("POST", "/api/credentials", site().owner, bad_provider), 400));
    json bad_type = credential_body("t");
    bad_type["type"] = s;
    EXPECT_TRUE(IsJsonError(server().request("POST", "/api/credentials", site().owner, bad_type), 400, "invalid_input"));
  }
  ExpectTablesIntact();
}

TEST_F(HostileInput, SqlMetacharactersInAccountsAreStoredVerbatimOrRefused) {
  int emails_stored = 0;
  for (const auto& s : nasty_strings()) {
    SCOPED_TRACE("string " + show(s));
    // Token names.
    Reply token = server().request("POST", "/api/auth/tokens", site().member, json{{"name", s}});
    ASSERT_TRUE(FourXxIsJson(token));
    // Display names refuse control characters (NUL) and keep everything else.
    const bool has_control = s.find('\0') != std::string::npos;
    if (has_control) {
      EXPECT_TRUE(IsJsonError(token, 400, "invalid_input"));
    } else {
      ASSERT_EQ(token.status, 201) << token.text;
      Reply tokens = server().request("GET", "/api/auth/tokens", site().member);
      bool listed = false;
      for (const auto& t : tokens.body["tokens"]) listed |= t["id"] == token.body["id"] && t["name"] == s;
      EXPECT_TRUE(listed) << tokens.text;
      EXPECT_EQ(server().request("GET", "/api/auth/me", As::bearer(token.body["token"])).status, 200);
    }
    // Org names.
    Reply org = server().request("POST", "/api/admin/orgs", site().owner, json{{"name", s}});
    ASSERT_TRUE(FourXxIsJson(org));
    if (has_control) {
      EXPECT_TRUE(IsJsonError(org, 400, "invalid_input"));
    } else {
      ASSERT_EQ(org.status, 201) << org.text;
      Reply orgs = server().request("GET", "/api/admin/orgs", site().owner);
      bool listed = false;
      for (const auto& o : orgs.body["orgs"]) listed |= o["id"] == org.body["id"] && o["name"] == s;
      EXPECT_TRUE(listed) << orgs.text;
    }
    // Emails (as given, and made address-shaped) and passwords of new users, then membership.
    for (const std::string& email : {s, s + "@example.com", site().unique("u") + "+" + s + "@example.com"}) {
      const std::string password = s + " long enough password";
      Reply user = site().create_user(email, password);
      ASSERT_TRUE(FourXxIsJson(user));
      if (user.status == 400) {
        EXPECT_EQ(user.error_code(), "invalid_input") << user.text;
        continue;
      }
      ASSERT_EQ(user.status, 201) << user.text;
      ++emails_stored;
      EXPECT_EQ(user.body["email"], lower(email));
      Reply added = server().request("POST", "/api/admin/orgs/" + site().org + "/members", site().owner,
                                     json{{"email", email}, {"role", "member"}});
      ASSERT_EQ(added.status, 201) << added.text;
      Reply members = server().request("GET", "/api/members", site().owner);
      bool listed = false;
      for (const auto& m : members.body["members"]) listed |= m["userId"] == user.body["id"] && m["email"] == lower(email);
      EXPECT_TRUE(listed) << members.text;
      const std::string cookie = server().login(email, password);
      EXPECT_FALSE(cookie.empty()) << "cannot log in with the nasty email/password";
      EXPECT_EQ(server().request("DELETE", "/api/members/" + user.body["id"].get<std::string>(), site().owner).status, 204);
    }
    // Members by an email that matches no user.
    Reply nobody = server().request("POST", "/api/admin/orgs/" + site().org + "/members", site().owner,
                                    json{{"email", s}, {"role", "member"}});
    EXPECT_TRUE(nobody.status == 400 || nobody.status == 404) << nobody.text;
    EXPECT_TRUE(nobody.is_json_error()) << nobody.text;
    // Logins and org switches never match anything.
    Reply login = server().request("POST", "/api/auth/login", As::anonymous(), json{{"email", s}, {"password", s}});
    EXPECT_TRUE(login.status == 400 || login.status == 401) << login.text;
    EXPECT_TRUE(login.is_json_error()) << login.text;
    EXPECT_EQ(login.header("Set-Cookie"), "");
    Reply sw = server().request("POST", "/api/auth/switch-org", site().member, json{{"orgId", s}});
    EXPECT_TRUE(sw.status == 400 || sw.status == 404) << sw.text;
    EXPECT_TRUE(sw.is_json_error()) << sw.text;
    // Setup is done: still 409, whatever the strings.
    Reply setup = server().request("POST", "/api/setup", As::anonymous(),
                                   json{{"email", s}, {"password", s}, {"orgName", s}});
    EXPECT_TRUE(setup.status == 409 || setup.status == 400) << setup.text;
    EXPECT_TRUE(setup.is_json_error()) << setup.text;
  }
  // Address-shaped ones (no spaces or control characters) are valid emails: some went through.
  EXPECT_GE(emails_stored, 6);  // admin'--, x'OR'1'='1 and <script>…, each in two shapes
  // The member is still in its org, the owner still platform admin of Acme.
  EXPECT_EQ(server().request("GET", "/api/auth/me", site().member).body["activeOrg"]["id"], site().org);
  EXPECT_EQ(server().request("GET", "/api/auth/me", site().owner).body["user"]["platformAdmin"], true);
  ExpectTablesIntact();
}

TEST_F(HostileInput, SqlMetacharactersInQueryAndPathAreHarmless) {
  for (const auto& s : nasty_strings()) {
    SCOPED_TRACE("string " + show(s));
    const std::string q = url_encode(s);
    for (const std::string param : {"workflowId", "cursor"}) {
      Reply r = server().request("GET", "/api/runs?" + param + "=" + q, site().owner);
      EXPECT_EQ(r.status, 200) << r.text;
      if (param == "workflowId") {
        EXPECT_TRUE(r.body["runs"].empty()) << r.text;
      }
    }
    EXPECT_TRUE(IsJsonError(server().request("GET", "/api/runs?status=" + q, site().owner), 400, "invalid_input"));
    EXPECT_TRUE(IsJsonError(server().request("GET", "/api/runs?createdAfter=" + q, site().owner), 400, "invalid_input"));
    EXPECT_TRUE(IsJsonError(server().request("GET", "/api/runs?limit=" + q, site().owner), 400, "invalid_input"));
    EXPECT_TRUE(IsJsonError(server().request("GET", "/api/workflows/" + q, site().owner), 404));
    EXPECT_TRUE(IsJsonError(server().request("DELETE", "/api/workflows/" + q, site().owner), 404));
    EXPECT_TRUE(IsJsonError(server().request("DELETE", "/api/credentials/" + q, site().owner), 404));
    EXPECT_TRUE(IsJsonError(server().request("DELETE", "/api/members/" + q, site().owner), 404));
    EXPECT_TRUE(IsJsonError(server().request("GET", "/api/runs/" + q, site().owner), 404));
    Reply hook = server().request("POST", "/api/hooks/" + site().wf + "/" + q, As::anonymous(), json::object());
    EXPECT_TRUE(IsJsonError(hook, 404));
    Reply version = server().request("GET", "/api/workflows/" + site().wf + "?version=" + q, site().owner);
    EXPECT_TRUE(version.status == 200 || version.status == 400 || version.status == 404) << version.text;
    EXPECT_TRUE(FourXxIsJson(version));
  }
  ExpectTablesIntact();
}

TEST_F(HostileInput, OddQueryParametersAreInvalidInput) {
  const std::vector<std::string> paths = {
      "/api/runs?limit=0",          "/api/runs?limit=-1",      "/api/runs?limit=501",
      "/api/runs?limit=1e3",        "/api/runs?limit=99999999999999999999999",
      "/api/runs?createdAfter=yesterday", "/api/runs?createdBefore=1.5", "/api/runs?status=RUNNING",
      "/api/workflows/" + site().wf + "?version=abc",
      "/api/workflows/" + site().wf + "?version=99999999999999999999",
  };
  for (const auto& p : paths) {
    SCOPED_TRACE(p);
    EXPECT_TRUE(IsJsonError(server().request("GET", p, site().owner), 400, "invalid_input"));
  }
}

// --- Missing, forged, expired, revoked credentials → 401. ---------------------------------------

TEST_F(HostileInput, MissingForgedAndExpiredSessionsAre401) {
  const Snapshot before = site().snapshot();
  auto expect_401 = [&](const As& as, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_TRUE(IsJsonError(server().request("GET", "/api/auth/me", as), 401, "unauthorized"));
    EXPECT_TRUE(IsJsonError(server().request("GET", "/api/workflows", as), 401, "unauthorized"));
    EXPECT_TRUE(IsJsonError(server().request("POST", "/api/credentials", as, credential_body("sneaky")), 401, "unauthorized"));
    EXPECT_TRUE(IsJsonError(server().request("DELETE", "/api/workflows/" + site().wf, as), 401, "unauthorized"));
  };
  expect_401(As::anonymous(), "no credentials at all");
  expect_401(As::session("Za9uHcuaeMo2CT4wJC-nYvjoSnyfs5xgQOIHn3oZ4D0"), "random session value");
  expect_401(As::session(std::string(43, 'A')), "all-A session value");
  expect_401(As::session("' OR 1=1 --"), "SQL in the session value");
  expect_401(As::session(std::string(600, 'x')), "oversized session value");
  expect_401(As::session(site().owner.cookie + "x"), "real session value with one extra character");
  expect_401(As::session(site().owner.cookie.substr(0, site().owner.cookie.size() - 1)), "truncated session value");
  // What the database stores (a session's SHA-256) is not a credential: a leaked row is useless.
  const std::string stored_hash = server().sql_text("SELECT token_hash FROM sessions LIMIT 1");
  ASSERT_EQ(stored_hash.size(), 64u);
  expect_401(As::session(stored_hash), "a stored session hash sent as the cookie");
  const std::string stored_token_hash = server().sql_text("SELECT token_hash FROM api_tokens LIMIT 1");
  ASSERT_EQ(stored_token_hash.size(), 64u);
  expect_401(As::bearer("wft_" + stored_token_hash), "a stored token hash sent as a bearer token");
  expect_401(As::bearer(stored_token_hash), "a stored token hash sent as a bearer token (no prefix)");
  // Other cookies around a missing or empty weft_session.
  for (const std::string& cookie : std::vector<std::string>{"other=1", "weft_session=", "weft_session_x=" + site().owner.cookie,
                                   "xweft_session=" + site().owner.cookie}) {
    SCOPED_TRACE("Cookie: " + cookie);
    Reply r = server().request_with_headers("GET", "/api/auth/me", {{"Cookie", cookie}});
    EXPECT_TRUE(IsJsonError(r, 401, "unauthorized"));
  }

  // Logged out.
  const As gone = As::session(server().login("member@example.com"));
  ASSERT_EQ(server().request("GET", "/api/auth/me", gone).status, 200);
  ASSERT_EQ(server().request("POST", "/api/auth/logout", gone).status, 204);
  expect_401(gone, "logged-out session");

  // Expired (simulated: the session's expiry moved to the past).
  ASSERT_EQ(site().create_user("expiring@example.com").status, 201);
  ASSERT_EQ(server().request("POST", "/api/admin/orgs/" + site().org + "/members", site().owner,
                             json{{"email", "expiring@example.com"}}).status,
            201);
  const As expiring = As::session(server().login("expiring@example.com"));
  ASSERT_EQ(server().request("GET", "/api/auth/me", expiring).status, 200);
  server().sql(
           "UPDATE sessions SET expires_at = 1 WHERE user_id = (SELECT id FROM users WHERE email = 'expiring@example.com')");
  expect_401(expiring, "expired session");
  // Removing the membership again keeps the snapshot comparable.
  Reply members = server().request("GET", "/api/members", site().owner);
  for (const auto& m : members.body["members"]) {
    if (m["email"] == "expiring@example.com") {
      EXPECT_EQ(server().request("DELETE", "/api/members/" + m["userId"].get<std::string>(), site().owner).status, 204);
    }
  }
  EXPECT_EQ(site().snapshot(), before);
  // The owner's real session is unaffected by all this.
  EXPECT_EQ(server().request("GET", "/api/auth/me", site().owner).status, 200);
}

TEST_F(HostileInput, GarbageExpiredAndRevokedBearerTokensAre401) {
  auto expect_401 = [&](const std::string& authorization, const std::string& what) {
    SCOPED_TRACE(what);
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/api/auth/me"}, {"GET", "/api/workflows"}, {"POST", "/api/auth/tokens"}}) {
      httplib::Headers headers = {{"Authorization", authorization}};
      Reply r = server().request_with_headers(method, path, headers, method == "POST" ? R"({"name":"x"})" : "",
                                              method == "POST" ? "application/json" : "");
      EXPECT_TRUE(IsJsonError(r, 401, "unauthorized")) << method << " " << path;
    }
  };
  expect_401("Bearer garbage", "garbage");
  expect_401("Bearer ", "empty token");
  expect_401("Bearer wft_", "bare prefix");
  expect_401("Bearer wft_Za9uHcuaeMo2CT4wJC-nYvjoSnyfs5xgQOIHn3oZ4D0", "random token with the right prefix");
  expect_401("Bearer wft_' OR 1=1 --", "SQL in the token");
  expect_401("Bearer wft_" + std::string(4000, 'a'), "oversized token");
  expect_401("Bearer " + site().token + "x", "real token with one extra character");
  expect_401("Bearer " + site().token.substr(4), "real token without its prefix");
  expect_401("Bearer " + site().owner.cookie, "a session value as a bearer token");
  // A session cookie next to a garbage bearer token does not rescue the request.
  {
    httplib::Headers headers = {{"Authorization", "Bearer garbage"}, {"Cookie", "weft_session=" + site().owner.cookie}};
    EXPECT_TRUE(IsJsonError(server().request_with_headers("GET", "/api/auth/me", headers), 401, "unauthorized"));
  }

  // Revoked (deleted) token.
  Reply created = server().request("POST", "/api/auth/tokens", site().member, json{{"name", "revoked"}});
  ASSERT_EQ(created.status, 201);
  const std::string revoked = created.body["token"];
  ASSERT_EQ(server().request("GET", "/api/auth/me", As::bearer(revoked)).status, 200);
  ASSERT_EQ(server().request("DELETE", "/api/auth/tokens/" + created.body["id"].get<std::string>(), site().member).status, 204);
  expect_401("Bearer " + revoked, "deleted token");

  // Expired token (simulated: its expiry moved to the past).
  Reply expiring = server().request("POST", "/api/auth/tokens", site().member, json{{"name", "expiring"}, {"expiresInDays", 1}});
  ASSERT_EQ(expiring.status, 201);
  ASSERT_EQ(server().request("GET", "/api/auth/me", As::bearer(expiring.body["token"])).status, 200);
  server().sql("UPDATE api_tokens SET expires_at = 1 WHERE id = '" + expiring.body["id"].get<std::string>() + "'");
  expect_401("Bearer " + expiring.body["token"].get<std::string>(), "expired token");

  // A token whose user has left the org grants nothing.
  ASSERT_EQ(site().create_user("leaver@example.com").status, 201);
  Reply added = server().request("POST", "/api/admin/orgs/" + site().org + "/members", site().owner,
                                 json{{"email", "leaver@example.com"}});
  ASSERT_EQ(added.status, 201);
  const As leaver = As::session(server().login("leaver@example.com"));
  Reply leaver_token = server().request("POST", "/api/auth/tokens", leaver, json{{"name", "leaver"}});
  ASSERT_EQ(leaver_token.status, 201);
  const std::string leaver_id = server().request("GET", "/api/auth/me", leaver).body["user"]["id"];
  ASSERT_EQ(server().request("DELETE", "/api/members/" + leaver_id, site().owner).status, 204);
  expect_401("Bearer " + leaver_token.body["token"].get<std::string>(), "token of a user who left the org");
  // Their session has no org left: member routes are forbidden.
  EXPECT_TRUE(IsJsonError(server().request("GET", "/api/workflows", leaver), 403, "forbidden"));
}

// --- Cross-site writes → 403 csrf_failed and no side effect; scripts with tokens need no Origin. -

TEST_F(HostileInput, CrossSiteWritesAreRefusedWithoutSideEffect) {
  ASSERT_EQ(site().create_user("csrf-victim@example.com").status, 201);
  const Snapshot before = site().snapshot();
  const std::string port = std::to_string(server().port());
  const std::vector<std::string> origins = {
      "",  // no Origin header at all
      "https://evil.example",
      "null",
      "http://127.0.0.1:" + port + ".evil.example",
      "http://127.0.0.1:" + std::to_string(server().port() + 1),
      "https://evil.example/http://127.0.0.1:" + port,
      "http://127.0.0.1:" + port + "@evil.example",
  };
  struct Case {
    std::string method, path;
    std::optional<json> body;
  };
  const std::vector<Case> writes = {
      {"POST", "/api/credentials", credential_body("csrf")},
      {"POST", "/api/credentials/" + site().cred + "/rotate", json{{"secret", {{"bot_token", "xoxb-csrf"}}}}},
      {"DELETE", "/api/credentials/" + site().cred + "?force=true", std::nullopt},
      {"POST", "/api/workflows", transform_workflow("csrf")},
      {"PUT", "/api/workflows/" + site().wf, transform_workflow("csrf")},
      {"DELETE", "/api/workflows/" + site().wf, std::nullopt},
      {"POST", "/api/workflows/" + site().wf + "/runs", json::object()},
      {"POST", "/api/workflows/" + site().wf + "/runs", std::nullopt},
      {"POST", "/api/runs/" + site().run + "/cancel", std::nullopt},
      {"POST", "/api/invitations", json{{"email", "csrf-victim@example.com"}, {"role", "admin"}}},
      {"POST", "/api/auth/tokens", json{{"name", "csrf"}}},
      {"POST", "/api/auth/switch-org", json{{"orgId", site().org}}},
      {"POST", "/api/auth/logout", std::nullopt},
      {"POST", "/api/admin/orgs", json{{"name", "csrf"}}},
      {"POST", "/api/admin/users", json{{"email", "csrf-new@example.com"}, {"password", kPassword}}},
  };
  for (const auto& origin : origins) {
    As cross = site().owner;
    cross.same_origin = false;
    cross.origin = origin;
    for (const auto& w : writes) {
      SCOPED_TRACE(w.method + " " + w.path + " with Origin '" + origin + "'");
      EXPECT_TRUE(IsJsonError(server().request(w.method, w.path, cross, w.body), 403, "csrf_failed"));
    }
  }
  EXPECT_EQ(site().snapshot(), before);
  EXPECT_EQ(server().request("GET", "/api/auth/me", site().owner).status, 200) << "a cross-site logout went through";
  EXPECT_EQ(server().request("GET", "/api/workflows/" + site().wf, site().owner).body["version"], 1);

  // Login CSRF: a cross-site page cannot sign the browser in either.
  As evil_anonymous = As::anonymous();
  evil_anonymous.origin = "https://evil.example";
  Reply login = server().request("POST", "/api/auth/login", evil_anonymous,
                                 json{{"email", "owner@example.com"}, {"password", kPassword}});
  EXPECT_TRUE(IsJsonError(login, 403, "csrf_failed"));
  EXPECT_EQ(login.header("Set-Cookie"), "");

  // The same requests from the right origin work (control).
  Reply same = server().request("POST", "/api/credentials", site().owner, credential_body("same origin"));
  EXPECT_EQ(same.status, 201) << same.text;
  EXPECT_EQ(server().request("DELETE", "/api/credentials/" + same.body["id"].get<std::string>(), site().owner).status, 204);
}

TEST_F(HostileInput, ScriptsWithBearerTokensNeedNoOrigin) {
  const As script = As::bearer(site().token);  // sends no Origin
  Reply cred = server().request("POST", "/api/credentials", script, credential_body("from a script"));
  EXPECT_EQ(cred.status, 201) << cred.text;
  Reply wf = server().request("POST", "/api/workflows", script, transform_workflow("from a script"));
  EXPECT_EQ(wf.status, 201) << wf.text;
  Reply run = server().request("POST", "/api/workflows/" + wf.body["id"].get<std::string>() + "/runs", script);
  EXPECT_EQ(run.status, 202) << run.text;
  EXPECT_EQ(server().request("DELETE", "/api/credentials/" + cred.body["id"].get<std::string>(), script).status, 204);
  EXPECT_EQ(server().request("DELETE", "/api/workflows/" + wf.body["id"].get<std::string>(), script).status, 204);
  // Logging in from a script (no Origin) is allowed too.
  Reply login = server().request("POST", "/api/auth/login", As{"", "", false, ""},
                                 json{{"email", "member@example.com"}, {"password", kPassword}});
  EXPECT_EQ(login.status, 200) << login.text;
}

// --- Deeply nested JSON: refused or accepted, but the server must survive. ----------------------
// Own server per test: a crash here must not take the shared one down.

std::string nested_array(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(HostileNesting, DeeplyNestedJsonDoesNotCrashTheServer) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  Reply wf = server.request("POST", "/api/workflows", owner, transform_workflow("nest"));
  ASSERT_EQ(wf.status, 201);
  const std::string id = wf.body["id"];
  Reply hook_wf = server.request("POST", "/api/workflows", owner,
                                 json{{"name", "hook"}, {"trigger", {{"type", "webhook"}}}, {"steps", transform_workflow("x")["steps"]}});
  ASSERT_EQ(hook_wf.status, 201);
  const std::string hook = hook_wf.body["webhook"]["path"];
  const std::string step = R"([{"id":"a","action":"core.transform","inputs":{"value":1}}])";
  struct Case {
    std::string path, body;
    As as;
  };
  const std::vector<Case> cases = {
      {"/api/workflows/validate", R"({"name":"x","steps":)" + step + R"(,"output":)" + nested_array(15000) + "}", owner},
      {"/api/workflows", R"({"name":"x","steps":)" + step + R"(,"output":)" + nested_array(100000) + "}", owner},
      {"/api/workflows/" + id + "/runs", R"({"input":{"x":)" + nested_array(120000) + "}}", owner},
      {hook, nested_array(100000), As::anonymous()},
      {"/api/auth/login", R"({"email":)" + nested_array(2000) + "}", As::anonymous()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path + " with " + std::to_string(c.body.size()) + " bytes");
    Reply r = server.request_raw("POST", c.path, c.as, c.body, "application/json");
    EXPECT_TRUE(r.status == 400 || r.status == 413 || (r.status >= 200 && r.status < 300)) << r.status << " " << r.text;
    EXPECT_TRUE(FourXxIsJson(r));
    ASSERT_EQ(server.request("GET", "/api/health").status, 200) << "the server died:\n" << server.log_text();
  }
}

// Moderately nested JSON is ordinary input and works.
TEST(HostileNesting, ModeratelyNestedJsonIsFine) {
  WeftServer server;
  ASSERT_EQ(server.setup().status, 201);
  const As owner = As::session(server.login("owner@example.com"));
  Reply wf = server.request("POST", "/api/workflows", owner, transform_workflow("nest"));
  ASSERT_EQ(wf.status, 201);
  Reply run = server.request_raw("POST", "/api/workflows/" + wf.body["id"].get<std::string>() + "/runs", owner,
                                 R"({"input":{"x":)" + nested_array(500) + "}}", "application/json");
  EXPECT_EQ(run.status, 202) << run.text;
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
}

}  // namespace
}  // namespace weft::apitest
