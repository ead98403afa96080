#include <algorithm>

#include "pg/clock_sql.h"
#include "store/postgres/pg_store.h"

namespace weft::store::postgres {

namespace {

Job read_job(const Query& q) {
  Job job;
  job.id = JobId(q.text(0));
  job.org = OrgId(q.text(1));
  job.run = RunId(q.text(2));
  job.attempts = static_cast<int>(q.int64(3));
  job.lease_owner = q.text(4);
  job.lease_expires_at = q.int64(5);
  job.expired_leases = static_cast<int>(q.int64(6));
  return job;
}

// Claimed jobs' runs start running in the same transaction (unless one is terminal already: the
// executor then only completes the job). $3 is the claim's "now" (NULL: the database's).
Status start_claimed_runs(Connection& db, const std::vector<Job>& jobs, std::optional<TimeMs> now) {
  for (const Job& job : jobs) {
    Query q = db.query("UPDATE runs SET status = 'running', started_at = COALESCE(started_at, $3::bigint, "
                       WEFT_PG_NOW_MS ") WHERE org_id = $1 AND id = $2 AND status = 'queued'");
    q.bind(job.org, job.run, now);
    WEFT_TRY(q.run());
  }
  return {};
}

}  // namespace

// The claim: rows picked FOR UPDATE SKIP LOCKED (concurrent claimers in any process pass over
// each other's rows instead of waiting), leased to $1 for $2 ms from "now" ($3, or the database's
// clock when NULL), the claim counted, and an expired lease counted too (a lease still named
// here was never released). In the SET list lease_owner is the previous holder's.
#define WEFT_CLAIM(PICK)                                                                           \
  "WITH now AS (SELECT COALESCE($3::bigint, " WEFT_PG_NOW_MS ") AS ms), "                          \
  "picked AS (SELECT j.id FROM jobs j, now WHERE " PICK " FOR UPDATE OF j SKIP LOCKED) "          \
  "UPDATE jobs SET lease_owner = $1, lease_expires_at = (SELECT ms FROM now) + $2::bigint, "       \
  "attempts = attempts + 1, expired_leases = expired_leases + (lease_owner IS NOT NULL)::int "     \
  "FROM picked WHERE jobs.id = picked.id "                                                         \
  "RETURNING jobs.id, jobs.org_id, jobs.run_id, jobs.attempts, jobs.lease_owner, "                \
  "jobs.lease_expires_at, jobs.expired_leases"
#define WEFT_CLAIMABLE "(j.lease_owner IS NULL OR j.lease_expires_at < now.ms)"

Result<std::optional<Job>> PgJobQueue::claim(const std::string& owner, TimeMs now, TimeMs lease_ms) {
  WEFT_TRY_ASSIGN(auto jobs, claim_batch(owner, now, lease_ms, 1));
  if (jobs.empty()) return std::optional<Job>();
  return std::optional<Job>(std::move(jobs.front()));
}

Result<std::vector<Job>> PgJobQueue::claim_batch(const std::string& owner, TimeMs now, TimeMs lease_ms, int max) {
  if (owner.empty()) return Error::make("invalid_argument", "a lease owner must be named");
  if (max < 1) return Error::make("invalid_argument", "a batch claims at least one job");
  const std::optional<TimeMs> at = leases_ == LeaseClock::caller ? std::optional<TimeMs>(now) : std::nullopt;
  std::vector<Job> jobs;
  WEFT_TRY(pool_.transact([&](Connection& db) -> Status {
    Query q = db.query(WEFT_CLAIM("j.available_at <= now.ms AND " WEFT_CLAIMABLE
                                  " ORDER BY j.available_at, j.id LIMIT $4"));
    q.bind(owner, lease_ms, at, static_cast<std::int64_t>(max));
    jobs = {};
    WEFT_TRY_ASSIGN(jobs, q.collect(read_job));
    return start_claimed_runs(db, jobs, at);
  }));
  return jobs;
}

Result<std::optional<Job>> PgJobQueue::claim_run(const RunId& run, const std::string& owner, TimeMs now,
                                                 TimeMs lease_ms) {
  if (owner.empty()) return Error::make("invalid_argument", "a lease owner must be named");
  const std::optional<TimeMs> at = leases_ == LeaseClock::caller ? std::optional<TimeMs>(now) : std::nullopt;
  std::vector<Job> jobs;
  WEFT_TRY(pool_.transact([&](Connection& db) -> Status {
    Query q = db.query(WEFT_CLAIM("j.run_id = $4 AND " WEFT_CLAIMABLE));
    q.bind(owner, lease_ms, at, run);
    WEFT_TRY_ASSIGN(jobs, q.collect(read_job));
    return start_claimed_runs(db, jobs, at);
  }));
  if (jobs.empty()) return std::optional<Job>();
  return std::optional<Job>(std::move(jobs.front()));
}

#undef WEFT_CLAIM
#undef WEFT_CLAIMABLE

Result<bool> PgJobQueue::heartbeat(const JobId& id, const std::string& owner, TimeMs expires_at) {
  // On the database's clock the lease is extended by as long as the caller asked for.
  const std::optional<TimeMs> lasting =
      leases_ == LeaseClock::database ? std::optional<TimeMs>(expires_at - clock_.now_ms()) : std::nullopt;
  WEFT_TRY_ASSIGN(auto lease, pool_.acquire());
  Query q = lease->query("UPDATE jobs SET lease_expires_at = CASE WHEN $4::bigint IS NULL THEN $3::bigint "
                         "ELSE " WEFT_PG_NOW_MS " + $4::bigint END WHERE id = $1 AND lease_owner = $2");
  q.bind(id, owner, expires_at, lasting);
  WEFT_TRY(q.run());
  return q.changes() > 0;
}

Status PgJobQueue::complete(const JobId& id, const std::string& owner) {
  WEFT_TRY_ASSIGN(auto lease, pool_.acquire());
  Query q = lease->query("DELETE FROM jobs WHERE id = $1 AND lease_owner = $2");
  q.bind(id, owner);
  return q.run();
}

Status PgJobQueue::release(const JobId& id, const std::string& owner, TimeMs available_at) {
  // On the database's clock: as long from the database's now as the caller asked from its own.
  const std::optional<TimeMs> after = leases_ == LeaseClock::database
                                          ? std::optional<TimeMs>(std::max<TimeMs>(0, available_at - clock_.now_ms()))
                                          : std::nullopt;
  WEFT_TRY_ASSIGN(auto lease, pool_.acquire());
  Query q = lease->query("UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL, available_at = "
                         "CASE WHEN $4::bigint IS NULL THEN $3::bigint ELSE " WEFT_PG_NOW_MS " + $4::bigint END "
                         "WHERE id = $1 AND lease_owner = $2");
  q.bind(id, owner, available_at, after);
  return q.run();
}

Result<std::int64_t> PgJobQueue::pending_count() {
  WEFT_TRY_ASSIGN(auto lease, pool_.acquire());
  Query q = lease->query("SELECT COUNT(*) FROM jobs");
  WEFT_TRY_ASSIGN(bool row, q.step());
  return row ? q.int64(0) : 0;
}

}  // namespace weft::store::postgres
