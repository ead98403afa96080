#include "store/sqlite/sqlite_store.h"

namespace weft::store::sqlite {

namespace {

// Reads the RETURNING row of a claim, if the statement produced one.
Result<std::optional<Job>> read_job(Query& q) {
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<Job>();
  Job job;
  job.id = JobId(q.text(0));
  job.org = OrgId(q.text(1));
  job.run = RunId(q.text(2));
  job.attempts = static_cast<int>(q.int64(3));
  job.lease_owner = q.text(4);
  job.lease_expires_at = q.int64(5);
  job.expired_leases = static_cast<int>(q.int64(6));
  return std::optional<Job>(std::move(job));
}

// A claimed job's run starts running in the same write (unless it is terminal already: the
// executor then only completes the job).
Status start_claimed_run(Database& db, const Job& job, TimeMs now) {
  WEFT_TRY_ASSIGN(Query q, db.query("UPDATE runs SET status = 'running', "
                                    "started_at = COALESCE(started_at, ?3) "
                                    "WHERE org_id = ?1 AND id = ?2 AND status = 'queued'"));
  q.bind(job.org, job.run, now);
  return q.run();
}

}  // namespace

// The SET and RETURNING parts of both claims: lease to ?1 until ?3, count the claim, and count
// an expired lease (one still named here was never released). The SET expressions read the old
// row, so lease_owner in them is the previous holder's.
#define WEFT_CLAIM_SET                                                                        \
  "UPDATE jobs SET lease_owner = ?1, lease_expires_at = ?3, attempts = attempts + 1, "         \
  "expired_leases = expired_leases + (lease_owner IS NOT NULL) "
#define WEFT_CLAIM_RETURNING \
  "RETURNING id, org_id, run_id, attempts, lease_owner, lease_expires_at, expired_leases"

namespace {

// Runs a bound claim statement and starts the claimed run, in the caller's group write.
Status claim_and_start(Database& db, Result<Query> claim, std::optional<Job>& job, TimeMs now) {
  {
    WEFT_TRY_ASSIGN(Query q, std::move(claim));
    WEFT_TRY_ASSIGN(job, read_job(q));
  }
  return job ? start_claimed_run(db, *job, now) : Status{};
}

}  // namespace

Result<std::optional<Job>> SqliteJobQueue::claim(const std::string& owner, TimeMs now,
                                                 TimeMs lease_ms) {
  if (owner.empty()) return Error::make("invalid_argument", "a lease owner must be named");
  std::optional<Job> job;
  WEFT_TRY(pool_.commits()([&](Database& db) -> Status {
    // The oldest available job: available_at has passed and it is unleased or its lease expired.
    auto q = db.query(WEFT_CLAIM_SET
                      "WHERE id = (SELECT id FROM jobs WHERE available_at <= ?2 "
                      "AND (lease_owner IS NULL OR lease_expires_at < ?2) "
                      "ORDER BY available_at, id LIMIT 1) " WEFT_CLAIM_RETURNING);
    if (q.ok()) q->bind(owner, now, now + lease_ms);
    return claim_and_start(db, std::move(q), job, now);
  }));
  return job;
}

Result<std::vector<Job>> SqliteJobQueue::claim_batch(const std::string& owner, TimeMs now, TimeMs lease_ms,
                                                     int max) {
  if (owner.empty()) return Error::make("invalid_argument", "a lease owner must be named");
  if (max < 1) return Error::make("invalid_argument", "a batch claims at least one job");
  std::vector<Job> jobs;
  WEFT_TRY(pool_.commits()([&](Database& db) -> Status {
    jobs.clear();  // the group commit may run this write again
    {
      WEFT_TRY_ASSIGN(Query q, db.query(WEFT_CLAIM_SET
                                        "WHERE id IN (SELECT id FROM jobs WHERE available_at <= ?2 "
                                        "AND (lease_owner IS NULL OR lease_expires_at < ?2) "
                                        "ORDER BY available_at, id LIMIT ?4) " WEFT_CLAIM_RETURNING));
      q.bind(owner, now, now + lease_ms, static_cast<std::int64_t>(max));
      while (true) {
        WEFT_TRY_ASSIGN(std::optional<Job> job, read_job(q));
        if (!job) break;
        jobs.push_back(std::move(*job));
      }
    }
    for (const Job& job : jobs) WEFT_TRY(start_claimed_run(db, job, now));
    return {};
  }));
  return jobs;
}

Result<std::optional<Job>> SqliteJobQueue::claim_run(const RunId& run, const std::string& owner,
                                                     TimeMs now, TimeMs lease_ms) {
  if (owner.empty()) return Error::make("invalid_argument", "a lease owner must be named");
  std::optional<Job> job;
  WEFT_TRY(pool_.commits()([&](Database& db) -> Status {
    auto q = db.query(WEFT_CLAIM_SET
                      "WHERE run_id = ?4 AND (lease_owner IS NULL OR lease_expires_at < ?2) "
                      WEFT_CLAIM_RETURNING);
    if (q.ok()) q->bind(owner, now, now + lease_ms, run);
    return claim_and_start(db, std::move(q), job, now);
  }));
  return job;
}

#undef WEFT_CLAIM_SET
#undef WEFT_CLAIM_RETURNING

Result<bool> SqliteJobQueue::heartbeat(const JobId& id, const std::string& owner,
                                       TimeMs expires_at) {
  bool kept = false;
  WEFT_TRY(pool_.commits()([&](Database& db) -> Status {
    WEFT_TRY_ASSIGN(Query q, db.query("UPDATE jobs SET lease_expires_at = ?3 "
                                      "WHERE id = ?1 AND lease_owner = ?2"));
    q.bind(id, owner, expires_at);
    WEFT_TRY(q.run());
    kept = q.changes() > 0;
    return {};
  }));
  return kept;
}

Status SqliteJobQueue::complete(const JobId& id, const std::string& owner) {
  return pool_.commits()([&](Database& db) -> Status {
    WEFT_TRY_ASSIGN(Query q, db.query("DELETE FROM jobs WHERE id = ?1 AND lease_owner = ?2"));
    q.bind(id, owner);
    return q.run();
  });
}

Status SqliteJobQueue::release(const JobId& id, const std::string& owner, TimeMs available_at) {
  return pool_.commits()([&](Database& db) -> Status {
    WEFT_TRY_ASSIGN(Query q, db.query("UPDATE jobs SET lease_owner = NULL, "
                                      "lease_expires_at = NULL, available_at = ?3 "
                                      "WHERE id = ?1 AND lease_owner = ?2"));
    q.bind(id, owner, available_at);
    return q.run();
  });
}

Result<std::int64_t> SqliteJobQueue::pending_count() {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT COUNT(*) FROM jobs"));
  WEFT_TRY_ASSIGN(bool row, q.step());
  return row ? q.int64(0) : 0;
}

}  // namespace weft::store::sqlite
