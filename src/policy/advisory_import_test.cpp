// Tests of policy/advisory_import.h on a real SQLite store: counts of an import and a
// re-import, skipped documents with their reasons, the same id twice in one import, batches
// past kAdvisoryBatchSize, and loading what affects given packages.
#include "policy/advisory_import.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"
#include "store/open_store.h"

namespace weft::policy {
namespace {

json doc(const std::string& id, const std::string& package, const std::string& modified = "2024-01-01T00:00:00Z") {
  return {{"id", id},
          {"modified", modified},
          {"summary", "issue in " + package},
          {"affected", json::array({{{"package", {{"ecosystem", "npm"}, {"name", package}}},
                                     {"ranges", json::array({{{"type", "SEMVER"},
                                                              {"events", json::array({{{"introduced", "0"}}, {{"fixed", "2.0.0"}}})}}})}}})}};
}

class AdvisoryImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreOptions options;
    options.url = "sqlite://" + dir_.path() + "/weft.db";
    auto opened = store::open_store(options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).take();
  }

  AdvisoryImportSummary run(const std::vector<json>& documents) {
    AdvisoryImport import(store_->advisories());
    for (const json& d : documents) EXPECT_TRUE(import.add(d, "src").ok());
    auto summary = import.finish();
    EXPECT_TRUE(summary.ok());
    return summary.ok() ? *summary : AdvisoryImportSummary{};
  }

  weft::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(AdvisoryImportTest, CountsImportsUpdatesUnchangedAndSkipped) {
  json pypi = doc("PYSEC-1", "x");
  pypi["affected"][0]["package"]["ecosystem"] = "PyPI";
  auto first = run({doc("GHSA-1", "a"), doc("GHSA-2", "b"), json{{"id", "GHSA-bad"}}, json::array(), pypi});
  EXPECT_EQ(first.imported, 2u);
  EXPECT_EQ(first.skipped_count, 3u);
  ASSERT_EQ(first.skipped.size(), 3u);
  EXPECT_EQ(first.skipped[0].index, 2u);
  EXPECT_EQ(first.skipped[0].id, "GHSA-bad");
  EXPECT_EQ(first.skipped[0].source, "src");
  EXPECT_EQ(first.skipped[0].error.rfind("advisory_invalid: /modified", 0), 0u) << first.skipped[0].error;
  EXPECT_EQ(first.skipped[1].id, "");
  EXPECT_EQ(first.skipped[2].error.rfind("advisory_not_npm", 0), 0u);
  EXPECT_TRUE(first.changed());

  auto second = run({doc("GHSA-1", "a", "2024-06-01T00:00:00Z"), doc("GHSA-2", "b"), doc("GHSA-2", "b", "2023-01-01T00:00:00Z")});
  EXPECT_EQ(second.imported, 0u);
  EXPECT_EQ(second.updated, 1u);
  EXPECT_EQ(second.unchanged, 2u);
  json j = second.to_json();
  EXPECT_EQ(j["updated"], 1);
  EXPECT_EQ(j["skipped"], json::array());

  auto again = run({doc("GHSA-2", "b")});
  EXPECT_FALSE(again.changed());
}

TEST_F(AdvisoryImportTest, TheSameIdTwiceKeepsTheNewer) {
  auto s = run({doc("GHSA-dup", "a", "2024-01-01T00:00:00Z"), doc("GHSA-dup", "b", "2024-05-01T00:00:00Z"),
                doc("GHSA-dup", "c", "2024-02-01T00:00:00Z")});
  EXPECT_EQ(s.imported, 1u);
  EXPECT_EQ(s.updated, 1u);
  EXPECT_EQ(s.unchanged, 1u);
  auto loaded = load_advisories(store_->advisories(), {"a", "b", "c"});
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].affected[0].name, "b");
}

TEST_F(AdvisoryImportTest, ManyDocumentsAcrossBatchesAndAListOfSkippedThatStopsGrowing) {
  std::vector<json> docs;
  for (std::size_t i = 0; i < kAdvisoryBatchSize * 2 + 7; ++i) docs.push_back(doc("GHSA-" + std::to_string(i), "p" + std::to_string(i % 10)));
  for (std::size_t i = 0; i < kMaxSkippedListed + 5; ++i) docs.push_back(json(i));
  auto s = run(docs);
  EXPECT_EQ(s.imported, kAdvisoryBatchSize * 2 + 7);
  EXPECT_EQ(s.skipped_count, kMaxSkippedListed + 5);
  EXPECT_EQ(s.skipped.size(), kMaxSkippedListed);
  EXPECT_EQ(*store_->advisories().count(), static_cast<std::int64_t>(kAdvisoryBatchSize * 2 + 7));
  auto p3 = load_advisories(store_->advisories(), {"p3"});
  ASSERT_TRUE(p3.ok());
  EXPECT_EQ(p3->size(), 101u);  // i % 10 == 3 for i < 1007
  EXPECT_TRUE(affects((*p3)[0], "p3", "1.9.9"));
}

}  // namespace
}  // namespace weft::policy
