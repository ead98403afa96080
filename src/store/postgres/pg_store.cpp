#include "store/postgres/pg_store.h"

#include <algorithm>

#include "store/postgres/pg_migrations.h"

namespace weft::store::postgres {

namespace {
constexpr int kMaxConnections = 64;
}

PgStore::PgStore(std::string url, std::unique_ptr<Pool> pool, const Clock& clock, LeaseClock leases)
    : url_(std::move(url)),
      pool_(std::move(pool)),
      orgs_(*pool_, clock),
      workflows_(*pool_, clock),
      runs_(*pool_, clock, leases),
      jobs_(*pool_, clock, leases),
      credentials_(*pool_, clock),
      settings_(*pool_, clock),
      accounts_(*pool_, clock),
      triggers_(*pool_, clock, leases),
      bundles_(*pool_, clock),
      audit_(*pool_, clock),
      polls_(*pool_, clock, leases),
      advisories_(*pool_, clock) {}

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string& url, const StoreOptions& options) {
  const Clock& clock = options.clock != nullptr ? *options.clock : SystemClock::instance();
  Pool::Options pool_options;
  // The readers SQLite would open, and as many for writes (PostgreSQL has no single writer).
  pool_options.size = std::clamp(options.read_connections * 2, 2, kMaxConnections);
  WEFT_TRY_ASSIGN(auto pool, Pool::open(url, pool_options));
  {
    WEFT_TRY_ASSIGN(auto lease, pool->acquire());
    WEFT_TRY(apply_migrations(lease.db(), embedded_migrations()));
  }
  const LeaseClock leases = &clock == &SystemClock::instance() ? LeaseClock::database : LeaseClock::caller;
  return std::unique_ptr<PgStore>(new PgStore(url, std::move(pool), clock, leases));
}

StoreStats PgStore::stats() const {
  return {.connections_open = pool_->open_count(), .connections_in_use = pool_->in_use()};
}

Status PgStore::check_ready() {
  WEFT_TRY_ASSIGN(auto lease, pool_->acquire());
  Query q = lease->query("SELECT COALESCE(MAX(number), 0) FROM schema_migrations");
  WEFT_TRY_ASSIGN(bool row, q.step());
  int supported = 0;
  for (const Migration& m : embedded_migrations()) supported = std::max(supported, m.number);
  const int recorded = row ? static_cast<int>(q.int64(0)) : 0;
  if (recorded != supported) {
    return Error::make(recorded > supported ? "database_too_new" : "database_unavailable",
                       "the database schema is version " + std::to_string(recorded) + ", this weft's is " +
                           std::to_string(supported));
  }
  return {};
}

bool PgStore::listen(StoreSignals signals) {
  {
    std::lock_guard lock(signals_mutex_);
    signals_ = std::move(signals);
  }
  if (listener_) return true;
  listener_ = std::make_unique<Listener>(url_, std::vector<std::string>{"weft_jobs", "weft_cancel", "weft_catalog"},
                                         [this](const std::string& channel, const std::string& payload) {
                                           std::lock_guard lock(signals_mutex_);
                                           if (channel == "weft_jobs" && signals_.jobs_available) {
                                             signals_.jobs_available();
                                           } else if (channel == "weft_cancel" && signals_.cancel_requested) {
                                             signals_.cancel_requested(RunId(payload));
                                           } else if (channel == "weft_catalog" && signals_.catalog_changed) {
                                             signals_.catalog_changed();
                                           }
                                         });
  return true;
}

}  // namespace weft::store::postgres
