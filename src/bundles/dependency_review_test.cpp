// Tests of bundles/dependency_review.h: each rule (risk above max, install scripts, blocked
// packages by name and purl, no license), both sources (declared dependencies, SBOM
// components), scoped packages, several advisories per package, blockedBy's form and order,
// the JSON of the Dependencies tab, the store-backed overload, and a 5,000-component bundle.
#include "bundles/dependency_review.h"

#include <gtest/gtest.h>

#include <chrono>

#include "policy/advisory_import.h"
#include "testing/temp_dir.h"
#include "store/open_store.h"

namespace weft::bundles {
namespace {

using policy::Risk;

json osv(const std::string& id, const std::string& package, const std::string& summary, const std::string& severity,
         json events) {
  return {{"id", id},
          {"modified", "2024-01-01T00:00:00Z"},
          {"summary", summary},
          {"affected", json::array({{{"package", {{"ecosystem", "npm"}, {"name", package}}},
                                     {"ranges", json::array({{{"type", "ECOSYSTEM"}, {"events", std::move(events)}}})}}})},
          {"database_specific", {{"severity", severity}}}};
}

policy::Advisory parsed(const json& doc) {
  auto a = policy::parse_advisory(doc);
  EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
  return a.ok() ? std::move(a).take() : policy::Advisory{};
}

// Real-shaped GitHub advisories on lodash (ids, summaries, ranges and severities as published).
std::vector<policy::Advisory> lodash_advisories() {
  return {parsed(osv("GHSA-35jh-r3h4-6jhm", "lodash", "Command Injection in lodash", "HIGH",
                     json::array({{{"introduced", "0"}}, {{"fixed", "4.17.21"}}}))),
          parsed(osv("GHSA-29mw-wpgm-hmr9", "lodash", "Regular Expression Denial of Service (ReDoS) in lodash", "MODERATE",
                     json::array({{{"introduced", "4.0.0"}}, {{"fixed", "4.17.21"}}}))),
          parsed(osv("GHSA-jf85-cpcp-j695", "lodash", "Prototype Pollution in lodash", "CRITICAL",
                     json::array({{{"introduced", "0"}}, {{"fixed", "4.17.12"}}})))};
}

BundleManifest manifest_with(std::vector<DeclaredDependency> deps) {
  BundleManifest m;
  m.id = "acme";
  m.version = "1.0.0";
  BundleProduct p;
  p.id = "acme-core";
  p.name = "Acme";
  p.dependencies = std::move(deps);
  m.products.push_back(std::move(p));
  return m;
}

SbomComponent component(const std::string& name, const std::string& version, const std::string& license = "MIT",
                        const std::string& purl = "") {
  SbomComponent c;
  c.type = "library";
  c.name = name;
  c.version = version;
  c.license = license;
  c.purl = purl.empty() ? "pkg:npm/" + name + "@" + version : purl;
  c.evidence = {"node_modules/" + name + "/index.js"};
  return c;
}

policy::DependencyPolicy policy_of(Risk max, std::vector<std::string> blocked = {}, bool scripts = false) {
  policy::DependencyPolicy p;
  p.max_risk = max;
  p.blocked_packages = std::move(blocked);
  p.block_install_scripts = scripts;
  return p;
}

TEST(DependencyReview, RiskAboveMaxBlocksWithTheHighestAdvisory) {
  Sbom sbom;
  sbom.components = {component("lodash", "4.17.20")};
  auto review = review_dependencies(manifest_with({}), &sbom, policy_of(Risk::medium), lodash_advisories());
  ASSERT_EQ(review.components.size(), 1u);
  const auto& v = review.components[0].verdict;
  EXPECT_EQ(v.risk, Risk::high);
  ASSERT_EQ(v.advisories.size(), 2u);  // 4.17.20 is past the prototype-pollution fix
  EXPECT_EQ(v.advisories[0].id, "GHSA-35jh-r3h4-6jhm");
  EXPECT_EQ(v.advisories[0].range, "< 4.17.21");
  EXPECT_EQ(v.advisories[1].id, "GHSA-29mw-wpgm-hmr9");
  EXPECT_EQ(v.advisories[1].severity, Risk::medium);
  EXPECT_EQ(v.advisories[1].range, ">= 4.0.0, < 4.17.21");
  EXPECT_TRUE(v.blocked);
  EXPECT_EQ(v.reasons, std::vector<std::string>{
                           "Risk 'high' exceeds max 'medium' (GHSA-35jh-r3h4-6jhm: Command Injection in lodash < 4.17.21)"});
  EXPECT_EQ(review.blocked_by,
            std::vector<std::string>{"lodash@4.17.20: Risk 'high' exceeds max 'medium' (GHSA-35jh-r3h4-6jhm: Command "
                                     "Injection in lodash < 4.17.21)"});

  // The same version under a policy that allows high: flagged with its risk, not blocked.
  auto allowed = review_dependencies(manifest_with({}), &sbom, policy_of(Risk::high), lodash_advisories());
  EXPECT_EQ(allowed.components[0].verdict.risk, Risk::high);
  EXPECT_FALSE(allowed.components[0].verdict.blocked);
  EXPECT_FALSE(allowed.blocked());

  // An older version hits all three; critical is the highest.
  sbom.components = {component("lodash", "4.17.11")};
  auto old = review_dependencies(manifest_with({}), &sbom, policy_of(Risk::high), lodash_advisories());
  EXPECT_EQ(old.components[0].verdict.risk, Risk::critical);
  EXPECT_EQ(old.components[0].verdict.advisories.size(), 3u);
  EXPECT_EQ(old.components[0].verdict.reasons[0],
            "Risk 'critical' exceeds max 'high' (GHSA-jf85-cpcp-j695: Prototype Pollution in lodash < 4.17.12)");

  // The fixed version: no advisory, risk none, nothing blocks.
  sbom.components = {component("lodash", "4.17.21")};
  auto fixed = review_dependencies(manifest_with({}), &sbom, policy_of(Risk::low), lodash_advisories());
  EXPECT_EQ(fixed.components[0].verdict.risk, Risk::none);
  EXPECT_TRUE(fixed.components[0].verdict.advisories.empty());
  EXPECT_FALSE(fixed.blocked());
}

TEST(DependencyReview, DeclaredVersionsAreCheckedRangesAreNot) {
  auto manifest = manifest_with({{"lodash", "4.17.20", "utilities"}, {"lodash", "^4.17.0", "a range"}, {"zod", "3.24.0", "validation"}});
  auto review = review_dependencies(manifest, nullptr, policy_of(Risk::medium), lodash_advisories());
  ASSERT_EQ(review.declared.size(), 3u);
  EXPECT_EQ(review.declared[0].product, "acme-core");
  EXPECT_EQ(review.declared[0].reason, "utilities");
  EXPECT_TRUE(review.declared[0].verdict.blocked);
  EXPECT_EQ(review.declared[1].verdict.risk, Risk::none);
  EXPECT_FALSE(review.declared[1].verdict.blocked);
  EXPECT_FALSE(review.declared[2].verdict.blocked);
  EXPECT_TRUE(review.components.empty());
  ASSERT_EQ(review.blocked_by.size(), 1u);
  EXPECT_EQ(review.blocked_by[0].rfind("lodash@4.17.20: Risk 'high'", 0), 0u);
}

TEST(DependencyReview, BothSourcesGiveOneReasonOnceInBlockedBy) {
  Sbom sbom;
  sbom.components = {component("lodash", "4.17.20")};
  auto review = review_dependencies(manifest_with({{"lodash", "4.17.20", "utilities"}}), &sbom, policy_of(Risk::medium),
                                    lodash_advisories());
  EXPECT_TRUE(review.declared[0].verdict.blocked);
  EXPECT_TRUE(review.components[0].verdict.blocked);
  EXPECT_EQ(review.blocked_by.size(), 1u);
}

TEST(DependencyReview, InstallScriptsBlockOnlyWhenThePolicySays) {
  Sbom sbom;
  SbomComponent hooked = component("hooked-lib", "2.0.1");
  hooked.properties = {{"weft:npm:installScripts", "preinstall,postinstall"}, {"other", "x"}};
  SbomComponent post = component("post-only", "1.0.0");
  post.properties = {{"weft:npm:installScripts", "postinstall"}};
  sbom.components = {hooked, post, component("plain", "1.0.0")};

  auto blocking = review_dependencies(manifest_with({}), &sbom, policy_of(Risk::critical, {}, true), {});
  EXPECT_EQ(blocking.components[0].install_scripts, (std::vector<std::string>{"preinstall", "postinstall"}));
  EXPECT_EQ(blocking.components[0].verdict.reasons, std::vector<std::string>{"Has install scripts (preinstall, postinstall)"});
  EXPECT_EQ(blocking.components[1].verdict.reasons, std::vector<std::string>{"Has install scripts (postinstall)"});
  EXPECT_FALSE(blocking.components[2].verdict.blocked);
  EXPECT_EQ(blocking.blocked_by, (std::vector<std::string>{"hooked-lib@2.0.1: Has install scripts (preinstall, postinstall)",
                                                           "post-only@1.0.0: Has install scripts (postinstall)"}));

  auto allowing = review_dependencies(manifest_with({}), &sbom, policy_of(Risk::critical, {}, false), {});
  EXPECT_FALSE(allowing.blocked());
  EXPECT_EQ(allowing.components[1].verdict.flags, std::vector<std::string>{"Has install scripts (postinstall)"});
}

TEST(DependencyReview, BlockedPackagesByNamePatternAndPurl) {
  Sbom sbom;
  sbom.components = {component("lodash", "4.17.21"), component("@evil/miner", "1.0.0", "MIT", "pkg:npm/%40evil/miner@1.0.0"),
                     component("left-pad", "1.3.0"), component("fine", "1.0.0")};
  auto review = review_dependencies(manifest_with({{"event-stream", "3.3.6", "streams"}}), &sbom,
                                    policy_of(Risk::critical, {"@evil/*", "lod*", "pkg:npm/event-stream", "pkg:npm/left-pad@1.3.0"}),
                                    {});
  EXPECT_EQ(review.components[0].verdict.reasons, std::vector<std::string>{"Blocked package 'lodash' (blockedPackages: \"lod*\")"});
  EXPECT_EQ(review.components[1].verdict.reasons,
            std::vector<std::string>{"Blocked package '@evil/miner' (blockedPackages: \"@evil/*\")"});
  EXPECT_EQ(review.components[2].verdict.reasons,
            std::vector<std::string>{"Blocked package 'left-pad' (blockedPackages: \"pkg:npm/left-pad@1.3.0\")"});
  EXPECT_FALSE(review.components[3].verdict.blocked);
  EXPECT_EQ(review.declared[0].verdict.reasons,
            std::vector<std::string>{"Blocked package 'event-stream' (blockedPackages: \"pkg:npm/event-stream\")"});
  // Sorted, each prefixed with name@version.
  EXPECT_EQ(review.blocked_by, (std::vector<std::string>{
                                   "@evil/miner@1.0.0: Blocked package '@evil/miner' (blockedPackages: \"@evil/*\")",
                                   "event-stream@3.3.6: Blocked package 'event-stream' (blockedPackages: \"pkg:npm/event-stream\")",
                                   "left-pad@1.3.0: Blocked package 'left-pad' (blockedPackages: \"pkg:npm/left-pad@1.3.0\")",
                                   "lodash@4.17.21: Blocked package 'lodash' (blockedPackages: \"lod*\")"}));
}

TEST(DependencyReview, ScopedPackagesFromThePurlAndNoLicenseFlagged) {
  // A producer that puts the scope in the purl only: the advisory for "@acme/utils" still applies.
  SbomComponent scoped = component("utils", "1.0.0", "", "pkg:npm/%40acme/utils@1.0.0");
  Sbom sbom;
  sbom.components = {scoped};
  std::vector<policy::Advisory> advisories = {parsed(osv("GHSA-scop-ed00-0001", "@acme/utils", "Scoped issue", "LOW",
                                                          json::array({{{"introduced", "0"}}, {{"last_affected", "1.0.0"}}})))};
  auto review = review_dependencies(manifest_with({}), &sbom, policy_of(Risk::critical), advisories);
  const auto& c = review.components[0];
  EXPECT_EQ(c.name, "@acme/utils");
  EXPECT_EQ(c.verdict.risk, Risk::low);
  EXPECT_EQ(c.verdict.advisories[0].range, "<= 1.0.0");
  EXPECT_EQ(c.verdict.flags, std::vector<std::string>{"No license"});
  EXPECT_FALSE(c.verdict.blocked);  // flagged, never blocked
  EXPECT_FALSE(review.blocked());
  EXPECT_EQ(reviewed_package_names(manifest_with({{"zod", "3.0.0", ""}}), &sbom), (std::vector<std::string>{"@acme/utils", "zod"}));
}

TEST(DependencyReview, JsonForTheDependenciesTab) {
  Sbom sbom;
  SbomComponent hooked = component("lodash", "4.17.20", "");
  hooked.properties = {{"weft:npm:installScripts", "postinstall"}};
  sbom.components = {hooked};
  auto review = review_dependencies(manifest_with({{"lodash", "4.17.20", "utilities"}}), &sbom,
                                    policy_of(Risk::medium, {}, true), lodash_advisories());
  json j = review.to_json();
  EXPECT_EQ(j["componentCount"], 1);
  EXPECT_EQ(j["declared"][0]["product"], "acme-core");
  EXPECT_EQ(j["declared"][0]["reason"], "utilities");
  EXPECT_EQ(j["declared"][0]["risk"], "high");
  EXPECT_EQ(j["declared"][0]["blocked"], true);
  const json& c = j["components"][0];
  EXPECT_EQ(c["name"], "lodash");
  EXPECT_EQ(c["purl"], "pkg:npm/lodash@4.17.20");
  EXPECT_EQ(c["license"], "");
  EXPECT_EQ(c["evidence"], json::array({"node_modules/lodash/index.js"}));
  EXPECT_EQ(c["installScripts"], json::array({"postinstall"}));
  EXPECT_EQ(c["risk"], "high");
  EXPECT_EQ(c["advisories"][0], (json{{"id", "GHSA-35jh-r3h4-6jhm"}, {"severity", "high"},
                                      {"summary", "Command Injection in lodash"}, {"range", "< 4.17.21"}}));
  EXPECT_EQ(c["reasons"].size(), 2u);
  EXPECT_EQ(c["flags"], json::array({"No license"}));
  EXPECT_EQ(j["blockedBy"].size(), 2u);
  EXPECT_EQ(j["blockedBy"][0], "lodash@4.17.20: Has install scripts (postinstall)");
}

TEST(DependencyReview, ReadsAdvisoriesFromTheStore) {
  weft::testing::TempDir dir;
  store::StoreOptions options;
  options.url = "sqlite://" + dir.path() + "/weft.db";
  auto store = store::open_store(options);
  ASSERT_TRUE(store.ok()) << store.error().message;
  policy::AdvisoryImport import((*store)->advisories());
  for (const auto& a : lodash_advisories()) ASSERT_TRUE(import.add(a.document).ok());
  ASSERT_TRUE(import.add(osv("GHSA-othr-0000-0000", "other", "Other", "CRITICAL", json::array({{{"introduced", "0"}}}))).ok());
  ASSERT_TRUE(import.finish().ok());
  Sbom sbom;
  sbom.components = {component("lodash", "4.17.20")};
  auto review = review_dependencies(manifest_with({}), &sbom, policy_of(Risk::medium), **store);
  ASSERT_TRUE(review.ok()) << review.error().message;
  EXPECT_EQ(review->components[0].verdict.risk, Risk::high);
  EXPECT_EQ(review->blocked_by.size(), 1u);
}

TEST(DependencyReview, FiveThousandComponentsStayFast) {
  constexpr int kComponents = 5000;
  Sbom sbom;
  std::vector<policy::Advisory> advisories;
  for (int i = 0; i < kComponents; ++i) {
    const std::string name = (i % 3 == 0 ? "@scope/pkg-" : "pkg-") + std::to_string(i);
    sbom.components.push_back(component(name, "1." + std::to_string(i % 7) + ".0", i % 11 == 0 ? "" : "MIT",
                                        i % 3 == 0 ? "pkg:npm/%40scope/pkg-" + std::to_string(i) + "@1." + std::to_string(i % 7) + ".0" : ""));
    if (i % 5 == 0) {
      advisories.push_back(parsed(osv("GHSA-" + std::to_string(i), name, "issue " + std::to_string(i), i % 2 ? "HIGH" : "LOW",
                                      json::array({{{"introduced", "0"}}, {{"fixed", "1.4.0"}}}))));
    }
  }
  const auto start = std::chrono::steady_clock::now();
  auto review = review_dependencies(manifest_with({}), &sbom, policy_of(Risk::medium, {"pkg-49*", "@scope/never"}, true), advisories);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 2000);
  ASSERT_EQ(review.components.size(), static_cast<std::size_t>(kComponents));
  std::size_t risky = 0, high_blocked = 0, no_license = 0;
  for (int i = 0; i < kComponents; ++i) {
    const auto& v = review.components[i].verdict;
    const bool advised = i % 5 == 0 && i % 7 < 4;
    EXPECT_EQ(v.risk != Risk::none, advised) << i;
    if (advised) ++risky;
    if (advised && i % 2) ++high_blocked;
    if (i % 11 == 0) {
      ++no_license;
      EXPECT_EQ(v.flags.front(), "No license");
    }
  }
  EXPECT_GT(risky, 0u);
  std::size_t risk_reasons = 0;
  for (const auto& b : review.blocked_by) risk_reasons += b.find(": Risk 'high' exceeds max 'medium'") != std::string::npos;
  EXPECT_EQ(risk_reasons, high_blocked);
  EXPECT_TRUE(std::is_sorted(review.blocked_by.begin(), review.blocked_by.end()));
  EXPECT_EQ(review.to_json()["componentCount"], kComponents);
}

}  // namespace
}  // namespace weft::bundles
