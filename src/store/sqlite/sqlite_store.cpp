#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/migrations.h"

namespace weft::store::sqlite {

namespace {
constexpr int kMaxReadConnections = 64;
}

SqliteStore::SqliteStore(std::unique_ptr<ConnectionPool> pool, const Clock& clock)
    : pool_(std::move(pool)),
      orgs_(*pool_, clock),
      workflows_(*pool_, clock, webhooks_),
      runs_(*pool_, clock),
      jobs_(*pool_, clock),
      credentials_(*pool_, clock),
      settings_(*pool_, clock),
      accounts_(*pool_, clock),
      triggers_(*pool_, clock, webhooks_),
      bundles_(*pool_, clock),
      audit_(*pool_, clock),
      polls_(*pool_, clock),
      advisories_(*pool_, clock) {}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       const StoreOptions& options) {
  const Clock& clock = options.clock != nullptr ? *options.clock : SystemClock::instance();
  int readers = options.read_connections;
  if (readers < 0) readers = 0;
  if (readers > kMaxReadConnections) readers = kMaxReadConnections;
  WEFT_TRY_ASSIGN(auto pool, ConnectionPool::open(path, readers, options.durability));
  {
    auto writer = pool->writer();
    WEFT_TRY(apply_migrations(writer->handle(), embedded_migrations()));
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(pool), clock));
}

StoreStats SqliteStore::stats() const {
  return {.write_transactions = pool_->commits().transactions(), .writes = pool_->commits().writes()};
}

Status SqliteStore::check_ready() {
  auto reader = pool_->reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT 1 FROM schema_migrations LIMIT 1"));
  return q.run();
}

}  // namespace weft::store::sqlite
