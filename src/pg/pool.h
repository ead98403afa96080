// pg/pool.h — owns the connections of one PostgreSQL database: up to `size`
// connections opened when first needed, handed out as leases, dropped when lost and reopened
// with backoff. A request never hangs: with the server gone, or no connection free within the
// acquire timeout, acquire() fails with database_unavailable (HTTP 503). Runs no queries itself.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "pg/connection.h"

namespace weft::pg {

class Pool {
 public:
  struct Options {
    int size = 8;
    std::chrono::milliseconds acquire_timeout{5000};
    std::chrono::milliseconds first_backoff{100};  // after a failed connect; doubles to max_backoff
    std::chrono::milliseconds max_backoff{2000};
  };

  // Exclusive use of one connection while alive; given back on destruction (dropped if lost).
  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), connection_(std::move(other.connection_)) {
      other.pool_ = nullptr;
    }
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Connection& db() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    friend class Pool;
    Lease(Pool* pool, std::unique_ptr<Connection> connection) : pool_(pool), connection_(std::move(connection)) {}
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Opens the first connection now, so that a wrong url or password fails the start with
  // Connection::open's error; the others open when first needed.
  static Result<std::unique_ptr<Pool>> open(const std::string& url, Options options);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A free connection, opening one while fewer than `size` are open. Thread-safe.
  Result<Lease> acquire();
  // Runs `write(connection)` in one transaction on a leased connection: committed when it
  // succeeds, rolled back when it fails. After a deadlock or a serialization failure it runs
  // again (up to 3 times), so `write` must be a function of the database only.
  Status transact(const std::function<Status(Connection&)>& write);
  // Connections open and leased now (the /metrics gauge).
  int open_count() const;
  int in_use() const;

 private:
  Pool(std::string url, Options options) : url_(std::move(url)), options_(options) {}
  void give_back(std::unique_ptr<Connection> connection);
  // Opens a connection outside the lock, honouring the backoff after a failure.
  Result<std::unique_ptr<Connection>> connect();

  const std::string url_;
  const Options options_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;    // opened or being opened
  int leased_ = 0;
  std::chrono::steady_clock::time_point retry_at_{};  // no connect before this after a failure
  std::chrono::milliseconds backoff_{0};
};

}  // namespace weft::pg
