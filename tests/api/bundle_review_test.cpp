// Issue 11 items 3 and 4, end to end over HTTP against the real `weft serve`: two versions of a
// test bundle written here and built with the SDK (`weft-bundle pack`, with npm packages
// generated into the project's node_modules so the SBOM lists them), v1 installed in org A with
// a workflow using two of its tools, v2 uploaded disabled; GET /api/bundles/{v2}/review asserts
// every changed item and names the workflow and its steps, and the capabilities, dependencies
// and setup tabs field by field (a matching credential by id, no secret anywhere). Then who may
// ask: member 403, another org 404, anonymous 401.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "api_harness.h"
#include "bundle_upload_helpers.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft::apitest {
namespace {

namespace fs = std::filesystem;

constexpr const char* kVendor = "stockroom";
constexpr const char* kBearerSecret = "sekrit-bearer-7f3a9c";
constexpr const char* kApiKeySecret = "sekrit-apikey-1b2d4e";

void write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  testing::write_file(path, text);
}

// An ESM npm package in <project>/node_modules/<name>; `license` "" writes none.
void npm_package(const std::string& project, const std::string& name, const std::string& version,
                 const std::string& license, const std::string& body) {
  json pkg = {{"name", name}, {"version", version}, {"type", "module"}, {"main", "index.js"}};
  if (!license.empty()) pkg["license"] = license;
  write(project + "/node_modules/" + name + "/package.json", pkg.dump(2));
  write(project + "/node_modules/" + name + "/index.js", body);
}

// The stockroom bundle at version 1 or 2, packed with the SDK; returns the archive's bytes.
//   v1: tools a (sku), b, c (q); api_key; api.stockroom.test; ["tools"];
//       packages leftpad-lite 1.0.0 (declared too), plainutil 0.3.0 (no license).
//   v2: a needs a new required "warehouse" (breaking), b removed, c takes an optional "limit"
//       (compatible), new tool d, new trigger newItem; bearer_token; + uploads.stockroom.test;
//       ["tools", "llm"]; leftpad-lite 1.1.0 (upgraded, declared 1.1.0), tinyfmt 2.0.0 (added).
std::string pack_stockroom(const testing::TempDir& dir, int version) {
  const std::string v = version == 1 ? "1.0.0" : "2.0.0";
  const std::string project = dir.file("stockroom-" + v);
  write(project + "/package.json", json{{"name", "stockroom"}, {"version", v}, {"private", true}, {"type", "module"}}.dump());
  npm_package(project, "leftpad-lite", version == 1 ? "1.0.0" : "1.1.0", "MIT",
              "export function pad(s, n) { return String(s).padStart(n, '0'); }\n");
  npm_package(project, "plainutil", "0.3.0", "", "export function upper(s) { return String(s).toUpperCase(); }\n");
  if (version == 2) {
    npm_package(project, "tinyfmt", "2.0.0", "ISC", "export function fmt(n) { return '#' + n; }\n");
  }
  const std::string str = R"({ type: "string" })";
  const std::string out_schema = R"({ type: "object", properties: { ok: { type: "string" } }, required: ["ok"] })";
  auto tool = [&](const std::string& name, const std::string& input, const std::string& body) {
    return "defineTool({ id: \"stockroom." + name + "\", name: \"Tool " + name + "\", description: \"Does " + name +
           ".\", inputSchema: " + input + ", outputSchema: " + out_schema + ", run(input) { " + body + " } })";
  };
  std::string tools, imports = "import { defineProduct, defineTool, defineTrigger, defineVendor } from \"@weft/sdk\";\n"
                                "import { pad } from \"leftpad-lite\";\nimport { upper } from \"plainutil\";\n";
  if (version == 1) {
    tools = tool("a", R"({ type: "object", properties: { sku: )" + str + R"( }, required: ["sku"] })",
                 "return { ok: pad(input.sku, 8) };") +
            ",\n" + tool("b", R"({ type: "object", properties: {} })", "return { ok: upper('b') };") + ",\n" +
            tool("c", R"({ type: "object", properties: { q: )" + str + R"( } })", "return { ok: 'c' };");
  } else {
    imports += "import { fmt } from \"tinyfmt\";\n";
    tools = tool("a",
                 R"({ type: "object", properties: { sku: )" + str + ", warehouse: " + str +
                     R"( }, required: ["sku", "warehouse"] })",
                 "return { ok: pad(input.sku, 8) + input.warehouse };") +
            ",\n" +
            tool("c", R"({ type: "object", properties: { q: )" + str + R"(, limit: { type: "integer" } } })",
                 "return { ok: upper('c') };") +
            ",\n" + tool("d", R"({ type: "object", properties: {} })", "return { ok: fmt(4) };");
  }
  const std::string trigger =
      version == 2 ? R"(triggers: [defineTrigger({ id: "stockroom.newItem", name: "New item", description: "Polls new items.",
        inputSchema: { type: "object", properties: {} }, outputSchema: { type: "object" },
        run() { return { items: [], state: null }; } })],)"
                   : "";
  const std::string source = imports + "export default defineVendor({\n  id: \"stockroom\", name: \"Stockroom\", version: \"" +
                             v + "\",\n  auth: { type: \"" + (version == 1 ? "api_key" : "bearer_token") +
                             "\" },\n  network: { allowedHosts: " +
                             (version == 1 ? R"(["api.stockroom.test"])" : R"(["api.stockroom.test", "uploads.stockroom.test"])") +
                             " },\n  capabilities: " + (version == 1 ? R"(["tools"])" : R"(["tools", "llm"])") +
                             ",\n  products: [defineProduct({ id: \"stockroom-core\", name: \"Stockroom\", category: \"Inventory\",\n"
                             "    dependencies: [{ name: \"leftpad-lite\", version: \"" +
                             (version == 1 ? "1.0.0" : "1.1.0") + "\", reason: \"pads SKUs\" }],\n    tools: [" + tools +
                             "],\n    " + trigger + "\n  })],\n});\n";
  write(project + "/src/index.js", source);
  auto packed = testing::run_process({"/usr/bin/env", "node", std::string(WEFT_SOURCE_DIR) + "/sdk/bin/weft-bundle.mjs",
                                      "pack", project, "--out", project + "/out"});
  EXPECT_EQ(packed.exit_code, 0) << packed.out << packed.err << "\n" << source;
  return testing::read_file(project + "/out/stockroom-" + v + ".bundle.tar.gz");
}

std::string create_credential(WeftServer& server, const As& as, const std::string& name, const std::string& provider,
                              const std::string& type, const json& secret) {
  Reply r = server.request("POST", "/api/credentials", as,
                           json{{"name", name}, {"provider", provider}, {"type", type}, {"secret", secret}});
  EXPECT_EQ(r.status, 201) << r.text;
  return r.body.value("id", "");
}

json find_by(const json& list, const std::string& key, const std::string& value) {
  for (const auto& x : list) {
    if (x.value(key, "") == value) return x;
  }
  return nullptr;
}

std::set<std::string> ids_of(const json& list, const std::string& key = "id") {
  std::set<std::string> out;
  for (const auto& x : list) out.insert(x.value(key, ""));
  return out;
}

class BundleReview : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    v1_ = new std::string(pack_stockroom(*dir_, 1));
    v2_ = new std::string(pack_stockroom(*dir_, 2));
  }
  static void TearDownTestSuite() {
    delete v1_;
    delete v2_;
    delete dir_;
  }
  static testing::TempDir* dir_;
  static std::string* v1_;
  static std::string* v2_;
};
testing::TempDir* BundleReview::dir_ = nullptr;
std::string* BundleReview::v1_ = nullptr;
std::string* BundleReview::v2_ = nullptr;

TEST_F(BundleReview, TheReviewOfV2ShowsEveryChangeAndTheWorkflowItBreaks) {
  ASSERT_FALSE(v1_->empty());
  ASSERT_FALSE(v2_->empty());
  WeftServer server;
  Tenants t(server);
  Reply up1 = upload_bundle(server, t.admin_a, *v1_);
  ASSERT_EQ(up1.status, 201) << up1.text;
  const std::string v1 = up1.body["id"];

  const std::string api_key = create_credential(server, t.admin_a, "stock key", kVendor, "api_key", {{"api_key", kApiKeySecret}});
  const std::string bearer =
      create_credential(server, t.admin_a, "stock bearer", kVendor, "bearer_token", {{"token", kBearerSecret}});
  create_credential(server, t.admin_a, "other vendor", "weather", "bearer_token", {{"token", kBearerSecret}});
  create_credential(server, t.admin_b, "B's stock bearer", kVendor, "bearer_token", {{"token", kBearerSecret}});

  const json definition = {
      {"name", "restock"},
      {"trigger", {{"type", "manual"}}},
      {"steps",
       {{{"id", "lookup"}, {"action", "stockroom.a"}, {"credential", api_key}, {"inputs", {{"sku", "42"}}}},
        {{"id", "bump"}, {"action", "stockroom.b"}, {"credential", api_key}, {"after", {"lookup"}}, {"inputs", json::object()}}}}};
  Reply wf = server.request("POST", "/api/workflows", t.admin_a, definition);
  ASSERT_EQ(wf.status, 201) << wf.text;
  const std::string workflow = wf.body["id"];

  // v1 alone: nothing to compare with.
  Reply r1 = server.request("GET", "/api/bundles/" + v1 + "/review", t.admin_a);
  ASSERT_EQ(r1.status, 200) << r1.text;
  EXPECT_TRUE(r1.body["diff"].is_null()) << r1.body["diff"].dump();
  EXPECT_EQ(r1.body["setup"]["credentials"], json::parse(R"([{"id":")" + api_key + R"(","name":"stock key"}])"));

  Reply up2 = upload_bundle(server, t.admin_a, *v2_, "?activate=false");
  ASSERT_EQ(up2.status, 201) << up2.text;
  const std::string v2 = up2.body["id"];
  Reply review = server.request("GET", "/api/bundles/" + v2 + "/review", t.admin_a);
  ASSERT_EQ(review.status, 200) << review.text;
  const json& body = review.body;
  EXPECT_EQ(review.text.find("sekrit"), std::string::npos) << "a secret in the review: " << review.text;
  EXPECT_EQ(body["bundle"]["id"], v2);
  EXPECT_EQ(body["bundle"]["status"], "disabled");

  // --- capabilities tab ---
  const json& caps = body["capabilities"];
  EXPECT_EQ(caps["products"], json::parse(R"([{"id":"stockroom-core","name":"Stockroom","category":"Inventory",
      "blocks":["stockroom.a","stockroom.c","stockroom.d","stockroom.newItem"]}])"))
      << caps["products"].dump();
  ASSERT_EQ(caps["tools"].size(), 3u) << caps.dump();
  EXPECT_EQ(caps["tools"][0], json::parse(R"({"id":"stockroom.a","name":"Tool a","description":"Does a.",
      "product":"stockroom-core","kind":"tool","enabled":true})"));
  EXPECT_EQ(ids_of(caps["tools"]), (std::set<std::string>{"stockroom.a", "stockroom.c", "stockroom.d"}));
  EXPECT_EQ(caps["triggers"], json::parse(R"([{"id":"stockroom.newItem","name":"New item","description":"Polls new items.",
      "product":"stockroom-core","kind":"trigger","enabled":true}])"));
  EXPECT_EQ(caps["runtimeCapabilities"], json({"tools", "llm"}));
  EXPECT_EQ(caps["networkHosts"], json({"api.stockroom.test", "uploads.stockroom.test"}));

  // --- dependencies tab ---
  const json& deps = body["dependencies"];
  // Each entry carries its verdict under the org's dependency policy (the defaults: nothing blocked).
  EXPECT_EQ(deps["declared"], json::parse(R"([{"product":"stockroom-core","name":"leftpad-lite","version":"1.1.0",
      "reason":"pads SKUs","risk":"none","advisories":[],"blocked":false,"reasons":[],"flags":[]}])"));
  EXPECT_EQ(deps["blockedBy"], json::array());
  EXPECT_EQ(deps["sbomRecorded"], true);
  EXPECT_EQ(ids_of(deps["components"], "name"),
            (std::set<std::string>{"@weft/sdk", "leftpad-lite", "plainutil", "tinyfmt"}))
      << deps["components"].dump(2);
  EXPECT_EQ(deps["componentCount"], deps["components"].size());
  const json leftpad = find_by(deps["components"], "name", "leftpad-lite");
  EXPECT_EQ(leftpad["version"], "1.1.0");
  EXPECT_EQ(leftpad["license"], "MIT");
  EXPECT_EQ(leftpad["purl"], "pkg:npm/leftpad-lite@1.1.0");
  EXPECT_EQ(leftpad["type"], "library");
  EXPECT_EQ(leftpad["installScripts"], json::array());
  EXPECT_FALSE(leftpad.contains("unlicensed"));
  ASSERT_EQ(leftpad["evidence"].size(), 1u) << leftpad.dump();
  EXPECT_NE(leftpad["evidence"][0].get<std::string>().find("node_modules/leftpad-lite/index.js"), std::string::npos);
  const json plain = find_by(deps["components"], "name", "plainutil");
  EXPECT_EQ(plain["unlicensed"], true) << plain.dump();
  EXPECT_EQ(plain["flags"], json::array({"No license"})) << plain.dump();
  EXPECT_EQ(plain["blocked"], false);
  EXPECT_TRUE(plain["license"].is_null());
  EXPECT_EQ(find_by(deps["components"], "name", "tinyfmt")["license"], "ISC");

  // --- setup tab: v2 wants a bearer token; A's stockroom bearer credential fits, by id and name only ---
  EXPECT_EQ(body["setup"], json::parse(R"({"authType":"bearer_token","needsCredential":true,
      "fields":[{"name":"token","required":true}],
      "credentials":[{"id":")" + bearer + R"(","name":"stock bearer"}],"hasCredential":true})"))
      << body["setup"].dump();

  // --- the diff against v1, which A runs ---
  const json& diff = body["diff"];
  ASSERT_TRUE(diff.is_object()) << body.dump(2);
  EXPECT_EQ(diff["against"], json::parse(R"({"id":")" + v1 + R"(","version":"1.0.0","scope":"organization","status":"active"})"));
  EXPECT_EQ(diff["fromVersion"], "1.0.0");
  EXPECT_EQ(diff["toVersion"], "2.0.0");
  EXPECT_EQ(diff["tools"], json::parse(R"({"added":["stockroom.d"],"removed":["stockroom.b"]})"));
  EXPECT_EQ(diff["triggers"], json::parse(R"({"added":["stockroom.newItem"],"removed":[]})"));
  EXPECT_EQ(diff["capabilities"], json::parse(R"({"added":["llm"],"removed":[]})"));
  EXPECT_EQ(diff["networkHosts"], json::parse(R"({"added":["uploads.stockroom.test"],"removed":[]})"));
  EXPECT_EQ(diff["auth"], json::parse(R"({"from":"api_key","to":"bearer_token","changed":true,"breaking":true})"));
  EXPECT_EQ(diff["dependencies"], json::parse(R"([{"name":"leftpad-lite","change":"upgraded","from":"1.0.0","to":"1.1.0"}])"));
  EXPECT_EQ(diff["components"], json::parse(R"([
      {"name":"leftpad-lite","change":"upgraded","from":"1.0.0","to":"1.1.0"},
      {"name":"tinyfmt","change":"added","from":null,"to":"2.0.0"}])"))
      << diff["components"].dump(2);
  ASSERT_EQ(diff["blocks"].size(), 2u) << diff["blocks"].dump(2);
  const json a = find_by(diff["blocks"], "id", "stockroom.a");
  EXPECT_EQ(a["breaking"], true);
  EXPECT_EQ(a["input"], json::parse(R"([{"pointer":"/properties/warehouse","kind":"required_property_added",
      "breaking":true,"message":"new required property 'warehouse'"}])"))
      << a.dump(2);
  EXPECT_EQ(a["output"], json::array());
  const json c = find_by(diff["blocks"], "id", "stockroom.c");
  EXPECT_EQ(c["breaking"], false);
  EXPECT_EQ(c["input"], json::parse(R"([{"pointer":"/properties/limit","kind":"property_added",
      "breaking":false,"message":"new optional property 'limit'"}])"));
  EXPECT_EQ(diff["breakingChanges"], true);
  EXPECT_EQ(diff["breaking"], true);
  EXPECT_EQ(diff["affectedWorkflows"], json::parse(R"([
      {"workflowId":")" + workflow + R"(","orgId":")" + t.org_a + R"(","name":"restock","step":"lookup",
       "action":"stockroom.a","why":"breaking"},
      {"workflowId":")" + workflow + R"(","orgId":")" + t.org_a + R"(","name":"restock","step":"bump",
       "action":"stockroom.b","why":"removed"}])"))
      << diff["affectedWorkflows"].dump(2);

  // Enabling it breaks that workflow: refused until confirmed.
  Reply refused = server.request("POST", "/api/bundles/" + v2 + "/enable", t.admin_a);
  ASSERT_EQ(refused.status, 409) << refused.text;
  EXPECT_EQ(refused.body["error"]["code"], "breaking_change");
  EXPECT_EQ(refused.body["error"]["details"]["workflows"].size(), 2u);
  // Once v2 runs, its review still compares it with v1 (the newest older version).
  ASSERT_EQ(server.request("POST", "/api/bundles/" + v2 + "/enable?confirm=breaking", t.admin_a).status, 200);
  Reply after = server.request("GET", "/api/bundles/" + v2 + "/review", t.admin_a);
  ASSERT_EQ(after.status, 200) << after.text;
  EXPECT_EQ(after.body["diff"]["against"]["id"], v1);
  EXPECT_EQ(after.body["diff"]["affectedWorkflows"].size(), 2u);
  // And v1's review now compares it with v2, which A runs.
  Reply back = server.request("GET", "/api/bundles/" + v1 + "/review", t.admin_a);
  ASSERT_EQ(back.status, 200) << back.text;
  EXPECT_EQ(back.body["diff"]["against"]["id"], v2);
  EXPECT_EQ(back.body["diff"]["tools"]["added"], json({"stockroom.b"}));
}

TEST_F(BundleReview, OnlyAdminsOfTheOrgMayReviewIt) {
  WeftServer server;
  Tenants t(server);
  Reply up = upload_bundle(server, t.admin_a, *v1_);
  ASSERT_EQ(up.status, 201) << up.text;
  const std::string path = "/api/bundles/" + up.body["id"].get<std::string>() + "/review";
  EXPECT_EQ(server.request("GET", path, t.admin_a).status, 200);

  Reply member = server.request("GET", path, t.member_a);
  EXPECT_EQ(member.status, 403) << member.text;
  EXPECT_TRUE(member.is_json_error());
  EXPECT_EQ(member.error_code(), "forbidden");

  Reply other = server.request("GET", path, t.admin_b);
  EXPECT_EQ(other.status, 404) << other.text;
  EXPECT_TRUE(other.is_json_error());
  EXPECT_EQ(other.text.find("stockroom"), std::string::npos) << "B learns of A's bundle: " << other.text;

  // The platform admin's active org is its own: A's bundle is unknown there too.
  EXPECT_EQ(server.request("GET", path, t.platform).status, 404);

  Reply anonymous = server.request("GET", path);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_TRUE(anonymous.is_json_error());

  // Hostile ids: unknown, oversized, path tricks.
  EXPECT_EQ(server.request("GET", "/api/bundles/bun_doesnotexist/review", t.admin_a).status, 404);
  EXPECT_EQ(server.request("GET", "/api/bundles/" + std::string(129, 'x') + "/review", t.admin_a).status, 404);
  EXPECT_EQ(server.request("GET", "/api/bundles/..%2F..%2Fetc/review", t.admin_a).status, 404);
  // A method the route does not have.
  EXPECT_NE(server.request("POST", path, t.admin_a, json::object()).status, 200);
}

TEST_F(BundleReview, APlatformBundleIsReviewedByThePlatformAdminWithEveryOrgsWorkflows) {
  WeftServer server;
  Tenants t(server);
  Reply up1 = upload_bundle(server, t.platform, *v1_, "?scope=platform");
  ASSERT_EQ(up1.status, 201) << up1.text;
  for (const As* as : {&t.admin_a, &t.admin_b}) {
    const std::string cred = create_credential(server, *as, "k", kVendor, "api_key", {{"api_key", kApiKeySecret}});
    const json def = {{"name", "uses b"},
                      {"trigger", {{"type", "manual"}}},
                      {"steps", {{{"id", "only"}, {"action", "stockroom.b"}, {"credential", cred}, {"inputs", json::object()}}}}};
    ASSERT_EQ(server.request("POST", "/api/workflows", *as, def).status, 201);
  }
  Reply up2 = upload_bundle(server, t.platform, *v2_, "?scope=platform&activate=false");
  ASSERT_EQ(up2.status, 201) << up2.text;
  const std::string path = "/api/bundles/" + up2.body["id"].get<std::string>() + "/review";
  Reply platform = server.request("GET", path, t.platform);
  ASSERT_EQ(platform.status, 200) << platform.text;
  EXPECT_EQ(ids_of(platform.body["diff"]["affectedWorkflows"], "orgId"), (std::set<std::string>{t.org_a, t.org_b}));
  // An org admin sees the platform bundle's review with its own org's workflows only.
  Reply admin_a = server.request("GET", path, t.admin_a);
  ASSERT_EQ(admin_a.status, 200) << admin_a.text;
  EXPECT_EQ(ids_of(admin_a.body["diff"]["affectedWorkflows"], "orgId"), (std::set<std::string>{t.org_a}));
  EXPECT_EQ(admin_a.body["diff"]["breaking"], true);
  EXPECT_EQ(server.request("GET", path, t.member_a).status, 403);
}

}  // namespace
}  // namespace weft::apitest
