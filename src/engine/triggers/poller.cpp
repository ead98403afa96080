// The polling-trigger loop and "poll now": each poll runs the trigger's catalog action (for a
// bundle, the sandbox) and applies its answer through PollStore::apply_poll, so concurrent
// pollers (threads or processes) apply a slot once and a crash never starts an item twice.
#include "engine/triggers/poller.h"

#include <algorithm>
#include <chrono>

#include "bundles/poll_result.h"
#include "core/digest.h"
#include "core/ids.h"
#include "core/log.h"
#include "engine/plan.h"
#include "engine/step_log.h"
#include "engine/triggers/cron.h"
#include "engine/workflow.h"

namespace weft::engine {
namespace {

constexpr int kBatch = 50;
constexpr std::size_t kMaxShownError = 1000;

std::string fingerprint_of(const TriggerDef& trigger) {
  const json identity = {{"block", trigger.block},
                         {"inputs", trigger.inputs},
                         {"credential", trigger.credential ? json(trigger.credential->str()) : json(nullptr)}};
  return sha256_hex(identity.dump());
}

// The error as a person sees it on the workflow (internal ones masked, logged with the ids).
std::string shown_error(const Error& error, const store::PollTrigger& due) {
  if (!error.is_public) {
    log().error("poll of workflow {} in org {}: internal error: {}", due.workflow.str(), due.org.str(), error.message);
    return "internal error";
  }
  return clip_for_message(error.code + ": " + error.message, kMaxShownError);
}

// Runs the trigger's action once; the checked answer.
Result<bundles::PollResult> run_trigger(const PollDeps& deps, const store::PollTrigger& due, const TriggerDef& trigger) {
  auto view = deps.catalog.view(due.org);
  const catalog::Action* action = view->find(trigger.block);
  if (action == nullptr || action->kind != catalog::ActionKind::trigger) {
    return Error::make("trigger_unavailable", "trigger block '" + clip_for_message(trigger.block, kMaxActionKeyLength) +
                                                  "' is not in this organization's catalog (removed, disabled or blocked)");
  }
  auto violations = action->input_schema.validate(trigger.inputs);
  if (!violations.empty()) {
    return Error::make("invalid_input", "the trigger's inputs no longer pass '" + action->key +
                                            "' inputSchema: " + input_field(violations[0].pointer) + ": " +
                                            violations[0].message);
  }
  WEFT_TRY_ASSIGN(auto auth, open_for_action(deps.credentials, due.org, *action, trigger.credential));
  StepLogBuffer logs(deps.clock);
  static const CancelToken never;
  const json request = bundles::poll_request(trigger.inputs, due.state);
  catalog::ActionContext ctx{
      .input = request,
      .auth = auth ? &*auth : nullptr,
      .org = due.org,
      .run = RunId(""),
      .step_id = "trigger",
      .idempotency_key = "poll:" + due.workflow.str() + ":" + std::to_string(due.generation),
      .attempt = 1,
      .log = logs,
      .cancel = deps.cancel != nullptr ? *deps.cancel : never,
      .deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deps.options.poll_timeout_ms),
  };
  Result<json> answer = Error::internal("not run");
  try {
    answer = action->run(ctx);
  } catch (const std::exception& e) {
    answer = Error::internal(std::string("trigger threw: ") + e.what());
  }
  if (!answer.ok()) return answer.error();
  return bundles::read_poll_result(*answer, action->key);
}

TimeMs next_slot(const store::PollTrigger& due, TimeMs now) {
  auto cron = CronSchedule::parse(due.cron, due.timezone);
  return cron.ok() ? cron->next_after(now) : -1;
}

Result<PollOutcome> poll_one(const PollDeps& deps, const store::PollTrigger& due) {
  store::Store& store = deps.store;
  auto workflow = store.workflows().get(due.org, due.workflow);
  if (!workflow.ok()) return workflow.error();  // deleted: its row went with it (cascade)
  auto parsed = parse_workflow(workflow->definition);
  if (!parsed.ok() || parsed->trigger.type != "bundle") {
    WEFT_TRY(store.polls().remove_trigger(due.org, due.workflow));
    return Error::make("invalid_input", "this workflow's trigger is not a bundle trigger");
  }
  const TriggerDef& trigger = parsed->trigger;
  const TimeMs started_at = deps.clock.now_ms();
  auto result = run_trigger(deps, due, trigger);
  const TimeMs now = deps.clock.now_ms();
  const TimeMs slot = next_slot(due, now);
  if (!result.ok()) {
    const TimeMs next = failure_next_poll(now, slot, due.failures + 1);
    WEFT_TRY(store.polls().record_poll_failure(due, shown_error(result.error(), due), next, now));
    log().warn("poll of workflow {} in org {} failed ({} in a row): {}", due.workflow.str(), due.org.str(),
               due.failures + 1, result.error().is_public ? result.error().message : "internal error");
    return result.error();
  }
  std::vector<store::PollCandidate> candidates;
  candidates.reserve(result->items.size());
  // APIs list newest first: runs start oldest first.
  for (std::size_t i = result->items.size(); i-- > 0;) {
    store::PollCandidate c;
    c.item_id = result->ids[i];
    c.run.id = new_id<RunId>(deps.clock);
    c.run.org = due.org;
    c.run.workflow = workflow->id;
    c.run.workflow_version = workflow->version;
    c.run.status = store::RunStatus::queued;
    c.run.input = result->items[i];
    c.run.created_at = started_at;
    candidates.push_back(std::move(c));
  }
  const TimeMs next = slot >= 0 ? slot : now + kPollBackoffMaxMs;
  WEFT_TRY_ASSIGN(auto applied, store.polls().apply_poll(due, result->state, candidates, next, now));
  PollOutcome outcome;
  outcome.items = result->items.size();
  if (!applied) return outcome;  // another poller applied this slot first
  outcome.applied = true;
  outcome.priming = applied->priming;
  outcome.started = std::move(applied->started);
  return outcome;
}

}  // namespace

TimeMs failure_next_poll(TimeMs now, TimeMs next_slot, int failures) {
  std::int64_t backoff = kPollBackoffFirstMs;
  for (int i = 1; i < failures && backoff < kPollBackoffMaxMs; ++i) backoff *= 2;
  backoff = std::min(backoff, kPollBackoffMaxMs);
  return std::max(next_slot, now + backoff);
}

Result<PollOutcome> poll_workflow(const PollDeps& deps, const OrgId& org, const WorkflowId& workflow) {
  WEFT_TRY_ASSIGN(auto record, deps.store.workflows().get(org, workflow));
  WEFT_TRY_ASSIGN(auto trigger, deps.store.polls().get_trigger(org, workflow));
  if (!trigger) {
    // Saved before this server knew bundle triggers, or by a path that skipped the sync.
    WEFT_TRY(sync_poll_trigger(deps.store, record, deps.clock));
    WEFT_TRY_ASSIGN(trigger, deps.store.polls().get_trigger(org, workflow));
    if (!trigger) return Error::make("invalid_input", "this workflow's trigger is not a bundle trigger");
  }
  return poll_one(deps, *trigger);
}

Poller::Poller(PollDeps deps, std::function<void()> on_enqueued)
    : deps_(std::move(deps)), on_enqueued_(std::move(on_enqueued)) {
  deps_.cancel = &cancel_;
}

Poller::~Poller() { stop(); }

void Poller::start() {
  ticker_.start("poller", std::chrono::milliseconds(deps_.options.tick_ms), [this] {
    if (auto started = tick(); !started.ok()) log().warn("poller: tick failed: {}", started.error().message);
  });
}

// Cancelled first, so that the poll in flight stops its fetches instead of being waited for.
void Poller::stop() {
  cancel_.cancel();
  ticker_.stop();
}

Result<int> Poller::tick() {
  WEFT_TRY_ASSIGN(auto due, deps_.store.polls().due_triggers(deps_.clock.now_ms(), kBatch));
  int started = 0;
  for (const auto& trigger : due) {
    if (cancel_.cancelled()) break;
    auto outcome = poll_one(deps_, trigger);
    // A failed poll is recorded on its trigger (poll_one); it must not starve the others.
    if (outcome.ok()) started += static_cast<int>(outcome->started.size());
  }
  if (started > 0 && on_enqueued_) on_enqueued_();
  return started;
}

Status sync_poll_trigger(store::Store& store, const store::WorkflowRecord& workflow, const Clock& clock) {
  auto parsed = parse_workflow(workflow.definition);
  if (!parsed.ok() || parsed->trigger.type != "bundle") {
    return store.polls().remove_trigger(workflow.org, workflow.id);
  }
  const TriggerDef& trigger = parsed->trigger;
  store::PollTrigger want;
  want.workflow = workflow.id;
  want.org = workflow.org;
  want.block = trigger.block;
  want.fingerprint = fingerprint_of(trigger);
  want.cron = trigger.cron;
  want.timezone = trigger.timezone;
  want.next_poll_at = clock.now_ms();  // a new or reset trigger primes at the next tick
  return store.polls().put_trigger(want);
}

json trigger_status_json(const std::optional<store::PollTrigger>& trigger) {
  if (!trigger) {
    return {{"lastPollAt", nullptr}, {"nextPollAt", nullptr}, {"failures", 0}, {"lastError", nullptr}, {"primed", false}};
  }
  return {{"lastPollAt", trigger->last_poll_at ? json(format_iso8601(*trigger->last_poll_at)) : json(nullptr)},
          {"nextPollAt", format_iso8601(trigger->next_poll_at)},
          {"failures", trigger->failures},
          {"lastError", trigger->last_error.empty() ? json(nullptr) : json(trigger->last_error)},
          {"primed", trigger->primed}};
}

}  // namespace weft::engine
