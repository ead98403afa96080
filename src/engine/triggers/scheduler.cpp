// The schedule-trigger loop: each tick fires the due slots through the store's atomic
// fire_schedule, so concurrent schedulers (threads or processes) never double-fire a slot.
#include "engine/triggers/scheduler.h"

#include <algorithm>
#include <chrono>

#include "core/ids.h"
#include "core/log.h"
#include "engine/triggers/cron.h"

namespace weft::engine {
namespace {

constexpr int kBatch = 100;

std::string trigger_type(const json& definition) {
  auto trigger = definition.find("trigger");
  if (trigger == definition.end() || !trigger->is_object()) return "manual";
  auto type = trigger->find("type");
  return type != trigger->end() && type->is_string() ? type->get<std::string>() : "manual";
}

std::string trigger_string(const json& definition, const char* key, const std::string& fallback) {
  auto trigger = definition.find("trigger");
  if (trigger == definition.end() || !trigger->is_object()) return fallback;
  auto value = trigger->find(key);
  return value != trigger->end() && value->is_string() ? value->get<std::string>() : fallback;
}

void drop_schedule(store::Store& store, const store::Schedule& due, const std::string& why) {
  log().warn("scheduler: removing the schedule of workflow {} in org {}: {}", due.workflow.str(), due.org.str(), why);
  if (auto removed = store.triggers().remove_schedule(due.org, due.workflow); !removed.ok()) {
    log().warn("scheduler: could not remove the schedule of workflow {}: {}", due.workflow.str(),
               removed.error().message);
  }
}

// Fires one due slot. True when this call enqueued its run; false when the slot was already
// fired elsewhere or the schedule was dropped.
Result<bool> fire_one(store::Store& store, const store::Schedule& due, TimeMs now, const Clock& clock) {
  auto cron = CronSchedule::parse(due.cron, due.timezone);
  if (!cron.ok()) {
    drop_schedule(store, due, cron.error().message);
    return false;
  }
  auto workflow = store.workflows().get(due.org, due.workflow);
  if (!workflow.ok()) {
    if (workflow.error().code != "not_found") return workflow.error();
    drop_schedule(store, due, "the workflow no longer exists");
    return false;
  }
  if (trigger_type(workflow->definition) != "schedule") {
    drop_schedule(store, due, "the workflow no longer has a schedule trigger");
    return false;
  }
  // Slots missed while no scheduler ran collapse into this one firing.
  const TimeMs next = cron->next_after(std::max(now, due.next_fire_at));
  if (next < 0) {
    drop_schedule(store, due, "the cron expression matches no time in the next 5 years");
    return false;
  }
  store::RunRecord run;
  run.id = new_id<RunId>(clock);
  run.org = due.org;
  run.workflow = workflow->id;
  run.workflow_version = workflow->version;
  run.status = store::RunStatus::queued;
  run.input = {{"scheduledAt", format_iso8601(due.next_fire_at)}, {"firedAt", format_iso8601(now)}};
  run.created_at = now;
  return store.triggers().fire_schedule(due, next, run);
}

}  // namespace

Scheduler::Scheduler(store::Store& store, SchedulerOptions options, std::function<void()> on_enqueued,
                     const Clock& clock)
    : store_(store), options_(options), on_enqueued_(std::move(on_enqueued)), clock_(clock) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  ticker_.start("scheduler", std::chrono::milliseconds(options_.tick_ms), [this] {
    if (auto fired = tick(); !fired.ok()) log().warn("scheduler: tick failed: {}", fired.error().message);
  });
}

void Scheduler::stop() { ticker_.stop(); }

Result<int> Scheduler::tick() {
  const TimeMs now = clock_.now_ms();
  WEFT_TRY_ASSIGN(auto due, store_.triggers().due_schedules(now, kBatch));
  int fired = 0;
  for (const auto& schedule : due) {
    auto outcome = fire_one(store_, schedule, now, clock_);
    if (!outcome.ok()) {
      // One broken schedule must not starve the others; it is retried next tick.
      log().warn("scheduler: could not fire workflow {} in org {}: {}", schedule.workflow.str(),
                 schedule.org.str(), outcome.error().message);
      continue;
    }
    if (*outcome) ++fired;
  }
  if (fired > 0 && on_enqueued_) on_enqueued_();
  return fired;
}

Status sync_schedule(store::Store& store, const store::WorkflowRecord& workflow, const Clock& clock) {
  if (trigger_type(workflow.definition) != "schedule") {
    auto removed = store.triggers().remove_schedule(workflow.org, workflow.id);
    if (!removed.ok() && removed.error().code != "not_found") return removed.error();
    return {};
  }
  const std::string expression = trigger_string(workflow.definition, "cron", "");
  WEFT_TRY_ASSIGN(auto cron, CronSchedule::parse(expression, trigger_string(workflow.definition, "timezone", "UTC")));
  const TimeMs next = cron.next_after(clock.now_ms());
  if (next < 0) {
    return Error::make("invalid_cron", "the cron expression '" + expression + "' matches no time in the next 5 years",
                       {{"field", "expression"}});
  }
  store::Schedule schedule;
  schedule.workflow = workflow.id;
  schedule.org = workflow.org;
  schedule.cron = cron.expression();
  schedule.timezone = cron.timezone();
  schedule.next_fire_at = next;
  return store.triggers().put_schedule(schedule);
}

}  // namespace weft::engine
