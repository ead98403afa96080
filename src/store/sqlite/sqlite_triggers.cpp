#include <algorithm>

#include "store/sqlite/shared_writes.h"
#include "store/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace weft::store::sqlite {

namespace {

#define WEFT_SCHEDULE_COLUMNS "workflow_id, org_id, cron, timezone, next_fire_at "

constexpr int kMaxDueLimit = 500;

}  // namespace

// --- webhooks ---

Status SqliteTriggerStore::put_webhook(const WebhookTrigger& hook) {
  if (hook.workflow.empty() || hook.org.empty() || hook.secret_hash.empty()) {
    return Error::make("invalid_argument", "a webhook needs a workflow, an org and a secret hash");
  }
  const TimeMs created = hook.created_at != 0 ? hook.created_at : clock_.now_ms();
  auto writer = pool_.writer();
  // The foreign key to workflows (id, org_id) refuses a workflow of another org; the guarded
  // upsert never replaces a row of another org.
  WEFT_TRY_ASSIGN(Query q, writer->query("INSERT INTO webhooks (workflow_id, org_id, secret_hash, "
                                         "created_at) VALUES (?1, ?2, ?3, ?4) "
                                         "ON CONFLICT (workflow_id) DO UPDATE SET "
                                         "secret_hash = excluded.secret_hash, "
                                         "created_at = excluded.created_at "
                                         "WHERE webhooks.org_id = excluded.org_id"));
  q.bind(hook.workflow, hook.org, hook.secret_hash, created);
  Status put = q.run_one("workflow");
  webhooks_.forget_all();
  return put;
}

Result<std::optional<WebhookTrigger>> SqliteTriggerStore::find_webhook(const WorkflowId& workflow) {
  const WebhookCache::Ticket read_at = webhooks_.ticket();
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT h.workflow_id, h.org_id, h.secret_hash, h.created_at, "
                                         "w.latest_version FROM webhooks h "
                                         "LEFT JOIN workflows w ON w.id = h.workflow_id AND w.org_id = h.org_id "
                                         "WHERE h.workflow_id = ?1"));
  q.bind(workflow);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<WebhookTrigger>();
  WebhookTrigger hook{WorkflowId(q.text(0)), OrgId(q.text(1)), q.text(2), q.int64(3),
                      static_cast<int>(q.optional_int64(4).value_or(0))};
  webhooks_.remember(hook, read_at);
  return std::optional<WebhookTrigger>(std::move(hook));
}

std::optional<WebhookTrigger> SqliteTriggerStore::peek_webhook(const WorkflowId& workflow) {
  return webhooks_.find(workflow);
}

Status SqliteTriggerStore::remove_webhook(const OrgId& org, const WorkflowId& workflow) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q,
                  writer->query("DELETE FROM webhooks WHERE org_id = ?1 AND workflow_id = ?2"));
  q.bind(org, workflow);
  Status removed = q.run();
  webhooks_.forget_all();
  return removed;
}

// --- schedules ---

Status SqliteTriggerStore::put_schedule(const Schedule& schedule) {
  if (schedule.workflow.empty() || schedule.org.empty() || schedule.cron.empty()) {
    return Error::make("invalid_argument", "a schedule needs a workflow, an org and a cron");
  }
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("INSERT INTO schedules (" WEFT_SCHEDULE_COLUMNS
                                         ") VALUES (?1, ?2, ?3, ?4, ?5) "
                                         "ON CONFLICT (workflow_id) DO UPDATE SET "
                                         "cron = excluded.cron, timezone = excluded.timezone, "
                                         "next_fire_at = excluded.next_fire_at "
                                         "WHERE schedules.org_id = excluded.org_id"));
  q.bind(schedule.workflow, schedule.org, schedule.cron, schedule.timezone,
         schedule.next_fire_at);
  return q.run_one("workflow");
}

Status SqliteTriggerStore::remove_schedule(const OrgId& org, const WorkflowId& workflow) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q,
                  writer->query("DELETE FROM schedules WHERE org_id = ?1 AND workflow_id = ?2"));
  q.bind(org, workflow);
  return q.run();
}

Result<std::optional<Schedule>> SqliteTriggerStore::get_schedule(const OrgId& org,
                                                                 const WorkflowId& workflow) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_SCHEDULE_COLUMNS "FROM schedules "
                                         "WHERE org_id = ?1 AND workflow_id = ?2"));
  q.bind(org, workflow);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<Schedule>();
  return std::optional<Schedule>(read_schedule(q));
}

Result<std::vector<Schedule>> SqliteTriggerStore::due_schedules(TimeMs now, int limit) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_SCHEDULE_COLUMNS "FROM schedules "
                                         "WHERE next_fire_at <= ?1 "
                                         "ORDER BY next_fire_at, workflow_id LIMIT ?2"));
  q.bind(now, std::clamp(limit, 1, kMaxDueLimit));
  return q.collect(read_schedule<Query>);
}

Result<bool> SqliteTriggerStore::fire_schedule(const Schedule& due, TimeMs next_fire_at,
                                               const RunRecord& run) {
  if (run.org != due.org || run.workflow != due.workflow) {
    return Error::make("invalid_argument", "a scheduled run must belong to its schedule's "
                                           "workflow and org");
  }
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  {
    // Compare-and-set on the slot: only the caller that still sees `due.next_fire_at` moves it.
    WEFT_TRY_ASSIGN(Query q, writer->query("UPDATE schedules SET next_fire_at = ?4 "
                                           "WHERE workflow_id = ?1 AND org_id = ?2 "
                                           "AND next_fire_at = ?3"));
    q.bind(due.workflow, due.org, due.next_fire_at, next_fire_at);
    WEFT_TRY(q.run());
    if (q.changes() == 0) return false;  // rolled back: nothing was written
  }
  WEFT_TRY(insert_queued_run(txn.db(), run, clock_));
  WEFT_TRY(txn.commit());
  return true;
}

#undef WEFT_SCHEDULE_COLUMNS

}  // namespace weft::store::sqlite
