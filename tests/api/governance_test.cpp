// Issue 11 "Must show", the policy rules at each enforcement point, against the real `weft serve`:
// upload (403 when org uploads are off), activation (a disallowed capability; pending review →
// approve / reject), the catalog view (a blocked vendor's tools gone, a scope not allowed), run
// time (vendor_blocked naming the policy), the tighten-only rule for org admins, and the audit log.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "bundle_upload_helpers.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

// A bundle of `vendor` whose manifest declares `capabilities`.
std::string archive_with_capabilities(const std::string& vendor, const json& capabilities,
                                      const std::string& version = "1.0.0") {
  auto entries = bundle_entries(vendor, version);
  edit_manifest(entries, [&](json& m) { m["capabilities"] = capabilities; });
  return testing::build_tar_gz(entries);
}

// A bundle of `vendor` at `version` with the tools `tools` (each answering {status: "ok"}).
std::string archive_with_tools(const std::string& vendor, const std::string& version,
                               const std::vector<std::string>& tools) {
  auto entries = bundle_entries(vendor, version);
  std::string code = "export default defineVendor({\n  id: \"" + vendor + "\",\n  tools: {\n";
  edit_manifest(entries, [&](json& m) {
    const json first = m["products"][0]["blocks"][0];
    m["products"][0]["blocks"] = json::array();
    for (const auto& t : tools) {
      json b = first;
      b["id"] = vendor + "." + t;
      b["name"] = t;
      m["products"][0]["blocks"].push_back(b);
    }
  });
  for (const auto& t : tools) code += "    \"" + vendor + "." + t + "\": async () => ({ status: \"ok\" }),\n";
  code += "  },\n});\n";
  entry_at(entries, "dist/index.js").content = code;
  return testing::build_tar_gz(entries);
}

// A bundle of `vendor` whose SBOM lists `components` (CycloneDX component objects).
std::string archive_with_components(const std::string& vendor, const json& components,
                                    const std::string& version = "1.0.0") {
  auto entries = bundle_entries(vendor, version);
  auto& sbom = entry_at(entries, "meta/sbom.cdx.json");
  json doc = json::parse(sbom.content);
  doc["components"] = components;
  sbom.content = doc.dump(2);
  return testing::build_tar_gz(entries);
}

json npm_component(const std::string& name, const std::string& version, const std::string& license = "MIT") {
  json c = {{"type", "library"}, {"name", name}, {"version", version}, {"purl", "pkg:npm/" + name + "@" + version}};
  if (!license.empty()) c["licenses"] = json::array({{{"license", {{"id", license}}}}});
  return c;
}

// The shape of GitHub's advisory for lodash's prototype pollution, as OSV.
json lodash_advisory() {
  return {{"schema_version", "1.4.0"},
          {"id", "GHSA-jf85-cpcp-j695"},
          {"modified", "2024-01-01T00:00:00Z"},
          {"aliases", {"CVE-2019-10744"}},
          {"summary", "Prototype Pollution in lodash"},
          {"affected",
           {{{"package", {{"ecosystem", "npm"}, {"name", "lodash"}, {"purl", "pkg:npm/lodash"}}},
             {"ranges", {{{"type", "SEMVER"}, {"events", {{{"introduced", "0"}}, {{"fixed", "4.17.21"}}}}}}}}}},
          {"database_specific", {{"severity", "HIGH"}}}};
}

class Governance : public ::testing::Test {
 protected:
  void SetUp() override { t_ = std::make_unique<Tenants>(s_); }

  std::string upload(const As& as, const std::string& archive, const std::string& query = "",
                     const std::string& want_status = "active") {
    const Reply r = upload_bundle(s_, as, archive, query);
    EXPECT_EQ(r.status, 201) << r.text;
    EXPECT_EQ(r.body.value("status", ""), want_status) << r.text;
    return r.body.value("id", "");
  }
  Reply put(const std::string& path, const As& as, const json& body) { return s_.request("PUT", path, as, body); }
  std::string admin_policy(const std::string& org, const std::string& kind) {
    return "/api/admin/orgs/" + org + "/policies/" + kind;
  }
  // The audit events `as` may read, newest first.
  json audit(const As& as, const std::string& query = "") {
    Reply r = s_.request("GET", "/api/audit" + query, as);
    EXPECT_EQ(r.status, 200) << r.text;
    return r.body.value("events", json::array());
  }
  json wait_run(const As& as, const std::string& id) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      Reply r = s_.request("GET", "/api/runs/" + id, as);
      const std::string status = r.body.value("status", "");
      if (status == "succeeded" || status == "failed" || status == "cancelled") return r.body;
      std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "run " << id << " did not finish";
    return json::object();
  }

  WeftServer s_;
  std::unique_ptr<Tenants> t_;
};

TEST_F(Governance, UploadIsRefusedWhenTheOrgMayNotUploadAndOrgAdminsCannotTurnItBackOn) {
  ASSERT_EQ(put(admin_policy(t_->org_a, "governance"), t_->platform, {{"allowOrgUploads", false}}).status, 200);
  const Reply refused = upload_bundle(s_, t_->admin_a, bundle_archive("zorp"));
  EXPECT_EQ(refused.status, 403) << refused.text;
  EXPECT_EQ(refused.body["error"]["code"], "uploads_not_allowed");
  EXPECT_NE(refused.body["error"]["message"].get<std::string>().find("allowOrgUploads"), std::string::npos);
  EXPECT_EQ(bundle_row_count(s_), 0);

  // The org admin may read the policy but not loosen it.
  Reply mine = s_.request("GET", "/api/policies/governance", t_->admin_a);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body["allowOrgUploads"], false);
  EXPECT_EQ(mine.body["platform"]["allowOrgUploads"], false);
  Reply loosen = put("/api/policies/governance", t_->admin_a, {{"allowOrgUploads", true}});
  EXPECT_EQ(loosen.status, 403) << loosen.text;
  EXPECT_EQ(loosen.body["error"]["code"], "policy_loosened");
  EXPECT_EQ(loosen.body["error"]["details"][0]["field"], "allowOrgUploads");
  // A member may read it but not write it, even to tighten.
  EXPECT_EQ(s_.request("GET", "/api/policies/governance", t_->member_a).status, 200);
  EXPECT_EQ(put("/api/policies/governance", t_->member_a, {{"blockedVendorIds", {"x"}}}).status, 403);

  // Org B is untouched.
  upload(t_->admin_b, bundle_archive("zorp"));
}

TEST_F(Governance, UploadsAwaitApprovalThenApproveActivatesAndRejectRemoves) {
  ASSERT_EQ(put(admin_policy(t_->org_a, "governance"), t_->platform, {{"requireApprovalForUploads", true}}).status, 200);
  // The org admin cannot drop the requirement.
  EXPECT_EQ(put("/api/policies/governance", t_->admin_a, {{"requireApprovalForUploads", false}}).status, 403);

  const std::string pending = upload(t_->admin_a, bundle_archive("zorp"), "", "pending_review");
  EXPECT_FALSE(catalog_has(s_, t_->admin_a, "zorp.ping"));
  Reply early = s_.request("POST", "/api/bundles/" + pending + "/enable", t_->admin_a);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.body["error"]["code"], "bundle_pending_review");
  // Only a platform admin reviews.
  EXPECT_EQ(s_.request("POST", "/api/admin/bundles/" + pending + "/approve", t_->admin_a).status, 403);
  EXPECT_EQ(s_.request("POST", "/api/admin/bundles/" + pending + "/approve", t_->member_a).status, 403);

  Reply approved = s_.request("POST", "/api/admin/bundles/" + pending + "/approve", t_->platform);
  ASSERT_EQ(approved.status, 200) << approved.text;
  EXPECT_EQ(approved.body["status"], "active");
  EXPECT_TRUE(catalog_has(s_, t_->admin_a, "zorp.ping"));
  Reply again = s_.request("POST", "/api/admin/bundles/" + pending + "/approve", t_->platform);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["error"]["code"], "not_pending_review");

  // Uploaded with activate=false: approval leaves it disabled.
  const std::string quiet = upload(t_->admin_a, bundle_archive("zorp", "1.1.0"), "?activate=false", "pending_review");
  Reply kept_off = s_.request("POST", "/api/admin/bundles/" + quiet + "/approve", t_->platform);
  ASSERT_EQ(kept_off.status, 200);
  EXPECT_EQ(kept_off.body["status"], "disabled");

  // Reject: the reason is required; the record and blob are removed; the reason is audited.
  const std::string bad = upload(t_->admin_a, bundle_archive("zorp", "2.0.0"), "", "pending_review");
  const auto blobs_before = blob_files(s_).size();
  EXPECT_EQ(s_.request("POST", "/api/admin/bundles/" + bad + "/reject", t_->platform, json::object()).status, 400);
  EXPECT_EQ(s_.request("POST", "/api/admin/bundles/" + bad + "/reject", t_->platform,
                       json{{"reason", "x"}, {"extra", 1}})
                .status,
            400);
  Reply rejected = s_.request("POST", "/api/admin/bundles/" + bad + "/reject", t_->platform,
                              json{{"reason", "calls an unvetted host"}});
  ASSERT_EQ(rejected.status, 200) << rejected.text;
  EXPECT_EQ(s_.request("GET", "/api/bundles/" + bad, t_->admin_a).status, 404);
  EXPECT_EQ(blob_files(s_).size(), blobs_before - 1);
  EXPECT_EQ(s_.request("POST", "/api/admin/bundles/" + bad + "/reject", t_->platform, json{{"reason", "again"}}).status,
            404);

  const json events = audit(t_->admin_a);
  bool found = false;
  for (const auto& e : events) {
    if (e["action"] == "bundle.rejected" && e["target"]["id"] == bad) {
      found = true;
      EXPECT_EQ(e["details"]["reason"], "calls an unvetted host");
      EXPECT_EQ(e["actor"]["email"], "owner@example.com");
      EXPECT_EQ(e["address"], "127.0.0.1");
    }
  }
  EXPECT_TRUE(found) << events.dump();
  // Org B's admin sees none of org A's events.
  for (const auto& e : audit(t_->admin_b)) EXPECT_NE(e["orgId"], t_->org_a);
}

TEST_F(Governance, ADisallowedCapabilityBlocksActivationUntilThePolicyAllowsIt) {
  ASSERT_EQ(put(admin_policy(t_->org_a, "execution"), t_->platform, {{"allowedCapabilities", {"tools"}}}).status, 200);
  const Reply r = upload_bundle(s_, t_->admin_a, archive_with_capabilities("zorp", {"tools", "llm"}));
  ASSERT_EQ(r.status, 201) << r.text;
  EXPECT_EQ(r.body["status"], "disabled");
  ASSERT_EQ(r.body["blockedBy"].size(), 1u) << r.text;
  EXPECT_NE(r.body["blockedBy"][0].get<std::string>().find("'llm'"), std::string::npos);
  EXPECT_FALSE(catalog_has(s_, t_->admin_a, "zorp.ping"));
  const std::string id = r.body["id"];

  Reply enable = s_.request("POST", "/api/bundles/" + id + "/enable", t_->admin_a);
  EXPECT_EQ(enable.status, 409);
  EXPECT_EQ(enable.body["error"]["code"], "bundle_blocked");
  EXPECT_EQ(enable.body["error"]["details"]["blockedBy"], r.body["blockedBy"]);
  EXPECT_EQ(s_.request("GET", "/api/bundles/" + id, t_->admin_a).body["blockedBy"], r.body["blockedBy"]);

  // Org B allows every capability: the same bundle is active there.
  upload(t_->admin_b, archive_with_capabilities("zorp", {"tools", "llm"}));

  // The platform allows llm again: the reasons go, and enable works.
  ASSERT_EQ(put(admin_policy(t_->org_a, "execution"), t_->platform, {{"allowedCapabilities", {"tools", "llm"}}}).status,
            200);
  EXPECT_EQ(s_.request("GET", "/api/bundles/" + id, t_->admin_a).body["blockedBy"], json::array());
  Reply ok = s_.request("POST", "/api/bundles/" + id + "/enable", t_->admin_a);
  ASSERT_EQ(ok.status, 200) << ok.text;
  EXPECT_EQ(ok.body["status"], "active");
  EXPECT_TRUE(catalog_has(s_, t_->admin_a, "zorp.ping"));

  // Tightening it again disables the active bundle, with the reason, and audits it.
  ASSERT_EQ(put("/api/policies/execution", t_->admin_a, {{"allowedCapabilities", {"tools"}}}).status, 200);
  Reply now = s_.request("GET", "/api/bundles/" + id, t_->admin_a);
  EXPECT_EQ(now.body["status"], "disabled");
  EXPECT_EQ(now.body["blockedBy"].size(), 1u);
  EXPECT_FALSE(catalog_has(s_, t_->admin_a, "zorp.ping"));
  bool audited = false;
  for (const auto& e : audit(t_->admin_a)) audited |= e["action"] == "bundle.blocked_by_policy" && e["target"]["id"] == id;
  EXPECT_TRUE(audited);
}

TEST_F(Governance, BlockedVendorsAndScopesVanishFromTheCatalogAndRunsFailWithVendorBlocked) {
  // A platform bundle every org sees, and a workflow in org A that calls it.
  upload(t_->platform, bundle_archive("zorp"), "?scope=platform");
  ASSERT_TRUE(catalog_has(s_, t_->admin_a, "zorp.ping"));
  const json doc = {{"name", "uses zorp"}, {"steps", {{{"id", "ping"}, {"action", "zorp.ping"}, {"inputs", json::object()}}}}};
  Reply saved = s_.request("POST", "/api/workflows", t_->admin_a, doc);
  ASSERT_EQ(saved.status, 201) << saved.text;
  const std::string wf = saved.body["id"];

  // Org A's admin blocks the vendor (a tightening): gone from A's catalog, still in B's.
  Reply blocked = put("/api/policies/governance", t_->admin_a, {{"blockedVendorIds", {"zorp"}}});
  ASSERT_EQ(blocked.status, 200) << blocked.text;
  EXPECT_EQ(blocked.body["blockedVendorIds"], json::array({"zorp"}));
  EXPECT_FALSE(catalog_has(s_, t_->admin_a, "zorp.ping"));
  EXPECT_TRUE(catalog_has(s_, t_->admin_b, "zorp.ping"));

  // A run that reaches it fails with vendor_blocked, naming the policy.
  Reply started = s_.request("POST", "/api/workflows/" + wf + "/runs", t_->admin_a, json{{"input", json::object()}});
  ASSERT_EQ(started.status, 202) << started.text;
  const json run = wait_run(t_->admin_a, started.body["runId"]);
  EXPECT_EQ(run["status"], "failed") << run.dump();
  EXPECT_EQ(run["error"]["code"], "vendor_blocked") << run.dump();
  EXPECT_NE(run["error"]["message"].get<std::string>().find("blockedVendorIds"), std::string::npos) << run.dump();
  // Saving a workflow that uses it is refused the same way.
  Reply resave = s_.request("POST", "/api/workflows", t_->admin_a, doc);
  EXPECT_EQ(resave.status, 403) << resave.text;
  EXPECT_EQ(resave.body["error"]["code"], "vendor_blocked");

  // Org B's platform ceiling drops the platform scope: the platform bundle vanishes there too.
  ASSERT_EQ(put(admin_policy(t_->org_b, "governance"), t_->platform,
                {{"allowedVendorScopes", {"first-party", "organization"}}})
                .status,
            200);
  EXPECT_FALSE(catalog_has(s_, t_->admin_b, "zorp.ping"));
  // …but B's own upload of the vendor is organization scope, which it still allows.
  upload(t_->admin_b, bundle_archive("zorp", "0.9.0"));
  EXPECT_TRUE(catalog_has(s_, t_->admin_b, "zorp.ping"));
  // And org B may not put the platform scope back itself.
  Reply widen = put("/api/policies/governance", t_->admin_b, {{"allowedVendorScopes", {"first-party", "platform", "organization"}}});
  EXPECT_EQ(widen.status, 403);
  EXPECT_EQ(widen.body["error"]["details"][0]["field"], "allowedVendorScopes");
}

TEST_F(Governance, PolicyDocumentsAreValidatedAndTheOldExecutionRoutesStillWork) {
  Reply bad = put("/api/policies/dependency", t_->admin_a, {{"maxRisk", "apocalyptic"}, {"extra", true}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["code"], "invalid_policy");
  EXPECT_GE(bad.body["error"]["details"].size(), 2u);
  EXPECT_EQ(s_.request("GET", "/api/policies/nonsense", t_->admin_a).status, 404);
  EXPECT_EQ(s_.request("PUT", "/api/policies/dependency", t_->admin_a, json::array()).status, 400);
  json deep = json::array();
  for (int i = 0; i < 5000; ++i) deep = json::array({deep});
  EXPECT_EQ(put("/api/policies/dependency", t_->admin_a, {{"blockedPackages", deep}}).status, 400);

  // The platform caps org A at medium: the org admin may go lower, never higher (but may undo
  // its own tightening back to the cap).
  ASSERT_EQ(put(admin_policy(t_->org_a, "dependency"), t_->platform, {{"maxRisk", "medium"}}).status, 200);
  Reply higher = put("/api/policies/dependency", t_->admin_a, {{"maxRisk", "critical"}});
  EXPECT_EQ(higher.status, 403);
  EXPECT_EQ(higher.body["error"]["details"][0]["message"], "maxRisk 'critical' is looser than the platform's 'medium'");
  Reply tighter = put("/api/policies/dependency", t_->admin_a, {{"maxRisk", "low"}, {"blockedPackages", {"left-pad"}}});
  ASSERT_EQ(tighter.status, 200) << tighter.text;
  EXPECT_EQ(tighter.body["maxRisk"], "low");
  EXPECT_EQ(tighter.body["platform"]["maxRisk"], "medium");
  EXPECT_EQ(put("/api/policies/dependency", t_->admin_a, {{"maxRisk", "medium"}}).status, 200);
  EXPECT_EQ(s_.request("GET", "/api/admin/policies/dependency", t_->admin_a).status, 403);
  Reply platform_default = put("/api/admin/policies/dependency", t_->platform, {{"maxRisk", "low"}});
  ASSERT_EQ(platform_default.status, 200) << platform_default.text;
  EXPECT_EQ(s_.request("GET", "/api/policies/dependency", t_->admin_b).body["maxRisk"], "low");
  // Org A's own platform document names maxRisk, so the default does not reach that field there.
  EXPECT_EQ(s_.request("GET", "/api/policies/dependency", t_->admin_a).body["maxRisk"], "medium");

  // The schemas are served.
  Reply schema = s_.request("GET", "/api/schemas/policies/governance.json");
  ASSERT_EQ(schema.status, 200);
  EXPECT_EQ(schema.body["additionalProperties"], false);

  // /api/execution-policy and the admin execution-policy routes are the execution document.
  ASSERT_EQ(s_.request("PUT", "/api/admin/orgs/" + t_->org_a + "/execution-policy", t_->platform,
                       json{{"maxTimeoutSeconds", 30}})
                .status,
            200);
  Reply legacy = s_.request("GET", "/api/execution-policy", t_->member_a);
  ASSERT_EQ(legacy.status, 200);
  EXPECT_EQ(legacy.body["maxTimeoutSeconds"], 30);
  EXPECT_EQ(s_.request("GET", "/api/policies/execution", t_->member_a).body["maxTimeoutSeconds"], 30);
}

TEST_F(Governance, AVersionThatBreaksASavedWorkflowWaitsForConfirmBreaking) {
  upload(t_->admin_a, archive_with_tools("zorp", "1.0.0", {"ping", "pong"}));
  const json doc = {{"name", "pongs"}, {"steps", {{{"id", "p"}, {"action", "zorp.pong"}, {"inputs", json::object()}}}}};
  Reply saved = s_.request("POST", "/api/workflows", t_->admin_a, doc);
  ASSERT_EQ(saved.status, 201) << saved.text;

  // v2 drops zorp.pong: uploaded, but kept disabled, saying which workflow it would break.
  const Reply v2 = upload_bundle(s_, t_->admin_a, archive_with_tools("zorp", "2.0.0", {"ping"}));
  ASSERT_EQ(v2.status, 201) << v2.text;
  EXPECT_EQ(v2.body["status"], "disabled");
  ASSERT_EQ(v2.body["breaking"]["workflows"].size(), 1u) << v2.text;
  EXPECT_EQ(v2.body["breaking"]["workflows"][0]["workflowId"], saved.body["id"]);
  EXPECT_EQ(v2.body["breaking"]["workflows"][0]["step"], "p");
  EXPECT_EQ(v2.body["breaking"]["workflows"][0]["why"], "removed");
  EXPECT_FALSE(v2.body["warnings"].empty());
  const std::string id = v2.body["id"];

  Reply refused = s_.request("POST", "/api/bundles/" + id + "/enable", t_->admin_a);
  EXPECT_EQ(refused.status, 409) << refused.text;
  EXPECT_EQ(refused.body["error"]["code"], "breaking_change");
  EXPECT_EQ(refused.body["error"]["details"]["workflows"][0]["action"], "zorp.pong");
  EXPECT_EQ(s_.request("POST", "/api/bundles/" + id + "/enable?confirm=yes", t_->admin_a).status, 400);
  EXPECT_TRUE(catalog_has(s_, t_->admin_a, "zorp.pong"));  // v1 still serves
  Reply confirmed = s_.request("POST", "/api/bundles/" + id + "/enable?confirm=breaking", t_->admin_a);
  ASSERT_EQ(confirmed.status, 200) << confirmed.text;
  EXPECT_EQ(confirmed.body["status"], "active");
  EXPECT_FALSE(catalog_has(s_, t_->admin_a, "zorp.pong"));

  // A compatible v3 (adds a tool) activates at upload without confirmation.
  const Reply v3 = upload_bundle(s_, t_->admin_a, archive_with_tools("zorp", "3.0.0", {"ping", "pang"}));
  ASSERT_EQ(v3.status, 201) << v3.text;
  EXPECT_EQ(v3.body["status"], "active") << v3.text;
  // An upload that confirms up front is activated at once, even though it drops a used tool.
  const json pings = {{"name", "pings"}, {"steps", {{{"id", "q"}, {"action", "zorp.ping"}, {"inputs", json::object()}}}}};
  ASSERT_EQ(s_.request("POST", "/api/workflows", t_->admin_a, pings).status, 201);
  const Reply v4 = upload_bundle(s_, t_->admin_a, archive_with_tools("zorp", "4.0.0", {"pang"}), "?confirm=breaking");
  ASSERT_EQ(v4.status, 201) << v4.text;
  EXPECT_EQ(v4.body["status"], "active");
}

TEST_F(Governance, AnAdvisoryImportDisablesAnInstalledBundleWhoseDependencyItPutsOverMaxRisk) {
  ASSERT_EQ(put("/api/policies/dependency", t_->admin_a, {{"maxRisk", "medium"}}).status, 200);
  const json components = json::array({npm_component("lodash", "4.17.20"), npm_component("zod", "3.24.0", "")});
  const std::string mine = upload(t_->admin_a, archive_with_components("zorp", components));
  const std::string theirs = upload(t_->admin_b, archive_with_components("zorp", components));
  ASSERT_TRUE(catalog_has(s_, t_->admin_a, "zorp.ping"));

  Reply imported = s_.request("POST", "/api/admin/advisories", t_->platform, lodash_advisory());
  ASSERT_EQ(imported.status, 200) << imported.text;
  const std::string reason =
      "lodash@4.17.20: Risk 'high' exceeds max 'medium' (GHSA-jf85-cpcp-j695: Prototype Pollution in lodash < 4.17.21)";
  Reply now = s_.request("GET", "/api/bundles/" + mine, t_->admin_a);
  EXPECT_EQ(now.body["status"], "disabled") << now.text;
  EXPECT_EQ(now.body["blockedBy"], json::array({reason})) << now.text;
  EXPECT_FALSE(catalog_has(s_, t_->admin_a, "zorp.ping"));
  // Org B keeps the default maxRisk (critical): its copy stays active.
  EXPECT_EQ(s_.request("GET", "/api/bundles/" + theirs, t_->admin_b).body["status"], "active");
  // Its admins see why, in the audit log too.
  bool audited = false;
  for (const auto& e : audit(t_->admin_a)) {
    if (e["action"] == "bundle.blocked_by_policy" && e["target"]["id"] == mine) {
      audited = true;
      EXPECT_EQ(e["details"]["cause"], "advisories.imported");
      EXPECT_EQ(e["details"]["blockedBy"], json::array({reason}));
    }
  }
  EXPECT_TRUE(audited);

  Reply enable = s_.request("POST", "/api/bundles/" + mine + "/enable", t_->admin_a);
  EXPECT_EQ(enable.status, 409);
  EXPECT_EQ(enable.body["error"]["code"], "bundle_blocked");
  EXPECT_EQ(enable.body["error"]["details"]["blockedBy"], json::array({reason}));

  // The review flags the component with the verdict; the unlicensed one is flagged, not blocked.
  Reply review = s_.request("GET", "/api/bundles/" + mine + "/review", t_->admin_a);
  ASSERT_EQ(review.status, 200) << review.text;
  const json& listed = review.body["dependencies"]["components"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["blocked"], true);
  EXPECT_EQ(listed[0]["risk"], "high");
  EXPECT_EQ(listed[0]["advisories"][0]["id"], "GHSA-jf85-cpcp-j695");
  EXPECT_EQ(listed[1]["blocked"], false);
  EXPECT_EQ(listed[1]["flags"], json::array({"No license"}));
  EXPECT_EQ(review.body["dependencies"]["blockedBy"], json::array({reason}));

  // A rebuilt bundle without the vulnerable version activates.
  const Reply rebuilt = upload_bundle(s_, t_->admin_a,
                                      archive_with_components("zorp", json::array({npm_component("lodash", "4.17.21")}), "1.0.1"));
  ASSERT_EQ(rebuilt.status, 201) << rebuilt.text;
  EXPECT_EQ(rebuilt.body["status"], "active");
  EXPECT_TRUE(catalog_has(s_, t_->admin_a, "zorp.ping"));
}

TEST_F(Governance, BlockedPackagesAndInstallScriptsBlockActivationAtUpload) {
  ASSERT_EQ(put(admin_policy(t_->org_a, "dependency"), t_->platform,
                {{"blockedPackages", {"left-*"}}, {"blockInstallScripts", true}})
                .status,
            200);
  json scripted = npm_component("hooked", "1.0.0");
  scripted["properties"] = json::array({{{"name", "weft:npm:installScripts"}, {"value", "postinstall"}}});
  const Reply r = upload_bundle(s_, t_->admin_a,
                                archive_with_components("zorp", json::array({npm_component("left-pad", "1.3.0"), scripted})));
  ASSERT_EQ(r.status, 201) << r.text;
  EXPECT_EQ(r.body["status"], "disabled");
  EXPECT_EQ(r.body["blockedBy"], json::array({"hooked@1.0.0: Has install scripts (postinstall)",
                                              "left-pad@1.3.0: Blocked package 'left-pad' (blockedPackages: \"left-*\")"}))
      << r.text;
  // The org admin cannot lift the platform's rule; the platform can, and then enable works.
  EXPECT_EQ(put("/api/policies/dependency", t_->admin_a, {{"blockInstallScripts", false}}).status, 403);
  ASSERT_EQ(put(admin_policy(t_->org_a, "dependency"), t_->platform, {{"blockedPackages", json::array()}}).status, 200);
  Reply enable = s_.request("POST", "/api/bundles/" + r.body["id"].get<std::string>() + "/enable", t_->admin_a);
  EXPECT_EQ(enable.status, 200) << enable.text;
}

TEST_F(Governance, TheAuditLogIsPaginatedAndScopedByRole) {
  for (int i = 0; i < 3; ++i) upload(t_->admin_a, bundle_archive("zorp", "1.0." + std::to_string(i)));
  EXPECT_EQ(s_.request("GET", "/api/audit", t_->member_a).status, 403);
  EXPECT_EQ(s_.request("GET", "/api/audit").status, 401);
  EXPECT_EQ(s_.request("GET", "/api/audit?orgId=" + t_->org_b, t_->admin_a).status, 403);
  EXPECT_EQ(s_.request("GET", "/api/audit?limit=0", t_->admin_a).status, 400);
  EXPECT_EQ(s_.request("GET", "/api/audit?before=abc", t_->admin_a).status, 400);

  Reply page1 = s_.request("GET", "/api/audit?limit=2", t_->admin_a);
  ASSERT_EQ(page1.status, 200);
  ASSERT_EQ(page1.body["events"].size(), 2u);
  EXPECT_EQ(page1.body["events"][0]["details"]["version"], "1.0.2");
  ASSERT_TRUE(page1.body["nextBefore"].is_string());
  Reply page2 = s_.request("GET", "/api/audit?limit=2&before=" + page1.body["nextBefore"].get<std::string>(), t_->admin_a);
  ASSERT_EQ(page2.body["events"].size(), 1u);
  EXPECT_EQ(page2.body["events"][0]["details"]["version"], "1.0.0");
  EXPECT_TRUE(page2.body["nextBefore"].is_null());
  // The platform admin sees every org's events, or one org's.
  EXPECT_GE(audit(t_->platform).size(), 3u);
  EXPECT_EQ(audit(t_->platform, "?orgId=" + t_->org_b).size(), 0u);
}

}  // namespace
}  // namespace weft::apitest
