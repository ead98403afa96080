// engine/run_events.h — owns live run progress inside one process: the worker pool reports
// every step and run end here, and waiters (SSE streams, webhook ?wait=true) are woken. Other
// processes' runs are not seen here; waiters also re-read the store, so this only cuts latency.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "engine/run_control.h"

namespace weft::engine {

class RunEvents final : public RunObserver {
 public:
  void on_step_started(const store::RunRecord& run, const std::string& step_id) override;
  void on_step_finished(const store::RunRecord& run, const store::StepRunRecord& step) override;
  void on_run_finished(const store::RunRecord& run) override;

  // A counter that changes whenever run `id` makes progress (0 if nothing happened yet).
  std::uint64_t version(const RunId& id);
  // Blocks until version(id) != seen or `timeout` passes; returns the current version.
  std::uint64_t wait_change(const RunId& id, std::uint64_t seen, std::chrono::milliseconds timeout);
  // Blocks until this process reports run `id` finished or `timeout` passes; true if finished.
  bool wait_finished(const RunId& id, std::chrono::milliseconds timeout);

  // Called after every change of any run (a step started or finished, the run ended), on the
  // reporting worker's thread and outside this object's lock: it must be quick and must not
  // block. One listener (the HTTP API's run watcher); null to remove.
  using Listener = std::function<void(const RunId& id, bool finished)>;
  void set_listener(Listener listener);

 private:
  struct Entry {
    std::uint64_t version = 0;
    bool finished = false;
    // Only while someone waits on this run: events of other runs wake no one here (a shared
    // condition variable woke every waiting HTTP thread on every step of every run).
    std::shared_ptr<std::condition_variable> cv;
    int waiters = 0;
  };
  void bump(const RunId& id, bool finished);
  // Waits on run `key`'s own condition variable until `done()` (called under the lock).
  template <typename Done>
  bool wait_on(const std::string& key, std::chrono::milliseconds timeout, Done done);

  std::mutex mutex_;
  std::shared_ptr<const Listener> listener_;
  std::unordered_map<std::string, Entry> versions_;
  std::deque<std::string> finished_order_;  // oldest first; evicted past kKeepFinished
  static constexpr std::size_t kKeepFinished = 8192;
};

}  // namespace weft::engine
