// diff_versions on manifests and SBOMs written here, one change kind at a time; then, on a real
// SQLite store with records and workflows inserted directly (no sandbox: a fake ToolRunner), the
// workflows a diff affects, the baseline a record is compared with, and breaking_for_workflows
// for an org record and a platform record.
#include "bundles/version_diff.h"

#include <gtest/gtest.h>

#include "blob/fs/fs_blob_store.h"
#include "bundles/registry.h"
#include "bundles/service.h"
#include "testing/temp_dir.h"
#include "store/open_store.h"

namespace weft::bundles {
namespace {

using Strings = std::vector<std::string>;

json object_schema(json properties, Strings required = {}) {
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", required}};
}

json block(const std::string& id, const std::string& category = "tools", json input = object_schema(json::object()),
           json output = object_schema(json::object())) {
  return {{"id", id},
          {"name", id.substr(id.find('.') + 1)},
          {"description", "d"},
          {"category", category},
          {"inputSchema", std::move(input)},
          {"outputSchema", std::move(output)}};
}

// A manifest of vendor "rev" at `version` with `blocks` in one product.
json manifest_json(const std::string& version, json blocks, json deps = json::array()) {
  return {{"id", "rev"},
          {"name", "Rev"},
          {"version", version},
          {"icon", "assets/icon.svg"},
          {"auth", {{"type", "api_key"}}},
          {"capabilities", {"tools"}},
          {"network", {{"allowedHosts", {"api.rev.test"}}}},
          {"products",
           {{{"id", "rev-core"}, {"name", "Rev"}, {"category", "Dev"}, {"dependencies", deps}, {"blocks", blocks}}}}};
}

BundleManifest parsed(const json& m) {
  auto r = parse_bundle_manifest(m);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message + " " + r.error().details.dump());
  return r.ok() ? std::move(r).take() : BundleManifest{};
}

Sbom sbom(std::vector<std::pair<std::string, std::string>> packages) {
  json components = json::array();
  for (const auto& [name, version] : packages) {
    components.push_back({{"type", "library"}, {"name", name}, {"version", version}});
  }
  auto r = parse_sbom({{"bomFormat", "CycloneDX"}, {"specVersion", "1.6"}, {"components", components}});
  EXPECT_TRUE(r.ok());
  return r.ok() ? std::move(r).take() : Sbom{};
}

TEST(VersionDiff, IdenticalVersionsHaveNoChange) {
  const auto m = parsed(manifest_json("1.0.0", {block("rev.a")}));
  const auto s = sbom({{"zod", "3.0.0"}});
  const auto d = diff_versions(m, &s, m, &s);
  EXPECT_FALSE(d.breaking());
  EXPECT_TRUE(d.tools.empty() && d.triggers.empty() && d.capabilities.empty() && d.network_hosts.empty());
  EXPECT_TRUE(d.changed.empty());
  EXPECT_EQ(d.kept, Strings{"rev.a"});
  EXPECT_TRUE(d.dependencies.empty());
  EXPECT_TRUE(d.sbom_compared);
  EXPECT_TRUE(d.components.empty());
  EXPECT_EQ(d.to_json()["components"], json::array());
}

TEST(VersionDiff, ToolsAndTriggersAddedAndRemoved) {
  const auto from = parsed(manifest_json("1.0.0", {block("rev.a"), block("rev.b"), block("rev.t1", "triggers")}));
  const auto to = parsed(manifest_json("2.0.0", {block("rev.a"), block("rev.c"), block("rev.t2", "triggers")}));
  const auto d = diff_versions(from, nullptr, to, nullptr);
  EXPECT_EQ(d.tools.added, Strings{"rev.c"});
  EXPECT_EQ(d.tools.removed, Strings{"rev.b"});
  EXPECT_EQ(d.triggers.added, Strings{"rev.t2"});
  EXPECT_EQ(d.triggers.removed, Strings{"rev.t1"});
  EXPECT_TRUE(d.breaking());
  const json j = d.to_json();
  EXPECT_EQ(j["fromVersion"], "1.0.0");
  EXPECT_EQ(j["toVersion"], "2.0.0");
  EXPECT_EQ(j["tools"]["removed"], json({"rev.b"}));
  EXPECT_EQ(j["triggers"]["added"], json({"rev.t2"}));
  EXPECT_TRUE(j["components"].is_null()) << "no SBOM: not compared";
  // Only additions: not breaking.
  const auto grown = parsed(manifest_json("2.0.0", {block("rev.a"), block("rev.b"), block("rev.t1", "triggers"),
                                                    block("rev.new")}));
  EXPECT_FALSE(diff_versions(from, nullptr, grown, nullptr).breaking());
}

TEST(VersionDiff, KeptBlocksCarryTheirSchemaChangesAndABreakingFlag) {
  const json str = {{"type", "string"}};
  const auto from = parsed(manifest_json(
      "1.0.0", {block("rev.a", "tools", object_schema({{"x", str}})), block("rev.b", "tools", object_schema({{"x", str}})),
                block("rev.c", "tools", object_schema(json::object()), object_schema({{"id", str}}, {"id"})),
                block("rev.same")}));
  const auto to = parsed(manifest_json(
      "1.1.0",
      {block("rev.a", "tools", object_schema({{"x", str}, {"y", str}}, {"y"})),   // new required input: breaking
       block("rev.b", "tools", object_schema({{"x", str}, {"z", str}})),          // new optional input: compatible
       block("rev.c", "tools", object_schema(json::object()), object_schema({{"id", str}})),  // output may be missing
       block("rev.same")}));
  const auto d = diff_versions(from, nullptr, to, nullptr);
  ASSERT_EQ(d.changed.size(), 3u);
  EXPECT_EQ(d.changed[0].id, "rev.a");
  EXPECT_TRUE(d.changed[0].breaking);
  ASSERT_EQ(d.changed[0].input.changes.size(), 1u);
  EXPECT_EQ(d.changed[0].input.changes[0].kind, kRequiredPropertyAdded);
  EXPECT_EQ(d.changed[0].input.changes[0].pointer, "/properties/y");
  EXPECT_EQ(d.changed[1].id, "rev.b");
  EXPECT_FALSE(d.changed[1].breaking);
  EXPECT_EQ(d.changed[1].input.changes.at(0).kind, kPropertyAdded);
  EXPECT_EQ(d.changed[2].id, "rev.c");
  EXPECT_TRUE(d.changed[2].breaking);
  EXPECT_EQ(d.changed[2].output.changes.at(0).kind, kBecameOptional);
  EXPECT_TRUE(d.breaking());
  const json j = d.to_json();
  EXPECT_EQ(j["blocks"][0]["input"][0]["kind"], kRequiredPropertyAdded);
  EXPECT_EQ(j["blocks"][1]["breaking"], false);
  EXPECT_EQ(j["blocks"][2]["output"][0]["pointer"], "/properties/id");
}

TEST(VersionDiff, AKindOrNameChangeIsListed) {
  const auto from = parsed(manifest_json("1.0.0", {block("rev.a"), block("rev.b")}));
  json renamed = block("rev.b");
  renamed["name"] = "Bee";
  const auto to = parsed(manifest_json("1.0.1", {block("rev.a", "triggers"), renamed}));
  const auto d = diff_versions(from, nullptr, to, nullptr);
  ASSERT_EQ(d.changed.size(), 2u);
  EXPECT_TRUE(d.changed[0].kind_changed);
  EXPECT_TRUE(d.changed[0].breaking);
  EXPECT_TRUE(d.changed[1].name_changed);
  EXPECT_FALSE(d.changed[1].breaking);
  // A kind change is neither an addition nor a removal.
  EXPECT_TRUE(d.tools.empty() && d.triggers.empty());
}

TEST(VersionDiff, CapabilitiesHostsAndAuth) {
  json a = manifest_json("1.0.0", {block("rev.a")});
  json b = a;
  b["version"] = "1.1.0";
  b["capabilities"] = {"tools", "llm"};
  b["network"]["allowedHosts"] = {"api.rev.test", "uploads.rev.test"};
  auto d = diff_versions(parsed(a), nullptr, parsed(b), nullptr);
  EXPECT_EQ(d.capabilities.added, Strings{"llm"});
  EXPECT_TRUE(d.capabilities.removed.empty());
  EXPECT_EQ(d.network_hosts.added, Strings{"uploads.rev.test"});
  EXPECT_FALSE(d.auth_changed());
  EXPECT_FALSE(d.breaking()) << "capabilities and hosts are the policy's business, not a workflow's";
  b["network"]["allowedHosts"] = json::array();
  b["auth"] = {{"type", "bearer_token"}};
  d = diff_versions(parsed(a), nullptr, parsed(b), nullptr);
  EXPECT_EQ(d.network_hosts.removed, Strings{"api.rev.test"});
  EXPECT_TRUE(d.auth_changed());
  EXPECT_TRUE(d.breaking());
  const json j = d.to_json();
  EXPECT_EQ(j["auth"], json({{"from", "api_key"}, {"to", "bearer_token"}, {"changed", true}, {"breaking", true}}));
  EXPECT_EQ(j["networkHosts"]["removed"], json({"api.rev.test"}));
  EXPECT_EQ(j["capabilities"]["added"], json({"llm"}));
}

TEST(VersionDiff, DeclaredDependenciesBySemVerElseByText) {
  auto dep = [](const std::string& name, const std::string& version) {
    return json{{"name", name}, {"version", version}, {"reason", "r"}};
  };
  const auto from = parsed(manifest_json("1.0.0", {block("rev.a")},
                                         {dep("up", "1.2.0"), dep("down", "2.0.0"), dep("gone", "1.0.0"),
                                          dep("range", "^1.0.0"), dep("same", "1.0.0"), dep("pre", "1.0.0-beta.2")}));
  const auto to = parsed(manifest_json("1.0.1", {block("rev.a")},
                                       {dep("up", "1.10.0"), dep("down", "1.9.9"), dep("new", "0.1.0"),
                                        dep("range", "^2.0.0"), dep("same", "1.0.0"), dep("pre", "1.0.0")}));
  const auto d = diff_versions(from, nullptr, to, nullptr);
  const json j = d.to_json()["dependencies"];
  EXPECT_EQ(j, json::parse(R"([
    {"name":"down","change":"downgraded","from":"2.0.0","to":"1.9.9"},
    {"name":"gone","change":"removed","from":"1.0.0","to":null},
    {"name":"new","change":"added","from":null,"to":"0.1.0"},
    {"name":"pre","change":"upgraded","from":"1.0.0-beta.2","to":"1.0.0"},
    {"name":"range","change":"changed","from":"^1.0.0","to":"^2.0.0"},
    {"name":"up","change":"upgraded","from":"1.2.0","to":"1.10.0"}])"))
      << j.dump(2);
  EXPECT_FALSE(d.breaking());
}

TEST(VersionDiff, SbomComponentsByNameAndEveryVersion) {
  const auto m1 = parsed(manifest_json("1.0.0", {block("rev.a")}));
  const auto m2 = parsed(manifest_json("1.0.1", {block("rev.a")}));
  const auto s1 = sbom({{"zod", "3.22.0"}, {"lodash", "4.17.21"}, {"old", "1.0.0"}, {"dup", "1.0.0"}, {"dup", "2.0.0"}});
  const auto s2 = sbom({{"zod", "3.24.0"}, {"lodash", "4.17.20"}, {"fresh", "0.0.1"}, {"dup", "2.0.0"}, {"dup", "3.0.0"}});
  const auto d = diff_versions(m1, &s1, m2, &s2);
  ASSERT_TRUE(d.sbom_compared);
  EXPECT_EQ(d.to_json()["components"], json::parse(R"([
    {"name":"dup","change":"added","from":null,"to":"3.0.0"},
    {"name":"dup","change":"removed","from":"1.0.0","to":null},
    {"name":"fresh","change":"added","from":null,"to":"0.0.1"},
    {"name":"lodash","change":"downgraded","from":"4.17.21","to":"4.17.20"},
    {"name":"old","change":"removed","from":"1.0.0","to":null},
    {"name":"zod","change":"upgraded","from":"3.22.0","to":"3.24.0"}])"))
      << d.to_json()["components"].dump(2);
  // One side without an SBOM: not compared, not guessed.
  const auto half = diff_versions(m1, &s1, m2, nullptr);
  EXPECT_FALSE(half.sbom_compared);
  EXPECT_TRUE(half.components.empty());
}

// --- on a real store ---

class FakeRunner final : public ToolRunner {
 public:
  Result<ProbedCode> probe(const std::string&) override { return Error::internal("not used"); }
  Result<json> call(catalog::ActionContext&, const std::string&, const SourceFn&, const std::string&,
                    const std::vector<std::string>&, bool*) override {
    return Error::internal("not used");
  }
};

class AffectedWorkflows : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store({dir_.file("weft.db")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).take();
    auto blobs = blob::open_fs_blob_store(dir_.file("blobs"));
    ASSERT_TRUE(blobs.ok());
    blobs_ = std::move(blobs).take();
    registry_ = std::make_unique<Registry>(*store_, *blobs_, catalog_, runner_);
    service_ = std::make_unique<BundleService>(*store_, *blobs_, *registry_, catalog_, runner_);
    org_a_ = store_->orgs().create("A")->id;
    org_b_ = store_->orgs().create("B")->id;
  }

  // Inserts a record of vendor "rev" and republishes.
  store::BundleRecord insert(const json& manifest, store::BundleScope scope, const OrgId& org,
                             store::BundleStatus status = store::BundleStatus::active) {
    store::BundleRecord r;
    r.id = new_id<BundleId>();
    r.scope = scope;
    r.org = scope == store::BundleScope::platform ? OrgId() : org;
    r.vendor_id = "rev";
    r.version = manifest["version"];
    r.manifest = manifest;
    r.storage_key = "k/" + r.id.str();
    r.sha256 = std::string(64, '0');
    r.status = status;
    r.uploaded_at = ++clock_;
    EXPECT_TRUE(store_->bundles().insert(r).ok());
    EXPECT_TRUE(registry_->republish().ok());
    return *store_->bundles().get(r.id);
  }

  WorkflowId workflow(const OrgId& org, const std::string& name, Strings actions, const std::string& trigger_block = "") {
    json steps = json::array();
    int n = 0;
    for (const auto& a : actions) steps.push_back({{"id", "s" + std::to_string(++n)}, {"action", a}});
    json trigger = {{"type", "manual"}};
    if (!trigger_block.empty()) trigger = {{"type", "bundle"}, {"block", trigger_block}, {"cron", "*/5 * * * *"}};
    auto wf = store_->workflows().create(org, name, {{"name", name}, {"trigger", trigger}, {"steps", steps}});
    EXPECT_TRUE(wf.ok());
    return wf->id;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<blob::BlobStore> blobs_;
  catalog::Catalog catalog_;
  FakeRunner runner_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<BundleService> service_;
  OrgId org_a_, org_b_;
  TimeMs clock_ = 1000;
};

const json kStr = {{"type", "string"}};

json v1() {
  return manifest_json("1.0.0", {block("rev.a", "tools", object_schema({{"x", kStr}})), block("rev.b"),
                                 block("rev.c", "tools", object_schema({{"x", kStr}})), block("rev.poll", "triggers")});
}
json v2() {
  return manifest_json("2.0.0", {block("rev.a", "tools", object_schema({{"x", kStr}, {"y", kStr}}, {"y"})),
                                 block("rev.c", "tools", object_schema({{"x", kStr}, {"z", kStr}})),
                                 block("rev.poll", "triggers"), block("rev.d")});
}

TEST_F(AffectedWorkflows, NamesEachStepAndTriggerWithWhy) {
  const auto r1 = insert(v1(), store::BundleScope::organization, org_a_);
  const auto r2 = insert(v2(), store::BundleScope::organization, org_a_, store::BundleStatus::disabled);
  const auto wf = workflow(org_a_, "uses a b c", {"rev.a", "rev.b", "rev.c", "core.transform"});
  const auto poll = workflow(org_a_, "polls", {"rev.c"}, "rev.poll");
  workflow(org_b_, "other org", {"rev.a", "rev.b"});  // B cannot see A's bundle: not reached
  workflow(org_a_, "unrelated", {"core.transform"});

  auto baseline = baseline_for(*store_, catalog_, r2, org_a_);
  ASSERT_TRUE(baseline.ok());
  ASSERT_TRUE(baseline->has_value());
  EXPECT_EQ((*baseline)->id, r1.id) << "A's catalog runs v1 (v2 is disabled)";

  const auto diff = diff_versions(parsed(r1.manifest), nullptr, parsed(r2.manifest), nullptr);
  auto affected = affected_workflows(*store_, r2, diff);
  ASSERT_TRUE(affected.ok());
  json got = json::array();
  for (const auto& a : *affected) got.push_back(to_json(a));
  // Workflows by name, steps in order.
  EXPECT_EQ(got, json::parse(R"([
    {"workflowId":")" + poll.str() + R"(","orgId":")" + org_a_.str() + R"(","name":"polls","step":"s1","action":"rev.c","why":"changed"},
    {"workflowId":")" + wf.str() + R"(","orgId":")" + org_a_.str() + R"(","name":"uses a b c","step":"s1","action":"rev.a","why":"breaking"},
    {"workflowId":")" + wf.str() + R"(","orgId":")" + org_a_.str() + R"(","name":"uses a b c","step":"s2","action":"rev.b","why":"removed"},
    {"workflowId":")" + wf.str() + R"(","orgId":")" + org_a_.str() + R"(","name":"uses a b c","step":"s3","action":"rev.c","why":"changed"}])"))
      << got.dump(2);

  auto check = breaking_for_workflows(*service_, *store_, catalog_, r2);
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_TRUE(check->breaking);
  ASSERT_EQ(check->workflows.size(), 2u);
  EXPECT_EQ(check->workflows[0].use.action, "rev.a");
  EXPECT_EQ(check->workflows[1].use.action, "rev.b");
  EXPECT_EQ(check->details()["against"], json::parse(R"([{"id":")" + r1.id.str() + R"(","version":"1.0.0"}])"));
}

TEST_F(AffectedWorkflows, ATriggerRemovedOrAnAuthChangeBreaksItsUsers) {
  const auto r1 = insert(v1(), store::BundleScope::organization, org_a_);
  json m = v1();
  m["version"] = "1.0.1";
  m["auth"] = {{"type", "oauth2"}, {"authorizeUrl", "https://rev.test/a"}, {"tokenUrl", "https://rev.test/t"}, {"scopes", {"read"}}};
  m["products"][0]["blocks"].erase(3);  // rev.poll
  const auto r2 = insert(m, store::BundleScope::organization, org_a_, store::BundleStatus::disabled);
  const auto wf = workflow(org_a_, "polls", {"rev.c"}, "rev.poll");
  auto check = breaking_for_workflows(*service_, *store_, catalog_, r2);
  ASSERT_TRUE(check.ok()) << check.error().message << " " << check.error().details.dump();
  ASSERT_EQ(check->workflows.size(), 2u);
  EXPECT_EQ(check->workflows[0].use.step, "s1");
  EXPECT_EQ(check->workflows[0].why, kWhyBreaking) << "rev.c is unchanged, but its credential no longer fits";
  EXPECT_EQ(check->workflows[1].use.step, kTriggerStep);
  EXPECT_EQ(check->workflows[1].use.action, "rev.poll");
  EXPECT_EQ(check->workflows[1].why, kWhyRemoved);
}

TEST_F(AffectedWorkflows, CompatibleChangesAreNotBreaking) {
  insert(v1(), store::BundleScope::organization, org_a_);
  json m = v1();
  m["version"] = "1.1.0";
  m["products"][0]["blocks"][2]["inputSchema"]["properties"]["z"] = kStr;  // rev.c: optional input
  m["products"][0]["blocks"].push_back(block("rev.d"));
  const auto r2 = insert(m, store::BundleScope::organization, org_a_, store::BundleStatus::disabled);
  workflow(org_a_, "uses c", {"rev.c"});
  auto check = breaking_for_workflows(*service_, *store_, catalog_, r2);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->breaking);
  EXPECT_TRUE(check->workflows.empty());
  EXPECT_EQ(check->details()["against"], json::array());
}

TEST_F(AffectedWorkflows, TheBaselineOfTheActiveVersionIsTheNewestOlderOne) {
  const auto r1 = insert(v1(), store::BundleScope::organization, org_a_);
  json m15 = v1();
  m15["version"] = "1.5.0";
  const auto r15 = insert(m15, store::BundleScope::organization, org_a_, store::BundleStatus::disabled);
  json m3 = v1();
  m3["version"] = "3.0.0";
  insert(m3, store::BundleScope::organization, org_a_, store::BundleStatus::disabled);  // newer: never a baseline
  const auto r2 = insert(v2(), store::BundleScope::organization, org_a_);  // active, newest active: A runs it
  auto baseline = baseline_for(*store_, catalog_, r2, org_a_);
  ASSERT_TRUE(baseline.ok());
  ASSERT_TRUE(baseline->has_value());
  EXPECT_EQ((*baseline)->id, r15.id);
  // The oldest is compared with what A runs now (v2); B sees none of A's versions.
  EXPECT_EQ(baseline_for(*store_, catalog_, r1, org_a_)->value().id, r2.id);
  EXPECT_FALSE(baseline_for(*store_, catalog_, r2, org_b_)->has_value());
}

TEST_F(AffectedWorkflows, APlatformRecordIsCheckedInEveryOrgAgainstWhatItRuns) {
  const auto p1 = insert(v1(), store::BundleScope::platform, OrgId());
  json own = v1();
  own["version"] = "5.0.0";
  insert(own, store::BundleScope::organization, org_b_);  // B runs its own newer version
  const auto p2 = insert(v2(), store::BundleScope::platform, OrgId(), store::BundleStatus::disabled);
  workflow(org_a_, "A uses b", {"rev.b"});
  workflow(org_b_, "B uses b", {"rev.b"});
  auto check = breaking_for_workflows(*service_, *store_, catalog_, p2);
  ASSERT_TRUE(check.ok());
  ASSERT_EQ(check->workflows.size(), 1u) << check->details().dump();
  EXPECT_EQ(check->workflows[0].use.name, "A uses b");
  EXPECT_EQ(check->workflows[0].use.org, org_a_);
  EXPECT_EQ(check->details()["against"][0]["id"], p1.id.str());
  // affected_workflows itself reaches every org for a platform record.
  const auto diff = diff_versions(parsed(v1()), nullptr, parsed(v2()), nullptr);
  auto all = affected_workflows(*store_, p2, diff);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
}

TEST_F(AffectedWorkflows, MalformedDefinitionsAreSkipped) {
  const auto r1 = insert(v1(), store::BundleScope::organization, org_a_);
  const auto r2 = insert(v2(), store::BundleScope::organization, org_a_, store::BundleStatus::disabled);
  for (const json& def : {json::parse(R"({"steps": 5})"), json::parse(R"({"steps": [1, {"id": 2, "action": "rev.b"},
       {"id": "ok", "action": ["rev.b"]}, {"action": "rev.b"}], "trigger": {"type": "bundle", "block": 7}})"),
                          json::parse(R"({"trigger": {"type": "manual", "block": "rev.b"}})"), json::array()}) {
    ASSERT_TRUE(store_->workflows().create(org_a_, "odd" + std::to_string(clock_++), def).ok());
  }
  const auto diff = diff_versions(parsed(r1.manifest), nullptr, parsed(r2.manifest), nullptr);
  auto affected = affected_workflows(*store_, r2, diff);
  ASSERT_TRUE(affected.ok());
  EXPECT_TRUE(affected->empty());
}

TEST(VersionDiffSbom, NotRecordedOrUnreadableIsNullopt) {
  store::BundleRecord r;
  EXPECT_FALSE(sbom_of(r).has_value());
  r.sbom = json{{"bomFormat", "nope"}};
  EXPECT_FALSE(sbom_of(r).has_value());
  r.sbom = {{"bomFormat", "CycloneDX"}, {"specVersion", "1.6"}, {"components", {{{"type", "library"}, {"name", "x"}}}}};
  ASSERT_TRUE(sbom_of(r).has_value());
  EXPECT_EQ(sbom_of(r)->components.at(0).name, "x");
}

}  // namespace
}  // namespace weft::bundles
