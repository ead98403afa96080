-- 0001_init: the first Weft schema (DESIGN.md §3).
-- Every table names its org; child tables reference their parent by (id, org_id) so a row can
-- never point across organizations. Timestamps are INTEGER milliseconds since the Unix epoch;
-- JSON is stored as TEXT (SQL NULL for JSON null).

CREATE TABLE orgs (
  id         TEXT PRIMARY KEY NOT NULL,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE workflows (
  id             TEXT PRIMARY KEY NOT NULL,
  org_id         TEXT NOT NULL REFERENCES orgs (id),
  name           TEXT NOT NULL,
  latest_version INTEGER NOT NULL CHECK (latest_version >= 1),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  UNIQUE (id, org_id)
) STRICT;
CREATE INDEX workflows_by_org_name ON workflows (org_id, name);
CREATE INDEX workflows_by_org_updated ON workflows (org_id, updated_at, id);

-- Every saved version; deleting the workflow deletes them.
CREATE TABLE workflow_versions (
  workflow_id TEXT NOT NULL,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  version     INTEGER NOT NULL CHECK (version >= 1),
  name        TEXT NOT NULL,
  definition  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, version),
  FOREIGN KEY (workflow_id, org_id) REFERENCES workflows (id, org_id) ON DELETE CASCADE
) STRICT;

-- No foreign key to workflows: a run outlives the workflow it ran (history), keeping its
-- workflow_id and workflow_version.
CREATE TABLE runs (
  id               TEXT PRIMARY KEY NOT NULL,
  org_id           TEXT NOT NULL REFERENCES orgs (id),
  workflow_id      TEXT NOT NULL,
  workflow_version INTEGER NOT NULL,
  status           TEXT NOT NULL
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  input            TEXT,
  output           TEXT,
  error            TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
  created_at       INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER,
  UNIQUE (id, org_id)
) STRICT;
CREATE INDEX runs_by_org_created ON runs (org_id, created_at, id);
CREATE INDEX runs_by_org_workflow ON runs (org_id, workflow_id, created_at, id);

-- One row per (run, step). seq is the rowid: it grows with every new row and an upsert keeps
-- it, so ordering a run's steps by seq gives the order they were first recorded. (A rowid key
-- plus one unique index is the cheapest shape to write: record_step runs once per step.)
CREATE TABLE step_runs (
  seq         INTEGER PRIMARY KEY,
  run_id      TEXT NOT NULL,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  step_id     TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  input       TEXT,
  output      TEXT,
  logs        TEXT,
  error       TEXT,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  UNIQUE (run_id, step_id),
  FOREIGN KEY (run_id, org_id) REFERENCES runs (id, org_id) ON DELETE CASCADE
) STRICT;

-- The work queue: one job per queued/running run. A job is available when available_at has
-- passed and it is not leased (or its lease expired).
CREATE TABLE jobs (
  id               TEXT PRIMARY KEY NOT NULL,
  org_id           TEXT NOT NULL REFERENCES orgs (id),
  run_id           TEXT NOT NULL UNIQUE,
  available_at     INTEGER NOT NULL,
  lease_owner      TEXT,
  lease_expires_at INTEGER,
  attempts         INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  FOREIGN KEY (run_id, org_id) REFERENCES runs (id, org_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX jobs_by_available ON jobs (available_at, id);

CREATE TABLE credentials (
  id         TEXT PRIMARY KEY NOT NULL,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  provider   TEXT NOT NULL,
  type       TEXT NOT NULL,
  name       TEXT NOT NULL,
  sealed     BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX credentials_by_org_created ON credentials (org_id, created_at, id);

-- Each org's data key, wrapped by the master key.
CREATE TABLE org_keys (
  org_id     TEXT PRIMARY KEY NOT NULL REFERENCES orgs (id),
  wrapped    BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE settings (
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, key)
) STRICT;
