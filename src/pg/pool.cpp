#include "pg/pool.h"

#include <algorithm>

#include "core/log.h"

namespace weft::pg {

Pool::Lease::~Lease() {
  if (pool_ != nullptr && connection_) pool_->give_back(std::move(connection_));
}

Result<std::unique_ptr<Pool>> Pool::open(const std::string& url, Options options) {
  options.size = std::max(1, options.size);
  std::unique_ptr<Pool> pool(new Pool(url, options));
  WEFT_TRY_ASSIGN(auto first, Connection::open(url));
  pool->idle_.push_back(std::move(first));
  pool->open_ = 1;
  return pool;
}

Result<std::unique_ptr<Connection>> Pool::connect() {
  {
    std::lock_guard lock(mutex_);
    if (std::chrono::steady_clock::now() < retry_at_) {
      --open_;
      freed_.notify_one();
      return Error::make(kUnavailable, "the database is unavailable; retry shortly");
    }
  }
  auto opened = Connection::open(url_);
  std::lock_guard lock(mutex_);
  if (!opened.ok()) {
    --open_;
    backoff_ = backoff_.count() == 0 ? options_.first_backoff : std::min(backoff_ * 2, options_.max_backoff);
    retry_at_ = std::chrono::steady_clock::now() + backoff_;
    freed_.notify_one();
    log().warn("cannot reconnect to PostgreSQL (next try in {} ms): {}", backoff_.count(), opened.error().message);
    return Error::make(kUnavailable, "the database is unavailable; retry shortly");
  }
  backoff_ = std::chrono::milliseconds(0);
  ++leased_;
  return std::move(opened).take();
}

Result<Pool::Lease> Pool::acquire() {
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  std::unique_lock lock(mutex_);
  while (true) {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      if (!connection->alive()) {
        --open_;  // the server ended it while it was idle (a restart): open another below
        continue;
      }
      ++leased_;
      return Lease(this, std::move(connection));
    }
    if (open_ < options_.size) {
      ++open_;
      lock.unlock();
      WEFT_TRY_ASSIGN(auto connection, connect());
      return Lease(this, std::move(connection));
    }
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.size) {
      return Error::make(kUnavailable, "no database connection became free in time; retry shortly");
    }
  }
}

void Pool::give_back(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  --leased_;
  if (connection->usable()) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;  // lost: dropped here, reopened by a later acquire
    connection.reset();
  }
  freed_.notify_one();
}

Status Pool::transact(const std::function<Status(Connection&)>& write) {
  WEFT_TRY_ASSIGN(Lease lease, acquire());
  for (int attempt = 1;; ++attempt) {
    Status done = [&]() -> Status {
      WEFT_TRY_ASSIGN(Transaction tx, Transaction::begin(lease.db()));
      WEFT_TRY(write(lease.db()));
      return tx.commit();
    }();
    if (done.ok() || attempt == 3 || !is_retryable(done.error())) return done;
  }
}

int Pool::open_count() const {
  std::lock_guard lock(mutex_);
  return open_;
}

int Pool::in_use() const {
  std::lock_guard lock(mutex_);
  return leased_;
}

}  // namespace weft::pg
