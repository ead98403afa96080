// The review tabs that the black-box test cannot reach through the SDK of today: install scripts
// read from the CycloneDX property weft-bundle is to write, a record without an SBOM, the oauth2
// and none setups, switched-off blocks; on a real SQLite store for the credentials.
#include "bundles/review.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"
#include "store/open_store.h"

namespace weft::bundles {
namespace {

BundleManifest manifest(const json& auth) {
  const json m = {{"id", "rev"},
                  {"name", "Rev"},
                  {"version", "1.0.0"},
                  {"auth", auth},
                  {"products",
                   {{{"id", "rev-core"},
                     {"name", "Rev"},
                     {"dependencies", {{{"name", "zod"}, {"version", "^3"}, {"reason", "validation"}}}},
                     {"blocks",
                      {{{"id", "rev.a"}, {"name", "A"}, {"inputSchema", {{"type", "object"}}}, {"outputSchema", {{"type", "object"}}}},
                       {{"id", "rev.t"}, {"name", "T"}, {"category", "triggers"}, {"inputSchema", {{"type", "object"}}},
                        {"outputSchema", {{"type", "object"}}}}}}}}}};
  auto parsed = parse_bundle_manifest(m);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().details.dump());
  return parsed.ok() ? std::move(parsed).take() : BundleManifest{};
}

TEST(ReviewTabs, DependenciesListInstallScriptsAndFlagUnlicensedComponents) {
  const auto m = manifest({{"type", "none"}});
  auto sbom = parse_sbom(json::parse(R"({"bomFormat":"CycloneDX","specVersion":"1.6","components":[
    {"type":"library","name":"esbuild-ish","version":"1.0.0","licenses":[{"license":{"id":"MIT"}}],
     "purl":"pkg:npm/esbuild-ish@1.0.0","evidence":{"occurrences":[{"location":"node_modules/esbuild-ish/a.js"}]},
     "properties":[{"name":"other","value":"x"},{"name":"weft:npm:installScripts","value":" preinstall, postinstall ,"}]},
    {"type":"library","name":"bare"}]})"));
  ASSERT_TRUE(sbom.ok());
  const json tab = dependencies_tab(m, &*sbom);
  EXPECT_EQ(tab["declared"], json::parse(R"([{"product":"rev-core","name":"zod","version":"^3","reason":"validation"}])"));
  EXPECT_EQ(tab["componentCount"], 2);
  EXPECT_EQ(tab["components"][0], json::parse(R"({"name":"esbuild-ish","version":"1.0.0","type":"library","license":"MIT",
    "purl":"pkg:npm/esbuild-ish@1.0.0","evidence":["node_modules/esbuild-ish/a.js"],
    "installScripts":["preinstall","postinstall"]})"));
  EXPECT_EQ(tab["components"][1], json::parse(R"({"name":"bare","version":"","type":"library","license":null,"purl":null,
    "evidence":[],"installScripts":[],"unlicensed":true})"));
  EXPECT_FALSE(tab.contains("note"));

  const json none = dependencies_tab(m, nullptr);
  EXPECT_EQ(none["sbomRecorded"], false);
  EXPECT_EQ(none["note"], "SBOM not recorded");
  EXPECT_TRUE(none["componentCount"].is_null());
  EXPECT_EQ(none["components"], json::array());
  EXPECT_EQ(none["declared"].size(), 1u);
}

TEST(ReviewTabs, CapabilitiesSplitToolsAndTriggersWithTheirSwitches) {
  const auto m = manifest({{"type", "none"}});
  store::BundleRecord r;
  r.disabled_blocks = {"rev.t"};
  const json tab = capabilities_tab(r, m);
  EXPECT_EQ(tab["tools"][0]["enabled"], true);
  EXPECT_EQ(tab["triggers"][0]["id"], "rev.t");
  EXPECT_EQ(tab["triggers"][0]["enabled"], false);
  EXPECT_EQ(tab["runtimeCapabilities"], json({"tools"}));
  EXPECT_EQ(tab["networkHosts"], json::array());
  EXPECT_EQ(tab["products"][0]["blocks"], json({"rev.a", "rev.t"}));
}

TEST(ReviewTabs, SetupNamesTheFieldsAndOnlyTheOrgsMatchingCredentials) {
  testing::TempDir dir;
  auto store = store::open_store({dir.file("weft.db")});
  ASSERT_TRUE(store.ok());
  auto& s = **store;
  const OrgId a = s.orgs().create("A")->id, b = s.orgs().create("B")->id;
  auto credential = [&](const OrgId& org, const std::string& provider, const std::string& type, const std::string& name) {
    store::CredentialRecord c;
    c.id = new_id<CredentialId>();
    c.org = org;
    c.provider = provider;
    c.type = type;
    c.name = name;
    c.sealed = {1, 2, 3};
    EXPECT_TRUE(s.credentials().insert(c).ok());
    return c.id.str();
  };
  const std::string mine = credential(a, "rev", "oauth2", "rev oauth");
  credential(a, "rev", "api_key", "wrong type");
  credential(a, "github", "oauth2", "wrong provider");
  credential(b, "rev", "oauth2", "other org");

  const auto oauth = manifest({{"type", "oauth2"},
                               {"authorizeUrl", "https://rev.test/authorize"},
                               {"tokenUrl", "https://rev.test/token"},
                               {"scopes", {"read", "write"}}});
  auto tab = setup_tab(s, oauth, a);
  ASSERT_TRUE(tab.ok());
  EXPECT_EQ((*tab)["authType"], "oauth2");
  EXPECT_EQ((*tab)["oauth2"], json::parse(R"({"authorizeUrl":"https://rev.test/authorize","tokenUrl":"https://rev.test/token",
    "scopes":["read","write"]})"));
  EXPECT_EQ((*tab)["fields"][0], json::parse(R"({"name":"access_token","required":true})"));
  EXPECT_EQ((*tab)["credentials"], json::parse(R"([{"id":")" + mine + R"(","name":"rev oauth"}])"));
  EXPECT_EQ((*tab)["hasCredential"], true);
  EXPECT_EQ(tab->dump().find("\"sealed\""), std::string::npos);

  auto none = setup_tab(s, manifest({{"type", "none"}}), a);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, json::parse(R"({"authType":"none","needsCredential":false,"fields":[],"credentials":[],
    "hasCredential":false})"));
  auto nobody = setup_tab(s, oauth, b);
  ASSERT_TRUE(nobody.ok());
  EXPECT_EQ((*nobody)["credentials"].size(), 1u);
  EXPECT_EQ((*nobody)["credentials"][0]["name"], "other org");
}

}  // namespace
}  // namespace weft::bundles
