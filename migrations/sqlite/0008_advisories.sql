-- 0008_advisories: the security advisories platform admins import (OSV documents, issue 11),
-- kept whole so nothing is lost, with the npm package names each one affects for the lookup a
-- dependency review makes. modified_ms: the document's `modified` in ms since the epoch (UTC),
-- which decides whether a re-import replaces it.
CREATE TABLE advisories (
  id          TEXT PRIMARY KEY NOT NULL,
  modified    TEXT NOT NULL,
  modified_ms INTEGER NOT NULL,
  packages    TEXT NOT NULL,  -- JSON array of the npm names, sorted (advisory_packages indexes them)
  document    TEXT NOT NULL,
  imported_at INTEGER NOT NULL
) STRICT;

CREATE TABLE advisory_packages (
  package     TEXT NOT NULL,
  advisory_id TEXT NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
  PRIMARY KEY (package, advisory_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX advisory_packages_by_advisory ON advisory_packages (advisory_id);
