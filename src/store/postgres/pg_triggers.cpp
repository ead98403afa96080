#include <algorithm>

#include "store/postgres/pg_shared_writes.h"
#include "store/postgres/pg_store.h"
#include "store/rows.h"

namespace weft::store::postgres {

namespace {

#define WEFT_SCHEDULE_COLUMNS "workflow_id, org_id, cron, timezone, next_fire_at "

constexpr int kMaxDueLimit = 500;

}  // namespace

// --- webhooks ---

Status PgTriggerStore::put_webhook(const WebhookTrigger& hook) {
  if (hook.workflow.empty() || hook.org.empty() || hook.secret_hash.empty()) {
    return Error::make("invalid_argument", "a webhook needs a workflow, an org and a secret hash");
  }
  const TimeMs created = hook.created_at != 0 ? hook.created_at : clock_.now_ms();
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  // The foreign key to workflows (id, org_id) refuses a workflow of another org; the guarded
  // upsert never replaces a row of another org.
  Query q = writer->query(
      "INSERT INTO webhooks (workflow_id, org_id, secret_hash, "
      "created_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (workflow_id) DO UPDATE SET "
      "secret_hash = excluded.secret_hash, "
      "created_at = excluded.created_at "
      "WHERE webhooks.org_id = excluded.org_id");
  q.bind(hook.workflow, hook.org, hook.secret_hash, created);
  return q.run_one("workflow");
}

Result<std::optional<WebhookTrigger>> PgTriggerStore::find_webhook(const WorkflowId& workflow) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query(
      "SELECT h.workflow_id, h.org_id, h.secret_hash, h.created_at, "
      "w.latest_version FROM webhooks h "
      "LEFT JOIN workflows w ON w.id = h.workflow_id AND w.org_id = h.org_id "
      "WHERE h.workflow_id = $1");
  q.bind(workflow);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<WebhookTrigger>();
  WebhookTrigger hook{WorkflowId(q.text(0)), OrgId(q.text(1)), q.text(2), q.int64(3),
                      static_cast<int>(q.optional_int64(4).value_or(0))};
  return std::optional<WebhookTrigger>(std::move(hook));
}

Status PgTriggerStore::remove_webhook(const OrgId& org, const WorkflowId& workflow) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query("DELETE FROM webhooks WHERE org_id = $1 AND workflow_id = $2");
  q.bind(org, workflow);
  return q.run();
}

// --- schedules ---

Status PgTriggerStore::put_schedule(const Schedule& schedule) {
  if (schedule.workflow.empty() || schedule.org.empty() || schedule.cron.empty()) {
    return Error::make("invalid_argument", "a schedule needs a workflow, an org and a cron");
  }
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query("INSERT INTO schedules (" WEFT_SCHEDULE_COLUMNS
                          ") VALUES ($1, $2, $3, $4, $5) "
                          "ON CONFLICT (workflow_id) DO UPDATE SET "
                          "cron = excluded.cron, timezone = excluded.timezone, "
                          "next_fire_at = excluded.next_fire_at "
                          "WHERE schedules.org_id = excluded.org_id");
  q.bind(schedule.workflow, schedule.org, schedule.cron, schedule.timezone, schedule.next_fire_at);
  return q.run_one("workflow");
}

Status PgTriggerStore::remove_schedule(const OrgId& org, const WorkflowId& workflow) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query("DELETE FROM schedules WHERE org_id = $1 AND workflow_id = $2");
  q.bind(org, workflow);
  return q.run();
}

Result<std::optional<Schedule>> PgTriggerStore::get_schedule(const OrgId& org, const WorkflowId& workflow) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT " WEFT_SCHEDULE_COLUMNS
                          "FROM schedules "
                          "WHERE org_id = $1 AND workflow_id = $2");
  q.bind(org, workflow);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<Schedule>();
  return std::optional<Schedule>(read_schedule(q));
}

Result<std::vector<Schedule>> PgTriggerStore::due_schedules(TimeMs now, int limit) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT " WEFT_SCHEDULE_COLUMNS
                          "FROM schedules "
                          "WHERE next_fire_at <= $1 "
                          "ORDER BY next_fire_at, workflow_id LIMIT $2");
  q.bind(now, std::clamp(limit, 1, kMaxDueLimit));
  return q.collect(read_schedule<Query>);
}

Result<bool> PgTriggerStore::fire_schedule(const Schedule& due, TimeMs next_fire_at, const RunRecord& run) {
  if (run.org != due.org || run.workflow != due.workflow) {
    return Error::make("invalid_argument",
                       "a scheduled run must belong to its schedule's "
                       "workflow and org");
  }
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  {
    // Compare-and-set on the slot: only the caller that still sees `due.next_fire_at` moves it.
    Query q = writer->query(
        "UPDATE schedules SET next_fire_at = $4 "
        "WHERE workflow_id = $1 AND org_id = $2 "
        "AND next_fire_at = $3");
    q.bind(due.workflow, due.org, due.next_fire_at, next_fire_at);
    WEFT_TRY(q.run());
    if (q.changes() == 0) return false;  // rolled back: nothing was written
  }
  WEFT_TRY(insert_queued_run(txn.db(), run, clock_, leases_));
  WEFT_TRY(txn.commit());
  return true;
}

#undef WEFT_SCHEDULE_COLUMNS

}  // namespace weft::store::postgres
