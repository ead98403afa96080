// What `weft-bundle build` (sdk/, run with the machine's node) produces passes the static check:
// the example bundle (examples/bundles/weather), the SDK's own fixture with an npm dependency and
// a trigger (sdk/test/fixtures/with-dep), and a project written here using oauth2, capabilities
// and a data: icon. The schema must accept exactly what the SDK writes; if the SDK changes its
// output, these fail.
#include "bundles/bundle_check.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft::bundles {
namespace {

namespace fs = std::filesystem;

const std::string kRoot = WEFT_SOURCE_DIR;

// Every regular file under `dir`, by relative path.
BundleFiles read_folder(const std::string& dir) {
  BundleFiles files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string content = testing::read_file(entry.path().string());
    files.total_bytes += content.size();
    files.files[fs::relative(entry.path(), dir).generic_string()] = std::move(content);
  }
  return files;
}

// Builds `project` into `out` with the SDK's CLI; fails the test when the build does.
BundleFiles build(const std::string& project, const std::string& out) {
  auto r = testing::run_process({"/usr/bin/env", "node", kRoot + "/sdk/bin/weft-bundle.mjs", "build", project, "--out", out});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return read_folder(out);
}

std::string dump(const Error& error) {
  std::string s = error.message + "\n";
  for (const auto& p : problems_of(error)) s += p.path + " [" + p.code + "] " + p.message + "\n";
  return s;
}

TEST(SdkManifest, TheWeatherExamplePasses) {
  testing::TempDir tmp;
  const BundleFiles files = build(kRoot + "/examples/bundles/weather", tmp.file("weather"));
  ASSERT_TRUE(files.find("manifest.json")) << "the build wrote no manifest";
  auto r = check_bundle(files);
  ASSERT_TRUE(r.ok()) << dump(r.error());
  const BundleManifest& m = r->manifest;
  EXPECT_EQ(m.id, "weather");
  EXPECT_EQ(m.version, "1.0.0");
  EXPECT_EQ(m.icon, "assets/icon.svg");
  EXPECT_EQ(m.auth_type, vault::AuthType::api_key);
  EXPECT_EQ(m.allowed_hosts, (std::vector<std::string>{"api.open-meteo.com"}));
  EXPECT_EQ(m.capabilities, (std::vector<std::string>{"tools"}));
  ASSERT_EQ(m.blocks.size(), 2u);
  EXPECT_EQ(m.blocks[0].id, "weather.current");
  EXPECT_EQ(m.blocks[0].kind, BlockKind::tool);
  EXPECT_EQ(r->source, *files.find("dist/index.js"));
  // The SDK itself is bundled: the SBOM names it.
  bool sdk_listed = false;
  for (const auto& c : r->sbom.components) sdk_listed |= c.name == "@weft/sdk";
  EXPECT_TRUE(sdk_listed);
}

TEST(SdkManifest, TheSdkFixtureWithADependencyAndATriggerPasses) {
  testing::TempDir tmp;
  const BundleFiles files = build(kRoot + "/sdk/test/fixtures/with-dep", tmp.file("with-dep"));
  auto r = check_bundle(files);
  ASSERT_TRUE(r.ok()) << dump(r.error());
  const BundleManifest& m = r->manifest;
  EXPECT_EQ(m.id, "with-dep");
  ASSERT_EQ(m.products.size(), 1u);
  ASSERT_EQ(m.products[0].dependencies.size(), 1u);
  EXPECT_EQ(m.products[0].dependencies[0].name, "tiny-lib");
  EXPECT_EQ(m.products[0].dependencies[0].reason, "shouting");
  bool trigger = false;
  for (const auto& b : m.blocks) trigger |= (b.kind == BlockKind::trigger && b.category == "triggers");
  EXPECT_TRUE(trigger);
  const SbomComponent* tiny = nullptr;
  for (const auto& c : r->sbom.components) {
    if (c.name == "tiny-lib") tiny = &c;
  }
  ASSERT_NE(tiny, nullptr);
  EXPECT_EQ(tiny->purl, "pkg:npm/tiny-lib@" + tiny->version);
  EXPECT_FALSE(tiny->evidence.empty());
}

// A project written here: oauth2 with its endpoints and scopes, capabilities, a "blocks" tool,
// a data: icon and a pre-release version — the manifest fields the fixtures above leave out.
constexpr char kOAuthProject[] = R"JS(
import { defineProduct, defineTool, defineTrigger, defineVendor } from "@weft/sdk";
const t = defineTool({ id: "acme-crm.find", name: "Find", description: "Finds.", category: "blocks",
  inputSchema: { type: "object", properties: { q: { type: "string", pattern: "^[a-z]+$" } } },
  outputSchema: { type: "object" }, run: (input) => ({ found: input.q }) });
const w = defineTrigger({ id: "acme-crm.on_lead", name: "On lead", description: "",
  inputSchema: { type: "object" }, outputSchema: { type: "object" }, run: () => ({}) });
export default defineVendor({ id: "acme-crm", name: "Acme CRM", version: "2.0.0-rc.1+build.7",
  icon: "data:image/svg+xml;base64,PHN2Zy8+",
  auth: { type: "oauth2", authorizeUrl: "https://crm.acme.example/oauth/authorize",
          tokenUrl: "https://crm.acme.example/oauth/token", scopes: ["leads.read"] },
  network: { allowedHosts: ["crm.acme.example", "*.files.acme.example"] },
  capabilities: ["tools", "llm", "embedding"],
  products: [defineProduct({ id: "crm", name: "CRM", tools: [t], triggers: [w] })] });
)JS";

TEST(SdkManifest, AnOAuthProjectPasses) {
  testing::TempDir tmp;
  fs::create_directories(tmp.file("project/src"));
  testing::write_file(tmp.file("project/src/index.js"), kOAuthProject);
  const BundleFiles files = build(tmp.file("project"), tmp.file("out"));
  auto r = check_bundle(files);
  ASSERT_TRUE(r.ok()) << dump(r.error());
  const BundleManifest& m = r->manifest;
  EXPECT_EQ(m.auth_type, vault::AuthType::oauth2);
  EXPECT_EQ(m.auth.token_url, "https://crm.acme.example/oauth/token");
  EXPECT_EQ(m.auth.scopes, (std::vector<std::string>{"leads.read"}));
  EXPECT_EQ(m.capabilities, (std::vector<std::string>{"tools", "llm", "embedding"}));
  EXPECT_EQ(m.semver.pre_release, (std::vector<std::string>{"rc", "1"}));
  EXPECT_EQ(m.category, "Other");  // the SDK's default product category
  ASSERT_EQ(m.blocks.size(), 2u);
  EXPECT_EQ(m.blocks[0].kind, BlockKind::block);
  EXPECT_EQ(m.blocks[1].kind, BlockKind::trigger);
}

// The SDK lets some definitions through that the server refuses (see the report of this
// change): oauth2 without scopes, a version that is not SemVer, an unknown capability. The
// build succeeds and check_bundle names each one.
TEST(SdkManifest, WhatTheSdkAcceptsButTheServerRefuses) {
  testing::TempDir tmp;
  fs::create_directories(tmp.file("project/src"));
  std::string source = kOAuthProject;
  source.replace(source.find(", scopes: [\"leads.read\"]"), std::string(", scopes: [\"leads.read\"]").size(), "");
  source.replace(source.find("2.0.0-rc.1+build.7"), std::string("2.0.0-rc.1+build.7").size(), "2.0");
  source.replace(source.find("\"embedding\""), std::string("\"embedding\"").size(), "\"telepathy\"");
  testing::write_file(tmp.file("project/src/index.js"), source);
  const BundleFiles files = build(tmp.file("project"), tmp.file("out"));
  auto r = check_bundle(files);
  ASSERT_FALSE(r.ok());
  std::set<std::string> paths;
  for (const auto& p : problems_of(r.error())) {
    EXPECT_EQ(p.code, kManifestSchema) << dump(r.error());
    paths.insert(p.path);
  }
  EXPECT_EQ(paths, (std::set<std::string>{"manifest.json#/auth", "manifest.json#/version", "manifest.json#/capabilities/2"}))
      << dump(r.error());
}

}  // namespace
}  // namespace weft::bundles
