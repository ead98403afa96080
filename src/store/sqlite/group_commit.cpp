#include "store/sqlite/group_commit.h"

#include <sqlite3.h>

#include <exception>

#include "store/sqlite/connection_pool.h"

namespace weft::store::sqlite {

namespace {

Status run_guarded(const GroupCommit::Write& write, Database& db) {
  try {
    return write(db);
  } catch (const std::exception& e) {
    return Error::internal(std::string("a store write threw: ") + e.what());
  }
}

}  // namespace

Status GroupCommit::run(Write write) {
  Waiter me{write};
  std::unique_lock lock(mutex_);
  queue_.push_back(&me);
  // Whoever finds no commit in progress leads (the first awake, not the first queued), so a
  // batch never waits for a sleeping thread to be scheduled.
  while (leading_ && !me.done) me.wake.wait(lock);
  if (me.done) return std::move(me.result);
  leading_ = true;
  std::vector<Waiter*> batch;
  batch.swap(queue_);
  lock.unlock();
  commit_batch(batch);
  lock.lock();
  ++transactions_;
  writes_ += batch.size();
  // Woken one by one, under the lock: a waiter returns (and its Waiter dies) only after it
  // has seen `done` under the lock, so none is touched after it is gone.
  for (Waiter* w : batch) {
    w->done = true;
    if (w != &me) w->wake.notify_one();
  }
  leading_ = false;
  if (!queue_.empty()) queue_.front()->wake.notify_one();  // the next leader
  return std::move(me.result);
}

void GroupCommit::commit_batch(std::vector<Waiter*>& batch) {
  auto writer = pool_.writer();
  Database& db = writer.db();
  auto fail_all = [&](const Error& error) {
    for (Waiter* w : batch) w->result = error;
  };
  if (Status begun = db.exec("BEGIN IMMEDIATE"); !begun.ok()) return fail_all(begun.error());
  // A lone write needs no savepoint: its failure rolls the whole transaction back.
  const bool alone = batch.size() == 1;
  for (Waiter* w : batch) {
    if (!alone) {
      if (Status saved = db.exec("SAVEPOINT grouped_write"); !saved.ok()) {
        w->result = saved;
        continue;
      }
    }
    Status written = run_guarded(w->write, db);
    if (sqlite3_get_autocommit(db.handle()) != 0) {
      // SQLite rolled the whole transaction back (I/O error, disk full): every write of the
      // batch is lost, so every caller hears the error.
      return fail_all(written.ok() ? Error::internal("the group transaction was rolled back")
                                   : written.error());
    }
    if (!alone) {
      if (!written.ok()) (void)db.exec("ROLLBACK TO grouped_write");
      (void)db.exec("RELEASE grouped_write");
    }
    w->result = std::move(written);
  }
  if (alone && !batch.front()->result.ok()) {
    (void)db.exec("ROLLBACK");
    return;
  }
  Status committed = db.exec("COMMIT");
  if (!committed.ok()) {
    (void)db.exec("ROLLBACK");
    for (Waiter* w : batch) {
      if (w->result.ok()) w->result = committed;
    }
  }
}

std::uint64_t GroupCommit::transactions() const {
  std::lock_guard lock(mutex_);
  return transactions_;
}

std::size_t GroupCommit::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::uint64_t GroupCommit::writes() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

}  // namespace weft::store::sqlite
