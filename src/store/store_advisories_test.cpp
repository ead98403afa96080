// Contract tests of AdvisoryStore: upsert by id (a newer `modified` replaces, an equal or older
// one is kept), the lookup by npm package names, count, the paginated list, and that the OSV
// document survives whole, across a reopen.
#include "store/store_test_fixture.h"

namespace weft::store::test {
namespace {

class AdvisoryStoreTest : public StoreTest {
 protected:
  static AdvisoryRecord make(const std::string& id, TimeMs modified_ms, std::vector<std::string> packages) {
    AdvisoryRecord r;
    r.id = id;
    r.modified = format_iso8601(modified_ms);
    r.modified_ms = modified_ms;
    r.packages = std::move(packages);
    r.document = {{"id", id},
                  {"modified", r.modified},
                  {"summary", "summary of " + id},
                  {"unknown_field", {{"kept", true}, {"nested", json::array({1, 2, 3})}}}};
    return r;
  }

  std::vector<std::string> ids_of(const std::vector<AdvisoryRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(r.id);
    return out;
  }
};

TEST_P(AdvisoryStoreTest, UpsertInsertsThenReplacesOnlyWhenNewer) {
  auto first = store_->advisories().upsert({make("GHSA-aaaa", 1000, {"lodash", "lodash-es"}),
                                            make("GHSA-bbbb", 1000, {"minimist"})});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, (std::vector<AdvisoryUpsert>{AdvisoryUpsert::inserted, AdvisoryUpsert::inserted}));

  AdvisoryRecord newer = make("GHSA-aaaa", 2000, {"lodash"});  // no longer names lodash-es
  newer.document["summary"] = "revised";
  clock_.advance_ms(10);
  auto second = store_->advisories().upsert({newer, make("GHSA-bbbb", 1000, {"minimist"}),
                                             make("GHSA-cccc", 5, {"@scope/pkg"})});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, (std::vector<AdvisoryUpsert>{AdvisoryUpsert::updated, AdvisoryUpsert::unchanged,
                                                  AdvisoryUpsert::inserted}));
  // An older document is skipped: the stored one stays.
  auto older = store_->advisories().upsert({make("GHSA-aaaa", 1500, {"lodash"})});
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(*older, std::vector<AdvisoryUpsert>{AdvisoryUpsert::unchanged});

  auto lodash = store_->advisories().affecting({"lodash"});
  ASSERT_TRUE(lodash.ok());
  ASSERT_EQ(lodash->size(), 1u);
  EXPECT_EQ((*lodash)[0].document["summary"], "revised");
  EXPECT_EQ((*lodash)[0].modified_ms, 2000);
  EXPECT_EQ((*lodash)[0].imported_at, kStart + 10);
  EXPECT_EQ((*lodash)[0].packages, std::vector<std::string>{"lodash"});
  auto es = store_->advisories().affecting({"lodash-es"});
  ASSERT_TRUE(es.ok());
  EXPECT_TRUE(es->empty());  // the replaced document's package list replaced the old one
  EXPECT_EQ(*store_->advisories().count(), 3);
}

TEST_P(AdvisoryStoreTest, AffectingFindsEachAdvisoryOnceAndSurvivesAReopen) {
  ASSERT_TRUE(store_->advisories()
                  .upsert({make("GHSA-1", 1, {"a", "b"}), make("GHSA-2", 1, {"b"}), make("GHSA-3", 1, {"c"}),
                           make("GHSA-4", 1, {"@scope/a"})})
                  .ok());
  reopen();
  auto found = store_->advisories().affecting({"b", "a", "a", "@scope/a", "unknown"});
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(ids_of(*found), (std::vector<std::string>{"GHSA-1", "GHSA-2", "GHSA-4"}));
  EXPECT_EQ((*found)[0].packages, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*found)[0].document, make("GHSA-1", 1, {}).document);  // nothing lost
  auto none = store_->advisories().affecting({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  // Names are data, never SQL or patterns.
  auto hostile = store_->advisories().affecting({"%", "_", "' OR 1=1 --", "*"});
  ASSERT_TRUE(hostile.ok());
  EXPECT_TRUE(hostile->empty());
}

TEST_P(AdvisoryStoreTest, AffectingThousandsOfNamesIsOneLookup) {
  std::vector<AdvisoryRecord> batch;
  for (int i = 0; i < 2000; ++i) batch.push_back(make("GHSA-" + std::to_string(10000 + i), 1, {"pkg-" + std::to_string(i)}));
  ASSERT_TRUE(store_->advisories().upsert(batch).ok());
  std::vector<std::string> names;
  for (int i = 0; i < 5000; i += 2) names.push_back("pkg-" + std::to_string(i));
  auto found = store_->advisories().affecting(names);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 1000u);
}

TEST_P(AdvisoryStoreTest, ListPagesByIdAndFiltersByPackage) {
  std::vector<AdvisoryRecord> batch;
  for (int i = 0; i < 7; ++i) batch.push_back(make("GHSA-" + std::to_string(i), 1, {i % 2 == 0 ? "even" : "odd"}));
  ASSERT_TRUE(store_->advisories().upsert(batch).ok());
  AdvisoryFilter filter;
  filter.limit = 3;
  auto page1 = store_->advisories().list(filter);
  ASSERT_TRUE(page1.ok()) << page1.error().message;
  EXPECT_EQ(ids_of(*page1), (std::vector<std::string>{"GHSA-6", "GHSA-5", "GHSA-4"}));
  filter.before_id = page1->back().id;
  auto page2 = store_->advisories().list(filter);
  ASSERT_TRUE(page2.ok());
  EXPECT_EQ(ids_of(*page2), (std::vector<std::string>{"GHSA-3", "GHSA-2", "GHSA-1"}));
  filter.before_id = page2->back().id;
  EXPECT_EQ(ids_of(*store_->advisories().list(filter)), std::vector<std::string>{"GHSA-0"});

  AdvisoryFilter odd;
  odd.package = "odd";
  EXPECT_EQ(ids_of(*store_->advisories().list(odd)), (std::vector<std::string>{"GHSA-5", "GHSA-3", "GHSA-1"}));
  odd.limit = -5;  // clamped to 1
  EXPECT_EQ(store_->advisories().list(odd)->size(), 1u);
  odd.limit = 100000;  // clamped to 500
  EXPECT_EQ(store_->advisories().list(odd)->size(), 3u);
}

TEST_P(AdvisoryStoreTest, BadBatchesWriteNothing) {
  auto no_package = store_->advisories().upsert({make("GHSA-ok", 1, {"a"}), make("GHSA-empty", 1, {})});
  EXPECT_EQ(code_of(no_package), "invalid_argument");
  auto no_id = store_->advisories().upsert({make("", 1, {"a"})});
  EXPECT_EQ(code_of(no_id), "invalid_argument");
  auto twice = store_->advisories().upsert({make("GHSA-x", 1, {"a"}), make("GHSA-x", 2, {"a"})});
  EXPECT_EQ(code_of(twice), "invalid_argument");
  EXPECT_EQ(*store_->advisories().count(), 0);
  auto empty = store_->advisories().upsert({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, AdvisoryStoreTest, ::testing::ValuesIn(test_backends()), backend_name);

}  // namespace
}  // namespace weft::store::test
