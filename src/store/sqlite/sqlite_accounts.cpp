#include <algorithm>
#include <cctype>

#include "store/sqlite/shared_writes.h"
#include "store/checks.h"
#include "store/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace weft::store::sqlite {

namespace {

// Column order of every user SELECT below (prefixed `u.` where joined).
#define WEFT_USER_COLUMNS "u.id, u.email, u.password_hash, u.platform_admin, u.created_at "
#define WEFT_TOKEN_COLUMNS "id, token_hash, user_id, org_id, name, created_at, expires_at "

std::optional<OrgId> org_or_null(const OrgId& org) {
  if (org.empty()) return std::nullopt;
  return org;
}

}  // namespace

Status insert_user(Database& db, const User& user) {
  WEFT_TRY_ASSIGN(Query q, db.query("INSERT INTO users (id, email, password_hash, "
                                    "platform_admin, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
  q.bind(user.id, user.email, user.password_hash, user.platform_admin ? 1 : 0, user.created_at);
  Status inserted = q.run();
  if (!inserted.ok() && inserted.error().code == "conflict") {
    return Error::make("conflict", "a user with email " + user.email + " already exists");
  }
  return inserted;
}

Status upsert_membership(Database& db, const OrgId& org, const UserId& user, Role role,
                         TimeMs now) {
  // The upsert keeps created_at (and the rowid): changing a role does not reorder members.
  WEFT_TRY_ASSIGN(Query q, db.query("INSERT INTO memberships (org_id, user_id, role, created_at) "
                                    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (org_id, user_id) "
                                    "DO UPDATE SET role = excluded.role"));
  q.bind(org, user, to_string(role), now);
  Status written = q.run();
  if (!written.ok() && written.error().code == "not_found") {
    return Error::not_found("organization or user");
  }
  return written;
}

// --- users ---

Result<std::int64_t> SqliteAccountStore::user_count() {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT COUNT(*) FROM users"));
  WEFT_TRY_ASSIGN(bool row, q.step());
  return row ? q.int64(0) : 0;
}

Result<User> SqliteAccountStore::create_user(const std::string& email,
                                             const std::string& password_hash,
                                             bool platform_admin) {
  WEFT_TRY_ASSIGN(User user, new_user(email, password_hash, platform_admin, clock_));
  auto writer = pool_.writer();
  WEFT_TRY(insert_user(writer.db(), user));
  return user;
}

Result<std::pair<User, Org>> SqliteAccountStore::create_first_admin(
    const std::string& email, const std::string& password_hash, const std::string& org_name) {
  if (org_name.empty()) {
    return Error::make("invalid_argument", "organization name must not be empty");
  }
  WEFT_TRY_ASSIGN(User user, new_user(email, password_hash, /*platform_admin=*/true, clock_));
  Org org{new_id<OrgId>(clock_), org_name, user.created_at};
  auto writer = pool_.writer();
  // BEGIN IMMEDIATE takes the database write lock before the count, so no other connection
  // (or process) can add a user between the check and the inserts.
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  {
    WEFT_TRY_ASSIGN(Query q, writer->query("SELECT EXISTS (SELECT 1 FROM users)"));
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (row && q.int64(0) != 0) return Error::make("conflict", "setup already done");
  }
  WEFT_TRY(insert_user(writer.db(), user));
  WEFT_TRY(insert_org(writer.db(), org));
  WEFT_TRY(upsert_membership(writer.db(), org.id, user.id, Role::admin, user.created_at));
  WEFT_TRY(txn.commit());
  return std::pair<User, Org>(std::move(user), std::move(org));
}

Result<User> SqliteAccountStore::get_user(const UserId& id) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_USER_COLUMNS "FROM users u WHERE id = ?1"));
  q.bind(id);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return Error::not_found("user");
  return read_user(q, 0);
}

Result<std::optional<User>> SqliteAccountStore::find_user_by_email(const std::string& email) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q,
                  reader->query("SELECT " WEFT_USER_COLUMNS "FROM users u WHERE email = ?1"));
  q.bind(lower_email(email));
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<User>();
  return std::optional<User>(read_user(q, 0));
}

// --- memberships ---

Status SqliteAccountStore::put_member(const OrgId& org, const UserId& user, Role role) {
  auto writer = pool_.writer();
  return upsert_membership(writer.db(), org, user, role, clock_.now_ms());
}

Status SqliteAccountStore::remove_member(const OrgId& org, const UserId& user) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q,
                  writer->query("DELETE FROM memberships WHERE org_id = ?1 AND user_id = ?2"));
  q.bind(org, user);
  return q.run_one("membership");
}

Result<std::optional<Role>> SqliteAccountStore::role_of(const OrgId& org, const UserId& user) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT role FROM memberships "
                                         "WHERE org_id = ?1 AND user_id = ?2"));
  q.bind(org, user);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<Role>();
  WEFT_TRY_ASSIGN(Role role, read_role(q, 0));
  return std::optional<Role>(role);
}

Result<std::vector<Membership>> SqliteAccountStore::memberships_of(const UserId& user) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT org_id, user_id, role, created_at "
                                         "FROM memberships WHERE user_id = ?1 "
                                         "ORDER BY created_at, rowid"));
  q.bind(user);
  std::vector<Membership> out;
  while (true) {
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) break;
    WEFT_TRY_ASSIGN(auto membership, read_membership(q, 0));
    out.push_back(std::move(membership));
  }
  return out;
}

Result<std::vector<std::pair<Membership, User>>> SqliteAccountStore::members(const OrgId& org) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT m.org_id, m.user_id, m.role, m.created_at, "
                                         WEFT_USER_COLUMNS
                                         "FROM memberships m JOIN users u ON u.id = m.user_id "
                                         "WHERE m.org_id = ?1 ORDER BY m.created_at, m.rowid"));
  q.bind(org);
  std::vector<std::pair<Membership, User>> out;
  while (true) {
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) break;
    WEFT_TRY_ASSIGN(auto membership, read_membership(q, 0));
    out.emplace_back(std::move(membership), read_user(q, 4));
  }
  return out;
}

// --- sessions ---

Status SqliteAccountStore::create_session(const Session& session) {
  if (session.token_hash.empty() || session.user.empty()) {
    return Error::make("invalid_argument", "a session needs a token hash and a user");
  }
  const TimeMs created = session.created_at != 0 ? session.created_at : clock_.now_ms();
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("INSERT INTO sessions (token_hash, user_id, "
                                         "active_org_id, created_at, expires_at) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5)"));
  q.bind(session.token_hash, session.user, org_or_null(session.active_org), created,
         session.expires_at);
  Status inserted = q.run();
  if (!inserted.ok()) {
    if (inserted.error().code == "not_found") return Error::not_found("user or organization");
    if (inserted.error().code == "conflict") {
      return Error::make("conflict", "a session with this token already exists");
    }
  }
  return inserted;
}

Result<std::optional<Session>> SqliteAccountStore::find_session(const std::string& token_hash,
                                                                TimeMs now) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT token_hash, user_id, active_org_id, created_at, "
                                         "expires_at FROM sessions "
                                         "WHERE token_hash = ?1 AND expires_at > ?2"));
  q.bind(token_hash, now);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<Session>();
  return std::optional<Session>(read_session(q));
}

Status SqliteAccountStore::set_session_org(const std::string& token_hash, const OrgId& org) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("UPDATE sessions SET active_org_id = ?2 "
                                         "WHERE token_hash = ?1"));
  q.bind(token_hash, org_or_null(org));
  Status updated = q.run();
  if (!updated.ok()) {
    if (updated.error().code == "not_found") return Error::not_found("organization");
    return updated;
  }
  if (q.changes() == 0) return Error::not_found("session");
  return {};
}

Status SqliteAccountStore::delete_session(const std::string& token_hash) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("DELETE FROM sessions WHERE token_hash = ?1"));
  q.bind(token_hash);
  return q.run();
}

Result<std::int64_t> SqliteAccountStore::delete_expired_sessions(TimeMs now) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("DELETE FROM sessions WHERE expires_at <= ?1"));
  q.bind(now);
  WEFT_TRY(q.run());
  return static_cast<std::int64_t>(q.changes());
}

// --- API tokens ---

Status SqliteAccountStore::create_api_token(const ApiToken& token) {
  if (token.id.empty() || token.token_hash.empty() || token.user.empty() || token.org.empty()) {
    return Error::make("invalid_argument", "an API token needs an id, a hash, a user and an org");
  }
  const TimeMs created = token.created_at != 0 ? token.created_at : clock_.now_ms();
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("INSERT INTO api_tokens (" WEFT_TOKEN_COLUMNS
                                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  q.bind(token.id, token.token_hash, token.user, token.org, token.name, created,
         token.expires_at);
  Status inserted = q.run();
  if (!inserted.ok()) {
    if (inserted.error().code == "not_found") return Error::not_found("user or organization");
    if (inserted.error().code == "conflict") {
      return Error::make("conflict", "API token " + token.id + " already exists");
    }
  }
  return inserted;
}

Result<std::optional<ApiToken>> SqliteAccountStore::find_api_token(const std::string& token_hash,
                                                                   TimeMs now) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_TOKEN_COLUMNS "FROM api_tokens "
                                         "WHERE token_hash = ?1 "
                                         "AND (expires_at IS NULL OR expires_at > ?2)"));
  q.bind(token_hash, now);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<ApiToken>();
  return std::optional<ApiToken>(read_token(q));
}

Result<std::vector<ApiToken>> SqliteAccountStore::list_api_tokens(const UserId& user) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_TOKEN_COLUMNS "FROM api_tokens "
                                         "WHERE user_id = ?1 ORDER BY created_at, rowid"));
  q.bind(user);
  return q.collect(read_token<Query>);
}

Status SqliteAccountStore::delete_api_token(const UserId& user, const std::string& id) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q,
                  writer->query("DELETE FROM api_tokens WHERE user_id = ?1 AND id = ?2"));
  q.bind(user, id);
  return q.run_one("API token");
}

#undef WEFT_USER_COLUMNS
#undef WEFT_TOKEN_COLUMNS

}  // namespace weft::store::sqlite
