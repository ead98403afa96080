// Group commit on a real SQLite file: writes queued while a transaction commits ride the next
// one together; one write's failure undoes only its own statements; durability picks the
// synchronous mode.
#include "store/sqlite/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "store/sqlite/connection_pool.h"
#include "testing/temp_dir.h"

namespace weft::store::sqlite {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = ConnectionPool::open(dir_.path() + "/g.db", 2);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    pool_ = std::move(opened).take();
    auto writer = pool_->writer();
    ASSERT_TRUE(writer->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)").ok());
  }

  Status insert(Database& db, int k) {
    WEFT_TRY_ASSIGN(Query q, db.query("INSERT INTO t (k, v) VALUES (?1, 'x')"));
    q.bind(k);
    return q.run();
  }

  std::vector<int> keys() {
    auto reader = pool_->reader();
    auto q = reader->query("SELECT k FROM t ORDER BY k");
    return q->collect([](const Query& row) { return static_cast<int>(row.int64(0)); }).take();
  }

  void wait_until_queued(std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (pool_->commits().queued() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_EQ(pool_->commits().queued(), n);
  }

  weft::testing::TempDir dir_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(GroupCommitTest, OneCallersManyWritesShareOneTransactionAndFailAlone) {
  GroupCommit& commits = pool_->commits();
  auto w1 = [&](Database& db) { return insert(db, 1); };
  auto clash = [&](Database& db) { return insert(db, 1); };  // the same key: a constraint error
  auto w2 = [&](Database& db) { return insert(db, 2); };
  std::vector<GroupCommit::Write> writes{GroupCommit::Write(w1), GroupCommit::Write(clash), GroupCommit::Write(w2)};
  std::vector<Status> results;
  commits.run_all(writes, results);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_FALSE(results[1].ok());
  EXPECT_TRUE(results[2].ok());
  EXPECT_EQ(keys(), (std::vector<int>{1, 2}));
  EXPECT_EQ(commits.writes(), 3u);
  // The optimistic attempt rolled back at the clash; the retry with savepoints committed once.
  EXPECT_EQ(commits.transactions(), 1u);

  commits.run_all({}, results);
  EXPECT_TRUE(results.empty());
  EXPECT_EQ(commits.transactions(), 1u);
}

TEST_F(GroupCommitTest, WritesQueuedDuringACommitShareTheNextTransaction) {
  GroupCommit& commits = pool_->commits();
  std::atomic<bool> entered{false}, release{false};
  // The first write holds its transaction open until five more writes are queued behind it.
  std::thread leader([&] {
    Status s = commits([&](Database& db) -> Status {
      entered = true;
      while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return insert(db, 0);
    });
    EXPECT_TRUE(s.ok());
  });
  while (!entered.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::vector<std::thread> followers;
  for (int k = 1; k <= 5; ++k) {
    followers.emplace_back([&, k] { EXPECT_TRUE(commits([&](Database& db) { return insert(db, k); }).ok()); });
  }
  wait_until_queued(5);
  // Nothing of theirs is visible before their transaction commits.
  EXPECT_TRUE(keys().empty());
  release = true;
  leader.join();
  for (auto& t : followers) t.join();
  EXPECT_EQ(keys(), (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(commits.writes(), 6u);
  EXPECT_EQ(commits.transactions(), 2u);  // the leader's, then all five followers in one
}

TEST_F(GroupCommitTest, AFailedWriteUndoesOnlyItsOwnStatements) {
  GroupCommit& commits = pool_->commits();
  std::atomic<bool> entered{false}, release{false};
  std::thread leader([&] {
    EXPECT_TRUE(commits([&](Database& db) -> Status {
                  entered = true;
                  while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                  return insert(db, 1);
                }).ok());
  });
  while (!entered.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Status failed, duplicate, good;
  std::thread a([&] {
    // Writes a row, then fails: its row must go.
    failed = commits([&](Database& db) -> Status {
      WEFT_TRY(insert(db, 10));
      return Error::make("invalid_argument", "changed my mind");
    });
  });
  wait_until_queued(1);
  std::thread b([&] { duplicate = commits([&](Database& db) { return insert(db, 1); }); });  // key taken
  wait_until_queued(2);
  std::thread c([&] { good = commits([&](Database& db) { return insert(db, 20); }); });
  wait_until_queued(3);
  release = true;
  leader.join();
  a.join();
  b.join();
  c.join();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "invalid_argument");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, "conflict");
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(keys(), (std::vector<int>{1, 20}));
  EXPECT_EQ(commits.transactions(), 2u);
}

TEST_F(GroupCommitTest, ALoneFailedWriteRollsBack) {
  Status s = pool_->commits()([&](Database& db) -> Status {
    WEFT_TRY(insert(db, 5));
    return Error::make("invalid_argument", "no");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(keys().empty());
  // The writer is usable afterwards (no transaction left open).
  EXPECT_TRUE(pool_->commits()([&](Database& db) { return insert(db, 6); }).ok());
  EXPECT_EQ(keys(), (std::vector<int>{6}));
}

TEST_F(GroupCommitTest, ManyThreadsLoseNoWrite) {
  constexpr int kThreads = 8, kEach = 200;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!pool_->commits()([&](Database& db) { return insert(db, t * kEach + i); }).ok()) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(keys().size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(pool_->commits().writes(), static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_LE(pool_->commits().transactions(), pool_->commits().writes());
}

int synchronous_of(Database& db) {
  auto q = db.query("PRAGMA synchronous");
  EXPECT_TRUE(q.ok());
  EXPECT_TRUE(*q->step());
  return static_cast<int>(q->int64(0));
}

TEST(DurabilityTest, PicksTheSynchronousMode) {
  weft::testing::TempDir dir;
  auto process = ConnectionPool::open(dir.path() + "/p.db", 1, Durability::process);
  ASSERT_TRUE(process.ok());
  EXPECT_EQ(synchronous_of((*process)->writer().db()), 1);  // NORMAL
  auto full = ConnectionPool::open(dir.path() + "/f.db", 1, Durability::full);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(synchronous_of((*full)->writer().db()), 2);  // FULL
  EXPECT_EQ(parse_durability("full"), Durability::full);
  EXPECT_EQ(parse_durability("process"), Durability::process);
  EXPECT_FALSE(parse_durability("fast").has_value());
}

}  // namespace
}  // namespace weft::store::sqlite
