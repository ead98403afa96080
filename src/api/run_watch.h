// api/run_watch.h — owns everything the API waits for on a run without holding a thread: the
// Server-Sent Events stream of a run and the webhook caller waiting (?wait=true) for its end.
// One watcher thread re-reads the store when this process reports progress on a watched run
// (RunEvents) and every poll interval (runs executed by other processes), and answers through
// deferred responders. It never runs workflow steps.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "api/context.h"
#include "http/responder.h"

namespace weft::api {

class RunWatcher {
 public:
  // `services` must outlive the watcher. Registers itself as services.events' listener.
  RunWatcher(Services& services, std::size_t max_streams_per_user);
  ~RunWatcher();
  // Ends every stream and answers every wait with the run as it is now; joins the thread.
  void stop();

  // Starts the SSE stream on `responder`: `event: step` for each recorded step (recorded ones
  // first), then one `event: run` with the final run, then the stream ends. Errors (before
  // anything is sent): too_many_streams when `user` already has the maximum open.
  Status stream(std::shared_ptr<http::Responder> responder, const OrgId& org, const RunId& id,
                const std::string& user);

  // Answers `responder` with answer(run) once the run is terminal or at `deadline`.
  using Answer = std::function<http::Response(const Result<store::RunRecord>& run)>;
  void wait(std::shared_ptr<http::Responder> responder, const OrgId& org, const RunId& id,
            std::chrono::steady_clock::time_point deadline, Answer answer);

  std::size_t watching() const;

 private:
  struct Watch;
  void loop();
  void add(std::shared_ptr<Watch> watch);
  // True when the watch is done (answered, ended or abandoned by its client).
  bool process(Watch& watch, std::chrono::steady_clock::time_point now);
  void finish(Watch& watch);

  Services& services_;
  const std::size_t max_streams_per_user_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::unordered_multimap<std::string, std::shared_ptr<Watch>> watches_;  // by run id
  std::unordered_map<std::string, std::size_t> streams_per_user_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace weft::api
