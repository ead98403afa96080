-- 0011_packed_step_records: the step records of a run that ended in the same write that first
-- stored it (a waited webhook run of inline-safe steps: RunWrite::complete of a run never stored)
-- kept as one row instead of one step_runs row each. Such a run's records are final from the
-- start (nothing upserts them one by one), so one insert replaces ten, each of which also
-- updated step_runs' (run_id, step_id) index and probed runs for its foreign key. The records
-- text is store/sqlite/packed_steps.h's format; RunStore::steps reads either form (a run has
-- one or the other, never both). Deleting the run deletes it (ON DELETE CASCADE).
CREATE TABLE packed_step_records (
  run_id  TEXT PRIMARY KEY NOT NULL,
  org_id  TEXT NOT NULL,
  records TEXT NOT NULL,
  FOREIGN KEY (run_id, org_id) REFERENCES runs (id, org_id) ON DELETE CASCADE
) STRICT;
