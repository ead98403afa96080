#include "store/postgres/pg_migrations.h"

#include <algorithm>

#include "core/clock.h"

namespace weft::store::postgres {

namespace {

Result<int> max_recorded(Connection& db) {
  Query q = db.query("SELECT COALESCE(MAX(number), 0) FROM schema_migrations");
  WEFT_TRY_ASSIGN(bool row, q.step());
  return row ? static_cast<int>(q.int64(0)) : 0;
}

Status too_new(int recorded, int supported) {
  return Error::make("database_too_new",
                     "database schema version " + std::to_string(recorded) +
                         " is newer than this weft binary supports (" + std::to_string(supported) +
                         "); upgrade weft",
                     {{"database_version", recorded}, {"supported_version", supported}});
}

}  // namespace

Status apply_migrations(Connection& db, const std::vector<Migration>& available) {
  int supported = 0;
  for (const Migration& m : available) supported = std::max(supported, m.number);
  std::vector<const Migration*> ordered;
  for (const Migration& m : available) ordered.push_back(&m);
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->number < b->number; });

  // An up-to-date database opens without the lock (and without writing).
  {
    Query exists = db.query("SELECT to_regclass('schema_migrations') IS NOT NULL");
    WEFT_TRY_ASSIGN(bool row, exists.step());
    if (row && exists.text(0) == "t") {
      WEFT_TRY_ASSIGN(int recorded, max_recorded(db));
      if (recorded > supported) return too_new(recorded, supported);
      if (recorded == supported) return {};
    }
  }

  WEFT_TRY_ASSIGN(Transaction tx, Transaction::begin(db));
  // One lock per schema ('weft' and the schema's hash): every process that opens this schema
  // waits here until the first has applied the migrations, then finds them recorded.
  {
    Query lock = db.query("SELECT pg_advisory_xact_lock(2003195508, hashtext(current_schema()))");
    WEFT_TRY(lock.run());
  }
  WEFT_TRY(db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                   "  number     INTEGER PRIMARY KEY,"
                   "  name       TEXT NOT NULL,"
                   "  applied_at BIGINT NOT NULL)"));
  WEFT_TRY_ASSIGN(int recorded, max_recorded(db));
  if (recorded > supported) return too_new(recorded, supported);
  for (const Migration* m : ordered) {
    if (m->number <= recorded) continue;
    // The script is compiled into the binary (cmake/embed_migrations.cmake), never runtime input.
    Status applied = db.exec_script(m->sql, m->name);
    if (!applied.ok()) {
      return Error::internal("migration " + std::string(m->name) + " failed: " + applied.error().message);
    }
    Query record = db.query("INSERT INTO schema_migrations (number, name, applied_at) VALUES ($1, $2, $3)");
    record.bind(m->number, std::string_view(m->name), SystemClock::instance().now_ms());
    WEFT_TRY(record.run());
  }
  return tx.commit();
}

}  // namespace weft::store::postgres
