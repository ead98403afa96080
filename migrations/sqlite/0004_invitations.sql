-- 0004_invitations: an org admin invites an email into the org with a role; the invitee accepts
-- with a one-time token, stored only as its hex SHA-256 hash. accepted_at is set once, by the
-- guarded UPDATE that accepts (a token is single-use); revoking deletes the row.

CREATE TABLE invitations (
  id          TEXT PRIMARY KEY NOT NULL,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  email       TEXT NOT NULL CHECK (email = lower(email)),
  role        TEXT NOT NULL CHECK (role IN ('member', 'admin')),
  token_hash  TEXT NOT NULL UNIQUE,
  invited_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  accepted_at INTEGER,
  accepted_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  CHECK (accepted_at IS NOT NULL OR accepted_by IS NULL)
) STRICT;
-- Listing an org's invitations, newest first; finding its pending ones for one email.
CREATE INDEX invitations_by_org ON invitations (org_id, created_at);
CREATE INDEX invitations_by_org_email ON invitations (org_id, email);
