#include "engine/worker_pool.h"

#include <unistd.h>

#include <chrono>

#include "core/log.h"
#include "engine/workflow_service.h"

namespace weft::engine {

WorkerPool::WorkerPool(store::Store& store, Executor& executor, WorkerOptions options,
                       const Clock& clock)
    : store_(store), executor_(executor), options_(options), clock_(clock), idle_wait_ms_(options.poll_ms) {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  owner_ = std::string(host) + ":" + std::to_string(getpid()) + ":" + new_id_string("w", clock_).substr(18);
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::start() {
  std::lock_guard lock(mutex_);
  if (started_) return;
  started_ = true;
  stopping_ = false;
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this, i] { worker_loop(i); });
  heartbeat_ = std::thread([this] { heartbeat_loop(); });
  log().info("worker pool started: {} threads, owner {}", options_.threads, owner_);
}

void WorkerPool::woken_by_store() {
  idle_wait_ms_ = std::max(options_.poll_ms, options_.sweep_ms);  // a worker waiting now finishes its poll
}

void WorkerPool::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wake_seq_;
  }
  wake_cv_.notify_all();
}

bool WorkerPool::cancel_local(const RunId& id) {
  std::lock_guard lock(mutex_);
  for (auto& [_, a] : active_) {
    if (a.job.run == id) {
      a.control->cancel.cancel();
      return true;
    }
  }
  return false;
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopping_) return;
    stopping_ = true;
    for (auto& [_, a] : active_) a.control->drain = true;
  }
  wake_cv_.notify_all();
  active_cv_.notify_all();
  // Give in-flight steps their grace period, then cancel what is left.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.drain_grace_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mutex_);
      if (active_.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  {
    std::lock_guard lock(mutex_);
    for (auto& [_, a] : active_) {
      a.control->abandon = true;
      a.control->cancel.cancel();
    }
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
  if (heartbeat_.joinable()) heartbeat_.join();
  std::lock_guard lock(mutex_);
  started_ = false;
  log().info("worker pool stopped");
}

void WorkerPool::worker_loop(int index) {
  const std::string owner = owner_ + "/w" + std::to_string(index);
  // Batches grow while every claimed run goes to the step loop, and shrink to one job as soon
  // as one needs a thread (the rest of a batch would wait behind it, or go back).
  int batch = 1;
  while (!stopping_) {
    std::uint64_t seen;
    {
      std::unique_lock lock(mutex_);
      if (options_.loop_runs > 0 && claimed_on_loop_.load() >= options_.loop_runs) {
        // The loop is full of this pool's runs: claim again once one of them has ended
        // (leave_loop() tells; the poll is a backstop).
        wake_cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms),
                          [&] { return stopping_ || claimed_on_loop_.load() < options_.loop_runs; });
        continue;
      }
      seen = wake_seq_;
    }
    const int room = options_.loop_runs > 0 ? options_.loop_runs - claimed_on_loop_.load() : 1;
    if (room <= 0) continue;  // another worker filled it meanwhile
    ++claim_queries_;
    auto claimed = store_.jobs().claim_batch(owner, clock_.now_ms(), options_.lease_ms, std::min(batch, room));
    if (!claimed.ok()) {
      log().error("claiming jobs failed: {}", claimed.error().message);
    } else if (!claimed->empty()) {
      claimed_jobs_ += static_cast<std::int64_t>(claimed->size());
      for (const store::Job& job : *claimed) {
        if (job.expired_leases > 0) ++expired_lease_claims_;
      }
      const bool all_on_loop = run_claimed(*claimed);
      batch = all_on_loop && options_.loop_runs > 0 ? std::min(batch * 2, kMaxClaimBatch) : 1;
      continue;
    }
    // Nothing to claim: wait until something is queued (wake), or for the poll or sweep.
    std::unique_lock lock(mutex_);
    wake_cv_.wait_for(lock, std::chrono::milliseconds(idle_wait_ms_.load()),
                      [&] { return stopping_ || wake_seq_ != seen; });
  }
}

bool WorkerPool::run_claimed(std::vector<store::Job>& jobs) {
  std::optional<store::Job> here;
  bool all_on_loop = true;
  for (store::Job& job : jobs) {
    const bool crashed = options_.max_worker_crashes > 0 && job.expired_leases >= options_.max_worker_crashes;
    if (!crashed && options_.loop_runs > 0 && run_claimed_on_loop(job)) continue;
    all_on_loop = false;
    if (!here) {
      here = std::move(job);
    } else {
      // Back at the head of the queue, where it was (available since time 0), for a free worker.
      (void)store_.jobs().release(job.id, job.lease_owner, 0);
      wake();
    }
  }
  if (here) (void)run_job(*here, options_.observer);  // parks a crashed one
  return all_on_loop;
}

namespace {
// A claimed run on the step loop: what its execution needs to outlive it.
struct ClaimedRun {
  store::Job job;
  RunControl control;
};
}  // namespace

bool WorkerPool::run_claimed_on_loop(const store::Job& job) {
  auto task = std::make_shared<ClaimedRun>();
  task->job = job;
  task->control.observer = options_.observer;
  task->control.job = &task->job;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    active_[task->job.id.str()] = Active{task->job, &task->control, clock_.now_ms()};
  }
  claimed_on_loop_.fetch_add(1);
  std::function<void(Result<Outcome>)> done = [this, task](Result<Outcome> outcome) {
    if (!outcome.ok()) {
      // A write failed: the job stays leased and the run is resumed when the lease expires.
      log().error("run {} interrupted: {}", task->job.run.str(), outcome.error().message);
    } else if (*outcome == Outcome::finished) {
      // Its job was completed in the write that finished it, unless the run had been ended
      // elsewhere meanwhile (a conflict): then only the job is left.
      if (!task->control.job_completed) {
        if (auto done = store_.jobs().complete(task->job.id, task->job.lease_owner); !done.ok()) {
          log().error("completing job {} failed: {}", task->job.id.str(), done.error().message);
        }
      }
      ++finished_runs_;
    } else if (!task->control.abandon || stopping_) {
      (void)store_.jobs().release(task->job.id, task->job.lease_owner, clock_.now_ms());  // drained
    }
    leave_loop();
    unregister(task->job, &task->control);  // the pool may be gone once stop() sees this
  };
  bool started = false;
  try {
    started = executor_.start_claimed_on_loop(task->control, done);
  } catch (const std::exception& e) {
    // Planning or restoring threw (allocation failure): run_job() runs it and catches.
    log().error("run {}: handing it to the step loop threw: {}", task->job.run.str(), e.what());
  }
  if (started) return true;
  leave_loop();
  unregister(task->job, &task->control);
  return false;
}

void WorkerPool::leave_loop() {
  // Room on the loop again: a worker waiting for it may claim. Told under the lock, so the
  // wake cannot fall between a worker's check and its wait.
  std::lock_guard lock(mutex_);
  if (claimed_on_loop_.fetch_sub(1) >= options_.loop_runs) wake_cv_.notify_all();
}

Result<Outcome> WorkerPool::run_job(const store::Job& job, RunObserver* observer,
                                    std::chrono::steady_clock::time_point drain_after,
                                    InlineRun* inline_run) {
  const std::string& owner = job.lease_owner;
  if (options_.max_worker_crashes > 0 && job.expired_leases >= options_.max_worker_crashes) {
    // Whatever this run does takes its worker down (a crash, an OOM kill, a hang past the
    // lease): running it again would only take down the next one.
    auto parked = executor_.park_crashed(job.org, job.run, job.expired_leases, observer);
    if (!parked.ok()) {
      log().error("run {}: parking it failed: {}", job.run.str(), parked.error().message);
      return parked;  // still leased: retried when the lease expires
    }
    if (auto done = store_.jobs().complete(job.id, owner); !done.ok()) {
      log().error("completing job {} failed: {}", job.id.str(), done.error().message);
    }
    ++finished_runs_;
    return parked;
  }
  RunControl control;
  control.observer = observer;
  control.drain_after = drain_after;
  control.job = &job;
  control.may_use_step_loop = inline_run != nullptr;
  if (inline_run != nullptr) {
    control.run = inline_run->run;
    control.workflow = inline_run->workflow;
  }
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      (void)store_.jobs().release(job.id, owner, clock_.now_ms());
      return Outcome::interrupted;
    }
    active_[job.id.str()] = Active{job, &control, clock_.now_ms()};
  }
  // Unregisters the run however execute() ends, before `control` goes away.
  struct Unregister {
    WorkerPool* pool;
    const store::Job& job;
    RunControl* control;
    ~Unregister() { pool->unregister(job, control); }
  } unregister{this, job, &control};

  Result<Outcome> outcome = Outcome::interrupted;
  try {
    outcome = executor_.execute(job.org, job.run, control);
  } catch (const std::exception& e) {
    outcome = Error::internal(std::string("executor threw: ") + e.what());
  }
  if (!outcome.ok()) {
    // The store failed mid-run: leave the job leased; it is retried when the lease expires.
    log().error("run {} interrupted: {}", job.run.str(), outcome.error().message);
    return outcome;
  }
  if (inline_run != nullptr) inline_run->ended = std::move(control.ended);
  if (*outcome == Outcome::finished) {
    if (control.job_completed) {
      // Completed in the write that finished the run.
    } else if (auto done = store_.jobs().complete(job.id, owner); !done.ok()) {
      log().error("completing job {} failed: {}", job.id.str(), done.error().message);
    }
    ++finished_runs_;
  } else if (!control.abandon || stopping_) {
    (void)store_.jobs().release(job.id, owner, clock_.now_ms());
  }
  return outcome;
}

void WorkerPool::unregister(const store::Job& job, const RunControl* control) {
  std::lock_guard lock(mutex_);
  auto it = active_.find(job.id.str());
  if (it != active_.end() && it->second.control == control) active_.erase(it);
  // The heartbeat waits for exactly this (stop() sets stopping_ under the same mutex): waking
  // it for every run was a futex call and a context switch per webhook request. Told under the
  // lock: once the heartbeat has seen it, stop() may return and the pool be destroyed, so the
  // step loop's thread (the last to call this) must not touch the condition variable after.
  if (stopping_ && active_.empty()) active_cv_.notify_all();
}

namespace {
// A waited run on the step loop: what its execution needs to outlive it.
struct WaitedRun {
  store::RunRecord run;
  store::Job job;
  RunControl control;
};
// Waited runs on the step loop at once, at most (they hold no thread; beyond, the queue).
constexpr int kMaxWaitedOnLoop = 4096;
}  // namespace

std::string WorkerPool::waited_owner() {
  static std::atomic<std::uint64_t> seq{0};
  return owner_ + "/h" + std::to_string(seq.fetch_add(1));
}

bool WorkerPool::run_waited(const store::WorkflowRecord& workflow, json& input,
                            std::chrono::steady_clock::time_point hand_back_at, RunObserver* observer,
                            int max_waited_threads, WaitedAnswer answer) {
  if (stopping_) return false;
  if (auto plan = executor_.loop_plan(workflow);
      plan != nullptr && run_waited_on_loop(workflow, std::move(plan), input, hand_back_at, observer, answer)) {
    return true;
  }
  if (waited_threads_.fetch_add(1) >= max_waited_threads) {
    waited_threads_.fetch_sub(1);
    return false;
  }
  struct Release {
    std::atomic<int>& n;
    ~Release() { n.fetch_sub(1); }
  } release{waited_threads_};
  auto run = new_running_run(workflow, std::move(input), clock_);
  if (!run.ok()) {
    answer(run.error());
    return true;
  }
  const store::Job job = store::leased_job(*run, waited_owner(), options_.lease_ms, clock_);
  if (Status stored = store_.runs().insert_running(*run, job); !stored.ok()) {
    answer(stored.error());
    return true;
  }
  InlineRun inline_run{&*run, &workflow, std::nullopt};
  auto outcome = run_job(job, observer, hand_back_at, &inline_run);
  if (inline_run.ended) {
    answer(std::move(*inline_run.ended));
  } else if (!outcome.ok()) {
    answer(outcome.error());  // the store failed mid-run: the lease expires, a worker resumes it
  } else {
    wake();  // handed back: a worker resumes it
    answer(std::move(*run));
  }
  return true;
}

bool WorkerPool::run_waited_on_loop_now(const store::WorkflowRecord& workflow, json& input,
                                        std::chrono::steady_clock::time_point hand_back_at, RunObserver* observer,
                                        WaitedAnswer answer) {
  if (stopping_) return false;
  auto plan = executor_.cached_loop_plan(workflow);
  return plan != nullptr && run_waited_on_loop(workflow, std::move(plan), input, hand_back_at, observer, answer);
}

bool WorkerPool::run_waited_on_loop(const store::WorkflowRecord& workflow, std::shared_ptr<const Plan> plan, json& input,
                                    std::chrono::steady_clock::time_point hand_back_at, RunObserver* observer,
                                    WaitedAnswer& answer) {
  if (waited_on_loop_.fetch_add(1) >= kMaxWaitedOnLoop) {
    waited_on_loop_.fetch_sub(1);
    return false;
  }
  auto run = new_running_run(workflow, std::move(input), clock_);
  if (!run.ok()) {  // an input nested too deep: answered here, on the caller's thread
    waited_on_loop_.fetch_sub(1);
    answer(run.error());
    return true;
  }
  auto task = std::make_shared<WaitedRun>();
  task->run = std::move(run).take();
  task->job = store::leased_job(task->run, waited_owner(), options_.lease_ms, clock_);
  task->control.observer = observer;
  task->control.drain_after = hand_back_at;
  task->control.job = &task->job;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      input = std::move(task->run.input);
      waited_on_loop_.fetch_sub(1);
      return false;
    }
    active_[task->job.id.str()] = Active{task->job, &task->control, clock_.now_ms()};
  }
  // Shared with the callback: if the loop refuses the run, the caller still holds its answer.
  auto shared_answer = std::make_shared<WaitedAnswer>(std::move(answer));
  auto done = [this, task, shared_answer](Result<Outcome> outcome) {
    Result<store::RunRecord> result = Error::internal("unset");
    if (!outcome.ok()) {
      // A write failed: a run that was stored stays leased and is resumed when the lease expires.
      log().error("run {} interrupted: {}", task->run.id.str(), outcome.error().message);
      result = outcome.error();
    } else if (*outcome == Outcome::finished) {
      ++finished_runs_;
      result = task->control.ended ? std::move(*task->control.ended) : task->run;
    } else {
      // Handed back (its wait is over) or drained at shutdown: a worker resumes it.
      if (!task->control.abandon || stopping_) {
        (void)store_.jobs().release(task->job.id, task->job.lease_owner, clock_.now_ms());
      }
      wake();
      result = task->run;
    }
    // Answered before it is unregistered: stop() returns only once every caller was told.
    (*shared_answer)(std::move(result));
    waited_on_loop_.fetch_sub(1);
    unregister(task->job, &task->control);  // the pool may be gone once stop() sees this
  };
  bool taken = false;
  try {
    taken = executor_.start_new_on_loop(task->run, std::move(plan), task->control, std::move(done));
  } catch (const std::exception& e) {  // nothing was submitted (the run's machine was not made)
    log().error("run {} could not go to the step loop: {}", task->run.id.str(), e.what());
  }
  if (taken) return true;
  // The loop is stopping (the executor shuts down), or it threw: not taken here.
  unregister(task->job, &task->control);
  answer = std::move(*shared_answer);
  input = std::move(task->run.input);
  waited_on_loop_.fetch_sub(1);
  return false;
}

void WorkerPool::heartbeat_loop() {
  const auto interval = std::chrono::milliseconds(std::max<std::int64_t>(options_.lease_ms / 3, 10));
  while (!stopping_ || [&] { std::lock_guard l(mutex_); return !active_.empty(); }()) {
    {
      std::unique_lock lock(mutex_);
      active_cv_.wait_for(lock, interval, [&] { return stopping_ && active_.empty(); });
    }
    std::vector<Active> snapshot;
    {
      std::lock_guard lock(mutex_);
      for (auto& [_, a] : active_) snapshot.push_back(a);
    }
    for (const auto& a : snapshot) {
      const TimeMs now = clock_.now_ms();
      auto kept = store_.jobs().heartbeat(a.job.id, a.job.lease_owner, now + options_.lease_ms);
      auto run = store_.runs().get(a.job.org, a.job.run);
      std::lock_guard lock(mutex_);
      auto it = active_.find(a.job.id.str());
      if (it == active_.end() || it->second.control != a.control) continue;  // that claim ended
      // A waited run on the step loop is stored with its first steps: until then it has no job.
      if (!run.ok() && run.error().code == "not_found") continue;
      if (kept.ok() && *kept) it->second.last_heartbeat_ok = now;
      // Lost the lease, or could not renew it for most of its length: someone else may claim
      // the run now, so this process must stop touching it.
      const bool expiring = now - it->second.last_heartbeat_ok > options_.lease_ms * 2 / 3;
      if ((kept.ok() && !*kept) || expiring) {
        log().warn("lost the lease of run {}; leaving it to the next owner", a.job.run.str());
        a.control->abandon = true;
        a.control->cancel.cancel();
      } else if (run.ok() && run->cancel_requested) {
        a.control->cancel.cancel();
      }
    }
  }
}

}  // namespace weft::engine
