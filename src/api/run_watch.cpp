#include "api/run_watch.h"

#include "api/http_json.h"
#include "engine/workflow_service.h"

namespace weft::api {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(500);
constexpr auto kHeartbeat = std::chrono::seconds(15);
// A step event past this is sent without input/output/logs; one write carries at most
// kMaxStreamWrite bytes of step events (the server's stream buffer is 1 MiB).
constexpr std::size_t kMaxStepEvent = 256 * 1024;
constexpr std::size_t kMaxStreamWrite = 512 * 1024;
constexpr auto kDrainInterval = std::chrono::milliseconds(50);

std::string sse(const char* event, const json& data) {
  return std::string("event: ") + event + "\ndata: " + data.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

}  // namespace

struct RunWatcher::Watch {
  enum class Kind { stream, wait } kind;
  std::shared_ptr<http::Responder> responder;
  OrgId org;
  RunId id;
  std::string user;  // streams only
  Answer answer;     // waits only
  Clock::time_point deadline = Clock::time_point::max();
  Clock::time_point next_poll;
  Clock::time_point next_heartbeat;
  std::size_t sent_steps = 0;
  bool dirty = true;  // re-read at the next turn
  bool done = false;
};

RunWatcher::RunWatcher(Services& services, std::size_t max_streams_per_user)
    : services_(services), max_streams_per_user_(max_streams_per_user) {
  services_.events.set_listener([this](const RunId& id, bool) {
    std::lock_guard lock(mutex_);
    auto range = watches_.equal_range(id.str());
    if (range.first == range.second) return;
    for (auto it = range.first; it != range.second; ++it) it->second->dirty = true;
    cv_.notify_one();
  });
  thread_ = std::thread([this] { loop(); });
}

RunWatcher::~RunWatcher() { stop(); }

void RunWatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  services_.events.set_listener(nullptr);
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::size_t RunWatcher::watching() const {
  std::lock_guard lock(mutex_);
  return watches_.size();
}

Status RunWatcher::stream(std::shared_ptr<http::Responder> responder, const OrgId& org, const RunId& id,
                          const std::string& user) {
  {
    std::lock_guard lock(mutex_);
    auto& open = streams_per_user_[user];
    if (open >= max_streams_per_user_) {
      return Error::make("too_many_streams",
                         "at most " + std::to_string(max_streams_per_user_) + " event streams per user");
    }
    ++open;
  }
  responder->start_stream(200, {{"Content-Type", "text/event-stream"},
                                {"Cache-Control", "no-cache"},
                                {"X-Accel-Buffering", "no"}});
  auto watch = std::make_shared<Watch>();
  watch->kind = Watch::Kind::stream;
  watch->responder = std::move(responder);
  watch->org = org;
  watch->id = id;
  watch->user = user;
  watch->next_heartbeat = Clock::now() + kHeartbeat;
  add(std::move(watch));
  return {};
}

void RunWatcher::wait(std::shared_ptr<http::Responder> responder, const OrgId& org, const RunId& id,
                      Clock::time_point deadline, Answer answer) {
  auto watch = std::make_shared<Watch>();
  watch->kind = Watch::Kind::wait;
  watch->responder = std::move(responder);
  watch->org = org;
  watch->id = id;
  watch->deadline = deadline;
  watch->answer = std::move(answer);
  add(std::move(watch));
}

void RunWatcher::add(std::shared_ptr<Watch> watch) {
  std::weak_ptr<Watch> weak = watch;
  auto* responder = watch->responder.get();
  {
    std::lock_guard lock(mutex_);
    watches_.emplace(watch->id.str(), watch);
    cv_.notify_one();
  }
  // A client that leaves is noticed at once (the server watches its connection).
  responder->on_close([this, weak] {
    std::lock_guard lock(mutex_);
    if (auto w = weak.lock()) w->dirty = true;
    cv_.notify_one();
  });
}

void RunWatcher::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    const auto now = Clock::now();
    std::vector<std::shared_ptr<Watch>> due;
    auto next = now + kPollInterval;
    for (auto& [_, w] : watches_) {
      if (stopping_ || w->dirty || now >= w->next_poll || now >= w->deadline ||
          (w->kind == Watch::Kind::stream && now >= w->next_heartbeat)) {
        w->dirty = false;
        due.push_back(w);
      } else {
        next = std::min({next, w->next_poll, w->deadline});
      }
    }
    if (due.empty()) {
      if (stopping_) return;
      cv_.wait_until(lock, next);
      continue;
    }
    const bool stopping = stopping_;
    lock.unlock();
    for (auto& w : due) {
      w->next_poll = Clock::now() + kPollInterval;
      if (stopping || process(*w, Clock::now())) {
        if (!w->done) finish(*w);
      }
    }
    lock.lock();
    for (auto& w : due) {
      if (!w->done) continue;
      auto range = watches_.equal_range(w->id.str());
      for (auto it = range.first; it != range.second; ++it) {
        if (it->second == w) {
          watches_.erase(it);
          break;
        }
      }
      if (w->kind == Watch::Kind::stream) {
        auto it = streams_per_user_.find(w->user);
        if (it != streams_per_user_.end() && --it->second == 0) streams_per_user_.erase(it);
      }
    }
  }
}

bool RunWatcher::process(Watch& w, Clock::time_point now) {
  if (w.responder->closed()) return true;
  auto run = services_.store.runs().get(w.org, w.id);
  if (w.kind == Watch::Kind::wait) return !run.ok() || store::is_terminal(run->status) || now >= w.deadline;
  auto steps = services_.store.runs().steps(w.org, w.id);
  if (!run.ok() || !steps.ok()) return true;
  std::string out;
  // A stream's buffer is bounded (http::Server): a step too big for one event is sent without
  // its input, output and logs (GET /api/runs/{id} has them), and one write carries at most
  // kMaxStreamWrite bytes of steps; the rest go on the next round.
  for (; w.sent_steps < steps->size() && out.size() < kMaxStreamWrite; ++w.sent_steps) {
    json step = engine::step_to_json((*steps)[w.sent_steps]);
    std::string event = sse("step", step);
    if (event.size() > kMaxStepEvent) {
      for (const char* big : {"input", "output", "logs"}) step.erase(big);
      step["truncated"] = true;
      step["eventBytes"] = event.size();
      event = sse("step", step);
    }
    out += event;
  }
  const bool all_sent = w.sent_steps == steps->size();
  if (!all_sent) w.next_poll = now + kDrainInterval;  // more to send once the client has read this
  const bool finished = store::is_terminal(run->status) && all_sent;
  if (finished) {
    json final_run = engine::run_to_json(*run, {});
    final_run.erase("steps");
    out += sse("run", final_run);
  }
  if (out.empty() && now >= w.next_heartbeat) out = ": keep-alive\n\n";
  if (!out.empty()) {
    w.next_heartbeat = now + kHeartbeat;
    if (!w.responder->write(std::move(out))) return true;
  }
  return finished;
}

// Gives the watch its last answer (the run as it is now, for a wait) and marks it done.
void RunWatcher::finish(Watch& w) {
  w.done = true;
  if (w.responder->closed()) return;
  if (w.kind == Watch::Kind::stream) {
    w.responder->end();
    return;
  }
  w.responder->send(w.answer(services_.store.runs().get(w.org, w.id)));
}

}  // namespace weft::api
