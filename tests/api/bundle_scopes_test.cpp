// The bundle routes after an upload, against the real `weft serve`: ?activate=false keeps the
// tools out of the catalog until enable, the per-block switch, tenancy (another org's admin gets
// 404 on every route and never sees the tools), the platform scope (visible to every org, managed
// by platform admins only), and GET /api/schemas/manifest.json, which a bundle packed by the
// SDK's weft-bundle satisfies.
#include <gtest/gtest.h>

#include <filesystem>

#include "bundle_upload_helpers.h"
#include "bundles/archive_reader.h"
#include "core/json_schema.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft::apitest {
namespace {

// A bundle of `vendor` with two tools, <vendor>.ping and <vendor>.pong.
std::string two_tool_archive(const std::string& vendor) {
  auto entries = bundle_entries(vendor);
  edit_manifest(entries, [&](json& m) {
    json pong = m["products"][0]["blocks"][0];
    pong["id"] = vendor + ".pong";
    pong["name"] = "Pong";
    m["products"][0]["blocks"].push_back(pong);
  });
  entry_at(entries, "dist/index.js").content =
      "export default defineVendor({\n  id: \"" + vendor + "\",\n  tools: {\n    \"" + vendor +
      ".ping\": async () => ({ status: \"ok\" }),\n    \"" + vendor + ".pong\": async () => ({ status: \"ok\" }),\n  },\n});\n";
  return testing::build_tar_gz(entries);
}

const json* block_of(const json& bundle, const std::string& id) {
  const auto blocks = bundle.find("blocks");
  if (blocks == bundle.end() || !blocks->is_array()) return nullptr;
  for (const auto& b : *blocks) {
    if (b.value("id", "") == id) return &b;
  }
  return nullptr;
}

class BundleScopes : public ::testing::Test {
 protected:
  void SetUp() override { t_ = std::make_unique<Tenants>(s_); }

  // Uploads and answers the new bundle's id (fails the test on anything but 201).
  std::string upload(const As& as, const std::string& archive, const std::string& query = "") {
    const Reply r = upload_bundle(s_, as, archive, query);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", "");
  }

  WeftServer s_;
  std::unique_ptr<Tenants> t_;
};

TEST_F(BundleScopes, ActivateFalseKeepsTheToolsOutOfTheCatalogUntilEnabled) {
  const Reply r = upload_bundle(s_, t_->admin_a, bundle_archive("zorp"), "?activate=false");
  ASSERT_EQ(r.status, 201) << r.text;
  EXPECT_EQ(r.body["status"], "disabled");
  const std::string id = r.body["id"];
  EXPECT_EQ(s_.request("GET", "/api/bundles/" + id, t_->member_a).body["status"], "disabled");
  EXPECT_FALSE(catalog_has(s_, t_->member_a, "zorp.ping"));
  ASSERT_FALSE(catalog_keys(s_, t_->member_a).empty()) << "the catalog answered nothing at all";

  const Reply enabled = s_.request("POST", "/api/bundles/" + id + "/enable", t_->admin_a);
  ASSERT_EQ(enabled.status, 200) << enabled.text;
  EXPECT_EQ(enabled.body["status"], "active");
  EXPECT_TRUE(catalog_has(s_, t_->member_a, "zorp.ping"));

  const Reply disabled = s_.request("POST", "/api/bundles/" + id + "/disable", t_->admin_a);
  ASSERT_EQ(disabled.status, 200) << disabled.text;
  EXPECT_EQ(disabled.body["status"], "disabled");
  EXPECT_FALSE(catalog_has(s_, t_->member_a, "zorp.ping"));
  // A member may read but not manage.
  EXPECT_EQ(s_.request("POST", "/api/bundles/" + id + "/enable", t_->member_a).status, 403);
  EXPECT_FALSE(catalog_has(s_, t_->member_a, "zorp.ping"));
}

TEST_F(BundleScopes, TheBlockSwitchTakesOneToolOutOfTheCatalog) {
  const std::string id = upload(t_->admin_a, two_tool_archive("zorp"));
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(catalog_has(s_, t_->member_a, "zorp.ping"));
  EXPECT_TRUE(catalog_has(s_, t_->member_a, "zorp.pong"));

  const Reply off = s_.request("PUT", "/api/bundles/" + id + "/blocks/zorp.pong", t_->admin_a, json{{"enabled", false}});
  ASSERT_EQ(off.status, 200) << off.text;
  EXPECT_TRUE(catalog_has(s_, t_->member_a, "zorp.ping"));
  EXPECT_FALSE(catalog_has(s_, t_->member_a, "zorp.pong"));
  const Reply got = s_.request("GET", "/api/bundles/" + id, t_->member_a);
  ASSERT_EQ(got.status, 200) << got.text;
  ASSERT_NE(block_of(got.body, "zorp.pong"), nullptr) << got.text;
  EXPECT_EQ((*block_of(got.body, "zorp.pong"))["enabled"], false) << got.text;
  EXPECT_EQ((*block_of(got.body, "zorp.ping"))["enabled"], true) << got.text;
  EXPECT_EQ(got.body["status"], "active");

  EXPECT_EQ(s_.request("PUT", "/api/bundles/" + id + "/blocks/zorp.nope", t_->admin_a, json{{"enabled", false}}).status,
            404);
  EXPECT_EQ(s_.request("PUT", "/api/bundles/" + id + "/blocks/zorp.ping", t_->admin_a, json{{"enabled", "no"}}).status,
            400);
  const Reply on = s_.request("PUT", "/api/bundles/" + id + "/blocks/zorp.pong", t_->admin_a, json{{"enabled", true}});
  ASSERT_EQ(on.status, 200) << on.text;
  EXPECT_TRUE(catalog_has(s_, t_->member_a, "zorp.pong"));
}

TEST_F(BundleScopes, AnotherOrgsAdminGets404OnEveryRouteAndNeverSeesTheTools) {
  const std::string id = upload(t_->admin_a, two_tool_archive("zorp"));
  ASSERT_FALSE(id.empty());
  const As& b = t_->admin_b;
  struct Probe {
    std::string method, path;
    std::optional<json> body = std::nullopt;
  };
  const std::vector<Probe> probes = {
      {"GET", "/api/bundles/" + id},
      {"POST", "/api/bundles/" + id + "/enable"},
      {"POST", "/api/bundles/" + id + "/disable"},
      {"PUT", "/api/bundles/" + id + "/blocks/zorp.pong", json{{"enabled", false}}},
      {"DELETE", "/api/bundles/" + id},
      {"DELETE", "/api/bundles/" + id + "?force=true"},
  };
  for (const auto& p : probes) {
    SCOPED_TRACE(p.method + " " + p.path);
    const Reply foreign = s_.request(p.method, p.path, b, p.body);
    EXPECT_EQ(foreign.status, 404) << foreign.text;
    EXPECT_EQ(foreign.error_code(), "not_found");
    std::string unknown_path = p.path;
    unknown_path.replace(unknown_path.find(id), id.size(), "bun_doesnotexist");
    EXPECT_EQ(foreign.body, s_.request(p.method, unknown_path, b, p.body).body)
        << "a foreign id answers differently from an unknown one";
  }
  for (const auto& key : catalog_keys(s_, b)) EXPECT_NE(key.rfind("zorp.", 0), 0u) << key;
  const Reply b_list = s_.request("GET", "/api/bundles", b);
  ASSERT_EQ(b_list.status, 200) << b_list.text;
  EXPECT_TRUE(b_list.body["bundles"].empty()) << b_list.text;
  const Reply a_list = s_.request("GET", "/api/bundles", t_->member_a);
  ASSERT_EQ(a_list.body["bundles"].size(), 1u) << a_list.text;
  EXPECT_EQ(a_list.body["bundles"][0]["id"], id);
  // Nothing of A changed.
  const Reply a = s_.request("GET", "/api/bundles/" + id, t_->admin_a);
  ASSERT_EQ(a.status, 200) << a.text;
  EXPECT_EQ(a.body["status"], "active");
  EXPECT_EQ((*block_of(a.body, "zorp.pong"))["enabled"], true);
  EXPECT_TRUE(catalog_has(s_, t_->member_a, "zorp.pong"));
  EXPECT_EQ(bundle_row_count(s_), 1);
}

TEST_F(BundleScopes, APlatformBundleIsSeenByEveryOrgAndManagedOnlyByPlatformAdmins) {
  const Reply up = upload_bundle(s_, t_->platform, two_tool_archive("plat"), "?scope=platform");
  ASSERT_EQ(up.status, 201) << up.text;
  EXPECT_EQ(up.body["scope"], "platform");
  const std::string id = up.body["id"];
  for (const As* as : {&t_->member_a, &t_->admin_b, &t_->platform}) {
    EXPECT_TRUE(catalog_has(s_, *as, "plat.ping"));
    EXPECT_EQ(s_.request("GET", "/api/bundles/" + id, *as).status, 200);
    const Reply list = s_.request("GET", "/api/bundles", *as);
    bool listed = false;
    for (const auto& bundle : list.body["bundles"]) listed |= bundle["id"] == id;
    EXPECT_TRUE(listed) << list.text;
  }
  for (const As* admin : {&t_->admin_a, &t_->admin_b}) {
    EXPECT_EQ(s_.request("POST", "/api/bundles/" + id + "/disable", *admin).status, 403);
    EXPECT_EQ(s_.request("POST", "/api/bundles/" + id + "/enable", *admin).status, 403);
    EXPECT_EQ(s_.request("PUT", "/api/bundles/" + id + "/blocks/plat.pong", *admin, json{{"enabled", false}}).status,
              403);
    const Reply del = s_.request("DELETE", "/api/bundles/" + id, *admin);
    EXPECT_EQ(del.status, 403) << del.text;
    EXPECT_EQ(del.error_code(), "forbidden");
  }
  EXPECT_TRUE(catalog_has(s_, t_->admin_b, "plat.pong"));
  EXPECT_EQ(s_.request("GET", "/api/bundles/" + id, t_->admin_a).body["status"], "active");

  const Reply disabled = s_.request("POST", "/api/bundles/" + id + "/disable", t_->platform);
  ASSERT_EQ(disabled.status, 200) << disabled.text;
  EXPECT_FALSE(catalog_has(s_, t_->member_a, "plat.ping"));
  EXPECT_FALSE(catalog_has(s_, t_->admin_b, "plat.ping"));
  ASSERT_EQ(s_.request("POST", "/api/bundles/" + id + "/enable", t_->platform).status, 200);
  EXPECT_TRUE(catalog_has(s_, t_->admin_b, "plat.ping"));
  ASSERT_EQ(blob_files(s_).size(), 1u);
  const Reply del = s_.request("DELETE", "/api/bundles/" + id, t_->platform);
  EXPECT_EQ(del.status, 204) << del.text;
  EXPECT_FALSE(catalog_has(s_, t_->member_a, "plat.ping"));
  EXPECT_EQ(s_.request("GET", "/api/bundles/" + id, t_->platform).status, 404);
  EXPECT_EQ(bundle_row_count(s_), 0);
  EXPECT_TRUE(blob_files(s_).empty()) << "the blob is removed with the record";
}

// --- The manifest's JSON Schema ---------------------------------------------------------------

TEST(ManifestSchemaRoute, AnswersTheSchemaToAnyoneAndAPackedBundleSatisfiesIt) {
  WeftServer s;
  const Reply r = s.request("GET", "/api/schemas/manifest.json");
  ASSERT_EQ(r.status, 200) << r.text;
  ASSERT_TRUE(r.body.is_object()) << r.text.substr(0, 200);
  ASSERT_TRUE(r.body.contains("$schema")) << r.text.substr(0, 200);
  EXPECT_NE(r.body["$schema"].get<std::string>().find("draft-07"), std::string::npos) << r.body["$schema"];
  auto schema = JsonSchema::compile(r.body);
  ASSERT_TRUE(schema.ok()) << schema.error().message;

  testing::TempDir out;
  const auto packed = testing::run_process(
      {"/usr/bin/env", "node", std::string(WEFT_SOURCE_DIR) + "/sdk/bin/weft-bundle.mjs", "pack",
       std::string(WEFT_SOURCE_DIR) + "/examples/bundles/weather", "--out", out.path()});
  ASSERT_EQ(packed.exit_code, 0) << packed.out << packed.err;
  std::string archive_path;
  for (const auto& e : std::filesystem::directory_iterator(out.path())) {
    if (e.path().string().size() > 14 && e.path().string().ends_with(".bundle.tar.gz")) archive_path = e.path().string();
  }
  ASSERT_FALSE(archive_path.empty()) << "weft-bundle pack wrote no .bundle.tar.gz: " << packed.out;
  const std::string archive = testing::read_file(archive_path);
  auto files = bundles::read_bundle_archive(archive);
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_NE(files->find("manifest.json"), nullptr);
  const json manifest = json::parse(*files->find("manifest.json"));
  std::string violations;
  for (const auto& v : schema->validate(manifest)) violations += v.pointer + ": " + v.message + "\n";
  EXPECT_TRUE(violations.empty()) << violations;
  // The served schema is not a yes-to-everything: a broken copy of the same manifest fails it.
  json broken = manifest;
  broken["id"] = "Not A Vendor";
  broken["products"][0]["blocks"][0]["category"] = "actions";
  EXPECT_GE(schema->validate(broken).size(), 2u);

  // And the packed archive is what the server installs.
  Tenants t(s);
  const Reply up = upload_bundle(s, t.admin_a, archive);
  ASSERT_EQ(up.status, 201) << up.text;
  EXPECT_EQ(up.body["vendorId"], "weather");
  EXPECT_EQ(up.body["toolCount"], 2);
  EXPECT_TRUE(catalog_has(s, t.member_a, "weather.current"));
  EXPECT_FALSE(catalog_has(s, t.admin_b, "weather.current"));
}

}  // namespace
}  // namespace weft::apitest
