#include <algorithm>

#include "pg/clock_sql.h"
#include "store/postgres/pg_shared_writes.h"
#include "store/postgres/pg_store.h"
#include "store/checks.h"
#include "store/rows.h"

namespace weft::store::postgres {

namespace {

// Column order of every run SELECT/RETURNING below (rows.h: read_run).
#define WEFT_RUN_COLUMNS                                                                        \
  "id, org_id, workflow_id, workflow_version, status, input, output, error, cancel_requested, " \
  "created_at, started_at, finished_at "

Result<std::optional<RunRecord>> select_run(Connection& db, const OrgId& org, const RunId& id) {
  Query q = db.query("SELECT " WEFT_RUN_COLUMNS "FROM runs WHERE org_id = $1 AND id = $2");
  q.bind(org, id);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<RunRecord>();
  WEFT_TRY_ASSIGN(auto run, read_run(q));
  return std::optional<RunRecord>(std::move(run));
}

constexpr int kMaxListLimit = 500;

Status run_insert_failed(const Error& error, const RunRecord& run) {
  if (error.code == "not_found") return Error::not_found("organization");
  if (error.code == "conflict") return Error::make("conflict", "run " + run.id.str() + " already exists");
  return error;
}

// The run row and its job row. With `lease` the run starts running and the job is leased to
// lease->owner (the creator executes it) until lease->expires_at, or — `lasting` set: the
// database's clock — for `lasting` ms from now on that clock; otherwise both wait in the queue.
struct Lease {
  std::string owner;
  TimeMs expires_at = 0;
  std::optional<TimeMs> lasting;
};

Status insert_run_and_job(Connection& db, const RunRecord& run, const JobId& job, const std::optional<Lease>& lease,
                          LeaseClock leases) {
  WEFT_TRY(check_new_run(run));
  {
    Query q = db.query("INSERT INTO runs (id, org_id, workflow_id, workflow_version, status, input, "
                       "cancel_requested, created_at, started_at) VALUES ($1, $2, $3, $4, $7, $5, 0, $6, $8)");
    q.bind(run.id, run.org, run.workflow, run.workflow_version, run.input, run.created_at,
           lease ? "running" : "queued", lease ? std::optional<TimeMs>(run.created_at) : std::nullopt);
    Status inserted = q.run();
    if (!inserted.ok()) return run_insert_failed(inserted.error(), run);
  }
  // On the database's clock a queued run is claimable from the database's now: a node whose
  // clock runs ahead does not hold its runs back.
  Query q = db.query("INSERT INTO jobs (id, org_id, run_id, available_at, attempts, created_at, lease_owner, "
                     "lease_expires_at) VALUES ($1, $2, $3, "
                     "CASE WHEN $9::boolean THEN " WEFT_PG_NOW_MS " ELSE $4::bigint END, $5, $4, $6, "
                     "CASE WHEN $8::bigint IS NULL THEN $7::bigint ELSE " WEFT_PG_NOW_MS " + $8::bigint END)");
  q.bind(job, run.org, run.id, run.created_at, lease ? 1 : 0,
         lease ? std::optional<std::string>(lease->owner) : std::nullopt,
         lease ? std::optional<TimeMs>(lease->expires_at) : std::nullopt,
         lease ? lease->lasting : std::nullopt, leases == LeaseClock::database);
  return q.run();
}

}  // namespace

Error PgRunStore::transition_refused(Connection& db, const OrgId& org, const RunId& id, const char* action) {
  auto run = select_run(db, org, id);
  if (!run.ok()) return run.error();
  if (!*run) return Error::not_found("run");
  return Error::make("conflict",
                     std::string("cannot ") + action + " run " + id.str() + ": it is already " +
                         std::string(to_string((*run)->status)),
                     {{"status", to_string((*run)->status)}});
}

Status insert_queued_run(Connection& db, const RunRecord& run, const Clock& clock, LeaseClock leases) {
  return insert_run_and_job(db, run, new_id<JobId>(clock), std::nullopt, leases);
}

Status PgRunStore::create_queued(const RunRecord& run) {
  const JobId job = new_id<JobId>(clock_);
  return pool_.transact([&](Connection& db) { return insert_run_and_job(db, run, job, std::nullopt, leases_); });
}

Result<Job> PgRunStore::create_running(const RunRecord& run, const std::string& owner, TimeMs lease_ms) {
  Job job = leased_job(run, owner, lease_ms, clock_);
  WEFT_TRY(insert_running(run, job));
  return job;
}

Status PgRunStore::insert_running(const RunRecord& run, const Job& job) {
  return pool_.transact([&](Connection& db) { return insert_running_on(db, run, job); });
}

Status PgRunStore::insert_running_on(Connection& db, const RunRecord& run, const Job& job) {
  if (job.lease_owner.empty()) return Error::make("invalid_argument", "a lease owner must be named");
  Lease lease{job.lease_owner, job.lease_expires_at, std::nullopt};
  if (leases_ == LeaseClock::database) lease.lasting = job.lease_expires_at - run.created_at;
  return insert_run_and_job(db, run, job.id, lease, leases_);
}

Result<RunRecord> PgRunStore::get(const OrgId& org, const RunId& id) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  WEFT_TRY_ASSIGN(auto run, select_run(reader.db(), org, id));
  if (!run) return Error::not_found("run");
  return std::move(*run);
}

Result<std::vector<RunRecord>> PgRunStore::list(const OrgId& org, const RunFilter& filter) {
  const int limit = std::clamp(filter.limit, 1, kMaxListLimit);
  std::optional<std::string_view> status;
  if (filter.status) status = to_string(*filter.status);
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  // The cursor compares (created_at, id) with the cursor run's; an unknown cursor yields an
  // empty page. A NULL filter matches every row.
  Query q = reader->query("SELECT " WEFT_RUN_COLUMNS "FROM runs "
                          "WHERE org_id = $1 AND ($2::text IS NULL OR workflow_id = $2::text) "
                          "AND ($3::text IS NULL OR status = $3::text) "
                          "AND ($4::bigint IS NULL OR created_at >= $4::bigint) "
                          "AND ($5::bigint IS NULL OR created_at < $5::bigint) "
                          "AND ($6::text IS NULL OR (created_at, id) < "
                          "(SELECT created_at, id FROM runs WHERE org_id = $1 AND id = $6::text)) "
                          "ORDER BY created_at DESC, id DESC LIMIT $7");
  q.bind(org, filter.workflow, status, filter.created_after, filter.created_before, filter.before_id, limit);
  return read_rows(q, read_run<Query>);
}

Status PgRunStore::mark_running(const OrgId& org, const RunId& id, TimeMs now) {
  WEFT_TRY_ASSIGN(auto lease, pool_.acquire());
  {
    Query q = lease->query("UPDATE runs SET status = 'running', started_at = COALESCE(started_at, $3) "
                           "WHERE org_id = $1 AND id = $2 AND status IN ('queued', 'running')");
    q.bind(org, id, now);
    WEFT_TRY(q.run());
    if (q.changes() > 0) return {};
  }
  return transition_refused(lease.db(), org, id, "start");
}

namespace {

// The guarded terminal transition of finish() and finish_job(): true when it changed the run.
// `output_text`, when set, is json_text(output), bound as it is.
Result<bool> finish_on(Connection& db, const OrgId& org, const RunId& id, RunStatus status, const json& output,
                       const json& error, TimeMs now, const std::string* output_text = nullptr) {
  WEFT_TRY(check_ending(status, "finish"));
  // Guarded so that a run finishes exactly once.
  Query q = db.query("UPDATE runs SET status = $3, output = $4, error = $5, finished_at = $6 "
                     "WHERE org_id = $1 AND id = $2 AND status IN ('queued', 'running')");
  if (output_text != nullptr && !output.is_null()) {
    q.bind(org, id, status, std::string_view(*output_text), error, now);
  } else {
    q.bind(org, id, status, output, error, now);
  }
  WEFT_TRY(q.run());
  return q.changes() > 0;
}

// A run that never was stored, inserted already ended (its creator ran it to the end at once):
// no job, started when it was created.
Status insert_ended_run(Connection& db, const RunRecord& run, RunStatus status, const json& output,
                        const json& error, TimeMs now, const std::string* output_text) {
  WEFT_TRY(check_ending(status, "end"));
  WEFT_TRY(check_new_run(run));
  Query q = db.query("INSERT INTO runs (id, org_id, workflow_id, workflow_version, status, input, output, error, "
                     "cancel_requested, created_at, started_at, finished_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9, $10)");
  if (output_text != nullptr && !output.is_null()) {
    q.bind(run.id, run.org, run.workflow, run.workflow_version, status, run.input, std::string_view(*output_text),
           error, run.created_at, now);
  } else {
    q.bind(run.id, run.org, run.workflow, run.workflow_version, status, run.input, output, error, run.created_at,
           now);
  }
  Status inserted = q.run();
  if (inserted.ok()) return {};
  return run_insert_failed(inserted.error(), run);
}

}  // namespace

Status PgRunStore::finish(const OrgId& org, const RunId& id, RunStatus status, const json& output,
                          const json& error, TimeMs now) {
  WEFT_TRY_ASSIGN(auto lease, pool_.acquire());
  WEFT_TRY_ASSIGN(bool changed, finish_on(lease.db(), org, id, status, output, error, now));
  if (changed) return {};
  return transition_refused(lease.db(), org, id, "finish");
}

Result<std::optional<RunRecord>> PgRunStore::finish_job(const Job& job, RunStatus status, const json& output,
                                                        const json& error, TimeMs now) {
  std::optional<RunRecord> already;
  WEFT_TRY(pool_.transact(
      [&](Connection& db) -> Status { return finish_job_on(db, job, status, output, error, now, already); }));
  return already;
}

Status PgRunStore::finish_job_on(Connection& db, const Job& job, RunStatus status, const json& output,
                                 const json& error, TimeMs now, std::optional<RunRecord>& already,
                                 const std::string* output_text) {
  already.reset();
  WEFT_TRY_ASSIGN(bool changed, finish_on(db, job.org, job.run, status, output, error, now, output_text));
  {
    Query q = db.query("DELETE FROM jobs WHERE id = $1 AND lease_owner = $2");
    q.bind(job.id, job.lease_owner);
    WEFT_TRY(q.run());
  }
  if (changed) return {};
  // Already terminal (or not in this org): the caller hears how it ended.
  WEFT_TRY_ASSIGN(already, select_run(db, job.org, job.run));
  if (!already) return Error::not_found("run");
  return {};
}

void PgRunStore::write_batch(std::vector<RunWrite>& batch) {
  if (batch.empty()) return;
  auto one = [this](Connection& db, RunWrite& w) -> Status {
    switch (w.kind) {
      case RunWrite::Kind::record: return record_steps_on(db, w.steps);
      case RunWrite::Kind::start: return insert_running_on(db, *w.run, *w.job);
      case RunWrite::Kind::complete: return complete_on(db, w);
      case RunWrite::Kind::finish:
        return finish_job_on(db, *w.job, w.status, *w.output, *w.error, w.now, w.already, w.output_text);
    }
    return Error::internal("unknown run write");
  };
  if (batch.size() == 1) {  // one write (all of its records or none): its own transaction
    RunWrite& w = batch.front();
    w.result = pool_.transact([&](Connection& db) { return one(db, w); });
    if (!w.result.ok()) w.already.reset();
    return;
  }
  // One transaction, one commit for the whole batch (the engine's step loop: many runs' writes);
  // each write under its own savepoint, so that one's failure undoes only that one.
  Status committed = pool_.transact([&](Connection& db) -> Status {
    for (RunWrite& w : batch) {
      WEFT_TRY(db.exec("SAVEPOINT weft_write"));
      w.result = one(db, w);
      if (w.result.ok()) {
        WEFT_TRY(db.exec("RELEASE SAVEPOINT weft_write"));
      } else {
        w.already.reset();
        WEFT_TRY(db.exec("ROLLBACK TO SAVEPOINT weft_write"));
      }
    }
    return {};
  });
  if (!committed.ok()) {
    for (RunWrite& w : batch) {  // nothing was kept: every write failed with the transaction
      w.result = committed.error();
      w.already.reset();
    }
  }
}

Result<RunRecord> PgRunStore::request_cancel(const OrgId& org, const RunId& id, TimeMs now) {
  std::optional<RunRecord> run;
  WEFT_TRY(pool_.transact([&](Connection& db) -> Status {
    run.reset();
    {
      // SET expressions read the old row: a queued run becomes cancelled, a running one is flagged.
      Query q = db.query("UPDATE runs SET cancel_requested = 1, "
                         "status = CASE status WHEN 'queued' THEN 'cancelled' ELSE status END, "
                         "finished_at = CASE status WHEN 'queued' THEN $3 ELSE finished_at END "
                         "WHERE org_id = $1 AND id = $2 AND status IN ('queued', 'running') "
                         "RETURNING " WEFT_RUN_COLUMNS);
      q.bind(org, id, now);
      WEFT_TRY_ASSIGN(bool row, q.step());
      if (row) {
        WEFT_TRY_ASSIGN(auto updated, read_run(q));
        run = std::move(updated);
      }
    }
    if (!run) {
      // Already terminal (returned unchanged) or not in this org.
      WEFT_TRY_ASSIGN(run, select_run(db, org, id));
      if (!run) return Error::not_found("run");
      return {};
    }
    if (run->status == RunStatus::cancelled) {
      Query q = db.query("DELETE FROM jobs WHERE org_id = $1 AND run_id = $2");
      q.bind(org, id);
      WEFT_TRY(q.run());
    }
    return {};
  }));
  return std::move(*run);
}

Status PgRunStore::record_step(const StepRunRecord& step) {
  WEFT_TRY_ASSIGN(auto lease, pool_.acquire());
  return record_step_on(lease.db(), step);
}

// The columns of a step record and the upsert that replaces everything but seq (the first
// insertion's order), only within the same org.
#define WEFT_STEP_INSERT                                                                  \
  "INSERT INTO step_runs (run_id, org_id, step_id, status, attempts, input, output, logs, " \
  "error, started_at, finished_at, bundle_vendor, bundle_version) "
#define WEFT_STEP_VALUES                                                                         \
  "$1::text, $2::text, $3::text, $4::text, $5::int, $6::text, $7::text, $8::text, $9::text, "    \
  "$10::bigint, $11::bigint, $12::text, $13::text"
#define WEFT_STEP_UPSERT                                                                    \
  "ON CONFLICT (run_id, step_id) DO UPDATE SET "                                             \
  "status = excluded.status, attempts = excluded.attempts, "                                 \
  "input = excluded.input, output = excluded.output, "                                       \
  "logs = excluded.logs, error = excluded.error, "                                           \
  "started_at = excluded.started_at, finished_at = excluded.finished_at, "                   \
  "bundle_vendor = excluded.bundle_vendor, bundle_version = excluded.bundle_version "        \
  "WHERE step_runs.org_id = excluded.org_id"

namespace {

void bind_step(Query& q, const StepRunRecord& step) {
  q.bind(step.run, step.org, step.step_id, step.status, step.attempts, step.input, step.output, step.logs,
         step.error, step.started_at, step.finished_at,
         step.bundle_vendor.empty() ? std::nullopt : std::optional<std::string>(step.bundle_vendor),
         step.bundle_version.empty() ? std::nullopt : std::optional<std::string>(step.bundle_version));
}

// Why a step of run `run` may not be written: "not_found" if the run is not in `org`,
// "conflict" if it is terminal (its steps are final); ok while it is queued or running.
Status run_takes_steps(Connection& db, const OrgId& org, const RunId& run) {
  Query status = db.query("SELECT status FROM runs WHERE id = $1 AND org_id = $2");
  status.bind(run, org);
  WEFT_TRY_ASSIGN(bool row, status.step());
  if (!row) return Error::not_found("run");
  const std::string now = status.text(0);
  if (now == "queued" || now == "running") return {};
  return Error::make("conflict", "run " + run.str() + " is " + now + "; its steps are final");
}

// One record, with no check of the run's state (the caller has made it).
Status upsert_step(Connection& db, const StepRunRecord& step) {
  Query q = db.query(WEFT_STEP_INSERT "VALUES (" WEFT_STEP_VALUES ") " WEFT_STEP_UPSERT);
  bind_step(q, step);
  Status written = q.run();
  if (!written.ok()) {
    if (written.error().code == "not_found") return Error::not_found("run");
    return written.error();
  }
  if (q.changes() == 0) return Error::not_found("run");  // the step id is another org's
  return {};
}

}  // namespace

Status PgRunStore::record_step_on(Connection& db, const StepRunRecord& step) {
  // One statement: the upsert, only while the run is not terminal, so a worker that lost its
  // lease cannot rewrite a finished run's history.
  Query q = db.query(WEFT_STEP_INSERT "SELECT " WEFT_STEP_VALUES
                     " WHERE EXISTS (SELECT 1 FROM runs WHERE id = $1 AND org_id = $2 "
                     "AND status IN ('queued', 'running')) " WEFT_STEP_UPSERT);
  bind_step(q, step);
  Status written = q.run();
  if (!written.ok()) {
    if (written.error().code == "not_found") return Error::not_found("run");
    return written.error();
  }
  if (q.changes() > 0) return {};
  // Nothing written: tell a missing run from a finished one (rare path, a second statement).
  WEFT_TRY(run_takes_steps(db, step.org, step.run));
  return Error::not_found("run");  // open, but the step is another org's
}

Status PgRunStore::record_steps_on(Connection& db, std::span<const StepRunRecord> steps) {
  if (steps.size() == 1) return record_step_on(db, steps.front());
  // One run's records (the engine's held steps): its state is read once, not per record. The
  // caller's transaction makes them one write.
  const StepRunRecord* checked = nullptr;
  for (const StepRunRecord& step : steps) {
    if (checked == nullptr || step.run != checked->run || step.org != checked->org) {
      WEFT_TRY(run_takes_steps(db, step.org, step.run));
      checked = &step;
    }
    WEFT_TRY(upsert_step(db, step));
  }
  return {};
}

Status PgRunStore::complete_on(Connection& db, RunWrite& w) {
  w.already.reset();
  const RunId& run = w.run != nullptr ? w.run->id : w.job->run;
  const OrgId& org = w.run != nullptr ? w.run->org : w.job->org;
  for (const StepRunRecord& step : w.steps) {
    if (step.run != run || step.org != org) {
      return Error::make("invalid_argument", "a completing run's records must be its own");
    }
  }
  if (w.run == nullptr) {
    WEFT_TRY(record_steps_on(db, w.steps));
    return finish_job_on(db, *w.job, w.status, *w.output, *w.error, w.now, w.already, w.output_text);
  }
  // Inserted ended, then its records (final from the start: no state to check).
  WEFT_TRY(insert_ended_run(db, *w.run, w.status, *w.output, *w.error, w.now, w.output_text));
  for (const StepRunRecord& step : w.steps) WEFT_TRY(upsert_step(db, step));
  return {};
}

#undef WEFT_STEP_INSERT
#undef WEFT_STEP_VALUES
#undef WEFT_STEP_UPSERT

Result<std::vector<StepRunRecord>> PgRunStore::steps(const OrgId& org, const RunId& id) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  std::vector<StepRunRecord> out;
  {
    Query q = reader->query("SELECT run_id, org_id, step_id, status, attempts, input, output, logs, error, "
                            "started_at, finished_at, bundle_vendor, bundle_version FROM step_runs "
                            "WHERE org_id = $1 AND run_id = $2 ORDER BY seq");
    q.bind(org, id);
    WEFT_TRY_ASSIGN(out, read_rows(q, read_step<Query>));
  }
  if (out.empty()) {
    // No step yet, or no such run in this org.
    Query q = reader->query("SELECT 1 FROM runs WHERE org_id = $1 AND id = $2");
    q.bind(org, id);
    WEFT_TRY_ASSIGN(bool exists, q.step());
    if (!exists) return Error::not_found("run");
  }
  return out;
}

#undef WEFT_RUN_COLUMNS

}  // namespace weft::store::postgres
