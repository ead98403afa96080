// store/postgres/pg_types.h — owns naming the pg module's types (connection, query,
// transaction, pool, listener) as this backend's own, and LeaseClock (whose clock times leases).
#pragma once

#include "pg/connection.h"
#include "pg/listener.h"
#include "pg/pool.h"

namespace weft::store::postgres {

using pg::Connection;
using pg::Listener;
using pg::Pool;
using pg::Query;
using pg::Transaction;

// Whose clock sets and compares lease times. `database`: the server's (clock_timestamp()), so
// that nodes whose clocks disagree still agree on when a lease expires; the `now` a caller
// passes then only sets how long a lease lasts. `caller`: the times callers pass, as given
// (a store opened with a ManualClock: the contract tests). The
// same goes for when a queued run becomes claimable (jobs.available_at).
enum class LeaseClock { database, caller };

}  // namespace weft::store::postgres
