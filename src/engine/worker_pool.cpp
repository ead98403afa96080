#include "engine/worker_pool.h"

#include <unistd.h>

#include <chrono>

#include "core/log.h"

namespace weft::engine {

WorkerPool::WorkerPool(store::Store& store, Executor& executor, WorkerOptions options,
                       const Clock& clock)
    : store_(store), executor_(executor), options_(options), clock_(clock) {
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
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { worker_loop(); });
  heartbeat_ = std::thread([this] { heartbeat_loop(); });
  log().info("worker pool started: {} threads, owner {}", options_.threads, owner_);
}

void WorkerPool::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wake_seq_;
  }
  wake_cv_.notify_all();
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopping_) return;
    stopping_ = true;
    for (auto& [_, a] : active_) a.control->drain = true;
  }
  wake_cv_.notify_all();
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

void WorkerPool::worker_loop() {
  while (!stopping_) {
    std::uint64_t seen;
    {
      std::lock_guard lock(mutex_);
      seen = wake_seq_;
    }
    auto claimed = store_.jobs().claim(owner_, clock_.now_ms(), options_.lease_ms);
    if (!claimed.ok()) {
      log().error("claiming a job failed: {}", claimed.error().message);
    } else if (claimed->has_value()) {
      (void)run_job(**claimed, nullptr);
      continue;
    }
    std::unique_lock lock(mutex_);
    wake_cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms),
                      [&] { return stopping_ || wake_seq_ != seen; });
  }
}

Result<Outcome> WorkerPool::run_job(const store::Job& job, RunObserver* observer) {
  RunControl control;
  control.observer = observer;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      (void)store_.jobs().release(job.id, owner_, clock_.now_ms());
      return Outcome::interrupted;
    }
    active_[job.id.str()] = Active{job, &control};
  }
  auto outcome = executor_.execute(job.org, job.run, control);
  {
    std::lock_guard lock(mutex_);
    active_.erase(job.id.str());
  }
  if (!outcome.ok()) {
    // The store failed mid-run: leave the job leased; it is retried when the lease expires.
    log().error("run {} interrupted by a store error: {}", job.run.str(), outcome.error().message);
    return outcome;
  }
  if (*outcome == Outcome::finished) {
    if (auto done = store_.jobs().complete(job.id, owner_); !done.ok()) {
      log().error("completing job {} failed: {}", job.id.str(), done.error().message);
    }
    ++finished_runs_;
  } else if (!control.abandon || stopping_) {
    (void)store_.jobs().release(job.id, owner_, clock_.now_ms());
  }
  return outcome;
}

void WorkerPool::heartbeat_loop() {
  const auto interval = std::chrono::milliseconds(std::max<std::int64_t>(options_.lease_ms / 3, 10));
  while (!stopping_ || [&] { std::lock_guard l(mutex_); return !active_.empty(); }()) {
    {
      std::unique_lock lock(mutex_);
      wake_cv_.wait_for(lock, interval, [&] { return stopping_ && active_.empty(); });
    }
    std::vector<Active> snapshot;
    {
      std::lock_guard lock(mutex_);
      for (auto& [_, a] : active_) snapshot.push_back(a);
    }
    for (const auto& a : snapshot) {
      auto kept = store_.jobs().heartbeat(a.job.id, owner_, clock_.now_ms() + options_.lease_ms);
      auto run = store_.runs().get(a.job.org, a.job.run);
      std::lock_guard lock(mutex_);
      if (!active_.count(a.job.id.str())) continue;  // finished meanwhile: control is gone
      if (kept.ok() && !*kept) {
        log().warn("lost the lease of run {}; leaving it to its new owner", a.job.run.str());
        a.control->abandon = true;
        a.control->cancel.cancel();
      } else if (run.ok() && run->cancel_requested) {
        a.control->cancel.cancel();
      }
    }
  }
}

}  // namespace weft::engine
