#include "store/sqlite/migrations.h"

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "store/sqlite/database.h"

namespace weft::store::sqlite {

namespace {

// Runs one parameterless statement to completion on a connection this file does not own.
Status exec_literal(sqlite3* db, Sql sql) {
  WEFT_TRY_ASSIGN(Statement statement, Statement::prepare(db, sql));
  Query query(statement);
  return query.run();
}

Result<int> max_recorded(sqlite3* db) {
  WEFT_TRY_ASSIGN(Statement statement,
                  Statement::prepare(db, "SELECT COALESCE(MAX(number), 0) FROM schema_migrations"));
  Query query(statement);
  WEFT_TRY_ASSIGN(bool row, query.step());
  return row ? static_cast<int>(query.int64(0)) : 0;
}

Result<bool> is_recorded(sqlite3* db, int number) {
  WEFT_TRY_ASSIGN(Statement statement,
                  Statement::prepare(db, "SELECT 1 FROM schema_migrations WHERE number = ?1"));
  Query query(statement);
  query.bind(number);
  return query.step();
}

// A migration that rebuilds a table other tables reference (SQLite's 12-step procedure: create
// the new table, copy, drop the old one, rename) starts with this line: it runs with foreign
// keys off, or dropping the old table would cascade into its children, and the transaction
// commits only if PRAGMA foreign_key_check then finds nothing.
constexpr std::string_view kForeignKeysOff = "-- weft: foreign_keys=OFF\n";

// The first row PRAGMA foreign_key_check reports, in words ("" when there is none).
std::string first_foreign_key_violation(sqlite3* db) {
  Result<Statement> check = Statement::prepare(db, "PRAGMA foreign_key_check");
  if (!check.ok()) return "the check could not run: " + check.error().message;
  Query query(*check);
  Result<bool> row = query.step();
  if (!row.ok()) return "the check failed: " + row.error().message;
  if (!*row) return "";
  return "row " + std::to_string(query.int64(1)) + " of " + query.text(0) + " references a missing row of " +
         query.text(2);
}

Result<int> foreign_keys_setting(sqlite3* db) {
  WEFT_TRY_ASSIGN(Statement statement, Statement::prepare(db, "PRAGMA foreign_keys"));
  Query query(statement);
  WEFT_TRY_ASSIGN(bool row, query.step());
  return row ? static_cast<int>(query.int64(0)) : 0;
}

// Applies one migration inside BEGIN IMMEDIATE, re-checking under the write lock so two
// processes opening the same file at once never apply it twice.
Status apply_one_locked(sqlite3* db, const Migration& migration, bool check_foreign_keys);

Status apply_one(sqlite3* db, const Migration& migration) {
  if (!std::string_view(migration.sql).starts_with(kForeignKeysOff)) {
    return apply_one_locked(db, migration, false);
  }
  // PRAGMA foreign_keys is a no-op inside a transaction: switched around it, and back after.
  WEFT_TRY_ASSIGN(int enabled, foreign_keys_setting(db));
  WEFT_TRY(exec_literal(db, "PRAGMA foreign_keys=OFF"));
  // Read back: with them still on, dropping a parent table would empty its children.
  Result<int> now = foreign_keys_setting(db);
  Status applied = !now.ok() ? Status(now.error())
                   : *now != 0
                       ? Status(Error::internal("migration " + std::string(migration.name) +
                                                " needs foreign keys off, and they could not be switched off"))
                       : apply_one_locked(db, migration, true);
  if (enabled != 0) {
    // A connection left without its foreign keys would stop enforcing them: that failure wins.
    WEFT_TRY(exec_literal(db, "PRAGMA foreign_keys=ON"));
  }
  return applied;
}

Status apply_one_locked(sqlite3* db, const Migration& migration, bool check_foreign_keys) {
  WEFT_TRY(exec_literal(db, "BEGIN IMMEDIATE"));
  auto rollback = [db] { (void)exec_literal(db, "ROLLBACK"); };

  Result<bool> recorded = is_recorded(db, migration.number);
  if (!recorded.ok()) {
    rollback();
    return recorded.error();
  }
  if (*recorded) {
    rollback();
    return {};
  }
  // The migration script is compiled into the binary (cmake/embed_migrations.cmake), never
  // runtime input; sqlite3_exec runs its several statements in order.
  char* message = nullptr;
  const int rc = sqlite3_exec(db, migration.sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string reason = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    rollback();
    return Error::internal("migration " + std::string(migration.name) + " failed: " + reason);
  }
  if (check_foreign_keys) {
    if (std::string violation = first_foreign_key_violation(db); !violation.empty()) {
      rollback();
      return Error::internal("migration " + std::string(migration.name) +
                             " failed: foreign keys do not hold after it (" + violation + ")");
    }
  }
  Result<Statement> insert = Statement::prepare(
      db, "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) {
    rollback();
    return insert.error();
  }
  Status recorded_now = [&]() -> Status {
    Query query(*insert);
    query.bind(migration.number, std::string_view(migration.name),
               SystemClock::instance().now_ms());
    return query.run();
  }();
  if (!recorded_now.ok()) {
    rollback();
    return recorded_now.error();
  }
  Status committed = exec_literal(db, "COMMIT");
  if (!committed.ok()) rollback();
  return committed;
}

}  // namespace

Status apply_migrations(sqlite3* db, const std::vector<Migration>& available) {
  WEFT_TRY(exec_literal(db,
                        "CREATE TABLE IF NOT EXISTS schema_migrations ("
                        "  number INTEGER PRIMARY KEY NOT NULL,"
                        "  name TEXT NOT NULL,"
                        "  applied_at INTEGER NOT NULL)"));

  int supported = 0;
  for (const Migration& m : available) supported = std::max(supported, m.number);
  WEFT_TRY_ASSIGN(int recorded, max_recorded(db));
  if (recorded > supported) {
    return Error::make("database_too_new",
                       "database schema version " + std::to_string(recorded) +
                           " is newer than this weft binary supports (" +
                           std::to_string(supported) + "); upgrade weft",
                       {{"database_version", recorded}, {"supported_version", supported}});
  }

  std::vector<const Migration*> ordered;
  for (const Migration& m : available) ordered.push_back(&m);
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->number < b->number; });
  for (const Migration* m : ordered) {
    // Cheap unlocked check first: an up-to-date database opens without taking the write lock.
    WEFT_TRY_ASSIGN(bool already, is_recorded(db, m->number));
    if (!already) WEFT_TRY(apply_one(db, *m));
  }
  return {};
}

}  // namespace weft::store::sqlite
