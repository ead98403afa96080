-- 0010_step_runs_status_check: the same rule on step_runs.status, written as ORs.
--
-- SQLite compiles `status IN ('running', 'succeeded', 'failed', 'skipped')` (more than two
-- constants) into an ephemeral b-tree that it builds again for every INSERT, and a step record
-- is an INSERT (an upsert) once per step: about 4 % of the step loop's time under webhook load.
-- `status = 'a' OR status = 'b' …` is the same rule checked with four comparisons.
--
-- A CHECK cannot be altered in place, so the table is rebuilt (SQLite's documented procedure):
-- step_runs is a child table only (nothing references it), so it can be dropped and renamed
-- inside the migration's transaction with foreign keys on. seq (the rowid) is copied, so the
-- order of a run's steps is kept. runs keeps its IN list: it is referenced by step_runs and
-- jobs, and its CHECK runs twice per run (insert, final status), not once per step.
CREATE TABLE step_runs_new (
  seq            INTEGER PRIMARY KEY,
  run_id         TEXT NOT NULL,
  org_id         TEXT NOT NULL REFERENCES orgs (id),
  step_id        TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status = 'running' OR status = 'succeeded' OR
                                      status = 'failed' OR status = 'skipped'),
  attempts       INTEGER NOT NULL DEFAULT 0,
  input          TEXT,
  output         TEXT,
  logs           TEXT,
  error          TEXT,
  started_at     INTEGER NOT NULL,
  finished_at    INTEGER NOT NULL,
  bundle_vendor  TEXT,
  bundle_version TEXT,
  UNIQUE (run_id, step_id),
  FOREIGN KEY (run_id, org_id) REFERENCES runs (id, org_id) ON DELETE CASCADE
) STRICT;

INSERT INTO step_runs_new (seq, run_id, org_id, step_id, status, attempts, input, output, logs,
                           error, started_at, finished_at, bundle_vendor, bundle_version)
  SELECT seq, run_id, org_id, step_id, status, attempts, input, output, logs, error, started_at,
         finished_at, bundle_vendor, bundle_version
  FROM step_runs;

DROP TABLE step_runs;
ALTER TABLE step_runs_new RENAME TO step_runs;
