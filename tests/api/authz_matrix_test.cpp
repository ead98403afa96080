// The authorization matrix: every route of weft::api::all_routes() × {anonymous, member of org A,
// admin of org A, admin of org B, platform admin} → the expected status, from ONE table below.
// A route added to the server without a row here fails RouteTable.EveryRouteHasExactlyOneRow.
//
// Each row's `prepare` runs before every request and creates, in org A, whatever the request
// needs (a workflow, a run, a credential, a token, a member…), fresh each time so that a DELETE
// by one principal cannot change what the next one sees. Semantics checked:
//   * anonymous → 401 on every route that is not open to anyone;
//   * member → 403 on org_admin and platform_admin routes;
//   * an id that belongs to org A asked for by admin B or by the platform admin (whose active org
//     is its own) → 404, never 403: another tenant's ids are indistinguishable from unknown ids;
//   * collection routes act on the caller's own org (2xx where the role allows);
//   * /api/admin/* → 403 for everyone but the platform admin;
//   * every 4xx carries {"error":{"code","message"}}.
// TenantIsolation checks that org B sees nothing of org A through list endpoints and error
// messages, and that B's refused writes leave A's data unchanged.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/routes.h"
#include "api_harness.h"
#include "bundle_upload_helpers.h"

namespace weft::apitest {
namespace {

constexpr const char* kPassword = "correct horse battery";
// The id group every resource route uses (api/*_routes.cpp: kId).
const std::string kIdGroup = R"(([A-Za-z0-9_-]{1,128}))";
// The action-key group (a block id in /api/bundles/{id}/blocks/{key}: api/routes.h kKey).
const std::string kKeyGroup = R"(([A-Za-z0-9_.-]{1,160}))";
// The vendor of the bundles the matrix uploads (each upload a new version: the same one twice
// in one org is a 409).
constexpr const char* kMatrixVendor = "matrixco";

enum Principal { kAnonymous, kMemberA, kAdminA, kAdminB, kPlatform, kPrincipals };
const std::array<const char*, kPrincipals> kPrincipalNames = {"anonymous", "member of A", "admin of A",
                                                             "admin of B", "platform admin"};
const std::array<const char*, kPrincipals> kEmails = {"", "member-a@example.com", "admin-a@example.com",
                                                     "admin-b@example.com", "owner@example.com"};

// Thrown by helpers when setting up a request fails (reported as a test failure).
struct PrepareFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Reply must(Reply reply, int status, const std::string& what) {
  if (reply.status != status) {
    throw PrepareFailed(what + ": expected " + std::to_string(status) + ", got " + std::to_string(reply.status) +
                        " " + reply.text);
  }
  return reply;
}

// The shared world: one server, orgs A and B, the five principals' sessions.
struct World {
  WeftServer server;
  std::string org_a, org_b, org_p;
  std::array<std::string, kPrincipals> cookies;  // "" for anonymous
  std::atomic<int> counter{0};

  World() {
    must(server.setup(), 201, "setup");
    cookies[kPlatform] = server.login(kEmails[kPlatform]);
    if (cookies[kPlatform].empty()) throw PrepareFailed("platform admin login failed");
    org_p = must(server.request("GET", "/api/auth/me", as(kPlatform)), 200, "me")
                .body["activeOrg"]["id"].get<std::string>();
    org_a = create_org("Org A");
    org_b = create_org("Org B");
    for (Principal p : {kMemberA, kAdminA, kAdminB}) create_user(kEmails[p]);
    add_org_member(org_a, kEmails[kMemberA], "member");
    add_org_member(org_a, kEmails[kAdminA], "admin");
    add_org_member(org_b, kEmails[kAdminB], "admin");
    for (Principal p : {kMemberA, kAdminA, kAdminB}) {
      cookies[p] = server.login(kEmails[p]);
      if (cookies[p].empty()) throw PrepareFailed(std::string("login failed for ") + kEmails[p]);
    }
  }

  As as(Principal p) const { return p == kAnonymous ? As::anonymous() : As::session(cookies[p]); }
  std::string unique(const std::string& prefix) { return prefix + "-" + std::to_string(++counter); }

  std::string create_org(const std::string& name) {
    return must(server.request("POST", "/api/admin/orgs", as(kPlatform), json{{"name", name}}), 201, "create org")
        .body["id"];
  }
  // Returns the new user's id.
  std::string create_user(const std::string& email) {
    return must(server.request("POST", "/api/admin/users", as(kPlatform),
                               json{{"email", email}, {"password", kPassword}}),
                201, "create user " + email)
        .body["id"];
  }
  void add_org_member(const std::string& org, const std::string& email, const std::string& role) {
    must(server.request("POST", "/api/admin/orgs/" + org + "/members", as(kPlatform),
                        json{{"email", email}, {"role", role}}),
         201, "add " + email + " to " + org);
  }

  // --- Resources in org A, created by admin A. ---
  static json transform_workflow(const std::string& name, const std::string& trigger = "manual") {
    return json{{"name", name},
                {"trigger", {{"type", trigger}}},
                {"steps", {{{"id", "shape"}, {"action", "core.transform"}, {"inputs", {{"value", "ok"}}}}}}};
  }
  std::string workflow_in_a() {
    return must(server.request("POST", "/api/workflows", as(kAdminA), transform_workflow(unique("wf"))), 201,
                "create workflow in A")
        .body["id"];
  }
  // Returns the webhook path (/api/hooks/{id}/{secret}).
  std::string webhook_in_a() {
    return must(server.request("POST", "/api/workflows", as(kAdminA), transform_workflow(unique("hook"), "webhook")),
                201, "create webhook workflow in A")
        .body["webhook"]["path"];
  }
  std::string run_in_a() {
    const std::string wf = workflow_in_a();
    return must(server.request("POST", "/api/workflows/" + wf + "/runs", as(kAdminA), json::object()), 202,
                "start run in A")
        .body["runId"];
  }
  static json credential_body(const std::string& name) {
    return json{{"name", name}, {"provider", "slack"}, {"type", "bot_token"}, {"secret", {{"bot_token", "xoxb-matrix"}}}};
  }
  std::string credential_in_a() {
    return must(server.request("POST", "/api/credentials", as(kAdminA), credential_body(unique("cred"))), 201,
                "create credential in A")
        .body["id"];
  }
  std::string token_of_admin_a() {
    return must(server.request("POST", "/api/auth/tokens", as(kAdminA), json{{"name", unique("tok")}}), 201,
                "create token for admin A")
        .body["id"];
  }
  // A new user (not yet in any org); returns {id, email}.
  std::pair<std::string, std::string> fresh_user() {
    const std::string email = unique("user") + "@example.com";
    return {create_user(email), email};
  }
  // A new member of org A; returns the user id.
  std::string member_in_a() {
    auto [id, email] = fresh_user();
    add_org_member(org_a, email, "member");
    return id;
  }
  // A new version of kMatrixVendor's bundle, as a multipart upload body.
  MultipartBody next_bundle_upload() {
    return multipart_file("bundle", "matrixco.bundle.tar.gz",
                          bundle_archive(kMatrixVendor, "1.0." + std::to_string(++counter)));
  }
  // A bundle uploaded into org A by admin A (active); returns its id.
  std::string bundle_in_a() {
    const MultipartBody mp = next_bundle_upload();
    return must(server.request_raw("POST", "/api/bundle-upload", as(kAdminA), mp.body, mp.content_type), 201,
                "upload a bundle into A")
        .body["id"];
  }
  // An invitation into org A by admin A; returns {id, token}.
  std::pair<std::string, std::string> invitation_in_a(const std::string& email) {
    Reply r = must(server.request("POST", "/api/invitations", as(kAdminA), json{{"email", email}, {"role", "member"}}),
                   201, "invite into A");
    return {r.body["id"], r.body["token"]};
  }
};

struct Prepared {
  std::string path;
  std::optional<json> body;
  // When set, `raw` is sent as the body with this Content-Type instead of `body` (multipart).
  std::string content_type = "";
  std::string raw = "";
};

struct Row {
  std::string method;
  std::string pattern;  // exactly as in all_routes()
  std::function<Prepared(World&)> prepare;
  std::array<int, kPrincipals> expect;  // anonymous, member A, admin A, admin B, platform admin
  // Use a fresh login of the principal for this request (the request ends or changes its session).
  bool fresh_session = false;
};

// So that test listings print the route, not the Row's bytes.
void PrintTo(const Row& row, std::ostream* os) { *os << row.method << " " << row.pattern; }

Prepared path(std::string p, std::optional<json> body = std::nullopt) { return {std::move(p), std::move(body)}; }

// THE table. One row per route, keyed by method + pattern exactly as the server registers it.
const std::vector<Row>& table() {
  static const std::vector<Row> rows = [] {
    const std::string id = kIdGroup;
    //                         anon member adminA adminB platform
    constexpr std::array<int, kPrincipals> open200{200, 200, 200, 200, 200};
    constexpr std::array<int, kPrincipals> signed200{401, 200, 200, 200, 200};
    constexpr std::array<int, kPrincipals> signed201{401, 201, 201, 201, 201};
    constexpr std::array<int, kPrincipals> own_a_200{401, 200, 200, 404, 404};
    constexpr std::array<int, kPrincipals> admin_own_org_201{401, 403, 201, 201, 201};
    constexpr std::array<int, kPrincipals> admin_a_only_200{401, 403, 200, 404, 404};
    constexpr std::array<int, kPrincipals> admin_a_only_204{401, 403, 204, 404, 404};
    constexpr std::array<int, kPrincipals> platform200{401, 403, 403, 403, 200};
    constexpr std::array<int, kPrincipals> platform201{401, 403, 403, 403, 201};
    constexpr std::array<int, kPrincipals> admin_own_org_200{401, 403, 200, 200, 200};
    // Reaches the handler (the matrix bundle is active, not awaiting review: 409) only as platform admin.
    constexpr std::array<int, kPrincipals> platform409{401, 403, 403, 403, 409};
    std::vector<Row> r;

    r.push_back({"GET", "/api/health", [](World&) { return path("/api/health"); }, open200});
    r.push_back({"GET", "/api/ready", [](World&) { return path("/api/ready"); }, open200});
    r.push_back({"GET", "/metrics", [](World&) { return path("/metrics"); }, open200});

    // --- auth ---
    r.push_back({"POST", "/api/setup",
                 [](World& w) {
                   return path("/api/setup", json{{"email", w.unique("late") + "@example.com"},
                                                  {"password", kPassword},
                                                  {"orgName", "Late"}});
                 },
                 {409, 409, 409, 409, 409}});
    r.push_back({"POST", "/api/auth/login",
                 [](World&) {
                   return path("/api/auth/login", json{{"email", kEmails[kMemberA]}, {"password", kPassword}});
                 },
                 open200});
    r.push_back({"POST", "/api/auth/logout", [](World&) { return path("/api/auth/logout"); },
                 {401, 204, 204, 204, 204}, /*fresh_session=*/true});
    r.push_back({"GET", "/api/auth/me", [](World&) { return path("/api/auth/me"); }, signed200});
    // Switching to org A: B's admin is not a member (404, as for an unknown org); the platform
    // admin may enter any org.
    r.push_back({"POST", "/api/auth/switch-org",
                 [](World& w) { return path("/api/auth/switch-org", json{{"orgId", w.org_a}}); },
                 {401, 200, 200, 404, 200}, /*fresh_session=*/true});
    r.push_back({"POST", "/api/auth/tokens",
                 [](World& w) { return path("/api/auth/tokens", json{{"name", w.unique("tok")}}); }, signed201});
    r.push_back({"GET", "/api/auth/tokens", [](World&) { return path("/api/auth/tokens"); }, signed200});
    // A token belongs to its user: anyone else's id answers 404.
    r.push_back({"DELETE", "/api/auth/tokens/" + id,
                 [](World& w) { return path("/api/auth/tokens/" + w.token_of_admin_a()); },
                 {401, 404, 204, 404, 404}});

    // --- catalog ---
    r.push_back({"GET", "/api/catalog", [](World&) { return path("/api/catalog"); }, signed200});

    // --- credentials ---
    r.push_back({"GET", "/api/credentials", [](World&) { return path("/api/credentials"); }, signed200});
    r.push_back({"POST", "/api/credentials",
                 [](World& w) { return path("/api/credentials", World::credential_body(w.unique("cred"))); },
                 admin_own_org_201});
    r.push_back({"POST", "/api/credentials/" + id + "/rotate",
                 [](World& w) {
                   return path("/api/credentials/" + w.credential_in_a() + "/rotate",
                               json{{"secret", {{"bot_token", "xoxb-rotated"}}}});
                 },
                 admin_a_only_200});
    r.push_back({"DELETE", "/api/credentials/" + id,
                 [](World& w) { return path("/api/credentials/" + w.credential_in_a()); }, admin_a_only_204});

    // --- workflows ---
    r.push_back({"GET", "/api/workflows", [](World&) { return path("/api/workflows"); }, signed200});
    r.push_back({"POST", "/api/workflows",
                 [](World& w) { return path("/api/workflows", World::transform_workflow(w.unique("wf"))); },
                 signed201});
    r.push_back({"POST", "/api/workflows/validate",
                 [](World& w) { return path("/api/workflows/validate", World::transform_workflow(w.unique("wf"))); },
                 signed200});
    r.push_back({"GET", "/api/workflows/" + id,
                 [](World& w) { return path("/api/workflows/" + w.workflow_in_a()); }, own_a_200});
    r.push_back({"PUT", "/api/workflows/" + id,
                 [](World& w) {
                   return path("/api/workflows/" + w.workflow_in_a(), World::transform_workflow(w.unique("renamed")));
                 },
                 own_a_200});
    r.push_back({"DELETE", "/api/workflows/" + id,
                 [](World& w) { return path("/api/workflows/" + w.workflow_in_a()); }, {401, 204, 204, 404, 404}});
    r.push_back({"POST", "/api/workflows/" + id + "/runs",
                 [](World& w) { return path("/api/workflows/" + w.workflow_in_a() + "/runs", json::object()); },
                 {401, 202, 202, 404, 404}});
    r.push_back({"POST", "/api/workflows/" + id + "/webhook/rotate",
                 [](World& w) {
                   const std::string hook = w.webhook_in_a();  // /api/hooks/{id}/{secret}
                   const std::string wf = hook.substr(11, hook.find('/', 11) - 11);
                   return path("/api/workflows/" + wf + "/webhook/rotate");
                 },
                 own_a_200});
    // A manual workflow: the member's own org gets past access to 400 (not a bundle trigger).
    r.push_back({"POST", "/api/workflows/" + id + "/poll",
                 [](World& w) { return path("/api/workflows/" + w.workflow_in_a() + "/poll"); },
                 {401, 400, 400, 404, 404}});

    // --- runs ---
    r.push_back({"GET", "/api/runs", [](World&) { return path("/api/runs"); }, signed200});
    r.push_back({"GET", "/api/runs/" + id, [](World& w) { return path("/api/runs/" + w.run_in_a()); }, own_a_200});
    r.push_back({"POST", "/api/runs/" + id + "/cancel",
                 [](World& w) { return path("/api/runs/" + w.run_in_a() + "/cancel"); }, own_a_200});
    r.push_back({"GET", "/api/runs/" + id + "/events",
                 [](World& w) { return path("/api/runs/" + w.run_in_a() + "/events"); }, own_a_200});

    // --- webhooks: the secret in the path is the capability, whoever calls ---
    r.push_back({"POST", "/api/hooks/" + id + "/" + id,
                 [](World& w) { return path(w.webhook_in_a(), json{{"hello", "matrix"}}); },
                 {202, 202, 202, 202, 202}});

    // --- members ---
    r.push_back({"GET", "/api/members", [](World&) { return path("/api/members"); }, signed200});
    // Replaced by invitations: 410 for whoever may manage members, whatever the email.
    r.push_back({"POST", "/api/members",
                 [](World& w) {
                   return path("/api/members", json{{"email", w.fresh_user().second}, {"role", "member"}});
                 },
                 {401, 403, 410, 410, 410}});
    r.push_back({"DELETE", "/api/members/" + id, [](World& w) { return path("/api/members/" + w.member_in_a()); },
                 admin_a_only_204});

    // --- invitations: admins invite into their own org; the token, not a role, admits ---
    r.push_back({"POST", "/api/invitations",
                 [](World& w) {
                   return path("/api/invitations", json{{"email", w.unique("invitee") + "@example.com"}, {"role", "member"}});
                 },
                 admin_own_org_201});
    r.push_back({"GET", "/api/invitations", [](World&) { return path("/api/invitations"); },
                 {401, 403, 200, 200, 200}});
    r.push_back({"DELETE", "/api/invitations/" + id,
                 [](World& w) { return path("/api/invitations/" + w.invitation_in_a(w.unique("revoked") + "@example.com").first); },
                 admin_a_only_204});
    // Anonymous with a password: the invited account is created. Signed in as anyone else: 403.
    r.push_back({"POST", "/api/invitations/accept",
                 [](World& w) {
                   const std::string token = w.invitation_in_a(w.unique("joiner") + "@example.com").second;
                   return path("/api/invitations/accept", json{{"token", token}, {"password", kPassword}});
                 },
                 {200, 403, 403, 403, 403}});

    // --- platform administration ---
    r.push_back({"GET", "/api/admin/orgs", [](World&) { return path("/api/admin/orgs"); }, platform200});
    r.push_back({"POST", "/api/admin/orgs",
                 [](World& w) { return path("/api/admin/orgs", json{{"name", w.unique("Org")}}); }, platform201});
    r.push_back({"POST", "/api/admin/orgs/" + id + "/members",
                 [](World& w) {
                   return path("/api/admin/orgs/" + w.org_a + "/members",
                               json{{"email", w.fresh_user().second}, {"role", "member"}});
                 },
                 platform201});
    r.push_back({"POST", "/api/admin/users",
                 [](World& w) {
                   return path("/api/admin/users",
                               json{{"email", w.unique("new") + "@example.com"}, {"password", kPassword}});
                 },
                 platform201});

    // --- execution policy: members read their org's; platform admins read and set any org's ---
    r.push_back({"GET", "/api/execution-policy", [](World&) { return path("/api/execution-policy"); }, signed200});
    r.push_back({"GET", "/api/admin/orgs/" + id + "/execution-policy",
                 [](World& w) { return path("/api/admin/orgs/" + w.org_a + "/execution-policy"); }, platform200});
    r.push_back({"PUT", "/api/admin/orgs/" + id + "/execution-policy",
                 [](World& w) {
                   return path("/api/admin/orgs/" + w.org_a + "/execution-policy",
                               json{{"maxConcurrentExecutions", 4}});
                 },
                 platform200});

    // --- custom integration bundles (issue 9). Uploading needs an org admin (checked in the
    // handler, after the route's body limit); org B's admin and the platform admin upload into
    // their own orgs. Another org's bundle id answers 404. ---
    r.push_back({"POST", "/api/bundle-upload",
                 [](World& w) {
                   const MultipartBody mp = w.next_bundle_upload();
                   return Prepared{"/api/bundle-upload", std::nullopt, mp.content_type, mp.body};
                 },
                 admin_own_org_201});
    r.push_back({"GET", "/api/bundles", [](World&) { return path("/api/bundles"); }, signed200});
    r.push_back({"GET", "/api/bundles/" + id, [](World& w) { return path("/api/bundles/" + w.bundle_in_a()); },
                 own_a_200});
    // The review (issue 11): an admin of the org, or a platform admin (whose active org is its
    // own: A's bundle is unknown there).
    r.push_back({"GET", "/api/bundles/" + id + "/review",
                 [](World& w) { return path("/api/bundles/" + w.bundle_in_a() + "/review"); }, admin_a_only_200});
    r.push_back({"POST", "/api/bundles/" + id + "/enable",
                 [](World& w) { return path("/api/bundles/" + w.bundle_in_a() + "/enable"); }, admin_a_only_200});
    r.push_back({"POST", "/api/bundles/" + id + "/disable",
                 [](World& w) { return path("/api/bundles/" + w.bundle_in_a() + "/disable"); }, admin_a_only_200});
    r.push_back({"DELETE", "/api/bundles/" + id, [](World& w) { return path("/api/bundles/" + w.bundle_in_a()); },
                 admin_a_only_204});
    r.push_back({"PUT", "/api/bundles/" + id + "/blocks/" + kKeyGroup,
                 [](World& w) {
                   return path("/api/bundles/" + w.bundle_in_a() + "/blocks/" + kMatrixVendor + ".ping",
                               json{{"enabled", false}});
                 },
                 admin_a_only_200});
    r.push_back({"GET", "/api/schemas/manifest.json", [](World&) { return path("/api/schemas/manifest.json"); },
                 open200});

    // --- governance (issue 11): policies (members read their org's, org admins tighten it,
    // platform admins set any org's and the default), the review of uploads, the audit log ---
    r.push_back({"GET", "/api/policies/" + id, [](World&) { return path("/api/policies/governance"); }, signed200});
    r.push_back({"PUT", "/api/policies/" + id,
                 [](World&) { return path("/api/policies/governance", json{{"blockedVendorIds", {"matrix-nobody"}}}); },
                 admin_own_org_200});
    r.push_back({"GET", "/api/admin/orgs/" + id + "/policies/" + id,
                 [](World& w) { return path("/api/admin/orgs/" + w.org_a + "/policies/dependency"); }, platform200});
    r.push_back({"PUT", "/api/admin/orgs/" + id + "/policies/" + id,
                 [](World& w) {
                   return path("/api/admin/orgs/" + w.org_a + "/policies/dependency", json{{"maxRisk", "critical"}});
                 },
                 platform200});
    r.push_back({"GET", "/api/admin/policies/" + id, [](World&) { return path("/api/admin/policies/execution"); },
                 platform200});
    r.push_back({"PUT", "/api/admin/policies/" + id,
                 [](World&) { return path("/api/admin/policies/execution", json{{"maxConcurrentExecutions", 8}}); },
                 platform200});
    r.push_back({"GET", "/api/schemas/policies/" + kKeyGroup,
                 [](World&) { return path("/api/schemas/policies/dependency.json"); }, open200});
    r.push_back({"POST", "/api/admin/bundles/" + id + "/approve",
                 [](World& w) { return path("/api/admin/bundles/" + w.bundle_in_a() + "/approve"); }, platform409});
    r.push_back({"POST", "/api/admin/bundles/" + id + "/reject",
                 [](World& w) { return path("/api/admin/bundles/" + w.bundle_in_a() + "/reject", json{{"reason", "no"}}); },
                 platform409});
    r.push_back({"GET", "/api/audit", [](World&) { return path("/api/audit"); }, admin_own_org_200});

    // --- the advisory database (issue 11): platform admins only ---
    r.push_back({"POST", "/api/admin/advisories",
                 [](World& w) {
                   return path("/api/admin/advisories",
                               json{{"id", w.unique("GHSA-matrix")},
                                    {"modified", "2024-01-01T00:00:00Z"},
                                    {"affected", json::array({{{"package", {{"ecosystem", "npm"}, {"name", "matrix-pkg"}}},
                                                               {"versions", json::array({"1.0.0"})}}})}});
                 },
                 platform200});
    r.push_back({"GET", "/api/admin/advisories", [](World&) { return path("/api/admin/advisories?package=matrix-pkg"); },
                 platform200});
    return r;
  }();
  return rows;
}

std::string route_key(const std::string& method, const std::string& pattern) { return method + " " + pattern; }

// --- The table covers the server's routes exactly. -------------------------------------------

TEST(RouteTable, EveryRouteHasExactlyOneRow) {
  std::map<std::string, int> rows;
  for (const Row& row : table()) ++rows[route_key(row.method, row.pattern)];
  std::map<std::string, int> routes;
  for (const auto& route : api::all_routes()) ++routes[route_key(route.method, route.pattern)];

  for (const auto& [key, n] : routes) {
    EXPECT_EQ(n, 1) << "route registered " << n << " times: " << key;
    EXPECT_EQ(rows.count(key) ? rows[key] : 0, 1)
        << "route without exactly one row in authz_matrix_test.cpp's table(): " << key;
  }
  for (const auto& [key, n] : rows) {
    EXPECT_TRUE(routes.count(key)) << "row names no route of api::all_routes(): " << key;
    EXPECT_EQ(n, 1) << "duplicate row: " << key;
  }
  EXPECT_EQ(table().size(), api::all_routes().size());
}

// --- The matrix itself. ----------------------------------------------------------------------

class ServerWorld : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = std::make_unique<World>(); }
  static void TearDownTestSuite() { world_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(world_) << "the shared server did not start";
    // The shared sessions are still who we think they are.
    for (Principal p : {kMemberA, kAdminA, kAdminB, kPlatform}) {
      Reply me = world_->server.request("GET", "/api/auth/me", world_->as(p));
      ASSERT_EQ(me.status, 200) << kPrincipalNames[p] << ": " << me.text;
      ASSERT_EQ(me.body["user"]["email"], kEmails[p]);
    }
  }

  static std::unique_ptr<World> world_;
};
std::unique_ptr<World> ServerWorld::world_;

class AuthzMatrix : public ServerWorld, public ::testing::WithParamInterface<Row> {};

TEST_F(ServerWorld, PrincipalsAreWhoTheMatrixAssumes) {
  World& w = *world_;
  auto active = [&](Principal p) { return w.server.request("GET", "/api/auth/me", w.as(p)).body["activeOrg"]; };
  EXPECT_EQ(active(kMemberA)["id"], w.org_a);
  EXPECT_EQ(active(kMemberA)["role"], "member");
  EXPECT_EQ(active(kAdminA)["id"], w.org_a);
  EXPECT_EQ(active(kAdminA)["role"], "admin");
  EXPECT_EQ(active(kAdminB)["id"], w.org_b);
  EXPECT_EQ(active(kAdminB)["role"], "admin");
  EXPECT_EQ(active(kPlatform)["id"], w.org_p);
  EXPECT_NE(w.org_p, w.org_a);
  EXPECT_NE(w.org_p, w.org_b);
  EXPECT_EQ(w.server.request("GET", "/api/auth/me", w.as(kPlatform)).body["user"]["platformAdmin"], true);
}

TEST_P(AuthzMatrix, EachPrincipalGetsTheExpectedStatus) {
  const Row& row = GetParam();
  World& w = *world_;
  for (int i = 0; i < kPrincipals; ++i) {
    const auto p = static_cast<Principal>(i);
    SCOPED_TRACE(row.method + " " + row.pattern + " as " + kPrincipalNames[p]);
    Prepared req;
    try {
      req = row.prepare(w);
    } catch (const PrepareFailed& e) {
      ADD_FAILURE() << "prepare failed: " << e.what();
      continue;
    }
    As as = w.as(p);
    if (row.fresh_session && p != kAnonymous) {
      as = As::session(w.server.login(kEmails[p]));
      ASSERT_FALSE(as.cookie.empty()) << "fresh login failed";
    }
    Reply reply = req.content_type.empty() ? w.server.request(row.method, req.path, as, req.body)
                                           : w.server.request_raw(row.method, req.path, as, req.raw, req.content_type);
    EXPECT_EQ(reply.status, row.expect[p]) << req.path << "\n" << reply.text;
    if (reply.status >= 400 && reply.status < 500) {
      EXPECT_TRUE(reply.is_json_error()) << "4xx without a JSON error body: " << reply.text;
      EXPECT_NE(reply.header("Content-Type").find("application/json"), std::string::npos);
      // A 409 is setup_done (setup routes) or, for the review routes, not_pending_review: the
      // caller got through authorization to the bundle's state.
      const bool review_route = row.pattern.find("/api/admin/bundles/") == 0;
      const std::map<int, std::string> codes = {{401, "unauthorized"}, {403, "forbidden"}, {404, "not_found"},
                                                {409, review_route ? "not_pending_review" : "setup_done"}};
      if (codes.count(reply.status)) {
        EXPECT_EQ(reply.error_code(), codes.at(reply.status)) << reply.text;
      }
    } else if (reply.status >= 200 && reply.status < 300 && reply.status != 204 &&
               reply.header("Content-Type") == "application/json") {
      EXPECT_TRUE(reply.body.is_object()) << reply.text;
    }
  }
}

std::string row_name(const ::testing::TestParamInfo<Row>& info) {
  std::string name = info.param.method + "_" + info.param.pattern;
  const std::string group = kIdGroup;
  for (auto pos = name.find(group); pos != std::string::npos; pos = name.find(group)) name.replace(pos, group.size(), "ID");
  for (auto pos = name.find(kKeyGroup); pos != std::string::npos; pos = name.find(kKeyGroup)) {
    name.replace(pos, kKeyGroup.size(), "KEY");
  }
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Routes, AuthzMatrix, ::testing::ValuesIn(table()), row_name);

// --- Tenant isolation: B never sees, runs or infers A's workflows, runs or credentials. --------

class TenantIsolation : public ServerWorld {};

TEST_F(TenantIsolation, ListsShowOnlyTheCallersOrg) {
  World& w = *world_;
  const std::string wf_a = w.workflow_in_a();
  const std::string run_a = w.run_in_a();
  const std::string cred_a = w.credential_in_a();
  const As b = w.as(kAdminB);
  const std::string wf_b =
      must(w.server.request("POST", "/api/workflows", b, World::transform_workflow("B's own")), 201, "wf in B").body["id"];
  const std::string run_b =
      must(w.server.request("POST", "/api/workflows/" + wf_b + "/runs", b, json::object()), 202, "run in B")
          .body["runId"];
  const std::string cred_b =
      must(w.server.request("POST", "/api/credentials", b, World::credential_body("B's cred")), 201, "cred in B")
          .body["id"];

  auto ids = [](const json& list) {
    std::vector<std::string> out;
    for (const auto& item : list) out.push_back(item["id"]);
    return out;
  };
  const std::vector<std::string> only_wf_b{wf_b}, only_run_b{run_b}, only_cred_b{cred_b};

  Reply workflows = w.server.request("GET", "/api/workflows", b);
  ASSERT_EQ(workflows.status, 200) << workflows.text;
  EXPECT_EQ(ids(workflows.body["workflows"]), only_wf_b) << workflows.text;
  Reply runs = w.server.request("GET", "/api/runs", b);
  ASSERT_EQ(runs.status, 200) << runs.text;
  EXPECT_EQ(ids(runs.body["runs"]), only_run_b) << runs.text;
  Reply creds = w.server.request("GET", "/api/credentials", b);
  ASSERT_EQ(creds.status, 200) << creds.text;
  EXPECT_EQ(ids(creds.body["credentials"]), only_cred_b) << creds.text;
  Reply members = w.server.request("GET", "/api/members", b);
  ASSERT_EQ(members.status, 200);
  ASSERT_EQ(members.body["members"].size(), 1u) << members.text;
  EXPECT_EQ(members.body["members"][0]["email"], kEmails[kAdminB]);
  const std::string inv_a = w.invitation_in_a(w.unique("listed") + "@example.com").first;
  Reply invitations = w.server.request("GET", "/api/invitations", b);
  ASSERT_EQ(invitations.status, 200) << invitations.text;
  for (const auto& inv : invitations.body["invitations"]) EXPECT_NE(inv["id"], inv_a) << invitations.text;

  // Filtering by A's workflow, or paging from A's run, yields nothing of A.
  Reply by_wf = w.server.request("GET", "/api/runs?workflowId=" + wf_a, b);
  ASSERT_EQ(by_wf.status, 200) << by_wf.text;
  EXPECT_TRUE(by_wf.body["runs"].empty()) << by_wf.text;
  Reply by_cursor = w.server.request("GET", "/api/runs?cursor=" + run_a, b);
  ASSERT_EQ(by_cursor.status, 200) << by_cursor.text;
  for (const auto& run : by_cursor.body["runs"]) EXPECT_EQ(run["workflowId"], wf_b) << by_cursor.text;

  // A's own view is unaffected and does not contain B's.
  Reply a_workflows = w.server.request("GET", "/api/workflows", w.as(kMemberA));
  for (const auto& wf : a_workflows.body["workflows"]) EXPECT_NE(wf["id"], wf_b);
  Reply a_creds = w.server.request("GET", "/api/credentials", w.as(kMemberA));
  for (const auto& c : a_creds.body["credentials"]) EXPECT_NE(c["id"], cred_b);

  // Nor through an API token of B's admin (bound to B).
  const std::string token =
      must(w.server.request("POST", "/api/auth/tokens", b, json{{"name", "script"}}), 201, "token").body["token"];
  Reply via_token = w.server.request("GET", "/api/workflows", As::bearer(token));
  EXPECT_EQ(ids(via_token.body["workflows"]), only_wf_b);
  EXPECT_EQ(w.server.request("GET", "/api/workflows/" + wf_a, As::bearer(token)).status, 404);
  EXPECT_EQ(w.server.request("GET", "/api/runs/" + run_a, As::bearer(token)).status, 404);
}

TEST_F(TenantIsolation, ForeignIdsAreIndistinguishableFromUnknownIds) {
  World& w = *world_;
  const std::string wf_a = w.workflow_in_a();
  const std::string run_a = w.run_in_a();
  const std::string cred_a = w.credential_in_a();
  const std::string member_a = w.member_in_a();
  const std::string inv_a = w.invitation_in_a(w.unique("kept") + "@example.com").first;
  const std::string bundle_a = w.bundle_in_a();
  const As b = w.as(kAdminB);

  struct Probe {
    std::string method, foreign, unknown;
    std::optional<json> body = std::nullopt;
  };
  const std::vector<Probe> probes = {
      {"GET", "/api/workflows/" + wf_a, "/api/workflows/wf_doesnotexist"},
      {"PUT", "/api/workflows/" + wf_a, "/api/workflows/wf_doesnotexist", World::transform_workflow("stolen")},
      {"DELETE", "/api/workflows/" + wf_a, "/api/workflows/wf_doesnotexist"},
      {"POST", "/api/workflows/" + wf_a + "/runs", "/api/workflows/wf_doesnotexist/runs", json::object()},
      {"POST", "/api/workflows/" + wf_a + "/webhook/rotate", "/api/workflows/wf_doesnotexist/webhook/rotate"},
      {"POST", "/api/workflows/" + wf_a + "/poll", "/api/workflows/wf_doesnotexist/poll"},
      {"GET", "/api/workflows/" + wf_a + "?version=1", "/api/workflows/wf_doesnotexist?version=1"},
      {"GET", "/api/runs/" + run_a, "/api/runs/run_doesnotexist"},
      {"POST", "/api/runs/" + run_a + "/cancel", "/api/runs/run_doesnotexist/cancel"},
      {"GET", "/api/runs/" + run_a + "/events", "/api/runs/run_doesnotexist/events"},
      {"POST", "/api/credentials/" + cred_a + "/rotate", "/api/credentials/cred_doesnotexist/rotate",
       json{{"secret", {{"bot_token", "xoxb-stolen"}}}}},
      {"DELETE", "/api/credentials/" + cred_a, "/api/credentials/cred_doesnotexist"},
      {"DELETE", "/api/credentials/" + cred_a + "?force=true", "/api/credentials/cred_doesnotexist?force=true"},
      {"DELETE", "/api/members/" + member_a, "/api/members/usr_doesnotexist"},
      {"DELETE", "/api/invitations/" + inv_a, "/api/invitations/inv_doesnotexist"},
      {"POST", "/api/auth/switch-org", "/api/auth/switch-org"},
      {"GET", "/api/bundles/" + bundle_a, "/api/bundles/bun_doesnotexist"},
      {"GET", "/api/bundles/" + bundle_a + "/review", "/api/bundles/bun_doesnotexist/review"},
      {"POST", "/api/bundles/" + bundle_a + "/enable", "/api/bundles/bun_doesnotexist/enable"},
      {"POST", "/api/bundles/" + bundle_a + "/disable", "/api/bundles/bun_doesnotexist/disable"},
      {"PUT", "/api/bundles/" + bundle_a + "/blocks/matrixco.ping", "/api/bundles/bun_doesnotexist/blocks/matrixco.ping",
       json{{"enabled", false}}},
      {"DELETE", "/api/bundles/" + bundle_a + "?force=true", "/api/bundles/bun_doesnotexist?force=true"},
  };
  for (const auto& probe : probes) {
    SCOPED_TRACE(probe.method + " " + probe.foreign);
    std::optional<json> body = probe.body;
    std::optional<json> unknown_body = probe.body;
    if (probe.foreign == "/api/auth/switch-org") {
      body = json{{"orgId", w.org_a}};
      unknown_body = json{{"orgId", "org_doesnotexist"}};
    }
    Reply foreign = w.server.request(probe.method, probe.foreign, b, body);
    Reply unknown = w.server.request(probe.method, probe.unknown, b, unknown_body);
    EXPECT_EQ(foreign.status, 404) << foreign.text;
    EXPECT_EQ(unknown.status, 404) << unknown.text;
    EXPECT_EQ(foreign.body, unknown.body) << "a foreign id answers differently from an unknown one";
  }

  // A workflow of B cannot name A's credential, and cannot tell it exists.
  auto with_credential = [](const std::string& cred) {
    return json{{"name", "uses foreign cred"},
                {"steps", {{{"id", "notify"}, {"action", "slack.sendMessage"}, {"credential", cred},
                            {"inputs", {{"channel", "#x"}, {"text", "hi"}}}}}}};
  };
  for (const char* route : {"/api/workflows/validate", "/api/workflows"}) {
    Reply foreign = w.server.request("POST", route, b, with_credential(cred_a));
    Reply unknown = w.server.request("POST", route, b, with_credential("cred_doesnotexist"));
    EXPECT_EQ(foreign.status, 400) << foreign.text;
    EXPECT_EQ(unknown.status, 400) << unknown.text;
    EXPECT_TRUE(foreign.is_json_error());
    std::string redacted = foreign.text;
    for (auto pos = redacted.find(cred_a); pos != std::string::npos; pos = redacted.find(cred_a))
      redacted.replace(pos, cred_a.size(), "cred_doesnotexist");
    EXPECT_EQ(redacted, unknown.text) << "foreign credential id answers differently from an unknown one";
  }

  // Nothing of A changed: A's workflow (version 1), run, credential and member are all there.
  const As a = w.as(kAdminA);
  Reply wf = w.server.request("GET", "/api/workflows/" + wf_a, a);
  EXPECT_EQ(wf.status, 200);
  EXPECT_EQ(wf.body["version"], 1) << wf.text;
  EXPECT_EQ(w.server.request("GET", "/api/runs/" + run_a, a).status, 200);
  Reply runs = w.server.request("GET", "/api/runs?workflowId=" + wf_a, a);
  EXPECT_TRUE(runs.body["runs"].empty()) << "B started a run of A's workflow: " << runs.text;
  bool cred_there = false;
  const Reply creds = w.server.request("GET", "/api/credentials", a);
  for (const auto& c : creds.body["credentials"]) {
    if (c["id"] == cred_a) {
      cred_there = true;
      EXPECT_EQ(c["createdAt"], c["updatedAt"]) << "B rotated A's credential";
    }
  }
  EXPECT_TRUE(cred_there) << creds.text;
  bool member_there = false;
  const Reply members = w.server.request("GET", "/api/members", a);
  for (const auto& m : members.body["members"]) member_there |= m["userId"] == member_a;
  EXPECT_TRUE(member_there) << members.text;
  bool invitation_there = false;
  const Reply invitations = w.server.request("GET", "/api/invitations", a);
  for (const auto& inv : invitations.body["invitations"]) invitation_there |= inv["id"] == inv_a;
  EXPECT_TRUE(invitation_there) << invitations.text;
  const Reply bundle = w.server.request("GET", "/api/bundles/" + bundle_a, a);
  EXPECT_EQ(bundle.status, 200) << bundle.text;
  EXPECT_EQ(bundle.body["status"], "active") << "B changed A's bundle: " << bundle.text;
  EXPECT_TRUE(bundle.body["disabledBlocks"].empty()) << bundle.text;
}

TEST_F(TenantIsolation, PlatformAdminActsInItsOwnOrgUnlessItSwitches) {
  World& w = *world_;
  const std::string wf_a = w.workflow_in_a();
  const As p = w.as(kPlatform);
  Reply list = w.server.request("GET", "/api/workflows", p);
  ASSERT_EQ(list.status, 200);
  for (const auto& wf : list.body["workflows"]) EXPECT_NE(wf["id"], wf_a);
  EXPECT_EQ(w.server.request("GET", "/api/workflows/" + wf_a, p).status, 404);
}

}  // namespace
}  // namespace weft::apitest
