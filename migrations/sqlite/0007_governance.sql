-- 0007_governance: what bundle governance (issue 11) keeps per bundle, and the audit log.
-- sbom: meta/sbom.cdx.json as validated at upload (NULL for records uploaded before), so a
-- dependency policy can be re-evaluated without opening the archive. blocked_by: the policy
-- reasons that keep the bundle from being activated (a JSON array of strings; empty when none).
-- activate_on_approve: 0 when uploaded with activate=false (approval then leaves it disabled).
ALTER TABLE bundles ADD COLUMN sbom TEXT;
ALTER TABLE bundles ADD COLUMN blocked_by TEXT NOT NULL DEFAULT '[]';
ALTER TABLE bundles ADD COLUMN activate_on_approve INTEGER NOT NULL DEFAULT 1;

-- Who did what to a bundle or a policy, when and from which address. org_id is NULL for
-- platform-wide events (a platform bundle, the platform default policy, an advisory import);
-- rows of a deleted organization stay (no foreign key): an audit log outlives what it audits.
CREATE TABLE audit_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id      TEXT,
  at          INTEGER NOT NULL,
  actor_id    TEXT NOT NULL DEFAULT '',
  actor_email TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL DEFAULT '',
  target_id   TEXT NOT NULL DEFAULT '',
  details     TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX audit_events_by_org ON audit_events (org_id, id);

-- Platform-wide settings (the default policies every organization starts from): the settings
-- table's twin without an org (SettingsStore with an empty OrgId).
CREATE TABLE platform_settings (
  key        TEXT PRIMARY KEY NOT NULL,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
