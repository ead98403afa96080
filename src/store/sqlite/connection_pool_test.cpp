// The connection pool on a real SQLite file: no reader is opened with the pool, one is opened
// only when every open one is in use, never more than asked for; a caller beyond that waits
// for a reader to come back; each reader sees what the writer committed; a reader that cannot
// be opened, with none open to wait for, is replaced by the writer rather than waited for.
#include "store/sqlite/connection_pool.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "testing/temp_dir.h"

namespace weft::store::sqlite {
namespace {

TEST(ConnectionPool, ReadersAreOpenedWhenFirstNeededUpToTheLimit) {
  weft::testing::TempDir dir;
  auto opened = ConnectionPool::open(dir.path() + "/p.db", 3);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto pool = std::move(opened).take();
  EXPECT_EQ(pool->readers_open(), 0);
  {
    auto writer = pool->writer();
    ASSERT_TRUE(writer->exec("CREATE TABLE t (k INTEGER PRIMARY KEY)").ok());
    ASSERT_TRUE(writer->exec("INSERT INTO t (k) VALUES (7)").ok());
  }
  { auto first = pool->reader(); }
  EXPECT_EQ(pool->readers_open(), 1);
  {
    auto one = pool->reader();
    EXPECT_EQ(pool->readers_open(), 1);  // the idle one is used first
    auto two = pool->reader();
    auto three = pool->reader();
    EXPECT_EQ(pool->readers_open(), 3);
    std::set<Database*> distinct{&one.db(), &two.db(), &three.db()};
    EXPECT_EQ(distinct.size(), 3u);
    for (Database* db : distinct) {
      auto q = db->query("SELECT k FROM t");
      ASSERT_TRUE(q.ok());
      ASSERT_TRUE(*q->step());
      EXPECT_EQ(q->int64(0), 7);  // opened late, it reads the committed schema and rows
    }
    // A fourth caller waits for one of the three: no fourth connection.
    std::atomic<bool> got{false};
    std::thread fourth([&] {
      auto lease = pool->reader();
      got = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(got.load());
    { auto given_back = std::move(two); }
    fourth.join();
    EXPECT_TRUE(got.load());
    EXPECT_EQ(pool->readers_open(), 3);
  }
  auto again = pool->reader();
  EXPECT_EQ(pool->readers_open(), 3);
}

// Lowers the soft descriptor limit and fills every free descriptor below it, so the next open()
// fails with EMFILE; gives both back when destroyed.
class OutOfDescriptors {
 public:
  OutOfDescriptors() {
    getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit low = saved_;
    low.rlim_cur = 256;
    EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
    for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) held_.push_back(fd);
  }
  ~OutOfDescriptors() {
    for (int fd : held_) ::close(fd);
    setrlimit(RLIMIT_NOFILE, &saved_);
  }

 private:
  rlimit saved_{};
  std::vector<int> held_;
};

TEST(ConnectionPool, AReaderThatCannotBeOpenedWithNoneOpenBorrowsTheWriter) {
  weft::testing::TempDir dir;
  auto opened = ConnectionPool::open(dir.path() + "/p.db", 2);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto pool = std::move(opened).take();
  {
    auto writer = pool->writer();
    ASSERT_TRUE(writer->exec("CREATE TABLE t (k INTEGER PRIMARY KEY)").ok());
    ASSERT_TRUE(writer->exec("INSERT INTO t (k) VALUES (9)").ok());
  }
  {
    OutOfDescriptors exhausted;
    auto lease = pool->reader();  // returns instead of waiting for a reader that never comes
    EXPECT_EQ(pool->readers_open(), 0);
    auto q = lease->query("SELECT k FROM t");
    ASSERT_TRUE(q.ok()) << q.error().message;
    ASSERT_TRUE(*q->step());
    EXPECT_EQ(q->int64(0), 9);
  }
  // With descriptors back, the next caller opens a real reader.
  auto lease = pool->reader();
  EXPECT_EQ(pool->readers_open(), 1);
}

}  // namespace
}  // namespace weft::store::sqlite
