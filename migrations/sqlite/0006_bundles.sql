-- 0006_bundles: uploaded custom integration bundles (DESIGN.md §3 "Bundle"). One row per
-- (scope, org, vendor, version); the archive itself lives in the blob store under storage_key
-- and is verified against sha256 (hex) on every load. org_id is NULL exactly for the platform
-- scope (first-party bundles are folders in the install, never rows). disabled_blocks is a
-- JSON array of block ids switched off in this version; icon the manifest's icon as a data: URI
-- (read from the archive at upload, so listing the catalog never opens a blob).

CREATE TABLE bundles (
  id              TEXT PRIMARY KEY NOT NULL,
  scope           TEXT NOT NULL CHECK (scope IN ('platform', 'organization')),
  org_id          TEXT REFERENCES orgs (id),
  vendor_id       TEXT NOT NULL,
  version         TEXT NOT NULL,
  manifest        TEXT NOT NULL,
  storage_key     TEXT NOT NULL,
  sha256          TEXT NOT NULL,
  size            INTEGER NOT NULL,
  uploaded_by     TEXT REFERENCES users (id) ON DELETE SET NULL,
  uploaded_at     INTEGER NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'pending_review', 'failed')),
  error           TEXT NOT NULL DEFAULT '',
  disabled_blocks TEXT NOT NULL DEFAULT '[]',
  icon            TEXT NOT NULL DEFAULT '',
  CHECK ((scope = 'platform') = (org_id IS NULL))
) STRICT;
-- One version of a vendor per scope (and org): a second upload of it is a conflict.
CREATE UNIQUE INDEX bundles_by_vendor_version ON bundles (scope, coalesce(org_id, ''), vendor_id, version);
-- What an org sees: its own rows and the platform's.
CREATE INDEX bundles_by_org ON bundles (org_id, vendor_id);

-- Which bundle version executed a step (NULL for built-in actions).
ALTER TABLE step_runs ADD COLUMN bundle_vendor TEXT;
ALTER TABLE step_runs ADD COLUMN bundle_version TEXT;
