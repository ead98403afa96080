// Policy layers on a real SQLite store: the platform default, the platform's document for one
// org (the ceiling), and the org admins' document, which may only tighten it.
#include <gtest/gtest.h>

#include "policy/policies.h"
#include "testing/temp_dir.h"
#include "store/open_store.h"

namespace weft::policy {
namespace {

class PoliciesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store({.url = dir_.file("weft.db")}).take();
    org_ = store_->orgs().ensure("acme").take().id;
    other_ = store_->orgs().ensure("globex").take().id;
  }
  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  OrgId org_, other_;
};

TEST_F(PoliciesTest, NothingStoredMeansTheBuiltInDefaults) {
  Policies p(*store_);
  EXPECT_EQ(p.effective(org_).take(), PolicySet{});
  EXPECT_EQ(p.platform_default().take(), PolicySet{});
}

TEST_F(PoliciesTest, LayersCombineDefaultThenPlatformThenOrg) {
  Policies p(*store_);
  ASSERT_TRUE(p.put_platform_default(PolicyKind::dependency, {{"maxRisk", "high"}}).ok());
  ASSERT_TRUE(p.put_platform_for_org(PolicyKind::dependency, org_, {{"blockedPackages", {"left-pad"}}}).ok());
  ASSERT_TRUE(p.put_org(PolicyKind::dependency, org_, {{"maxRisk", "medium"}, {"blockInstallScripts", true}}).ok());

  auto mine = p.effective(org_).take().dependency;
  EXPECT_EQ(mine.max_risk, Risk::medium);
  EXPECT_EQ(mine.blocked_packages, (std::vector<std::string>{"left-pad"}));
  EXPECT_TRUE(mine.block_install_scripts);
  auto theirs = p.effective(other_).take().dependency;  // only the default reaches the other org
  EXPECT_EQ(theirs.max_risk, Risk::high);
  EXPECT_TRUE(theirs.blocked_packages.empty());
  EXPECT_FALSE(theirs.block_install_scripts);

  // The platform lowering the default below the org's own document wins (strictest of both).
  ASSERT_TRUE(p.put_platform_default(PolicyKind::dependency, {{"maxRisk", "low"}}).ok());
  EXPECT_EQ(p.effective(org_).take().dependency.max_risk, Risk::low);
}

TEST_F(PoliciesTest, OrgAdminsMayOnlyTighten) {
  Policies p(*store_);
  ASSERT_TRUE(p.put_platform_for_org(PolicyKind::governance, org_,
                                     {{"requireApprovalForUploads", true}, {"blockedVendorIds", {"evil"}}})
                  .ok());
  auto loosen = p.put_org(PolicyKind::governance, org_, {{"requireApprovalForUploads", false}});
  ASSERT_FALSE(loosen.ok());
  EXPECT_EQ(loosen.error().code, kPolicyLoosened);
  ASSERT_EQ(loosen.error().details.size(), 1u);
  EXPECT_EQ(loosen.error().details[0]["field"], "requireApprovalForUploads");
  auto drop = p.put_org(PolicyKind::governance, org_, {{"blockedVendorIds", json::array()}});
  ASSERT_FALSE(drop.ok());
  EXPECT_EQ(drop.error().details[0]["field"], "blockedVendorIds");
  // Nothing was stored by the refused calls.
  EXPECT_EQ(p.effective(org_).take().governance.blocked_vendor_ids, (std::vector<std::string>{"evil"}));

  ASSERT_TRUE(p.put_org(PolicyKind::governance, org_, {{"blockedVendorIds", {"evil", "worse"}}, {"allowOrgUploads", false}})
                  .ok());
  auto g = p.effective(org_).take().governance;
  EXPECT_EQ(g.blocked_vendor_ids, (std::vector<std::string>{"evil", "worse"}));
  EXPECT_FALSE(g.allow_org_uploads);
  EXPECT_TRUE(g.require_approval_for_uploads);

  ASSERT_TRUE(p.put_platform_for_org(PolicyKind::execution, org_, {{"maxConcurrentExecutions", 2}}).ok());
  EXPECT_EQ(p.put_org(PolicyKind::execution, org_, {{"maxConcurrentExecutions", 0}}).error().code, kPolicyLoosened);
  EXPECT_TRUE(p.put_org(PolicyKind::execution, org_, {{"maxConcurrentExecutions", 1}}).ok());
  EXPECT_EQ(p.effective(org_).take().execution.max_concurrent_executions, 1);
}

TEST_F(PoliciesTest, InvalidDocumentsAreRefusedAtEveryLayerAndStoreNothing) {
  Policies p(*store_);
  EXPECT_EQ(p.put_platform_default(PolicyKind::execution, {{"maxTimeoutSeconds", -1}}).error().code, kInvalidPolicy);
  EXPECT_EQ(p.put_platform_for_org(PolicyKind::governance, org_, "nope").error().code, kInvalidPolicy);
  EXPECT_EQ(p.put_org(PolicyKind::dependency, org_, {{"maxRisk", "apocalyptic"}}).error().code, kInvalidPolicy);
  EXPECT_EQ(p.effective(org_).take(), PolicySet{});
  // Read-only keys GET adds are ignored, so a GET body can be PUT back.
  json doc = ExecutionPolicy{}.to_json();
  doc["orgId"] = org_.str();
  doc["kind"] = "execution";
  doc["platform"] = ExecutionPolicy{}.to_json();
  EXPECT_TRUE(p.put_org(PolicyKind::execution, org_, doc).ok());
}

TEST_F(PoliciesTest, TheLegacyExecutionPolicySettingIsThePlatformLayer) {
  ASSERT_TRUE(store_->settings()
                  .put(org_, kExecutionPolicySetting, {{"maxConcurrentExecutions", 3}, {"maxTimeoutSeconds", 20},
                                                      {"codeNetwork", true}})
                  .ok());
  Policies p(*store_);
  auto e = p.effective(org_).take().execution;
  EXPECT_EQ(e.max_concurrent_executions, 3);
  EXPECT_EQ(e.max_timeout_seconds, 20);
  EXPECT_TRUE(e.code_network);
  EXPECT_EQ(e.allowed_capabilities.size(), 5u);
}

}  // namespace
}  // namespace weft::policy
