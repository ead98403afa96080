#include "store/sqlite/checkpointer.h"

#include <sqlite3.h>

#include "core/log.h"

namespace weft::store::sqlite {

namespace {
// Ask the background thread for a checkpoint each time the WAL has grown by this many pages
// since the last request (not each time it holds that many: under continuous writes a
// background checkpoint never catches up with the writer, so the WAL cannot restart, and
// asking again after every commit would checkpoint — and fsync — back to back)…
constexpr int kBackgroundPages = 2048;
// …and checkpoint inline on the writer once the WAL reaches this size: what is left to copy is
// what arrived since the last background checkpoint, and the next write restarts the WAL.
constexpr int kInlinePages = 16384;
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
  // On the writer's thread: requested_at_ is the writer's alone.
  if (wal_pages < checkpointer->requested_at_) checkpointer->requested_at_ = 0;  // it restarted
  if (wal_pages >= kInlinePages) {
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wal_pages - checkpointer->requested_at_ >= kBackgroundPages) {
    checkpointer->requested_at_ = wal_pages;
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
