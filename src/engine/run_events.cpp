#include "engine/run_events.h"

namespace weft::engine {

void RunEvents::on_step_started(const store::RunRecord& run, const std::string&) { bump(run.id, false); }

void RunEvents::on_step_finished(const store::RunRecord& run, const store::StepRunRecord&) {
  bump(run.id, false);
}

void RunEvents::on_run_finished(const store::RunRecord& run) { bump(run.id, true); }

void RunEvents::set_listener(Listener listener) {
  std::lock_guard lock(mutex_);
  listener_ = listener ? std::make_shared<const Listener>(std::move(listener)) : nullptr;
}

void RunEvents::bump(const RunId& id, bool finished) {
  std::shared_ptr<std::condition_variable> cv;
  std::shared_ptr<const Listener> listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
    Entry& entry = versions_[id.str()];
    cv = entry.cv;
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
  if (cv) cv->notify_all();
  if (listener) (*listener)(id, finished);
}

template <typename Done>
bool RunEvents::wait_on(const std::string& key, std::chrono::milliseconds timeout, Done done) {
  std::unique_lock lock(mutex_);
  std::shared_ptr<std::condition_variable> cv;
  {
    Entry& entry = versions_[key];
    if (!entry.cv) entry.cv = std::make_shared<std::condition_variable>();
    cv = entry.cv;
    ++entry.waiters;
  }
  const bool ok = cv->wait_for(lock, timeout, done);
  auto it = versions_.find(key);
  if (it != versions_.end() && --it->second.waiters == 0) {
    it->second.cv.reset();
    // An entry made only for this wait (nothing reported here) is not kept.
    if (it->second.version == 0 && !it->second.finished) versions_.erase(it);
  }
  return ok;
}

std::uint64_t RunEvents::version(const RunId& id) {
  std::lock_guard lock(mutex_);
  auto it = versions_.find(id.str());
  return it == versions_.end() ? 0 : it->second.version;
}

bool RunEvents::wait_finished(const RunId& id, std::chrono::milliseconds timeout) {
  const std::string key = id.str();
  return wait_on(key, timeout, [&] {
    auto it = versions_.find(key);
    return it != versions_.end() && it->second.finished;
  });
}

std::uint64_t RunEvents::wait_change(const RunId& id, std::uint64_t seen, std::chrono::milliseconds timeout) {
  const std::string key = id.str();
  std::uint64_t current = seen;
  wait_on(key, timeout, [&] {
    auto it = versions_.find(key);
    current = it == versions_.end() ? 0 : it->second.version;
    return current != seen;
  });
  return current;
}

}  // namespace weft::engine
