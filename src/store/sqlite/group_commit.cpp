#include "store/sqlite/group_commit.h"

#include <sqlite3.h>

#include <sched.h>

#include <chrono>

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

std::int64_t GroupCommit::now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool GroupCommit::yielding() const { return now_ns() >= no_yield_until_ns_.load(std::memory_order_relaxed); }

bool GroupCommit::yield_once() {
  if (!yielding()) return false;
  const std::int64_t before = now_ns();
  sched_yield();
  const std::int64_t after = now_ns();
  if (after - before > kYieldTooLongNs) {
    // The CPU went to another process for a whole time slice: the machine is busy with more
    // than us, and yielding now only hands it our time. Sleep instead for a while.
    no_yield_until_ns_.store(after + kNoYieldForNs, std::memory_order_relaxed);
    return false;
  }
  return true;
}

Status GroupCommit::run(Write write) {
  Waiter me{write};
  Waiter* const mine[] = {&me};
  enqueue_and_wait(mine, 1);
  return std::move(me.result);
}

void GroupCommit::run_all(const std::vector<Write>& writes, std::vector<Status>& results) {
  results.clear();
  if (writes.empty()) return;
  std::deque<Waiter> mine;
  for (const Write& w : writes) mine.emplace_back(w);
  std::vector<Waiter*> order;
  order.reserve(mine.size());
  for (Waiter& w : mine) order.push_back(&w);
  // Queued together under one lock hold, so one batch carries them all: waiting for the first
  // is waiting for each.
  enqueue_and_wait(order.data(), order.size());
  results.reserve(mine.size());
  for (Waiter& w : mine) results.push_back(std::move(w.result));
}

void GroupCommit::enqueue_and_wait(Waiter* const* mine, std::size_t count) {
  // The first stands for all (one batch carries them): it is the one woken, to lead or done.
  Waiter& me = *mine[0];
  std::unique_lock lock(mutex_);
  queue_.insert(queue_.end(), mine, mine + count);
  if (leading_) {
    // A commit is under way and ours rides the next one, a few tens of microseconds away:
    // yield the CPU to other threads a few times instead of sleeping at once (a futex sleep
    // and wake-up cost more than that on a busy machine), then sleep. A few: yielders stay
    // runnable and take CPU from the leader. Measured: 8 yields, 4,800 runs/s and 2,600
    // webhook req/s; none, 3,200 and 2,000 (bench/engine_bench.cpp, bench/hook_bench.sh).
    lock.unlock();
    for (int i = 0; i < kWaitYields && !me.done.load(std::memory_order_acquire) &&
                    leading_flag_.load(std::memory_order_acquire) && yield_once();
         ++i) {
    }
    lock.lock();  // also: the leader is done touching `me` once we hold the lock
  }
  // Whoever finds no commit in progress leads (the first awake, not the first queued), so a
  // batch never waits for a sleeping thread to be scheduled.
  while (leading_ && !me.done) me.wake.wait(lock);
  if (me.done) return;
  if (last_batch_ > 1 && queue_.size() < last_batch_ && yielding()) {
    // Other writers were active a moment ago: let them run up to their next write before we
    // take the batch (a yield, not a sleep), so one commit carries more of them.
    leading_ = true;
    leading_flag_.store(true, std::memory_order_release);
    lock.unlock();
    (void)yield_once();
    lock.lock();
  }
  leading_ = true;
  leading_flag_.store(true, std::memory_order_release);
  std::vector<Waiter*> batch;
  batch.swap(queue_);
  lock.unlock();
  commit_batch(batch);
  lock.lock();
  ++transactions_;
  writes_ += batch.size();
  last_batch_ = batch.size();
  // Woken one by one, under the lock: a waiter returns (and its Waiter dies) only after it
  // has seen `done` under the lock, so none is touched after it is gone.
  for (Waiter* w : batch) {
    w->done.store(true, std::memory_order_release);
    if (w != &me) w->wake.notify_one();
  }
  leading_ = false;
  leading_flag_.store(false, std::memory_order_release);
  if (!queue_.empty()) queue_.front()->wake.notify_one();  // the next leader
}

void GroupCommit::commit_batch(std::vector<Waiter*>& batch) {
  auto writer = pool_.writer();
  Database& db = writer.db();
  // Optimistic first: every write in one transaction, no savepoints (two statements less per
  // write). Writes fail rarely (a run already finished elsewhere); when one does, the whole
  // transaction is rolled back, that write keeps its error, and the others run again, each in
  // a savepoint. A write may therefore run twice: it is a function of the database only.
  std::size_t failed = batch.size();
  Status outcome = run_batch(db, batch, /*savepoints=*/false, &failed);
  if (outcome.ok() || failed == batch.size()) return;
  std::vector<Waiter*> rest;
  rest.reserve(batch.size() - 1);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (i != failed) rest.push_back(batch[i]);
  }
  if (!rest.empty()) (void)run_batch(db, rest, /*savepoints=*/true, nullptr);
}

Status GroupCommit::run_batch(Database& db, std::vector<Waiter*>& batch, bool savepoints, std::size_t* failed) {
  auto fail_all = [&](const Error& error) {
    for (Waiter* w : batch) w->result = error;
    return Status(error);
  };
  if (Status begun = db.exec("BEGIN IMMEDIATE"); !begun.ok()) return fail_all(begun.error());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Waiter* w = batch[i];
    if (savepoints) {
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
    if (savepoints) {
      if (!written.ok()) (void)db.exec("ROLLBACK TO grouped_write");
      (void)db.exec("RELEASE grouped_write");
    } else if (!written.ok()) {
      (void)db.exec("ROLLBACK");
      w->result = std::move(written);
      *failed = i;
      return w->result;
    }
    w->result = std::move(written);
  }
  Status committed = db.exec("COMMIT");
  if (!committed.ok()) {
    (void)db.exec("ROLLBACK");
    for (Waiter* w : batch) {
      if (w->result.ok()) w->result = committed;
    }
  }
  return committed;
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
