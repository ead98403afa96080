// The "weft-wal" VFS on real files: frames are written with one call, and the WAL it writes is
// byte for byte what SQLite meant (a copy of the files, opened with the default VFS, recovers
// every committed row).
#include "store/sqlite/wal_frame_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "testing/temp_dir.h"

namespace weft::store::sqlite {
namespace {

void exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message != nullptr ? message : "") << " in " << sql;
  sqlite3_free(message);
}

std::string text_of(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sql;
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return out;
}

// What a crash leaves of the database at `path` (its file and its WAL, copied while `path` is
// still open), opened with the default VFS, whose recovery checks every frame's checksum.
sqlite3* open_copy(weft::testing::TempDir& dir, const std::string& path) {
  std::filesystem::copy_file(path, dir.file("copy.db"));
  std::filesystem::copy_file(path + "-wal", dir.file("copy.db-wal"));
  sqlite3* copy = nullptr;
  EXPECT_EQ(sqlite3_open_v2(dir.file("copy.db").c_str(), &copy, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  return copy;
}

TEST(WalFrameVfs, FramesAreWrittenWholeAndThePlainVfsRecoversThem) {
  const char* vfs = wal_frame_vfs();
  ASSERT_NE(vfs, nullptr);
  EXPECT_STREQ(wal_frame_vfs(), vfs);  // registered once
  weft::testing::TempDir dir;
  const std::string path = dir.file("weft.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs), SQLITE_OK);
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=FULL");    // a sync per commit: held headers must be out first
  exec(db, "PRAGMA wal_autocheckpoint=0");  // everything stays in the WAL
  exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const std::uint64_t before = wal_frames_coalesced();
  // Rows of many sizes (overflow pages too), in many transactions, one rolled back.
  for (int i = 0; i < 200; ++i) {
    exec(db, "BEGIN");
    exec(db, "INSERT INTO t (id, body) VALUES (" + std::to_string(i) + ", printf('%." +
                 std::to_string(1 + (i * 97) % 9000) + "c', 'x'))");
    exec(db, i == 17 ? "ROLLBACK" : "COMMIT");
  }
  exec(db, "UPDATE t SET body = 'short' WHERE id % 3 = 0");
  const std::uint64_t coalesced = wal_frames_coalesced() - before;
  EXPECT_GE(coalesced, 200u);
  EXPECT_EQ(text_of(db, "SELECT count(*) FROM t"), "199");

  // A copy taken while the WAL holds every commit: recovery drops a torn frame.
  sqlite3* copy = open_copy(dir, path);
  EXPECT_EQ(text_of(copy, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(text_of(copy, "SELECT count(*) FROM t"), "199");
  EXPECT_EQ(text_of(copy, "SELECT count(*) FROM t WHERE id = 17"), "0");
  EXPECT_EQ(text_of(copy, "SELECT count(*) FROM t WHERE body = 'short'"), "67");
  EXPECT_EQ(text_of(copy, "SELECT length(body) FROM t WHERE id = 199"), std::to_string(1 + (199 * 97) % 9000));
  EXPECT_EQ(text_of(copy, "SELECT sum(length(body)) FROM t"), text_of(db, "SELECT sum(length(body)) FROM t"));
  sqlite3_close(copy);
  sqlite3_close(db);
}

// A transaction larger than the page cache spills frames before its commit and rewrites some
// in place; at the commit SQLite then rewrites their headers' checksums (walRewriteChecksums):
// 24-byte writes with no page after them. With synchronous=NORMAL nothing syncs after them, so
// a held one would exist only in memory: a copy of the files taken right after the commit (what
// a crash leaves) must still hold the whole transaction.
TEST(WalFrameVfs, ACheckSumRewriteAtCommitIsWrittenAtOnce) {
  weft::testing::TempDir dir;
  const std::string path = dir.file("weft.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, wal_frame_vfs()), SQLITE_OK);
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=NORMAL");
  exec(db, "PRAGMA wal_autocheckpoint=0");
  exec(db, "PRAGMA cache_size=8");  // pages: the transaction below spills many times
  exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  exec(db, "BEGIN");
  exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) "
           "INSERT INTO t (id, body) SELECT i, printf('%.900c', 'a') FROM n");
  exec(db, "UPDATE t SET body = printf('%.800c', 'b') WHERE id % 2 = 0");
  exec(db, "UPDATE t SET body = 'last' WHERE id = 600");
  exec(db, "COMMIT");
  sqlite3* copy = open_copy(dir, path);
  EXPECT_EQ(text_of(copy, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(text_of(copy, "SELECT count(*) FROM t"), "600");
  EXPECT_EQ(text_of(copy, "SELECT count(*) FROM t WHERE substr(body, 1, 1) = 'b'"), "299");  // 600 is 'last'
  EXPECT_EQ(text_of(copy, "SELECT body FROM t WHERE id = 600"), "last");
  sqlite3_close(copy);
  sqlite3_close(db);
}

}  // namespace
}  // namespace weft::store::sqlite
