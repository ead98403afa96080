// pg/clock_sql.h — owns WEFT_PG_NOW_MS, the SQL expression of the database's clock
// in epoch milliseconds (clock_timestamp(): the time of the statement, not of its transaction),
// which leases are set and compared on when the store uses the database's clock (LeaseClock).
#pragma once

#define WEFT_PG_NOW_MS "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
