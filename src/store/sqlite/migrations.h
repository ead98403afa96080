// store/sqlite/migrations.h — owns the SQLite schema history: numbered migrations embedded from
// migrations/sqlite/NNNN_name.sql, applied in order at open and recorded in schema_migrations.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/migration.h"

struct sqlite3;

namespace weft::store::sqlite {

// Every migration compiled into this binary, ascending by number (generated at build time).
const std::vector<Migration>& embedded_migrations();

// Applies the migrations in `available` not yet recorded, each in its own transaction.
// Fails with "database_too_new" if the database records a migration number greater than the
// highest in `available` (it was written by a newer Weft), naming both versions.
Status apply_migrations(sqlite3* db, const std::vector<Migration>& available);

}  // namespace weft::store::sqlite
