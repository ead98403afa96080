-- 0002_accounts: users, memberships, sessions and API tokens (DESIGN.md §5 auth).
-- Users are platform-wide (no org_id): one person may belong to several orgs, each through a
-- membership carrying a role. Sessions and API tokens are stored only as hex SHA-256 hashes.

CREATE TABLE users (
  id             TEXT PRIMARY KEY NOT NULL,
  email          TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash  TEXT NOT NULL,
  platform_admin INTEGER NOT NULL DEFAULT 0 CHECK (platform_admin IN (0, 1)),
  created_at     INTEGER NOT NULL
) STRICT;

-- Ordered by (created_at, rowid): an upsert keeps the rowid, so ties list in insertion order.
CREATE TABLE memberships (
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       TEXT NOT NULL CHECK (role IN ('member', 'admin')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, user_id)
) STRICT;
CREATE INDEX memberships_by_user ON memberships (user_id, created_at);

CREATE TABLE sessions (
  token_hash    TEXT PRIMARY KEY NOT NULL,
  user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  active_org_id TEXT REFERENCES orgs (id) ON DELETE SET NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- expires_at NULL: the token never expires.
CREATE TABLE api_tokens (
  id         TEXT PRIMARY KEY NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
) STRICT;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);
