// store/postgres/pg_migrations.h — owns the PostgreSQL schema history: numbered migrations
// embedded from migrations/postgres/NNNN_name.sql, applied at open in one transaction under an
// advisory lock (processes starting together apply each once) and recorded in schema_migrations.
#pragma once

#include <vector>

#include "core/result.h"
#include "store/migration.h"
#include "store/postgres/pg_types.h"

namespace weft::store::postgres {

// Every migration compiled into this binary, ascending by number (generated at build time).
const std::vector<Migration>& embedded_migrations();

// Applies the migrations of `available` not yet recorded in the connection's schema (the first
// of its search_path). Fails with "database_too_new" if the database records a number greater
// than the highest in `available` (a newer Weft migrated it), naming both versions.
Status apply_migrations(Connection& connection, const std::vector<Migration>& available);

}  // namespace weft::store::postgres
