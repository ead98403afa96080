#include "store/sqlite/checkpointer.h"

#include <sqlite3.h>

#include "core/log.h"

namespace weft::store::sqlite {

namespace {
// Ask the background thread for a checkpoint once the WAL holds this many pages (SQLite's own
// auto-checkpoint default)…
constexpr int kBackgroundPages = 1000;
// …and checkpoint inline on the writer only if the WAL still grows past this (the background
// thread cannot keep up, or readers keep pinning old snapshots).
constexpr int kInlinePages = 20000;
}  // namespace

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(const std::string& path,
                                                          Database& writer) {
  WEFT_TRY_ASSIGN(auto db, Database::open(path, Database::Access::read_write));
  std::unique_ptr<Checkpointer> checkpointer(new Checkpointer(std::move(db), writer));
  sqlite3_wal_hook(writer.handle(), &Checkpointer::on_commit, checkpointer.get());
  return checkpointer;
}

Checkpointer::Checkpointer(std::unique_ptr<Database> db, Database& writer)
    : db_(std::move(db)), writer_(writer) {
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  // The caller holds no writer lease here (the pool is being destroyed), so no commit races
  // with removing the hook.
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

int Checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto* checkpointer = static_cast<Checkpointer*>(self);
  if (wal_pages >= kInlinePages) {
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wal_pages >= kBackgroundPages) {
    {
      std::lock_guard lock(checkpointer->mutex_);
      if (checkpointer->pending_) return SQLITE_OK;
      checkpointer->pending_ = true;
    }
    checkpointer->wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return pending_ || stopping_; });
    if (stopping_) return;
    lock.unlock();
    const int rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
      log().warn("sqlite checkpoint failed: {}", sqlite3_errmsg(db_->handle()));
    }
    lock.lock();
    pending_ = false;
  }
}

}  // namespace weft::store::sqlite
