#include "api/run_stream.h"

#include <memory>

#include "api/http_json.h"
#include "engine/workflow_service.h"

namespace weft::api {

namespace {

constexpr int kMaxStreamsPerUser = 8;
constexpr auto kPollInterval = std::chrono::milliseconds(500);

std::mutex streams_mutex;
std::unordered_map<std::string, int> streams_per_user;

std::string sse(const char* event, const json& data) {
  return std::string("event: ") + event + "\ndata: " + data.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

struct StreamState {
  Services* services;
  OrgId org;
  RunId id;
  std::string user;
  std::size_t sent_steps = 0;
  std::uint64_t seen_version = 0;
  bool finished = false;
};

}  // namespace

Result<store::RunRecord> wait_for_run(Services& services, const OrgId& org, const RunId& id,
                                      std::chrono::milliseconds timeout) {
  // Woken by this process's run-finished event; the periodic re-read also sees runs that
  // another process executes.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    WEFT_TRY_ASSIGN(auto run, services.store.runs().get(org, id));
    const auto now = std::chrono::steady_clock::now();
    if (store::is_terminal(run.status) || now >= deadline) return run;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    services.events.wait_finished(id, std::min(left, kPollInterval));
  }
}

void stream_run_events(Call& call, const RunId& id) {
  const std::string user = call.caller->user.id.str();
  {
    std::lock_guard lock(streams_mutex);
    if (streams_per_user[user] >= kMaxStreamsPerUser) {
      send_error(call.res, 429, "too_many_streams",
                 "at most " + std::to_string(kMaxStreamsPerUser) + " event streams per user");
      return;
    }
    ++streams_per_user[user];
  }
  auto state = std::make_shared<StreamState>(StreamState{&call.services, call.org(), id, user});
  call.res.set_header("Cache-Control", "no-cache");
  call.res.set_header("X-Accel-Buffering", "no");
  call.res.set_chunked_content_provider(
      "text/event-stream",
      [state](std::size_t, httplib::DataSink& sink) {
        auto& s = *state;
        if (s.finished) {
          sink.done();
          return true;
        }
        auto run = s.services->store.runs().get(s.org, s.id);
        auto steps = s.services->store.runs().steps(s.org, s.id);
        if (!run.ok() || !steps.ok()) return false;
        std::string out;
        for (; s.sent_steps < steps->size(); ++s.sent_steps) out += sse("step", engine::step_to_json((*steps)[s.sent_steps]));
        if (store::is_terminal(run->status)) {
          json final_run = engine::run_to_json(*run, {});
          final_run.erase("steps");
          out += sse("run", final_run);
          s.finished = true;
        }
        if (out.empty()) {
          if (!sink.is_writable()) return false;  // the client went away
        } else if (!sink.write(out.data(), out.size())) {
          return false;
        }
        if (!s.finished) s.seen_version = s.services->events.wait_change(s.id, s.seen_version, kPollInterval);
        return true;
      },
      [state](bool) {
        std::lock_guard lock(streams_mutex);
        if (--streams_per_user[state->user] <= 0) streams_per_user.erase(state->user);
      });
}

}  // namespace weft::api
