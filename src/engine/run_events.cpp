#include "engine/run_events.h"

namespace weft::engine {

void RunEvents::on_step_started(const store::RunRecord& run, const std::string&) { bump(run.id, false); }

void RunEvents::on_step_finished(const store::RunRecord& run, const store::StepRunRecord&) {
  bump(run.id, false);
}

void RunEvents::on_run_finished(const store::RunRecord& run) { bump(run.id, true); }

void RunEvents::bump(const RunId& id, bool finished) {
  {
    std::lock_guard lock(mutex_);
    ++versions_[id.str()];
    if (finished) {
      // Finished runs keep their entry briefly for late waiters; prune in bulk to bound memory.
      if (++finished_count_ % 4096 == 0 && versions_.size() > 4096) versions_.clear();
    }
  }
  cv_.notify_all();
}

std::uint64_t RunEvents::version(const RunId& id) {
  std::lock_guard lock(mutex_);
  auto it = versions_.find(id.str());
  return it == versions_.end() ? 0 : it->second;
}

std::uint64_t RunEvents::wait_change(const RunId& id, std::uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::uint64_t current = seen;
  cv_.wait_for(lock, timeout, [&] {
    auto it = versions_.find(id.str());
    current = it == versions_.end() ? 0 : it->second;
    return current != seen;
  });
  return current;
}

}  // namespace weft::engine
