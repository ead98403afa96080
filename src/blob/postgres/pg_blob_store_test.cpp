// The PostgreSQL blob backend on the test server (scripts/with_postgres.sh; skipped without one,
// failed under make test): what one node puts another reads, each read from the database is
// checked against its SHA-256 and kept in the node's cache, and a corrupted row is refused.
#include <gtest/gtest.h>

#include <cstdlib>

#include "blob/postgres/pg_blob_store.h"
#include "core/digest.h"
#include "pg/connection.h"
#include "store/postgres/pg_test_schema.h"
#include "testing/temp_dir.h"

namespace weft::blob {
namespace {

class PgBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (store::postgres::test_server_url().empty()) {
      if (std::getenv("WEFT_REQUIRE_POSTGRES") != nullptr) FAIL() << "no PostgreSQL test server";
      GTEST_SKIP() << "no PostgreSQL test server (run the tests through scripts/with_postgres.sh)";
    }
    auto url = store::postgres::schema_url(store::postgres::test_server_url(),
                                           store::postgres::schema_name_for(dir_.path()));
    ASSERT_TRUE(url.ok()) << url.error().message;
    url_ = *url;
  }
  // A node: the shared table, and a cache folder of its own.
  std::unique_ptr<BlobStore> node(const std::string& name) {
    auto opened = open_pg_blob_store(url_, dir_.file(name));
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened.ok() ? std::move(opened).take() : nullptr;
  }

  testing::TempDir dir_;
  std::string url_;
};

TEST_F(PgBlobStoreTest, WhatOneNodePutsAnotherReadsAndKeepsACheckedCopy) {
  auto api = node("api");
  auto worker = node("worker");
  ASSERT_TRUE(api && worker);
  const std::string bytes = std::string("bundle\0bytes\x01\xff", 15) + std::string(100000, 'z');
  ASSERT_TRUE(api->put("org_1/bundles/acme/1.0.0/bundle.tar.gz", bytes).ok());
  EXPECT_EQ(api->put("org_1/bundles/acme/1.0.0/bundle.tar.gz", "again").error().code, "conflict");
  auto read = worker->get("org_1/bundles/acme/1.0.0/bundle.tar.gz");
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, bytes);
  EXPECT_EQ(testing::read_file(dir_.file("worker") + "/sha256/" + sha256_hex(bytes)), bytes);
  EXPECT_EQ(*api->list("org_1/"), std::vector<std::string>{"org_1/bundles/acme/1.0.0/bundle.tar.gz"});
  EXPECT_TRUE(api->list("org_2/")->empty());
  EXPECT_EQ(worker->get("org_1/nothing").error().code, "not_found");
  EXPECT_EQ(worker->get("../etc/passwd").error().code, "invalid_argument");
  ASSERT_TRUE(api->remove("org_1/bundles/acme/1.0.0/bundle.tar.gz").ok());
  EXPECT_EQ(api->remove("org_1/bundles/acme/1.0.0/bundle.tar.gz").error().code, "not_found");
  EXPECT_EQ(node("third")->get("org_1/bundles/acme/1.0.0/bundle.tar.gz").error().code, "not_found");
}

TEST_F(PgBlobStoreTest, ARowWhoseBytesNoLongerMatchTheirHashIsRefusedAndNotCached) {
  auto api = node("api");
  ASSERT_TRUE(api->put("k/blob", "the real bytes").ok());
  {
    auto db = pg::Connection::open(url_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->exec("UPDATE weft_blobs SET content = 'tampered'::bytea").ok());
  }
  auto worker = node("worker");
  auto read = worker->get("k/blob");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, "internal_error");
  EXPECT_EQ(testing::read_file(dir_.file("worker") + "/sha256/" + sha256_hex("tampered")), "");
  EXPECT_EQ(testing::read_file(dir_.file("worker") + "/sha256/" + sha256_hex("the real bytes")), "");
}

// A bundle deleted through one node, and its version uploaded again with other bytes, must not
// run from another node's cached copy of the old archive.
TEST_F(PgBlobStoreTest, ADeletedOrReplacedKeyIsNeverAnsweredFromAnotherNodesCopy) {
  auto api = node("api");
  auto worker = node("worker");
  ASSERT_TRUE(api && worker);
  const std::string key = "org_1/bundles/acme/1.0.0/bundle.tar.gz";
  ASSERT_TRUE(api->put(key, "old archive").ok());
  ASSERT_EQ(*worker->get(key), "old archive");  // cached on the worker
  ASSERT_TRUE(api->remove(key).ok());
  EXPECT_EQ(worker->get(key).error().code, "not_found");
  ASSERT_TRUE(api->put(key, "new archive").ok());
  EXPECT_EQ(*worker->get(key), "new archive");
  EXPECT_EQ(*worker->get(key), "new archive");  // now from its cache
  EXPECT_EQ(testing::read_file(dir_.file("worker") + "/sha256/" + sha256_hex("new archive")), "new archive");
  // A cached copy that no longer matches its name is not used: read again and replaced.
  testing::write_file(dir_.file("worker") + "/sha256/" + sha256_hex("new archive"), "changed on disk");
  EXPECT_EQ(*worker->get(key), "new archive");
  EXPECT_EQ(testing::read_file(dir_.file("worker") + "/sha256/" + sha256_hex("new archive")), "new archive");
}

}  // namespace
}  // namespace weft::blob
