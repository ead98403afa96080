-- 0003_triggers: webhook secrets and schedules, at most one of each per workflow.
-- Both reference their workflow by (id, org_id): a trigger can never point across orgs, and
-- deleting the workflow deletes its triggers (ON DELETE CASCADE).

CREATE TABLE webhooks (
  workflow_id TEXT PRIMARY KEY NOT NULL,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  secret_hash TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  FOREIGN KEY (workflow_id, org_id) REFERENCES workflows (id, org_id) ON DELETE CASCADE
) STRICT;

-- next_fire_at is the slot the scheduler fires next; firing moves it forward in the same
-- transaction that enqueues the run, guarded by its old value.
CREATE TABLE schedules (
  workflow_id  TEXT PRIMARY KEY NOT NULL,
  org_id       TEXT NOT NULL REFERENCES orgs (id),
  cron         TEXT NOT NULL,
  timezone     TEXT NOT NULL,
  next_fire_at INTEGER NOT NULL,
  FOREIGN KEY (workflow_id, org_id) REFERENCES workflows (id, org_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX schedules_by_next_fire ON schedules (next_fire_at, workflow_id);
