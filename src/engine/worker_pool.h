// engine/worker_pool.h — owns draining the job queue: N threads claim jobs with a lease, run
// them through the Executor, heartbeat leases (and notice cancel requests), complete or release
// jobs, and shut down gracefully. Crash recovery is simply "a lease expired; claim it again" —
// up to max_worker_crashes times, after which the run is parked as worker_crashed.
#pragma once

#include <atomic>
#include <functional>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "engine/executor.h"
#include "store/store.h"

namespace weft::engine {

struct WorkerOptions {
  int threads = 4;
  std::int64_t lease_ms = 30000;
  std::int64_t poll_ms = 500;        // idle wait between claims when nothing wakes us
  // Idle wait once every job queued anywhere wakes the pool (woken_by_store()): the sweep that
  // finds jobs whose lease expired (their worker died), the only ones nothing announces.
  std::int64_t sweep_ms = 5000;
  std::int64_t drain_grace_ms = 10000;  // stop(): time in-flight steps get before cancellation
  // A job whose lease expired this many times (its workers kept dying with it) is parked as
  // failed with worker_crashed at its next claim instead of being run again. 0: never.
  int max_worker_crashes = 3;
  RunObserver* observer = nullptr;      // told about every run this pool claims (may be null)
  // Claimed runs whose every step is inline-safe go to the executor's step loop (which
  // commits many runs' steps together) instead of holding a worker thread: about this many at
  // once (workers claiming together may pass it by a batch each), claimed in batches of up to
  // kMaxClaimBatch. While the loop is full no worker claims, not even for a thread. 0: every
  // run on a worker thread.
  int loop_runs = 256;
};

// A run its creator executes on its own thread: it holds the records already (see
// RunControl::run and ::workflow) and wants the run as it ended.
struct InlineRun {
  const store::RunRecord* run = nullptr;
  const store::WorkflowRecord* workflow = nullptr;
  std::optional<store::RunRecord> ended;  // set when the run ended in run_job()
};

class WorkerPool {
 public:
  // `store`, `executor` and `clock` must outlive the pool.
  WorkerPool(store::Store& store, Executor& executor, WorkerOptions options,
             const Clock& clock = SystemClock::instance());
  ~WorkerPool();  // calls stop()

  void start();
  // Graceful: stop claiming, let in-flight steps finish (up to drain_grace_ms, then cancel
  // them), leave unfinished runs `running` and release their jobs for the next process.
  void stop();
  // Wakes idle workers (call after enqueueing in this process).
  void wake();
  // From now on wake() is called for every job queued or given back by any process (the
  // store's signals, store::Store::listen): idle workers claim only when woken or every
  // sweep_ms instead of every poll_ms.
  void woken_by_store();
  // Cancels run `id` now if this process is executing it (a cancel request was just stored);
  // runs elsewhere notice the request at their next heartbeat. Returns true if it was here.
  bool cancel_local(const RunId& id);

  // Runs a job this process already claimed (e.g. the CLI's own run) with heartbeats, then
  // completes or releases it like a worker would; parks it instead when its lease expired
  // max_worker_crashes times. Works with threads = 0 (start() still needed
  // for heartbeats). `observer` may be null. From `drain_after` on, no new step starts and an
  // unfinished run goes back to the queue (Outcome::interrupted) for a worker to resume.
  // `inline_run` (may be null): the records of a run its creator executes itself, and where
  // to put the run as it ended.
  Result<Outcome> run_job(const store::Job& job, RunObserver* observer,
                          std::chrono::steady_clock::time_point drain_after =
                              std::chrono::steady_clock::time_point::max(),
                          InlineRun* inline_run = nullptr);

  // A run its caller waits for (a webhook's ?wait=true): created from `workflow` and `input`
  // already running and leased to this process, and executed at once — no queue round trip;
  // if the process dies the lease expires and any worker resumes it. From `hand_back_at` on no
  // step starts and the run goes back to the queue. When every step is inline-safe it runs on
  // the executor's step loop and is stored in the write of its first steps: this returns at
  // once and `answer` is called on the loop's thread. Otherwise it runs on the calling thread
  // (at most max_waited_threads at once) and `answer` is called before this returns.
  // `answer` gets the run as it ended, or as handed back (still running), or the error that
  // stopped it (store failures, an input nested too deep). False when the run was not taken
  // (too many under way, or stopping): nothing was created, `input` is left as it was (it is
  // moved from otherwise) and `answer` is never called. `observer` may be null.
  using WaitedAnswer = std::function<void(Result<store::RunRecord>)>;
  bool run_waited(const store::WorkflowRecord& workflow, json& input, std::chrono::steady_clock::time_point hand_back_at,
                  RunObserver* observer, int max_waited_threads, WaitedAnswer answer);
  // As run_waited, but only when the run goes to the step loop with a plan already built (an
  // earlier call built it): never blocks, so a network thread may call it. False otherwise,
  // with run_waited's meaning (nothing created, `input` as it was, `answer` never called).
  bool run_waited_on_loop_now(const store::WorkflowRecord& workflow, json& input,
                              std::chrono::steady_clock::time_point hand_back_at, RunObserver* observer,
                              WaitedAnswer answer);

  // This process's lease owner prefix ("<hostname>:<pid>:<random>"); each worker thread holds
  // leases as "<owner>/w<N>", so two threads never share a lease.
  const std::string& owner() const { return owner_; }
  // Runs finished by this pool since start (for tests and benchmarks).
  std::int64_t finished_runs() const { return finished_runs_.load(); }
  // Jobs this pool claimed from the queue since start, and those of them whose lease had
  // expired before (a worker died holding the run): /metrics.
  std::int64_t claimed_jobs() const { return claimed_jobs_.load(); }
  std::int64_t expired_lease_claims() const { return expired_lease_claims_.load(); }
  // Claims this pool asked the store for (each a query), whether they found a job or not.
  std::int64_t claim_queries() const { return claim_queries_.load(); }

 private:
  struct Active {
    store::Job job;  // job.lease_owner is the owner this claim holds the lease as
    RunControl* control;
    TimeMs last_heartbeat_ok = 0;
  };
  // Claims at most this many jobs at once (a worker thread with room on the step loop).
  static constexpr int kMaxClaimBatch = 32;
  void worker_loop(int index);
  // Runs a claimed batch: each run that may go to the step loop goes there; the first that
  // needs a thread runs on this one, and the others that do go back to the queue for a free
  // worker. True when every run went to the loop.
  bool run_claimed(std::vector<store::Job>& jobs);
  // Hands claimed `job` to the step loop (Executor::start_claimed_on_loop); false if it
  // cannot go there.
  bool run_claimed_on_loop(const store::Job& job);
  // A claimed run left the loop (or never got there): one more fits.
  void leave_loop();
  // Removes the claim of `job` by `control` from active_ (if still there).
  void unregister(const store::Job& job, const RunControl* control);
  bool run_waited_on_loop(const store::WorkflowRecord& workflow, std::shared_ptr<const Plan> plan, json& input,
                          std::chrono::steady_clock::time_point hand_back_at, RunObserver* observer,
                          WaitedAnswer& answer);
  std::string waited_owner();
  void heartbeat_loop();

  store::Store& store_;
  Executor& executor_;
  WorkerOptions options_;
  const Clock& clock_;
  std::string owner_;

  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> finished_runs_{0};
  std::atomic<std::int64_t> claimed_jobs_{0};
  std::atomic<std::int64_t> expired_lease_claims_{0};
  std::atomic<std::int64_t> claim_queries_{0};
  std::mutex mutex_;
  std::condition_variable wake_cv_;    // idle workers: work may have arrived, or stop
  std::condition_variable active_cv_;  // the heartbeat: a run ended, or stop
  std::uint64_t wake_seq_ = 0;
  std::atomic<std::int64_t> idle_wait_ms_{0};  // poll_ms, or sweep_ms once woken_by_store()
  std::map<std::string, Active> active_;  // job id → running job
  std::atomic<int> waited_threads_{0};    // run_waited() runs on their caller's thread now
  std::atomic<int> waited_on_loop_{0};    // run_waited() runs on the step loop now
  std::atomic<int> claimed_on_loop_{0};   // claimed runs on the step loop now (about ≤ loop_runs)
  std::vector<std::thread> threads_;
  std::thread heartbeat_;
  bool started_ = false;
};

}  // namespace weft::engine
