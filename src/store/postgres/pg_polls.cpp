// Polling triggers on PostgreSQL: the per-workflow row and its seen item ids. Applying a poll is
// one transaction holding the row's lock and guarded by its generation, so a crash never starts
// an item twice or loses one, and two pollers of one slot (in any processes) apply it once.
#include <algorithm>
#include <set>

#include "store/postgres/pg_shared_writes.h"
#include "store/postgres/pg_store.h"
#include "store/checks.h"
#include "store/rows.h"

namespace weft::store::postgres {

namespace {

#define WEFT_POLL_COLUMNS                                                                  \
  "workflow_id, org_id, block, fingerprint, cron, timezone, next_poll_at, state, primed, " \
  "failures, last_error, last_poll_at, generation "

constexpr int kMaxDueLimit = 500;

}  // namespace

Status PgPollStore::put_trigger(const PollTrigger& want) {
  WEFT_TRY(check_poll_trigger(want));
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  std::optional<PollTrigger> existing;
  {
    Query q = writer->query("SELECT " WEFT_POLL_COLUMNS "FROM poll_triggers WHERE workflow_id = $1 FOR UPDATE");
    q.bind(want.workflow);
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (row) {
      WEFT_TRY_ASSIGN(auto t, read_trigger(q));
      existing = std::move(t);
    }
  }
  if (existing && existing->org != want.org) return Error::not_found("workflow");
  if (!existing) {
    Query q = writer->query(
        "INSERT INTO poll_triggers (workflow_id, org_id, block, fingerprint, "
        "cron, timezone, next_poll_at) VALUES ($1, $2, $3, $4, $5, $6, $7)");
    q.bind(want.workflow, want.org, want.block, want.fingerprint, want.cron, want.timezone, want.next_poll_at);
    WEFT_TRY(q.run_one("workflow"));
  } else if (existing->fingerprint != want.fingerprint) {
    {
      Query q = writer->query("DELETE FROM poll_seen WHERE workflow_id = $1");
      q.bind(want.workflow);
      WEFT_TRY(q.run());
    }
    Query q = writer->query(
        "UPDATE poll_triggers SET block = $3, fingerprint = $4, cron = $5, "
        "timezone = $6, next_poll_at = $7, state = 'null', primed = 0, "
        "failures = 0, last_error = '', last_poll_at = NULL, "
        "generation = generation + 1, seen_seq = 0 "
        "WHERE workflow_id = $1 AND org_id = $2");
    q.bind(want.workflow, want.org, want.block, want.fingerprint, want.cron, want.timezone, want.next_poll_at);
    WEFT_TRY(q.run_one("workflow"));
  } else if (existing->cron != want.cron || existing->timezone != want.timezone) {
    Query q = writer->query(
        "UPDATE poll_triggers SET cron = $3, timezone = $4, next_poll_at = $5, "
        "generation = generation + 1 WHERE workflow_id = $1 AND org_id = $2");
    q.bind(want.workflow, want.org, want.cron, want.timezone, want.next_poll_at);
    WEFT_TRY(q.run_one("workflow"));
  } else {
    return {};  // unchanged: rolled back, nothing written
  }
  return txn.commit();
}

Status PgPollStore::remove_trigger(const OrgId& org, const WorkflowId& workflow) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query("DELETE FROM poll_triggers WHERE org_id = $1 AND workflow_id = $2");
  q.bind(org, workflow);
  return q.run();  // poll_seen rows go with it (ON DELETE CASCADE)
}

Result<std::optional<PollTrigger>> PgPollStore::get_trigger(const OrgId& org, const WorkflowId& workflow) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT " WEFT_POLL_COLUMNS
                          "FROM poll_triggers "
                          "WHERE org_id = $1 AND workflow_id = $2");
  q.bind(org, workflow);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<PollTrigger>();
  WEFT_TRY_ASSIGN(auto t, read_trigger(q));
  return std::optional<PollTrigger>(std::move(t));
}

Result<std::vector<PollTrigger>> PgPollStore::due_triggers(TimeMs now, int limit) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT " WEFT_POLL_COLUMNS
                          "FROM poll_triggers WHERE next_poll_at <= $1 "
                          "ORDER BY next_poll_at, workflow_id LIMIT $2");
  q.bind(now, std::clamp(limit, 1, kMaxDueLimit));
  return read_rows(q, read_trigger<Query>);
}

Result<std::optional<PollApplied>> PgPollStore::apply_poll(const PollTrigger& due, const json& state,
                                                           const std::vector<PollCandidate>& candidates,
                                                           TimeMs next_poll_at, TimeMs now) {
  WEFT_TRY(check_poll_candidates(due, candidates));
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  std::int64_t seq = 0;
  bool primed = false;
  {
    Query q = writer->query(
        "SELECT seen_seq, primed FROM poll_triggers "
        "WHERE workflow_id = $1 AND org_id = $2 AND generation = $3 FOR UPDATE");
    q.bind(due.workflow, due.org, due.generation);
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) return std::optional<PollApplied>();  // rolled back: nothing was written
    seq = q.int64(0);
    primed = q.int64(1) != 0;
  }
  PollApplied applied;
  applied.priming = !primed;
  std::set<std::string> in_batch;
  for (const auto& c : candidates) {
    if (!in_batch.insert(c.item_id).second) continue;
    bool seen = false;
    {
      Query q = writer->query("SELECT 1 FROM poll_seen WHERE workflow_id = $1 AND item_id = $2");
      q.bind(due.workflow, c.item_id);
      WEFT_TRY_ASSIGN(seen, q.step());
    }
    {
      // Seen again counts as seen now: an item every page repeats is never pruned.
      Query q = writer->query(
          "INSERT INTO poll_seen (workflow_id, item_id, seq) VALUES ($1, $2, $3) "
          "ON CONFLICT (workflow_id, item_id) DO UPDATE SET seq = excluded.seq");
      q.bind(due.workflow, c.item_id, ++seq);
      WEFT_TRY(q.run());
    }
    if (seen || !primed) continue;
    WEFT_TRY(insert_queued_run(txn.db(), c.run, clock_, leases_));
    applied.started.push_back(c.run.id);
  }
  {
    Query q = writer->query("DELETE FROM poll_seen WHERE workflow_id = $1 AND seq <= $2");
    q.bind(due.workflow, seq - kMaxSeenPollItems);
    WEFT_TRY(q.run());
  }
  {
    Query q = writer->query(
        "UPDATE poll_triggers SET state = $3, primed = 1, failures = 0, "
        "last_error = '', last_poll_at = $4, next_poll_at = $5, "
        "generation = generation + 1, seen_seq = $6 "
        "WHERE workflow_id = $1 AND org_id = $2");
    q.bind(due.workflow, due.org, state.dump(), now, next_poll_at, seq);  // null is stored as "null"
    WEFT_TRY(q.run_one("poll trigger"));
  }
  WEFT_TRY(txn.commit());
  return std::optional<PollApplied>(std::move(applied));
}

Result<bool> PgPollStore::record_poll_failure(const PollTrigger& due, const std::string& error, TimeMs next_poll_at,
                                              TimeMs now) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query(
      "UPDATE poll_triggers SET failures = failures + 1, last_error = $4, "
      "last_poll_at = $5, next_poll_at = $6, generation = generation + 1 "
      "WHERE workflow_id = $1 AND org_id = $2 AND generation = $3");
  q.bind(due.workflow, due.org, due.generation, error, now, next_poll_at);
  WEFT_TRY(q.run());
  return q.changes() > 0;
}

Result<std::int64_t> PgPollStore::seen_count(const OrgId& org, const WorkflowId& workflow) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query(
      "SELECT COUNT(*) FROM poll_seen s JOIN poll_triggers t "
      "ON t.workflow_id = s.workflow_id "
      "WHERE t.org_id = $1 AND s.workflow_id = $2");
  q.bind(org, workflow);
  WEFT_TRY(q.step());
  return q.int64(0);
}

#undef WEFT_POLL_COLUMNS

}  // namespace weft::store::postgres
