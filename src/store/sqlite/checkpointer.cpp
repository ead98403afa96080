#include "store/sqlite/checkpointer.h"

#include <sqlite3.h>

#include <system_error>

#include "core/log.h"

namespace weft::store::sqlite {

namespace {
// Ask the background thread for a checkpoint each time the WAL has grown by this many pages
// since the last request (not each time it holds that many: under continuous writes a
// background checkpoint never catches up with the writer, so the WAL cannot restart, and
// asking again after every commit would checkpoint — and fsync — back to back)…
constexpr int kBackgroundPages = 2048;
// Once the WAL holds this many pages, a background checkpoint that left only a little behind
// finishes the job while holding the writer (a short pause: what arrived during the pass), so
// the next write restarts the WAL from its beginning instead of growing it…
constexpr int kRestartPages = 8192;
constexpr int kRestartRemainder = 1024;
// …and the writer checkpoints inline only if the WAL still grows past this (the background
// thread cannot keep up, or readers keep pinning old snapshots).
constexpr int kInlinePages = 65536;
}  // namespace

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(const std::string& path,
                                                          Database& writer, std::mutex& writer_mutex) {
  std::unique_ptr<Checkpointer> checkpointer(new Checkpointer(path, writer, writer_mutex));
  try {
    checkpointer->thread_ = std::thread([c = checkpointer.get()] { c->run(); });
  } catch (const std::system_error& e) {
    return Error::internal(std::string("cannot start the checkpoint thread: ") + e.what());
  }
  sqlite3_wal_hook(writer.handle(), &Checkpointer::on_commit, checkpointer.get());
  return checkpointer;
}

Checkpointer::Checkpointer(std::string path, Database& writer, std::mutex& writer_mutex)
    : path_(std::move(path)), writer_(writer), writer_mutex_(writer_mutex) {}

Checkpointer::~Checkpointer() {
  // The caller holds no writer lease here (the pool is being destroyed), so no commit races
  // with removing the hook.
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();  // not when start() failed to create it
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
    if (db_ == nullptr) {
      auto opened = Database::open(path_, Database::Access::read_write);
      if (!opened.ok()) {
        // The writer still checkpoints inline once the WAL is very large; asked again later.
        log().warn("sqlite checkpoint connection: {}", opened.error().message);
        lock.lock();
        pending_ = false;
        continue;
      }
      db_ = std::move(opened).take();
    }
    int wal_frames = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied);
    if (rc == SQLITE_OK && wal_frames >= kRestartPages && wal_frames - copied <= kRestartRemainder) {
      // Under continuous writes a pass never catches up with the writer, and the WAL can only
      // restart once everything in it is copied: copy the rest with the writer held.
      std::lock_guard writer(writer_mutex_);
      rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
      log().warn("sqlite checkpoint failed: {}", sqlite3_errmsg(db_->handle()));
    }
    lock.lock();
    pending_ = false;
  }
}

}  // namespace weft::store::sqlite
