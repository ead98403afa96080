-- The whole schema of SQLite's migrations 0001–0011 in PostgreSQL's dialect (times are BIGINT
-- milliseconds since the epoch, JSON documents TEXT as written, sealed bytes BYTEA). Step
-- records are one row each: PostgreSQL needs no packing to keep its pages few.

CREATE TABLE orgs (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

CREATE TABLE workflows (
  id             TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL REFERENCES orgs (id),
  name           TEXT NOT NULL,
  latest_version INTEGER NOT NULL CHECK (latest_version >= 1),
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  UNIQUE (id, org_id)
);
CREATE INDEX workflows_by_org_name ON workflows (org_id, name);
CREATE INDEX workflows_by_org_updated ON workflows (org_id, updated_at, id);

CREATE TABLE workflow_versions (
  workflow_id TEXT NOT NULL,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  version     INTEGER NOT NULL CHECK (version >= 1),
  name        TEXT NOT NULL,
  definition  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (workflow_id, version),
  FOREIGN KEY (workflow_id, org_id) REFERENCES workflows (id, org_id) ON DELETE CASCADE
);

CREATE TABLE runs (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES orgs (id),
  workflow_id      TEXT NOT NULL,
  workflow_version INTEGER NOT NULL,
  status           TEXT NOT NULL
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  input            TEXT,
  output           TEXT,
  error            TEXT,
  cancel_requested SMALLINT NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
  created_at       BIGINT NOT NULL,
  started_at       BIGINT,
  finished_at      BIGINT,
  UNIQUE (id, org_id)
);
CREATE INDEX runs_by_org_created ON runs (org_id, created_at, id);
CREATE INDEX runs_by_org_workflow ON runs (org_id, workflow_id, created_at, id);

CREATE TABLE step_runs (
  seq            BIGSERIAL PRIMARY KEY,
  run_id         TEXT NOT NULL,
  org_id         TEXT NOT NULL,
  step_id        TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
  attempts       INTEGER NOT NULL DEFAULT 0,
  input          TEXT,
  output         TEXT,
  logs           TEXT,
  error          TEXT,
  started_at     BIGINT NOT NULL,
  finished_at    BIGINT NOT NULL,
  bundle_vendor  TEXT,
  bundle_version TEXT,
  UNIQUE (run_id, step_id),
  FOREIGN KEY (run_id, org_id) REFERENCES runs (id, org_id) ON DELETE CASCADE
);

CREATE TABLE jobs (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES orgs (id),
  run_id           TEXT NOT NULL UNIQUE,
  available_at     BIGINT NOT NULL,
  lease_owner      TEXT,
  lease_expires_at BIGINT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  expired_leases   INTEGER NOT NULL DEFAULT 0,
  created_at       BIGINT NOT NULL,
  FOREIGN KEY (run_id, org_id) REFERENCES runs (id, org_id) ON DELETE CASCADE
);
CREATE INDEX jobs_by_available ON jobs (available_at, id);

CREATE TABLE credentials (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  provider   TEXT NOT NULL,
  type       TEXT NOT NULL,
  name       TEXT NOT NULL,
  sealed     BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX credentials_by_org_created ON credentials (org_id, created_at, id);

CREATE TABLE org_keys (
  org_id     TEXT PRIMARY KEY REFERENCES orgs (id),
  wrapped    BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE settings (
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, key)
);

CREATE TABLE platform_settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash  TEXT NOT NULL,
  platform_admin SMALLINT NOT NULL DEFAULT 0 CHECK (platform_admin IN (0, 1)),
  created_at     BIGINT NOT NULL
);

CREATE TABLE memberships (
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       TEXT NOT NULL CHECK (role IN ('member', 'admin')),
  created_at BIGINT NOT NULL,
  seq        BIGSERIAL,  -- insertion order (SQLite's rowid): ties of created_at keep it
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id, created_at);

CREATE TABLE sessions (
  token_hash    TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  active_org_id TEXT REFERENCES orgs (id) ON DELETE SET NULL,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id         TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  name       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  seq        BIGSERIAL
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);

CREATE TABLE invitations (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  email       TEXT NOT NULL CHECK (email = lower(email)),
  role        TEXT NOT NULL CHECK (role IN ('member', 'admin')),
  token_hash  TEXT NOT NULL UNIQUE,
  invited_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  accepted_at BIGINT,
  accepted_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  seq         BIGSERIAL,
  CHECK (accepted_at IS NOT NULL OR accepted_by IS NULL)
);
CREATE INDEX invitations_by_org ON invitations (org_id, created_at);
CREATE INDEX invitations_by_org_email ON invitations (org_id, email);

CREATE TABLE webhooks (
  workflow_id TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  secret_hash TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  FOREIGN KEY (workflow_id, org_id) REFERENCES workflows (id, org_id) ON DELETE CASCADE
);

CREATE TABLE schedules (
  workflow_id  TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES orgs (id),
  cron         TEXT NOT NULL,
  timezone     TEXT NOT NULL,
  next_fire_at BIGINT NOT NULL,
  FOREIGN KEY (workflow_id, org_id) REFERENCES workflows (id, org_id) ON DELETE CASCADE
);
CREATE INDEX schedules_by_next_fire ON schedules (next_fire_at, workflow_id);

CREATE TABLE bundles (
  id                  TEXT PRIMARY KEY,
  scope               TEXT NOT NULL CHECK (scope IN ('platform', 'organization')),
  org_id              TEXT REFERENCES orgs (id),
  vendor_id           TEXT NOT NULL,
  version             TEXT NOT NULL,
  manifest            TEXT NOT NULL,
  storage_key         TEXT NOT NULL,
  sha256              TEXT NOT NULL,
  size                BIGINT NOT NULL,
  uploaded_by         TEXT REFERENCES users (id) ON DELETE SET NULL,
  uploaded_at         BIGINT NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'pending_review', 'failed')),
  error               TEXT NOT NULL DEFAULT '',
  disabled_blocks     TEXT NOT NULL DEFAULT '[]',
  icon                TEXT NOT NULL DEFAULT '',
  sbom                TEXT,
  blocked_by          TEXT NOT NULL DEFAULT '[]',
  activate_on_approve SMALLINT NOT NULL DEFAULT 1,
  CHECK ((scope = 'platform') = (org_id IS NULL))
);
CREATE UNIQUE INDEX bundles_by_vendor_version ON bundles (scope, coalesce(org_id, ''), vendor_id, version);
CREATE INDEX bundles_by_org ON bundles (org_id, vendor_id);

CREATE TABLE audit_events (
  id          BIGSERIAL PRIMARY KEY,
  org_id      TEXT,
  at          BIGINT NOT NULL,
  actor_id    TEXT NOT NULL DEFAULT '',
  actor_email TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL DEFAULT '',
  target_id   TEXT NOT NULL DEFAULT '',
  details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_by_org ON audit_events (org_id, id);

CREATE TABLE advisories (
  id          TEXT PRIMARY KEY,
  modified    TEXT NOT NULL,
  modified_ms BIGINT NOT NULL,
  packages    TEXT NOT NULL,  -- JSON array of the npm names, sorted (advisory_packages indexes them)
  document    TEXT NOT NULL,
  imported_at BIGINT NOT NULL
);
CREATE TABLE advisory_packages (
  package     TEXT NOT NULL,
  advisory_id TEXT NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
  PRIMARY KEY (package, advisory_id)
);
CREATE INDEX advisory_packages_by_advisory ON advisory_packages (advisory_id);

CREATE TABLE poll_triggers (
  workflow_id  TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES orgs (id),
  block        TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  cron         TEXT NOT NULL,
  timezone     TEXT NOT NULL,
  next_poll_at BIGINT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'null',
  primed       SMALLINT NOT NULL DEFAULT 0,
  failures     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT NOT NULL DEFAULT '',
  last_poll_at BIGINT,
  generation   BIGINT NOT NULL DEFAULT 0,
  seen_seq     BIGINT NOT NULL DEFAULT 0,
  FOREIGN KEY (workflow_id, org_id) REFERENCES workflows (id, org_id) ON DELETE CASCADE
);
CREATE INDEX poll_triggers_by_next_poll ON poll_triggers (next_poll_at, workflow_id);

CREATE TABLE poll_seen (
  workflow_id TEXT NOT NULL REFERENCES poll_triggers (workflow_id) ON DELETE CASCADE,
  item_id     TEXT NOT NULL,
  seq         BIGINT NOT NULL,
  PRIMARY KEY (workflow_id, item_id)
);
CREATE INDEX poll_seen_by_seq ON poll_seen (workflow_id, seq);

-- Signals to every process (LISTEN in store/postgres/pg_listener): a job became claimable (queued,
-- or given back), and a run's cancel was requested. Row triggers; PostgreSQL sends one
-- notification per channel and payload per transaction.
CREATE FUNCTION weft_notify_job_available() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('weft_jobs', '');
  RETURN NULL;
END $$;
CREATE TRIGGER jobs_notify_available AFTER INSERT OR UPDATE OF lease_owner ON jobs
  FOR EACH ROW WHEN (NEW.lease_owner IS NULL) EXECUTE FUNCTION weft_notify_job_available();

CREATE FUNCTION weft_notify_cancel() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('weft_cancel', NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER runs_notify_cancel AFTER UPDATE OF cancel_requested ON runs
  FOR EACH ROW WHEN (NEW.cancel_requested = 1 AND OLD.cancel_requested = 0)
  EXECUTE FUNCTION weft_notify_cancel();
