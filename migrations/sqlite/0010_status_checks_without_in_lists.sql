-- weft: foreign_keys=OFF
-- 0010_status_checks_without_in_lists: the same status rules on runs and step_runs, written as
-- ORs, and step_runs without its own reference to orgs.
--
-- SQLite compiles `status IN ('a', 'b', 'c', …)` (more than two constants) into an ephemeral
-- b-tree that it builds again for every INSERT (and every UPDATE of status). A step record is
-- an INSERT (an upsert) once per step: about 2 µs of each, a quarter of its cost.
-- `status = 'a' OR status = 'b' …` is the same rule checked with comparisons.
-- step_runs.org_id REFERENCES orgs was a second index lookup per record that proved nothing
-- more: (run_id, org_id) references runs (id, org_id), and runs.org_id references orgs.
--
-- A CHECK cannot be altered in place, so both tables are rebuilt by SQLite's documented
-- procedure (create the new table, copy, drop the old one, rename the new one): with foreign
-- keys off (the first line: dropping runs would otherwise cascade into step_runs and jobs) and
-- committed only if PRAGMA foreign_key_check finds nothing (store/sqlite/migrations.cpp).
-- Every column and rowid is copied, so step_runs.seq (the order of a run's steps) is kept.
CREATE TABLE runs_new (
  id               TEXT PRIMARY KEY NOT NULL,
  org_id           TEXT NOT NULL REFERENCES orgs (id),
  workflow_id      TEXT NOT NULL,
  workflow_version INTEGER NOT NULL,
  status           TEXT NOT NULL
                   CHECK (status = 'queued' OR status = 'running' OR status = 'succeeded' OR
                          status = 'failed' OR status = 'cancelled'),
  input            TEXT,
  output           TEXT,
  error            TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
  created_at       INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER,
  UNIQUE (id, org_id)
) STRICT;

INSERT INTO runs_new (rowid, id, org_id, workflow_id, workflow_version, status, input, output,
                      error, cancel_requested, created_at, started_at, finished_at)
  SELECT rowid, id, org_id, workflow_id, workflow_version, status, input, output, error,
         cancel_requested, created_at, started_at, finished_at
  FROM runs;

DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;
CREATE INDEX runs_by_org_created ON runs (org_id, created_at, id);
CREATE INDEX runs_by_org_workflow ON runs (org_id, workflow_id, created_at, id);

CREATE TABLE step_runs_new (
  seq            INTEGER PRIMARY KEY,
  run_id         TEXT NOT NULL,
  org_id         TEXT NOT NULL,
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
