// The three policy types: their JSON Schemas (hostile documents refused with every violation),
// field-by-field strictest, the tighten-only comparison, and blockedPackages patterns.
#include <gtest/gtest.h>

#include "policy/dependency_policy.h"
#include "policy/execution_policy.h"
#include "policy/governance_policy.h"

namespace weft::policy {
namespace {

TEST(PolicyDocument, DefaultsRoundTripThroughTheirSchemas) {
  EXPECT_TRUE(check_policy_document(PolicyKind::execution, ExecutionPolicy{}.to_json()).ok());
  EXPECT_TRUE(check_policy_document(PolicyKind::governance, GovernancePolicy{}.to_json()).ok());
  EXPECT_TRUE(check_policy_document(PolicyKind::dependency, DependencyPolicy{}.to_json()).ok());
  EXPECT_EQ(ExecutionPolicy::from_json(ExecutionPolicy{}.to_json()).take(), ExecutionPolicy{});
  EXPECT_EQ(ExecutionPolicy{}.to_json()["allowedCapabilities"],
            (json{"tools", "llm", "stt", "tts", "embedding"}));
  EXPECT_EQ(policy_schema(PolicyKind::governance)["additionalProperties"], false);
  EXPECT_EQ(parse_policy_kind("dependency"), PolicyKind::dependency);
  EXPECT_FALSE(parse_policy_kind("Dependency").has_value());
}

TEST(PolicyDocument, HostileDocumentsAreRefusedWithEveryViolation) {
  auto bad = GovernancePolicy::from_json(
      {{"allowedVendorScopes", {"platform", "everything"}}, {"allowOrgUploads", "yes"}, {"blockedVendorIds", {"Acme!"}},
       {"extra", 1}},
      GovernancePolicy{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kInvalidPolicy);
  ASSERT_TRUE(bad.error().details.is_array());
  EXPECT_GE(bad.error().details.size(), 4u);
  for (const auto& d : bad.error().details) EXPECT_TRUE(d.contains("pointer") && d.contains("message"));

  EXPECT_EQ(ExecutionPolicy::from_json(json::array()).error().code, kInvalidPolicy);
  EXPECT_EQ(ExecutionPolicy::from_json({{"maxTimeoutSeconds", 0}}).error().code, kInvalidPolicy);
  EXPECT_EQ(ExecutionPolicy::from_json({{"maxTimeoutSeconds", 1e12}}).error().code, kInvalidPolicy);
  EXPECT_EQ(ExecutionPolicy::from_json({{"allowedCapabilities", {"tools", "tools"}}}).error().code, kInvalidPolicy);
  EXPECT_EQ(ExecutionPolicy::from_json({{"allowedCapabilities", {"teleport"}}}).error().code, kInvalidPolicy);
  EXPECT_EQ(DependencyPolicy::from_json({{"maxRisk", "none"}}, {}).error().code, kInvalidPolicy);
  EXPECT_EQ(DependencyPolicy::from_json({{"blockedPackages", {""}}}, {}).error().code, kInvalidPolicy);
  EXPECT_EQ(DependencyPolicy::from_json({{"blockedPackages", {std::string(100000, 'a')}}}, {}).error().code,
            kInvalidPolicy);
  json many = json::array();
  for (int i = 0; i < 1001; ++i) many.push_back("p" + std::to_string(i));
  EXPECT_EQ(DependencyPolicy::from_json({{"blockedPackages", many}}, {}).error().code, kInvalidPolicy);
  json deep = json::array();
  for (int i = 0; i < 200; ++i) deep = json::array({deep});
  EXPECT_EQ(GovernancePolicy::from_json({{"blockedVendorIds", deep}}, {}).error().code, kInvalidPolicy);
}

TEST(PolicyDocument, FieldsLeftOutKeepTheBase) {
  DependencyPolicy base;
  base.max_risk = Risk::medium;
  base.blocked_packages = {"left-pad"};
  auto p = DependencyPolicy::from_json({{"blockInstallScripts", true}}, base);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->max_risk, Risk::medium);
  EXPECT_EQ(p->blocked_packages, (std::vector<std::string>{"left-pad"}));
  EXPECT_TRUE(p->block_install_scripts);
  auto e = ExecutionPolicy::from_json({{"allowedCapabilities", {"stt", "tools", "llm"}}});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->allowed_capabilities, (std::vector<std::string>{"tools", "llm", "stt"}));  // canonical order
}

TEST(PolicyStrictness, StrictestTakesTheStricterOfEachField) {
  ExecutionPolicy a, b;
  a.max_concurrent_executions = 0;  // no limit
  b.max_concurrent_executions = 4;
  a.max_timeout_seconds = 10;
  b.allowed_capabilities = {"tools", "llm"};
  a.code_network = true;
  auto e = strictest(a, b);
  EXPECT_EQ(e.max_concurrent_executions, 4);
  EXPECT_EQ(e.max_timeout_seconds, 10);
  EXPECT_EQ(e.allowed_capabilities, (std::vector<std::string>{"tools", "llm"}));
  EXPECT_FALSE(e.code_network);

  GovernancePolicy g1, g2;
  g1.allowed_vendor_scopes = {"first-party", "platform"};
  g2.require_approval_for_uploads = true;
  g1.blocked_vendor_ids = {"a"};
  g2.blocked_vendor_ids = {"b"};
  g2.allow_org_uploads = false;
  auto g = strictest(g1, g2);
  EXPECT_EQ(g.allowed_vendor_scopes, (std::vector<std::string>{"first-party", "platform"}));
  EXPECT_TRUE(g.require_approval_for_uploads);
  EXPECT_FALSE(g.allow_org_uploads);
  EXPECT_EQ(g.blocked_vendor_ids, (std::vector<std::string>{"a", "b"}));

  DependencyPolicy d1, d2;
  d1.max_risk = Risk::high;
  d2.max_risk = Risk::low;
  d1.block_install_scripts = true;
  auto d = strictest(d1, d2);
  EXPECT_EQ(d.max_risk, Risk::low);
  EXPECT_TRUE(d.block_install_scripts);
}

TEST(PolicyStrictness, LoosenedNamesEveryLooserField) {
  ExecutionPolicy limit;
  limit.max_concurrent_executions = 4;
  limit.allowed_capabilities = {"tools"};
  ExecutionPolicy proposed = limit;
  EXPECT_TRUE(loosened(limit, proposed).empty());
  proposed.max_concurrent_executions = 0;  // "no limit" is looser than 4
  proposed.allowed_capabilities = {"tools", "llm"};
  proposed.code_network = true;
  auto found = loosened(limit, proposed);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].field, "maxConcurrentExecutions");
  EXPECT_EQ(found[1].field, "allowedCapabilities");
  EXPECT_NE(found[1].message.find("'llm'"), std::string::npos);
  EXPECT_EQ(found[2].field, "codeNetwork");

  GovernancePolicy glimit;
  glimit.require_approval_for_uploads = true;
  glimit.blocked_vendor_ids = {"evil"};
  GovernancePolicy tighter = glimit;
  tighter.blocked_vendor_ids = {"evil", "worse"};
  tighter.allowed_vendor_scopes = {"first-party"};
  tighter.allow_org_uploads = false;
  EXPECT_TRUE(loosened(glimit, tighter).empty());
  GovernancePolicy looser;
  auto g = loosened(glimit, looser);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].field, "requireApprovalForUploads");
  EXPECT_EQ(g[1].field, "blockedVendorIds");

  DependencyPolicy dlimit;
  dlimit.max_risk = Risk::medium;
  DependencyPolicy dp;
  dp.max_risk = Risk::critical;
  auto d = loosened(dlimit, dp);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "maxRisk 'critical' is looser than the platform's 'medium'");
}

TEST(PackagePatterns, NamesPurlsAndWildcards) {
  const std::string purl = "pkg:npm/lodash@4.17.20";
  EXPECT_TRUE(package_pattern_matches("lodash", "lodash", purl));
  EXPECT_FALSE(package_pattern_matches("lodash", "lodash-es", "pkg:npm/lodash-es@4.17.21"));
  EXPECT_TRUE(package_pattern_matches("lodash*", "lodash-es", "pkg:npm/lodash-es@4.17.21"));
  EXPECT_TRUE(package_pattern_matches("@evil/*", "@evil/thing", "pkg:npm/%40evil/thing@1.0.0"));
  EXPECT_FALSE(package_pattern_matches("@evil/*", "@good/thing", "pkg:npm/%40good/thing@1.0.0"));
  EXPECT_TRUE(package_pattern_matches("pkg:npm/lodash", "lodash", purl));
  EXPECT_TRUE(package_pattern_matches("pkg:npm/lodash@4.17.20", "lodash", purl));
  EXPECT_FALSE(package_pattern_matches("pkg:npm/lodash@4.17.21", "lodash", purl));
  EXPECT_TRUE(package_pattern_matches("pkg:npm/lodash@4.*", "lodash", purl));
  EXPECT_TRUE(package_pattern_matches("pkg:npm/%40evil/thing", "@evil/thing", "pkg:npm/%40evil/thing@1.0.0"));
  EXPECT_FALSE(package_pattern_matches("pkg:npm/lodash", "lodash", ""));
  EXPECT_TRUE(package_pattern_matches("*", "anything", ""));
  // Many stars against a long name stays fast (no exponential backtracking).
  EXPECT_FALSE(package_pattern_matches(std::string(200, '*') + "b", std::string(100000, 'a'), ""));
}

TEST(Risk, ParsesGithubAndOsvWords) {
  EXPECT_EQ(parse_risk("MODERATE"), Risk::medium);
  EXPECT_EQ(parse_risk("Critical"), Risk::critical);
  EXPECT_FALSE(parse_risk("severe").has_value());
  EXPECT_LT(Risk::none, Risk::low);
  EXPECT_LT(Risk::high, Risk::critical);
}

}  // namespace
}  // namespace weft::policy
