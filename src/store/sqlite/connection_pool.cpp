#include "store/sqlite/connection_pool.h"

#include <utility>

namespace weft::store::sqlite {

ConnectionPool::ReadLease::ReadLease(ConnectionPool* pool, std::unique_ptr<Database> db)
    : pool_(pool), owned_(std::move(db)), db_(owned_.get()) {}

ConnectionPool::ReadLease::ReadLease(std::mutex& writer_mutex, Database& writer)
    : writer_lock_(writer_mutex), db_(&writer) {}

ConnectionPool::ReadLease::ReadLease(ReadLease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      owned_(std::move(other.owned_)),
      writer_lock_(std::move(other.writer_lock_)),
      db_(std::exchange(other.db_, nullptr)) {}

ConnectionPool::ReadLease::~ReadLease() {
  if (pool_ != nullptr && owned_ != nullptr) pool_->give_back(std::move(owned_));
}

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::open(const std::string& path,
                                                             int read_connections,
                                                             Durability durability) {
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool());
  pool->path_ = path;
  pool->durability_ = durability;
  WEFT_TRY_ASSIGN(pool->writer_, Database::open(path, Database::Access::read_write, durability));
  pool->commits_ = std::make_unique<GroupCommit>(*pool);
  WEFT_TRY_ASSIGN(pool->checkpointer_, Checkpointer::start(path, *pool->writer_));
  // Readers are opened on first need (each parses the schema: ~0.5 ms a start does not pay).
  pool->reader_count_ = read_connections > 0 ? read_connections : 0;
  return pool;
}

ConnectionPool::ReadLease ConnectionPool::reader() {
  if (reader_count_ == 0) return ReadLease(writer_mutex_, *writer_);
  std::unique_lock lock(readers_mutex_);
  if (idle_readers_.empty() && opened_readers_ < reader_count_) {
    ++opened_readers_;  // this caller opens it, outside the lock
    lock.unlock();
    auto opened = Database::open(path_, Database::Access::query_only, durability_);
    if (opened.ok()) return ReadLease(this, std::move(opened).take());
    lock.lock();
    --opened_readers_;  // could not (out of file descriptors?): wait for one that is open,
    if (opened_readers_ == 0) {
      // or, with none open to wait for, read on the writer rather than wait forever.
      lock.unlock();
      return ReadLease(writer_mutex_, *writer_);
    }
  }
  reader_free_.wait(lock, [this] { return !idle_readers_.empty(); });
  std::unique_ptr<Database> db = std::move(idle_readers_.back());
  idle_readers_.pop_back();
  return ReadLease(this, std::move(db));
}

void ConnectionPool::give_back(std::unique_ptr<Database> db) {
  {
    std::lock_guard lock(readers_mutex_);
    idle_readers_.push_back(std::move(db));
  }
  reader_free_.notify_one();
}

}  // namespace weft::store::sqlite
