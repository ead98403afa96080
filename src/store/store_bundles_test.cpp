// Contract tests of BundleStore: uploaded bundle records, their visibility per org, the unique
// (scope, org, vendor, version) rule, and the lifecycle fields.
#include "store/store_test_fixture.h"

namespace weft::store::test {
namespace {

class BundleStoreTest : public StoreTest {
 protected:
  BundleRecord make(const std::string& vendor, const std::string& version, const OrgId& org) {
    BundleRecord r;
    r.id = new_id<BundleId>(clock_);
    r.scope = org.empty() ? BundleScope::platform : BundleScope::organization;
    r.org = org;
    r.vendor_id = vendor;
    r.version = version;
    r.manifest = {{"id", vendor}, {"version", version}};
    r.storage_key = "k/" + vendor + "/" + version;
    r.sha256 = std::string(64, 'a');
    r.size = 123;
    r.icon = "data:image/svg+xml;base64,PHN2Zy8+";
    r.uploaded_at = clock_.now_ms();
    clock_.advance_ms(1);
    return r;
  }
};

TEST_P(BundleStoreTest, InsertGetAndVisibility) {
  auto mine = make("acme", "1.0.0", org_a_);
  auto theirs = make("acme", "1.0.0", org_b_);  // the same vendor+version in another org is fine
  auto platform = make("tools", "2.0.0", OrgId());
  mine.disabled_blocks = {"acme.b", "acme.a", "acme.a"};
  ASSERT_TRUE(store_->bundles().insert(mine).ok());
  ASSERT_TRUE(store_->bundles().insert(theirs).ok());
  ASSERT_TRUE(store_->bundles().insert(platform).ok());

  auto got = store_->bundles().get(mine.id);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->vendor_id, "acme");
  EXPECT_EQ(got->org, org_a_);
  EXPECT_EQ(got->manifest, mine.manifest);
  EXPECT_EQ(got->size, 123);
  EXPECT_EQ(got->icon, "data:image/svg+xml;base64,PHN2Zy8+");
  EXPECT_EQ(got->status, BundleStatus::active);
  EXPECT_EQ(got->disabled_blocks, (std::vector<std::string>{"acme.a", "acme.b"}));

  auto visible = store_->bundles().visible_to(org_a_);
  ASSERT_TRUE(visible.ok());
  ASSERT_EQ(visible->size(), 2u);
  EXPECT_EQ((*visible)[0].id, mine.id);
  EXPECT_EQ((*visible)[1].id, platform.id);
  EXPECT_EQ((*visible)[1].scope, BundleScope::platform);
  EXPECT_TRUE((*visible)[1].org.empty());
  auto all = store_->bundles().all();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
}

TEST_P(BundleStoreTest, SameVendorVersionInOneScopeIsAConflict) {
  ASSERT_TRUE(store_->bundles().insert(make("acme", "1.0.0", org_a_)).ok());
  auto again = store_->bundles().insert(make("acme", "1.0.0", org_a_));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "conflict");
  ASSERT_TRUE(store_->bundles().insert(make("acme", "1.0.0", OrgId())).ok());
  auto platform_again = store_->bundles().insert(make("acme", "1.0.0", OrgId()));
  ASSERT_FALSE(platform_again.ok());
  EXPECT_EQ(platform_again.error().code, "conflict");
  ASSERT_TRUE(store_->bundles().insert(make("acme", "1.0.1", org_a_)).ok());
}

TEST_P(BundleStoreTest, UnknownOrgIsNotFound) {
  auto r = make("acme", "1.0.0", OrgId("org_nope"));
  auto inserted = store_->bundles().insert(r);
  ASSERT_FALSE(inserted.ok());
  EXPECT_EQ(inserted.error().code, "not_found");
}

TEST_P(BundleStoreTest, StatusBlocksAndRemove) {
  auto r = make("acme", "1.0.0", org_a_);
  ASSERT_TRUE(store_->bundles().insert(r).ok());
  ASSERT_TRUE(store_->bundles().set_status(r.id, BundleStatus::failed, "content hash mismatch").ok());
  ASSERT_TRUE(store_->bundles().set_disabled_blocks(r.id, {"acme.x"}).ok());
  auto got = store_->bundles().get(r.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, BundleStatus::failed);
  EXPECT_EQ(got->error, "content hash mismatch");
  EXPECT_EQ(got->disabled_blocks, (std::vector<std::string>{"acme.x"}));
  ASSERT_TRUE(store_->bundles().remove(r.id).ok());
  EXPECT_EQ(store_->bundles().get(r.id).error().code, "not_found");
  EXPECT_EQ(store_->bundles().remove(r.id).error().code, "not_found");
  EXPECT_EQ(store_->bundles().set_status(r.id, BundleStatus::active, "").error().code, "not_found");
}

TEST_P(BundleStoreTest, StepRecordsKeepTheBundleVersion) {
  auto wf = make_workflow(org_a_, "w");
  RunRecord run;
  run.id = new_id<RunId>(clock_);
  run.org = org_a_;
  run.workflow = wf.id;
  run.workflow_version = wf.version;
  run.created_at = clock_.now_ms();
  ASSERT_TRUE(store_->runs().create_queued(run).ok());
  StepRunRecord step;
  step.run = run.id;
  step.org = org_a_;
  step.step_id = "s";
  step.bundle_vendor = "acme";
  step.bundle_version = "1.2.0";
  ASSERT_TRUE(store_->runs().record_step(step).ok());
  StepRunRecord builtin = step;
  builtin.step_id = "t";
  builtin.bundle_vendor.clear();
  builtin.bundle_version.clear();
  ASSERT_TRUE(store_->runs().record_step(builtin).ok());
  auto steps = store_->runs().steps(org_a_, run.id);
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[0].bundle_vendor, "acme");
  EXPECT_EQ((*steps)[0].bundle_version, "1.2.0");
  EXPECT_EQ((*steps)[1].bundle_vendor, "");
}

TEST_P(BundleStoreTest, GovernanceFieldsRoundTrip) {
  auto r = make("acme", "1.0.0", org_a_);
  r.sbom = {{"bomFormat", "CycloneDX"}, {"components", json::array({{{"name", "zod"}}})}};
  r.activate_on_approve = false;
  r.status = BundleStatus::pending_review;
  ASSERT_TRUE(store_->bundles().insert(r).ok());
  auto got = store_->bundles().get(r.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->sbom, r.sbom);
  EXPECT_FALSE(got->activate_on_approve);
  EXPECT_TRUE(got->blocked_by.empty());

  ASSERT_TRUE(store_->bundles()
                  .set_policy_state(r.id, BundleStatus::disabled, "", {"Has install scripts", "Risk 'high' exceeds max 'medium'"})
                  .ok());
  got = store_->bundles().get(r.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, BundleStatus::disabled);
  EXPECT_EQ(got->blocked_by, (std::vector<std::string>{"Has install scripts", "Risk 'high' exceeds max 'medium'"}));
  // set_status leaves the reasons alone; set_policy_state clears them.
  ASSERT_TRUE(store_->bundles().set_status(r.id, BundleStatus::failed, "boom").ok());
  EXPECT_EQ(store_->bundles().get(r.id)->blocked_by.size(), 2u);
  ASSERT_TRUE(store_->bundles().set_policy_state(r.id, BundleStatus::active, "", {}).ok());
  EXPECT_TRUE(store_->bundles().get(r.id)->blocked_by.empty());
  EXPECT_EQ(store_->bundles().set_policy_state(new_id<BundleId>(clock_), BundleStatus::active, "", {}).error().code,
            "not_found");
  ASSERT_TRUE(store_->bundles().set_sbom(r.id, {{"components", json::array()}}).ok());
  EXPECT_EQ(store_->bundles().get(r.id)->sbom, (json{{"components", json::array()}}));
  EXPECT_EQ(store_->bundles().set_sbom(new_id<BundleId>(clock_), json::object()).error().code, "not_found");
}

TEST_P(BundleStoreTest, AuditLogIsNewestFirstPerOrgAndPaginated) {
  for (int i = 0; i < 5; ++i) {
    AuditEvent e;
    e.org = i % 2 == 0 ? org_a_ : org_b_;
    e.action = "bundle.uploaded";
    e.target_type = "bundle";
    e.target_id = "bnd_" + std::to_string(i);
    e.actor_email = "a@example.com";
    e.address = "127.0.0.1";
    e.details = {{"n", i}};
    auto id = store_->audit().append(e);
    ASSERT_TRUE(id.ok()) << id.error().message;
    clock_.advance_ms(1);
  }
  AuditEvent platform;
  platform.action = "advisories.imported";
  ASSERT_TRUE(store_->audit().append(platform).ok());
  AuditEvent nameless;
  EXPECT_EQ(store_->audit().append(nameless).error().code, "invalid_argument");

  auto all = store_->audit().list({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 6u);
  EXPECT_EQ((*all)[0].action, "advisories.imported");
  EXPECT_TRUE((*all)[0].org.empty());

  AuditFilter mine;
  mine.org = org_a_;
  mine.limit = 2;
  auto page1 = store_->audit().list(mine);
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->size(), 2u);
  EXPECT_EQ((*page1)[0].target_id, "bnd_4");
  EXPECT_EQ((*page1)[1].target_id, "bnd_2");
  EXPECT_EQ((*page1)[0].details, (json{{"n", 4}}));
  EXPECT_EQ((*page1)[0].address, "127.0.0.1");
  mine.before_id = (*page1)[1].id;
  auto page2 = store_->audit().list(mine);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->size(), 1u);
  EXPECT_EQ((*page2)[0].target_id, "bnd_0");
}

INSTANTIATE_TEST_SUITE_P(Backends, BundleStoreTest, ::testing::ValuesIn(test_backends()), backend_name);

}  // namespace
}  // namespace weft::store::test
