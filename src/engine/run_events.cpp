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
    Entry& entry = versions_[id.str()];
    ++entry.version;
    if (finished && !entry.finished) {
      finished_order_.push_back(id.str());
      // Keep recent finished runs for late waiters; forget the oldest to bound memory.
      if (finished_order_.size() > kKeepFinished) {
        versions_.erase(finished_order_.front());
        finished_order_.pop_front();
      }
    }
    entry.finished |= finished;
  }
  cv_.notify_all();
}

std::uint64_t RunEvents::version(const RunId& id) {
  std::lock_guard lock(mutex_);
  auto it = versions_.find(id.str());
  return it == versions_.end() ? 0 : it->second.version;
}

bool RunEvents::wait_finished(const RunId& id, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] {
    auto it = versions_.find(id.str());
    return it != versions_.end() && it->second.finished;
  });
}

std::uint64_t RunEvents::wait_change(const RunId& id, std::uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::uint64_t current = seen;
  cv_.wait_for(lock, timeout, [&] {
    auto it = versions_.find(id.str());
    current = it == versions_.end() ? 0 : it->second.version;
    return current != seen;
  });
  return current;
}

}  // namespace weft::engine
