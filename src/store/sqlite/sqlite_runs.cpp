#include "store/checks.h"
#include "store/rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/packed_steps.h"
#include "store/sqlite/shared_writes.h"

#include <algorithm>
#include <functional>

namespace weft::store::sqlite {

namespace {

// Column order of every run SELECT/RETURNING below.
#define WEFT_RUN_COLUMNS                                                                     \
  "id, org_id, workflow_id, workflow_version, status, input, output, error, cancel_requested, " \
  "created_at, started_at, finished_at "

Result<std::optional<RunRecord>> select_run(Database& db, const OrgId& org, const RunId& id) {
  WEFT_TRY_ASSIGN(Query q, db.query("SELECT " WEFT_RUN_COLUMNS
                                    "FROM runs WHERE org_id = ?1 AND id = ?2"));
  q.bind(org, id);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<RunRecord>();
  WEFT_TRY_ASSIGN(auto run, read_run(q));
  return std::optional<RunRecord>(std::move(run));
}

constexpr int kMaxListLimit = 500;

}  // namespace

Error SqliteRunStore::transition_refused(Database& db, const OrgId& org, const RunId& id,
                                         const char* action) {
  auto run = select_run(db, org, id);
  if (!run.ok()) return run.error();
  if (!*run) return Error::not_found("run");
  return Error::make("conflict",
                     std::string("cannot ") + action + " run " + id.str() + ": it is already " +
                         std::string(to_string((*run)->status)),
                     {{"status", to_string((*run)->status)}});
}

namespace {

// The run row and its job row. With `lease` the run starts running and the job is leased to
// lease->first until lease->second (the creator executes it); otherwise both wait in the queue.
Status insert_run_and_job(Database& db, const RunRecord& run, const JobId& job,
                          const std::optional<std::pair<std::string, TimeMs>>& lease) {
  WEFT_TRY(check_new_run(run));
  {
    WEFT_TRY_ASSIGN(Query q, db.query("INSERT INTO runs (id, org_id, workflow_id, "
                                      "workflow_version, status, input, cancel_requested, "
                                      "created_at, started_at) "
                                      "VALUES (?1, ?2, ?3, ?4, ?7, ?5, 0, ?6, ?8)"));
    q.bind(run.id, run.org, run.workflow, run.workflow_version, run.input, run.created_at,
           lease ? "running" : "queued", lease ? std::optional<TimeMs>(run.created_at) : std::nullopt);
    Status inserted = q.run();
    if (!inserted.ok()) {
      if (inserted.error().code == "not_found") return Error::not_found("organization");
      if (inserted.error().code == "conflict") {
        return Error::make("conflict", "run " + run.id.str() + " already exists");
      }
      return inserted.error();
    }
  }
  WEFT_TRY_ASSIGN(Query q, db.query("INSERT INTO jobs (id, org_id, run_id, available_at, "
                                    "attempts, created_at, lease_owner, lease_expires_at) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6, ?7)"));
  q.bind(job, run.org, run.id, run.created_at, lease ? 1 : 0,
         lease ? std::optional<std::string>(lease->first) : std::nullopt,
         lease ? std::optional<TimeMs>(lease->second) : std::nullopt);
  return q.run();
}

}  // namespace

Status insert_queued_run(Database& db, const RunRecord& run, const Clock& clock) {
  return insert_run_and_job(db, run, new_id<JobId>(clock), std::nullopt);
}

Status SqliteRunStore::create_queued(const RunRecord& run) {
  const JobId job = new_id<JobId>(clock_);
  return pool_.commits()([&](Database& db) { return insert_run_and_job(db, run, job, std::nullopt); });
}

Result<Job> SqliteRunStore::create_running(const RunRecord& run, const std::string& owner,
                                           TimeMs lease_ms) {
  Job job = leased_job(run, owner, lease_ms, clock_);
  WEFT_TRY(insert_running(run, job));
  return job;
}

Status SqliteRunStore::insert_running(const RunRecord& run, const Job& job) {
  return pool_.commits()([&](Database& db) { return insert_running_on(db, run, job); });
}

Status SqliteRunStore::insert_running_on(Database& db, const RunRecord& run, const Job& job) {
  if (job.lease_owner.empty()) return Error::make("invalid_argument", "a lease owner must be named");
  return insert_run_and_job(db, run, job.id, std::make_pair(job.lease_owner, job.lease_expires_at));
}

Result<RunRecord> SqliteRunStore::get(const OrgId& org, const RunId& id) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(auto run, select_run(reader.db(), org, id));
  if (!run) return Error::not_found("run");
  return std::move(*run);
}

Result<std::vector<RunRecord>> SqliteRunStore::list(const OrgId& org, const RunFilter& filter) {
  const int limit = std::clamp(filter.limit, 1, kMaxListLimit);
  std::optional<std::string_view> status;
  if (filter.status) status = to_string(*filter.status);
  auto reader = pool_.reader();
  // Two texts so that a workflow filter can use runs_by_org_workflow. The cursor compares
  // (created_at, id) with the cursor run's; an unknown cursor yields an empty page.
  if (filter.workflow) {
    WEFT_TRY_ASSIGN(Query q, reader->query(
                                 "SELECT " WEFT_RUN_COLUMNS "FROM runs "
                                 "WHERE org_id = ?1 AND workflow_id = ?2 "
                                 "AND (?3 IS NULL OR status = ?3) "
                                 "AND (?4 IS NULL OR created_at >= ?4) "
                                 "AND (?5 IS NULL OR created_at < ?5) "
                                 "AND (?6 IS NULL OR (created_at, id) < "
                                 "(SELECT created_at, id FROM runs WHERE org_id = ?1 AND id = ?6)) "
                                 "ORDER BY created_at DESC, id DESC LIMIT ?7"));
    q.bind(org, *filter.workflow, status, filter.created_after, filter.created_before,
           filter.before_id, limit);
    return read_rows(q, read_run<Query>);
  }
  WEFT_TRY_ASSIGN(Query q, reader->query(
                               "SELECT " WEFT_RUN_COLUMNS "FROM runs "
                               "WHERE org_id = ?1 "
                               "AND (?3 IS NULL OR status = ?3) "
                               "AND (?4 IS NULL OR created_at >= ?4) "
                               "AND (?5 IS NULL OR created_at < ?5) "
                               "AND (?6 IS NULL OR (created_at, id) < "
                               "(SELECT created_at, id FROM runs WHERE org_id = ?1 AND id = ?6)) "
                               "ORDER BY created_at DESC, id DESC LIMIT ?7"));
  // ?2 (the workflow) is unused in this text but still bound, keeping one numbering.
  q.bind(org, nullptr, status, filter.created_after, filter.created_before, filter.before_id,
         limit);
  return read_rows(q, read_run<Query>);
}

Status SqliteRunStore::mark_running(const OrgId& org, const RunId& id, TimeMs now) {
  return pool_.commits()([&](Database& db) -> Status {
    {
      WEFT_TRY_ASSIGN(Query q, db.query("UPDATE runs SET status = 'running', "
                                        "started_at = COALESCE(started_at, ?3) "
                                        "WHERE org_id = ?1 AND id = ?2 "
                                        "AND status IN ('queued', 'running')"));
      q.bind(org, id, now);
      WEFT_TRY(q.run());
      if (q.changes() > 0) return {};
    }
    return transition_refused(db, org, id, "start");
  });
}

namespace {

// The guarded terminal transition of finish() and finish_job(): true when it changed the run.
// `output_text`, when set, is json_text(output), bound as it is.
Result<bool> finish_on(Database& db, const OrgId& org, const RunId& id, RunStatus status,
                       const json& output, const json& error, TimeMs now,
                       const std::string* output_text = nullptr) {
  WEFT_TRY(check_ending(status, "finish"));
  // Guarded so that a run finishes exactly once.
  WEFT_TRY_ASSIGN(Query q, db.query("UPDATE runs SET status = ?3, output = ?4, error = ?5, "
                                    "finished_at = ?6 WHERE org_id = ?1 AND id = ?2 "
                                    "AND status IN ('queued', 'running')"));
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
Status insert_ended_run(Database& db, const RunRecord& run, RunStatus status, const json& output,
                        const json& error, TimeMs now, const std::string* output_text) {
  WEFT_TRY(check_ending(status, "end"));
  WEFT_TRY(check_new_run(run));
  WEFT_TRY_ASSIGN(Query q, db.query("INSERT INTO runs (id, org_id, workflow_id, workflow_version, status, "
                                    "input, output, error, cancel_requested, created_at, started_at, "
                                    "finished_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?9, ?10)"));
  if (output_text != nullptr && !output.is_null()) {
    q.bind(run.id, run.org, run.workflow, run.workflow_version, status, run.input, std::string_view(*output_text),
           error, run.created_at, now);
  } else {
    q.bind(run.id, run.org, run.workflow, run.workflow_version, status, run.input, output, error, run.created_at,
           now);
  }
  Status inserted = q.run();
  if (inserted.ok()) return {};
  if (inserted.error().code == "not_found") return Error::not_found("organization");
  if (inserted.error().code == "conflict") return Error::make("conflict", "run " + run.id.str() + " already exists");
  return inserted.error();
}

}  // namespace

Status SqliteRunStore::finish(const OrgId& org, const RunId& id, RunStatus status,
                              const json& output, const json& error, TimeMs now) {
  return pool_.commits()([&](Database& db) -> Status {
    WEFT_TRY_ASSIGN(bool changed, finish_on(db, org, id, status, output, error, now));
    if (changed) return {};
    return transition_refused(db, org, id, "finish");
  });
}

Result<std::optional<RunRecord>> SqliteRunStore::finish_job(const Job& job, RunStatus status,
                                                            const json& output, const json& error,
                                                            TimeMs now) {
  std::optional<RunRecord> already;
  WEFT_TRY(pool_.commits()(
      [&](Database& db) -> Status { return finish_job_on(db, job, status, output, error, now, already); }));
  return already;
}

Status SqliteRunStore::finish_job_on(Database& db, const Job& job, RunStatus status, const json& output,
                                     const json& error, TimeMs now, std::optional<RunRecord>& already,
                                     const std::string* output_text) {
  already.reset();
  WEFT_TRY_ASSIGN(bool changed, finish_on(db, job.org, job.run, status, output, error, now, output_text));
  {
    WEFT_TRY_ASSIGN(Query q, db.query("DELETE FROM jobs WHERE id = ?1 AND lease_owner = ?2"));
    q.bind(job.id, job.lease_owner);
    WEFT_TRY(q.run());
  }
  if (changed) return {};
  // Already terminal (or not in this org): the caller hears how it ended.
  WEFT_TRY_ASSIGN(already, select_run(db, job.org, job.run));
  if (!already) return Error::not_found("run");
  return {};
}

void SqliteRunStore::write_batch(std::vector<RunWrite>& batch) {
  // A lone write (the next step of a chain) goes through the single-write path: no batch to build.
  if (batch.size() == 1 && batch[0].kind == RunWrite::Kind::finish) {
    RunWrite& w = batch[0];  // finish_job(), with the output's text when the caller has it
    w.result = pool_.commits()([&](Database& db) -> Status {
      return finish_job_on(db, *w.job, w.status, *w.output, *w.error, w.now, w.already, w.output_text);
    });
    if (!w.result.ok()) w.already.reset();
    return;
  }
  // A lone start or step record: its single-write path. Several records are one write.
  if (batch.size() == 0 ||
      (batch.size() == 1 && batch[0].kind != RunWrite::Kind::complete && batch[0].steps.size() <= 1)) {
    return RunStore::write_batch(batch);
  }
  // Each write is a function of the database only (the group commit may run it twice).
  std::vector<std::function<Status(Database&)>> fns;
  fns.reserve(batch.size());
  for (RunWrite& w : batch) {
    if (w.kind == RunWrite::Kind::record) {
      fns.emplace_back([this, &w](Database& db) -> Status {  // one write: all stored or none
        return record_steps_on(db, w.steps);
      });
    } else if (w.kind == RunWrite::Kind::start) {
      fns.emplace_back([this, &w](Database& db) { return insert_running_on(db, *w.run, *w.job); });
    } else if (w.kind == RunWrite::Kind::complete) {
      fns.emplace_back([this, &w](Database& db) { return complete_on(db, w); });
    } else {
      fns.emplace_back([this, &w](Database& db) {
        return finish_job_on(db, *w.job, w.status, *w.output, *w.error, w.now, w.already, w.output_text);
      });
    }
  }
  std::vector<GroupCommit::Write> writes(fns.begin(), fns.end());
  std::vector<Status> results;
  pool_.commits().run_all(writes, results);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].result = std::move(results[i]);
    if (!batch[i].result.ok()) batch[i].already.reset();
  }
}

Result<RunRecord> SqliteRunStore::request_cancel(const OrgId& org, const RunId& id, TimeMs now) {
  std::optional<RunRecord> run;
  WEFT_TRY(pool_.commits()([&](Database& db) -> Status {
    run.reset();
    {
      // SET expressions read the old row: a queued run becomes cancelled, a running one is flagged.
      WEFT_TRY_ASSIGN(Query q, db.query(
                                   "UPDATE runs SET cancel_requested = 1, "
                                   "status = CASE status WHEN 'queued' THEN 'cancelled' "
                                   "ELSE status END, "
                                   "finished_at = CASE status WHEN 'queued' THEN ?3 "
                                   "ELSE finished_at END "
                                   "WHERE org_id = ?1 AND id = ?2 "
                                   "AND status IN ('queued', 'running') "
                                   "RETURNING " WEFT_RUN_COLUMNS));
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
      WEFT_TRY_ASSIGN(Query q, db.query("DELETE FROM jobs WHERE org_id = ?1 AND run_id = ?2"));
      q.bind(org, id);
      WEFT_TRY(q.run());
    }
    return {};
  }));
  return std::move(*run);
}

Status SqliteRunStore::record_step(const StepRunRecord& step) {
  return pool_.commits()([&](Database& db) { return record_step_on(db, step); });
}

// The columns of a step record and the upsert that replaces everything but seq (the rowid,
// assigned past every existing row on insert), only within the same org.
#define WEFT_STEP_INSERT                                                                  \
  "INSERT INTO step_runs (run_id, org_id, step_id, status, attempts, input, output, logs, " \
  "error, started_at, finished_at, bundle_vendor, bundle_version) "
#define WEFT_STEP_UPSERT                                                           \
  "ON CONFLICT (run_id, step_id) DO UPDATE SET "                                    \
  "status = excluded.status, attempts = excluded.attempts, "                        \
  "input = excluded.input, output = excluded.output, "                              \
  "logs = excluded.logs, error = excluded.error, "                                  \
  "started_at = excluded.started_at, finished_at = excluded.finished_at, "          \
  "bundle_vendor = excluded.bundle_vendor, bundle_version = excluded.bundle_version " \
  "WHERE step_runs.org_id = excluded.org_id"

namespace {

void bind_step(Query& q, const StepRunRecord& step) {
  q.bind(step.run, step.org, step.step_id, step.status, step.attempts, step.input, step.output,
         step.logs, step.error, step.started_at, step.finished_at,
         step.bundle_vendor.empty() ? std::nullopt : std::optional<std::string>(step.bundle_vendor),
         step.bundle_version.empty() ? std::nullopt : std::optional<std::string>(step.bundle_version));
}

// Why a step of run `run` may not be written: "not_found" if the run is not in `org`,
// "conflict" if it is terminal (its steps are final); ok while it is queued or running.
Status run_takes_steps(Database& db, const OrgId& org, const RunId& run) {
  WEFT_TRY_ASSIGN(Query status, db.query("SELECT status FROM runs WHERE id = ?1 AND org_id = ?2"));
  status.bind(run, org);
  WEFT_TRY_ASSIGN(bool row, status.step());
  if (!row) return Error::not_found("run");
  const std::string now = status.text(0);
  if (now == "queued" || now == "running") return {};
  return Error::make("conflict", "run " + run.str() + " is " + now + "; its steps are final");
}

}  // namespace

Status SqliteRunStore::record_step_on(Database& db, const StepRunRecord& step) {
  // One statement: the upsert, only while the run is not terminal, so a worker that lost its
  // lease cannot rewrite a finished run's history.
  WEFT_TRY_ASSIGN(Query q, db.query(WEFT_STEP_INSERT
                                    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 "
                                    "WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?1 AND org_id = ?2 "
                                    "AND status IN ('queued', 'running')) " WEFT_STEP_UPSERT));
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

namespace {

// One record, with no check of the run's state (the caller has made it).
Status upsert_step(Database& db, const StepRunRecord& step) {
  WEFT_TRY_ASSIGN(Query q, db.query(WEFT_STEP_INSERT
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                                    WEFT_STEP_UPSERT));
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

Status SqliteRunStore::record_steps_on(Database& db, std::span<const StepRunRecord> steps) {
  if (steps.size() == 1) return record_step_on(db, steps.front());
  // One run's records (the engine's held steps): its state is read once, not per record.
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

Status SqliteRunStore::complete_on(Database& db, RunWrite& w) {
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
  // Inserted ended, then its records, final from the start: one packed row, not a row each.
  WEFT_TRY(insert_ended_run(db, *w.run, w.status, *w.output, *w.error, w.now, w.output_text));
  if (w.steps.empty()) return {};
  WEFT_TRY_ASSIGN(Query q, db.query("INSERT INTO packed_step_records (run_id, org_id, records) VALUES (?1, ?2, ?3)"));
  const std::string packed = pack_steps(w.steps);
  q.bind(run, org, std::string_view(packed));
  return q.run();
}

#undef WEFT_STEP_INSERT
#undef WEFT_STEP_UPSERT

Result<std::vector<StepRunRecord>> SqliteRunStore::steps(const OrgId& org, const RunId& id) {
  auto reader = pool_.reader();
  std::vector<StepRunRecord> out;
  {
    WEFT_TRY_ASSIGN(Query q, reader->query("SELECT run_id, org_id, step_id, status, attempts, "
                                           "input, output, logs, error, started_at, finished_at, "
                                           "bundle_vendor, bundle_version FROM step_runs WHERE org_id = ?1 AND run_id = ?2 "
                                           "ORDER BY seq"));
    q.bind(org, id);
    while (true) {
      WEFT_TRY_ASSIGN(bool row, q.step());
      if (!row) break;
      WEFT_TRY_ASSIGN(auto step, read_step(q));
      out.push_back(std::move(step));
    }
  }
  if (out.empty()) {
    // Packed records (a run that ended in the write that stored it), no step yet, or no such
    // run in this org.
    WEFT_TRY_ASSIGN(Query q, reader->query("SELECT p.records FROM runs r LEFT JOIN packed_step_records p "
                                           "ON p.run_id = r.id AND p.org_id = r.org_id "
                                           "WHERE r.org_id = ?1 AND r.id = ?2"));
    q.bind(org, id);
    WEFT_TRY_ASSIGN(bool exists, q.step());
    if (!exists) return Error::not_found("run");
    if (!q.is_null(0)) return unpack_steps(id, org, q.text(0));
  }
  return out;
}

#undef WEFT_RUN_COLUMNS

}  // namespace weft::store::sqlite
