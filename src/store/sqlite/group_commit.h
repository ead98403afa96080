// store/sqlite/group_commit.h — owns group commit on the writer connection: concurrent writes
// (step records, run transitions, job claims and completions from every run in flight) are
// carried by one transaction, and each caller returns only once the transaction holding its
// write has committed — so a write is exactly as durable as if it had committed alone. The
// first caller to find no commit in progress leads: it takes every write queued so far, runs
// them in one transaction (one write's failure never undoes another's: the rest run again,
// each in its own SAVEPOINT), commits, and wakes the others. No thread of its own, so a lone write costs no hand-off. Runs no SQL of
// its own beyond the transaction and savepoint statements.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/sqlite/database.h"

namespace weft::store::sqlite {

class ConnectionPool;

class GroupCommit {
 public:
  // A write: statements on the writer, inside the open transaction. It must not begin or end a
  // transaction itself and must not block on anything but the database.
  class Write {
   public:
    template <typename F>
      requires(!std::is_same_v<std::remove_cvref_t<F>, Write>)
    Write(F& fn)  // NOLINT: implicit by design; `fn` must outlive the call
        : object_(&fn), call_([](void* object, Database& db) { return (*static_cast<F*>(object))(db); }) {}
    Status operator()(Database& db) const { return call_(object_, db); }

   private:
    void* object_;
    Status (*call_)(void*, Database&);
  };

  explicit GroupCommit(ConnectionPool& pool) : pool_(pool) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `write` in the next group transaction; returns its status once that transaction has
  // committed (or the write's own error, its statements rolled back). Thread-safe.
  Status run(Write write);
  template <typename F>
    requires std::is_invocable_r_v<Status, F&, Database&>
  Status operator()(F&& fn) {
    return run(Write(fn));
  }

  // Runs every write of `writes` in the next group transaction (one caller's many writes: the
  // step loop's turn) and sets results[i] to writes[i]'s status, as run() would. Thread-safe.
  void run_all(const std::vector<Write>& writes, std::vector<Status>& results);

  // Transactions committed and writes they carried, since open (for benchmarks and /metrics).
  std::uint64_t transactions() const;
  std::uint64_t writes() const;
  // Writes waiting for the next transaction (not the one being committed).
  std::size_t queued() const;

 private:
  struct Waiter {
    explicit Waiter(Write w) : write(w) {}
    Write write;
    Status result;
    std::atomic<bool> done{false};  // written under mutex_; read without it while yielding
    std::condition_variable wake;  // its own: a commit wakes only the writes it carried
  };
  // Queues `mine` (one caller's writes), waits for or leads the transaction carrying them.
  void enqueue_and_wait(Waiter* const* mine, std::size_t count);
  // Runs `batch` in one transaction on the writer and sets each waiter's result.
  void commit_batch(std::vector<Waiter*>& batch);
  // One attempt at that. Without savepoints the first failing write ends it: everything is
  // rolled back, its index goes to *failed and the others' results are meaningless.
  Status run_batch(Database& db, std::vector<Waiter*>& batch, bool savepoints, std::size_t* failed);

  ConnectionPool& pool_;
  mutable std::mutex mutex_;
  std::vector<Waiter*> queue_;
  bool leading_ = false;
  std::size_t last_batch_ = 0;  // writes the last commit carried
  std::atomic<bool> leading_flag_{false};  // leading_, for the yield loop outside the lock
  // How often a queued write yields the CPU before it sleeps until its commit.
  static constexpr int kWaitYields = 8;
  // A yield that took longer than this gave the CPU to another process (a busy machine), not
  // to one of our threads: then nobody yields for kNoYieldForNs, waits sleep at once.
  static constexpr std::int64_t kYieldTooLongNs = 5'000'000;
  static constexpr std::int64_t kNoYieldForNs = 1'000'000'000;
  static std::int64_t now_ns();
  bool yielding() const;
  // One sched_yield(), unless yielding is off; false when it is off (now or from now on).
  bool yield_once();
  std::atomic<std::int64_t> no_yield_until_ns_{0};
  std::uint64_t transactions_ = 0;
  std::uint64_t writes_ = 0;
};

}  // namespace weft::store::sqlite
