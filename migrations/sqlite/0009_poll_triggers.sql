-- 0009_poll_triggers: polling triggers from bundles (a workflow trigger {"type":"bundle"}), at
-- most one per workflow. The row references its workflow by (id, org_id): it never points across
-- orgs, and deleting the workflow deletes it and its seen ids (ON DELETE CASCADE).
--
-- fingerprint: SHA-256 of the trigger's block, inputs and credential. A save with another
-- fingerprint resets the row (state null, primed 0, seen ids dropped); the same one keeps it.
-- generation: bumped by every applied poll, recorded failure and reset; applying a poll is a
-- compare-and-set on it, so two processes polling the same slot apply it once.
-- seen_seq: the counter that orders poll_seen; only the 10,000 newest seen ids are kept.
CREATE TABLE poll_triggers (
  workflow_id  TEXT PRIMARY KEY NOT NULL,
  org_id       TEXT NOT NULL REFERENCES orgs (id),
  block        TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  cron         TEXT NOT NULL,
  timezone     TEXT NOT NULL,
  next_poll_at INTEGER NOT NULL,
  state        TEXT NOT NULL DEFAULT 'null',
  primed       INTEGER NOT NULL DEFAULT 0,
  failures     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT NOT NULL DEFAULT '',
  last_poll_at INTEGER,
  generation   INTEGER NOT NULL DEFAULT 0,
  seen_seq     INTEGER NOT NULL DEFAULT 0,
  FOREIGN KEY (workflow_id, org_id) REFERENCES workflows (id, org_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX poll_triggers_by_next_poll ON poll_triggers (next_poll_at, workflow_id);

-- The item ids a trigger has seen (canonical JSON of the item's id: 42 or "abc"), newest seq last.
CREATE TABLE poll_seen (
  workflow_id TEXT NOT NULL REFERENCES poll_triggers (workflow_id) ON DELETE CASCADE,
  item_id     TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, item_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX poll_seen_by_seq ON poll_seen (workflow_id, seq);
