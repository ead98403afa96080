// store/sqlite/connection_pool.h — owns the connections of one SQLite database: ONE writer
// connection behind a mutex (every write goes through it), the group commit that lets
// concurrent writes share its transactions, a small pool of query-only reader connections and
// the background checkpointer. Hands out leases; runs no queries itself.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/database.h"
#include "store/sqlite/group_commit.h"

namespace weft::store::sqlite {

class ConnectionPool {
 public:
  // Exclusive use of the writer connection while alive (holds the writer mutex).
  class WriteLease {
   public:
    Database& db() { return *db_; }
    Database* operator->() { return db_; }

   private:
    friend class ConnectionPool;
    WriteLease(std::mutex& mutex, Database& db) : lock_(mutex), db_(&db) {}
    std::unique_lock<std::mutex> lock_;
    Database* db_;
  };

  // Exclusive use of one reader connection while alive; returns it to the pool on destruction.
  // With no reader connections configured it borrows the writer (holding the writer mutex).
  class ReadLease {
   public:
    ReadLease(ReadLease&& other) noexcept;
    ReadLease& operator=(ReadLease&&) = delete;
    ReadLease(const ReadLease&) = delete;
    ReadLease& operator=(const ReadLease&) = delete;
    ~ReadLease();
    Database& db() { return *db_; }
    Database* operator->() { return db_; }

   private:
    friend class ConnectionPool;
    ReadLease(ConnectionPool* pool, std::unique_ptr<Database> db);
    ReadLease(std::mutex& writer_mutex, Database& writer);
    ConnectionPool* pool_ = nullptr;
    std::unique_ptr<Database> owned_;  // pooled reader, given back on destruction
    std::unique_lock<std::mutex> writer_lock_;
    Database* db_ = nullptr;
  };

  // Opens the writer (creating the file, switching it to WAL) and the checkpointer; up to
  // `read_connections` readers are opened when first needed (each parses the schema and grows
  // its own cache: a start, and a server that is not busy, do not pay for them).
  static Result<std::unique_ptr<ConnectionPool>> open(const std::string& path,
                                                      int read_connections,
                                                      Durability durability = Durability::process);

  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Blocks until the writer is free. Thread-safe.
  WriteLease writer() { return WriteLease(writer_mutex_, *writer_); }
  // A free reader, opening another while fewer than read_connections are open; else blocks
  // until one is given back. When a reader cannot be opened (out of descriptors) and none is
  // open to wait for, the lease borrows the writer instead. Thread-safe.
  ReadLease reader();
  // Readers opened so far (for tests).
  int readers_open() const {
    std::lock_guard lock(readers_mutex_);
    return opened_readers_;
  }
  // The hot-path writes (runs, steps, jobs) go here: one transaction for many callers.
  GroupCommit& commits() { return *commits_; }

 private:
  ConnectionPool() = default;
  void give_back(std::unique_ptr<Database> db);

  std::mutex writer_mutex_;
  std::unique_ptr<Database> writer_;
  std::unique_ptr<Checkpointer> checkpointer_;  // declared after writer_: stops first
  std::unique_ptr<GroupCommit> commits_;
  mutable std::mutex readers_mutex_;
  std::condition_variable reader_free_;
  std::vector<std::unique_ptr<Database>> idle_readers_;
  int reader_count_ = 0;    // readers at most
  int opened_readers_ = 0;  // under readers_mutex_: opened (or being opened) so far
  std::string path_;
  Durability durability_ = Durability::process;
};

}  // namespace weft::store::sqlite
