// SQLite schema history and open_store() url handling, checked on real files.
#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "store/open_store.h"
#include "store/store.h"
#include "testing/temp_dir.h"

namespace weft::store::sqlite {
namespace {

// A raw connection for poking at the file behind the store's back.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  sqlite3* get() const { return db_; }

  void exec(const char* sql) {
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql, nullptr, nullptr, &message), SQLITE_OK)
        << (message != nullptr ? message : "");
    sqlite3_free(message);
  }

  // (number, applied_at) of every recorded migration, ascending.
  std::vector<std::pair<int, std::int64_t>> recorded() {
    std::vector<std::pair<int, std::int64_t>> out;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_,
                                 "SELECT number, applied_at FROM schema_migrations ORDER BY number",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      out.emplace_back(sqlite3_column_int(stmt, 0), sqlite3_column_int64(stmt, 1));
    }
    sqlite3_finalize(stmt);
    return out;
  }

  bool has_table(const char* name) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1,
                       &stmt, nullptr);
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    const bool found = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return found;
  }

 private:
  sqlite3* db_ = nullptr;
};

Result<std::unique_ptr<Store>> open_url(const std::string& url) {
  StoreOptions options;
  options.url = url;
  return open_store(options);
}

int max_embedded() {
  int max = 0;
  for (const auto& m : embedded_migrations()) max = std::max(max, m.number);
  return max;
}

TEST(Migrations, EmbeddedListIsNumberedAndAscending) {
  const auto& all = embedded_migrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().number, 1);
  EXPECT_STREQ(all.front().name, "0001_init");
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].number, all[i].number);
  ASSERT_GE(all.size(), 3u);
  EXPECT_STREQ(all[1].name, "0002_accounts");
  EXPECT_STREQ(all[2].name, "0003_triggers");
}

TEST(Migrations, FreshDatabaseRecordsEveryMigration) {
  weft::testing::TempDir dir;
  const std::string path = dir.file("weft.db");
  ASSERT_TRUE(open_url(path).ok());
  RawDb raw(path);
  auto recorded = raw.recorded();
  ASSERT_EQ(recorded.size(), embedded_migrations().size());
  for (std::size_t i = 0; i < recorded.size(); ++i) {
    EXPECT_EQ(recorded[i].first, embedded_migrations()[i].number);
    EXPECT_GT(recorded[i].second, 0);
  }
  for (const char* table : {"orgs", "workflows", "workflow_versions", "runs", "step_runs", "jobs",
                            "credentials", "org_keys", "settings", "users", "memberships",
                            "sessions", "api_tokens", "webhooks", "schedules", "invitations"}) {
    EXPECT_TRUE(raw.has_table(table)) << table;
  }
}

TEST(Migrations, ReopeningAppliesNothingNew) {
  weft::testing::TempDir dir;
  const std::string path = dir.file("weft.db");
  ASSERT_TRUE(open_url(path).ok());
  std::vector<std::pair<int, std::int64_t>> before;
  {
    RawDb raw(path);
    before = raw.recorded();
  }
  ASSERT_TRUE(open_url(path).ok());
  RawDb raw(path);
  EXPECT_EQ(raw.recorded(), before);
  // Applying directly again is a no-op as well.
  ASSERT_TRUE(apply_migrations(raw.get(), embedded_migrations()).ok());
  EXPECT_EQ(raw.recorded(), before);
}

TEST(Migrations, NewerDatabaseIsRefused) {
  weft::testing::TempDir dir;
  const std::string path = dir.file("weft.db");
  ASSERT_TRUE(open_url(path).ok());
  {
    RawDb raw(path);
    raw.exec("INSERT INTO schema_migrations (number, name, applied_at) "
             "VALUES (9999, '9999_from_the_future', 1)");
  }
  auto opened = open_url(path);
  ASSERT_FALSE(opened.ok());
  const Error& error = opened.error();
  EXPECT_EQ(error.code, "database_too_new");
  EXPECT_TRUE(error.is_public);
  EXPECT_NE(error.message.find("9999"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("(" + std::to_string(max_embedded()) + ")"), std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("upgrade weft"), std::string::npos) << error.message;
  EXPECT_EQ(error.details["database_version"], 9999);
  EXPECT_EQ(error.details["supported_version"], max_embedded());
}

TEST(Migrations, FailedMigrationLeavesNoTrace) {
  weft::testing::TempDir dir;
  RawDb raw(dir.file("scratch.db"));
  const std::vector<Migration> good = {{1, "0001_a", "CREATE TABLE a (x INTEGER);"}};
  ASSERT_TRUE(apply_migrations(raw.get(), good).ok());
  const std::vector<Migration> bad = {
      {1, "0001_a", "CREATE TABLE a (x INTEGER);"},
      {2, "0002_b", "CREATE TABLE b (x INTEGER); THIS IS NOT SQL;"}};
  auto status = apply_migrations(raw.get(), bad);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("0002_b"), std::string::npos);
  EXPECT_FALSE(raw.has_table("b"));  // rolled back with its transaction
  ASSERT_EQ(raw.recorded().size(), 1u);
  const std::vector<Migration> fixed = {
      {1, "0001_a", "CREATE TABLE a (x INTEGER);"},
      {2, "0002_b", "CREATE TABLE b (x INTEGER);"}};
  ASSERT_TRUE(apply_migrations(raw.get(), fixed).ok());
  EXPECT_TRUE(raw.has_table("b"));
  EXPECT_EQ(raw.recorded().size(), 2u);
}

// Rows of `sql`, each as its columns joined by '|' (SQL NULL as '-').
std::vector<std::string> rows_of(sqlite3* db, const char* sql) {
  std::vector<std::string> rows;
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sql;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      const unsigned char* text = sqlite3_column_text(stmt, c);
      row += (c > 0 ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "-");
    }
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  return rows;
}

bool builds_ephemeral_table(sqlite3* db, const char* statement) {
  for (const std::string& op : rows_of(db, (std::string("EXPLAIN ") + statement).c_str())) {
    if (op.find("OpenEphemeral") != std::string::npos) return true;
  }
  return false;
}

// 0010 rebuilds runs and step_runs to write their status CHECKs as ORs (an IN list of more
// than two constants builds an ephemeral b-tree on every insert). runs is rebuilt with foreign
// keys off: the rows of its children (step_runs, jobs) survive, step_runs keeps its seq (the
// order of a run's steps), the rules still hold and the cascades still work.
TEST(Migrations, StatusCheckRebuildKeepsRowsOrderAndRules) {
  weft::testing::TempDir dir;
  RawDb raw(dir.file("weft.db"));
  raw.exec("PRAGMA foreign_keys=ON");
  std::vector<Migration> before_0010;
  for (const Migration& m : embedded_migrations()) {
    if (m.number < 10) before_0010.push_back(m);
  }
  ASSERT_TRUE(apply_migrations(raw.get(), before_0010).ok());
  raw.exec("INSERT INTO orgs (id, name, created_at) VALUES ('o1', 'acme', 1);"
           "INSERT INTO runs (id, org_id, workflow_id, workflow_version, status, output, "
           "  created_at) VALUES ('r1', 'o1', 'w1', 1, 'running', '[1]', 1);"
           "INSERT INTO runs (id, org_id, workflow_id, workflow_version, status, created_at, "
           "  finished_at) VALUES ('r2', 'o1', 'w1', 2, 'cancelled', 5, 6);"
           "INSERT INTO jobs (id, org_id, run_id, available_at, created_at) "
           "  VALUES ('j1', 'o1', 'r1', 1, 1);"
           "INSERT INTO step_runs (seq, run_id, org_id, step_id, status, output, started_at, "
           "  finished_at, bundle_vendor) VALUES (7, 'r1', 'o1', 'b', 'succeeded', '{\"x\":1}', 2, "
           "  3, 'acme');"
           "INSERT INTO step_runs (seq, run_id, org_id, step_id, status, started_at, finished_at) "
           "  VALUES (3, 'r1', 'o1', 'a', 'failed', 1, 2);");

  ASSERT_TRUE(apply_migrations(raw.get(), embedded_migrations()).ok());
  EXPECT_FALSE(raw.has_table("runs_new"));
  EXPECT_FALSE(raw.has_table("step_runs_new"));
  EXPECT_EQ(rows_of(raw.get(), "PRAGMA foreign_keys"), std::vector<std::string>{"1"});  // back on
  EXPECT_TRUE(rows_of(raw.get(), "PRAGMA foreign_key_check").empty());
  EXPECT_EQ(rows_of(raw.get(), "SELECT id, workflow_version, status, output, finished_at FROM runs ORDER BY id"),
            (std::vector<std::string>{"r1|1|running|[1]|-", "r2|2|cancelled|-|6"}));
  EXPECT_EQ(rows_of(raw.get(), "SELECT id, run_id FROM jobs"), std::vector<std::string>{"j1|r1"});
  EXPECT_EQ(rows_of(raw.get(), "SELECT seq, step_id, status, output, bundle_vendor FROM step_runs ORDER BY seq"),
            (std::vector<std::string>{"3|a|failed|-|-", "7|b|succeeded|{\"x\":1}|acme"}));
  EXPECT_EQ(rows_of(raw.get(), "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' "
                               "AND name NOT LIKE 'sqlite_%' ORDER BY name"),
            (std::vector<std::string>{"runs_by_org_created", "runs_by_org_workflow"}));

  // The rules are the same statuses.
  auto refused = [&](const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(raw.get(), sql, nullptr, nullptr, &message);
    sqlite3_free(message);
    return rc != SQLITE_OK;
  };
  EXPECT_TRUE(refused("INSERT INTO step_runs (run_id, org_id, step_id, status, started_at, finished_at) "
                      "VALUES ('r1', 'o1', 'c', 'bogus', 1, 1)"));
  EXPECT_TRUE(refused("UPDATE runs SET status = 'paused' WHERE id = 'r1'"));
  EXPECT_TRUE(refused("INSERT INTO step_runs (run_id, org_id, step_id, status, started_at, finished_at) "
                      "VALUES ('r9', 'o1', 'c', 'running', 1, 1)"));  // no such run
  raw.exec("INSERT INTO step_runs (run_id, org_id, step_id, status, started_at, finished_at) "
           "VALUES ('r1', 'o1', 'c', 'skipped', 1, 1)");
  // A new row still takes a seq after the highest: steps keep their recorded order.
  EXPECT_EQ(rows_of(raw.get(), "SELECT seq > 7 FROM step_runs WHERE step_id = 'c'"), std::vector<std::string>{"1"});

  // Inserts and status updates no longer build an ephemeral table for the checks.
  EXPECT_FALSE(builds_ephemeral_table(raw.get(),
                                      "INSERT INTO step_runs (run_id, org_id, step_id, status, started_at, "
                                      "finished_at) VALUES ('r1', 'o1', 'd', 'running', 1, 1)"));
  EXPECT_FALSE(builds_ephemeral_table(raw.get(),
                                      "INSERT INTO runs (id, org_id, workflow_id, workflow_version, status, "
                                      "created_at) VALUES ('r3', 'o1', 'w1', 1, 'queued', 1)"));
  EXPECT_FALSE(builds_ephemeral_table(raw.get(), "UPDATE runs SET status = 'failed' WHERE id = 'r1'"));

  // The foreign keys to runs cascade as before.
  raw.exec("DELETE FROM runs WHERE id = 'r1'");
  EXPECT_EQ(rows_of(raw.get(), "SELECT count(*) FROM step_runs"), std::vector<std::string>{"0"});
  EXPECT_EQ(rows_of(raw.get(), "SELECT count(*) FROM jobs"), std::vector<std::string>{"0"});
}

// A migration run with foreign keys off commits only if it leaves none dangling.
TEST(Migrations, ForeignKeysOffMigrationWithDanglingRowsRollsBack) {
  weft::testing::TempDir dir;
  RawDb raw(dir.file("scratch.db"));
  raw.exec("PRAGMA foreign_keys=ON");
  const std::vector<Migration> base = {
      {1, "0001_a", "CREATE TABLE p (id INTEGER PRIMARY KEY); "
                    "CREATE TABLE c (p INTEGER REFERENCES p (id) ON DELETE CASCADE);"
                    "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);"}};
  ASSERT_TRUE(apply_migrations(raw.get(), base).ok());
  std::vector<Migration> dangling = base;
  dangling.push_back({2, "0002_b", "-- weft: foreign_keys=OFF\nDELETE FROM p;"});
  auto status = apply_migrations(raw.get(), dangling);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("0002_b"), std::string::npos);
  EXPECT_EQ(rows_of(raw.get(), "SELECT count(*) FROM p"), std::vector<std::string>{"1"});  // rolled back
  EXPECT_EQ(raw.recorded().size(), 1u);
  EXPECT_EQ(rows_of(raw.get(), "PRAGMA foreign_keys"), std::vector<std::string>{"1"});
  // With foreign keys off, dropping the parent did not cascade into the child.
  std::vector<Migration> rebuild = base;
  rebuild.push_back({2, "0002_b", "-- weft: foreign_keys=OFF\n"
                                  "CREATE TABLE p_new (id INTEGER PRIMARY KEY, name TEXT);"
                                  "INSERT INTO p_new (id) SELECT id FROM p; DROP TABLE p;"
                                  "ALTER TABLE p_new RENAME TO p;"});
  ASSERT_TRUE(apply_migrations(raw.get(), rebuild).ok());
  EXPECT_EQ(rows_of(raw.get(), "SELECT count(*) FROM c"), std::vector<std::string>{"1"});
}

TEST(OpenStore, PlainPathCreatesParentDirectories) {
  weft::testing::TempDir dir;
  const std::string path = dir.path() + "/nested/deeper/weft.db";
  auto store = open_url(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->backend(), "sqlite");
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(OpenStore, SqliteUrlForms) {
  weft::testing::TempDir dir;
  // sqlite:///abs/path (absolute) …
  const std::string absolute = dir.path() + "/abs.db";
  {
    auto a = open_url("sqlite://" + absolute);
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_TRUE(std::filesystem::exists(absolute));
    ASSERT_TRUE((*a)->orgs().ensure("acme").ok());
  }
  // … and the same file through a plain path sees the same data.
  auto b = open_url(absolute);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE((*b)->orgs().find_by_name("acme")->has_value());

  // sqlite://relative/path resolves against the working directory.
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto relative = open_url("sqlite://rel/weft.db");
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(relative.ok()) << relative.error().message;
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/rel/weft.db"));
}

TEST(OpenStore, ForeignFileIsRefused) {
  weft::testing::TempDir dir;
  const std::string path = dir.file("not-a.db");
  weft::testing::write_file(path, std::string(8192, 'x'));
  auto store = open_url(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "database_open_failed");
  EXPECT_NE(store.error().message.find("not a database"), std::string::npos)
      << store.error().message;
}

TEST(OpenStore, UnreachableAndInvalidUrls) {
  // Nothing listens on port 1: a PostgreSQL url opens the PostgreSQL backend, which says so.
  auto pg = open_url("postgresql://weft:hunter2-secret@127.0.0.1:1/weft");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.error().code, "database_unreachable");
  EXPECT_NE(pg.error().message.find("PostgreSQL"), std::string::npos) << pg.error().message;
  EXPECT_EQ(pg.error().message.find("hunter2-secret"), std::string::npos) << pg.error().message;
  EXPECT_EQ(open_url("postgres://127.0.0.1:1/weft").error().code, "database_unreachable");
  EXPECT_EQ(open_url("postgresql://[oops").error().code, "invalid_database_url");
  EXPECT_EQ(open_url("mysql://localhost/weft").error().code, "invalid_database_url");
  EXPECT_EQ(open_url("").error().code, "invalid_database_url");
  EXPECT_EQ(open_url("sqlite://").error().code, "invalid_database_url");
}

}  // namespace
}  // namespace weft::store::sqlite
