#include "store/sqlite/checkpointer.h"

#include <sqlite3.h>

#include <chrono>
#include <system_error>

#include "core/log.h"

namespace weft::store::sqlite {

namespace {
// Ask the background thread for a checkpoint each time the WAL has grown by this many pages
// since the last request (not each time it holds that many: under continuous writes a
// checkpoint may not catch up with the writer, and asking again after every commit would
// checkpoint — and fsync — back to back).
constexpr int kBackgroundPages = 2048;
// A request runs passes until one finds nothing new (the next commit then restarts the WAL from
// its beginning: it stays a few MB) or the writer adds as much as the pass before (it outpaces
// them: passes again at the next request, or once no commit came for kQuietFor). No pass
// holds the writer: finishing a pass with the writer held, as before, held it across the
// database's fsync and stalled every commit ~8 ms (webhook p99 3.9-4.4 ms; now 3.2-4.0 ms).
constexpr int kMaxPasses = 16;
constexpr auto kQuietFor = std::chrono::milliseconds(20);
// The writer checkpoints inline only if the WAL still grows past this (writes never pause long
// enough for a pass to catch up, or readers keep pinning old snapshots): one stall per 128 MB.
constexpr int kInlinePages = 32768;
}  // namespace

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(const std::string& path,
                                                          Database& writer) {
  std::unique_ptr<Checkpointer> checkpointer(new Checkpointer(path, writer));
  try {
    checkpointer->thread_ = std::thread([c = checkpointer.get()] { c->run(); });
  } catch (const std::system_error& e) {
    return Error::internal(std::string("cannot start the checkpoint thread: ") + e.what());
  }
  sqlite3_wal_hook(writer.handle(), &Checkpointer::on_commit, checkpointer.get());
  return checkpointer;
}

Checkpointer::Checkpointer(std::string path, Database& writer) : path_(std::move(path)), writer_(writer) {}

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
  checkpointer->last_commit_ns_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                                      std::memory_order_relaxed);
  // On the writer's thread: requested_at_ is the writer's alone.
  if (wal_pages < checkpointer->requested_at_) checkpointer->requested_at_ = 0;  // it restarted
  if (wal_pages >= kInlinePages) {
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wal_pages - checkpointer->requested_at_ >= kBackgroundPages) {
    checkpointer->requested_at_ = wal_pages;
    {
      std::lock_guard lock(checkpointer->mutex_);
      checkpointer->asked_ = true;
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
    lock.lock();
    asked_ = false;
    lock.unlock();
    const bool caught_up = checkpoint_until_caught_up();
    lock.lock();
    if (caught_up) {
      pending_ = false;
      continue;
    }
    // The writer outpaced the passes: again at its next request, or as soon as it pauses, so a
    // lull restarts the WAL (checkpointing every few ms under continuous writes would copy the
    // same hot pages over and over). pending_ stays set meanwhile.
    while (!stopping_ && !asked_) {
      wake_.wait_for(lock, kQuietFor, [this] { return stopping_ || asked_; });
      const auto since_commit = std::chrono::steady_clock::now().time_since_epoch().count() -
                                last_commit_ns_.load(std::memory_order_relaxed);
      if (since_commit >= std::chrono::duration_cast<std::chrono::nanoseconds>(kQuietFor).count()) break;
    }
  }
}

bool Checkpointer::checkpoint_until_caught_up() {
  // A pass copies the frames there were when it began; commits meanwhile add more. Caught up is
  // a pass that finds nothing added since the one before (it copies nothing and syncs nothing).
  int frames_before = -1;
  int added_before = -1;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    int wal_frames = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return false;
    if (rc != SQLITE_OK) {
      log().warn("sqlite checkpoint failed: {}", sqlite3_errmsg(db_->handle()));
      return true;  // asked again at the next threshold
    }
    if (frames_before >= 0 && wal_frames < frames_before) return true;  // the writer restarted it
    if (copied == wal_frames && wal_frames == frames_before) return true;
    const int added = frames_before < 0 ? wal_frames : wal_frames - frames_before;
    if (added_before >= 0 && added >= added_before && copied < wal_frames) return false;  // outpaced
    added_before = added;
    frames_before = wal_frames;
  }
  return false;
}

}  // namespace weft::store::sqlite
