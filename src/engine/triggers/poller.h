// engine/triggers/poller.h — owns polling triggers (workflow trigger {"type":"bundle"}): a thread
// that, each tick, polls the due triggers through their catalog action (the bundle's trigger in
// the sandbox) and starts one run per new item; the "poll now" of one workflow; and syncing a
// trigger after a save. It never writes SQL (store::PollStore) and never names the sandbox.
//
// A poll: the workflow's trigger block is looked up in catalog.view(org), its credential opened
// like a step's, and its run() called with {inputs, state}. The answer {items, state} is applied
// in one store call (PollStore::apply_poll): the first poll after a save that changed the trigger
// only records the state and the seen ids; later ones start a run per item whose id was not seen
// (oldest first: APIs list newest first), with the item as the run's `trigger`.
// Failures: the error is kept on the trigger (failures, lastError) and the next poll is at
//   max(the next cron slot, now + 30 s × 2^(failures − 1)), the backoff capped at 1 hour —
// never sooner than the cron asks, and ever later while the source keeps failing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "catalog/catalog.h"
#include "core/cancel.h"
#include "core/clock.h"
#include "engine/triggers/ticker.h"
#include "engine/credential_source.h"
#include "store/store.h"

namespace weft::engine {

struct PollerOptions {
  std::int64_t tick_ms = 1000;
  std::int64_t poll_timeout_ms = 60000;  // one poll's deadline (the org's policy may cut it)
};

inline constexpr std::int64_t kPollBackoffFirstMs = 30000;
inline constexpr std::int64_t kPollBackoffMaxMs = 3600000;

// What a poll needs; every reference must outlive its use.
struct PollDeps {
  store::Store& store;
  const catalog::Catalog& catalog;
  CredentialSource& credentials;
  const Clock& clock;
  PollerOptions options = {};
  const CancelToken* cancel = nullptr;  // set on shutdown; null: never
};

struct PollOutcome {
  bool applied = false;       // false: another poller applied this slot first (nothing written)
  bool priming = false;       // this was the first poll: state and ids recorded, no run started
  std::size_t items = 0;      // items the trigger returned
  std::vector<RunId> started;
};

// Polls the workflow's trigger now, whatever its next_poll_at. Errors: not_found (no workflow, or
// no bundle trigger row), invalid_input (the trigger is not a bundle trigger), and the poll's own
// error (public or internal) — which is also recorded on the trigger with its backoff.
Result<PollOutcome> poll_workflow(const PollDeps& deps, const OrgId& org, const WorkflowId& workflow);

// The `next_poll_at` after `failures` consecutive failures (failures ≥ 1) of a trigger whose
// cron's next slot after `now` is `next_slot` (−1: none): see the header comment.
TimeMs failure_next_poll(TimeMs now, TimeMs next_slot, int failures);

class Poller {
 public:
  // `on_enqueued` is called after runs are started (e.g. WorkerPool::wake). `deps` (its
  // references) must outlive the Poller; its cancel is replaced by the Poller's own.
  Poller(PollDeps deps, std::function<void()> on_enqueued);
  ~Poller();  // stop()

  void start();
  // Cancels the poll in flight (its fetches stop) and joins the thread.
  void stop();
  // One pass over the due triggers (what the thread does each tick); returns runs started.
  Result<int> tick();

 private:
  PollDeps deps_;
  std::function<void()> on_enqueued_;
  CancelToken cancel_;
  Ticker ticker_;
};

// After a workflow version is saved: a bundle trigger is registered (PollStore::put_trigger with
// the fingerprint of its block, inputs and credential: another fingerprint resets it, due now),
// any other trigger type removes it.
Status sync_poll_trigger(store::Store& store, const store::WorkflowRecord& workflow, const Clock& clock);

// {lastPollAt, nextPollAt, failures, lastError, primed} (times ISO 8601 or null) of GET
// /api/workflows/{id}; a trigger not registered yet shows as never polled.
json trigger_status_json(const std::optional<store::PollTrigger>& trigger);

}  // namespace weft::engine
