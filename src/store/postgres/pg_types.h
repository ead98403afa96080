// store/postgres/pg_types.h — owns naming the pg module's types (connection, query,
// transaction, pool, listener) as this backend's own. Declares nothing else.
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

}  // namespace weft::store::postgres
