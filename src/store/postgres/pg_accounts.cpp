#include <algorithm>
#include <cctype>

#include "store/postgres/pg_shared_writes.h"
#include "store/postgres/pg_store.h"
#include "store/checks.h"
#include "store/rows.h"

namespace weft::store::postgres {

namespace {

// Column order of every user SELECT below (prefixed `u.` where joined).
#define WEFT_USER_COLUMNS "u.id, u.email, u.password_hash, u.platform_admin, u.created_at "
#define WEFT_TOKEN_COLUMNS "id, token_hash, user_id, org_id, name, created_at, expires_at "

std::optional<OrgId> org_or_null(const OrgId& org) {
  if (org.empty()) return std::nullopt;
  return org;
}

}  // namespace

Status insert_user(Connection& db, const User& user) {
  Query q = db.query(
      "INSERT INTO users (id, email, password_hash, "
      "platform_admin, created_at) VALUES ($1, $2, $3, $4, $5)");
  q.bind(user.id, user.email, user.password_hash, user.platform_admin ? 1 : 0, user.created_at);
  Status inserted = q.run();
  if (!inserted.ok() && inserted.error().code == "conflict") {
    return Error::make("conflict", "a user with email " + user.email + " already exists");
  }
  return inserted;
}

Status upsert_membership(Connection& db, const OrgId& org, const UserId& user, Role role, TimeMs now) {
  // The upsert keeps created_at (and seq): changing a role does not reorder members.
  Query q = db.query(
      "INSERT INTO memberships (org_id, user_id, role, created_at) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, user_id) "
      "DO UPDATE SET role = excluded.role");
  q.bind(org, user, to_string(role), now);
  Status written = q.run();
  if (!written.ok() && written.error().code == "not_found") {
    return Error::not_found("organization or user");
  }
  return written;
}

// --- users ---

Result<std::int64_t> PgAccountStore::user_count() {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT COUNT(*) FROM users");
  WEFT_TRY_ASSIGN(bool row, q.step());
  return row ? q.int64(0) : 0;
}

Result<User> PgAccountStore::create_user(const std::string& email, const std::string& password_hash,
                                         bool platform_admin) {
  WEFT_TRY_ASSIGN(User user, new_user(email, password_hash, platform_admin, clock_));
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  WEFT_TRY(insert_user(writer.db(), user));
  return user;
}

Result<std::pair<User, Org>> PgAccountStore::create_first_admin(const std::string& email,
                                                                const std::string& password_hash,
                                                                const std::string& org_name) {
  if (org_name.empty()) {
    return Error::make("invalid_argument", "organization name must not be empty");
  }
  WEFT_TRY_ASSIGN(User user, new_user(email, password_hash, /*platform_admin=*/true, clock_));
  Org org{new_id<OrgId>(clock_), org_name, user.created_at};
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  // The table lock (which only other writers of users wait for) is taken before the check, so
  // no other connection, in any process, can add a user between the check and the inserts.
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  WEFT_TRY(writer->exec("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"));
  {
    Query q = writer->query("SELECT 1 FROM users LIMIT 1");
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (row) return Error::make("conflict", "setup already done");
  }
  WEFT_TRY(insert_user(writer.db(), user));
  WEFT_TRY(insert_org(writer.db(), org));
  WEFT_TRY(upsert_membership(writer.db(), org.id, user.id, Role::admin, user.created_at));
  WEFT_TRY(txn.commit());
  return std::pair<User, Org>(std::move(user), std::move(org));
}

Result<User> PgAccountStore::get_user(const UserId& id) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT " WEFT_USER_COLUMNS "FROM users u WHERE id = $1");
  q.bind(id);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return Error::not_found("user");
  return read_user(q, 0);
}

Result<std::optional<User>> PgAccountStore::find_user_by_email(const std::string& email) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT " WEFT_USER_COLUMNS "FROM users u WHERE email = $1");
  q.bind(lower_email(email));
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<User>();
  return std::optional<User>(read_user(q, 0));
}

// --- memberships ---

Status PgAccountStore::put_member(const OrgId& org, const UserId& user, Role role) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  return upsert_membership(writer.db(), org, user, role, clock_.now_ms());
}

Status PgAccountStore::remove_member(const OrgId& org, const UserId& user) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2");
  q.bind(org, user);
  return q.run_one("membership");
}

Result<std::optional<Role>> PgAccountStore::role_of(const OrgId& org, const UserId& user) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query(
      "SELECT role FROM memberships "
      "WHERE org_id = $1 AND user_id = $2");
  q.bind(org, user);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<Role>();
  WEFT_TRY_ASSIGN(Role role, read_role(q, 0));
  return std::optional<Role>(role);
}

Result<std::vector<Membership>> PgAccountStore::memberships_of(const UserId& user) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query(
      "SELECT org_id, user_id, role, created_at "
      "FROM memberships WHERE user_id = $1 "
      "ORDER BY created_at, seq");
  q.bind(user);
  return read_rows(q, [](const Query& row) { return read_membership(row, 0); });
}

Result<std::vector<std::pair<Membership, User>>> PgAccountStore::members(const OrgId& org) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT m.org_id, m.user_id, m.role, m.created_at, " WEFT_USER_COLUMNS
                          "FROM memberships m JOIN users u ON u.id = m.user_id "
                          "WHERE m.org_id = $1 ORDER BY m.created_at, m.seq");
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

Status PgAccountStore::create_session(const Session& session) {
  if (session.token_hash.empty() || session.user.empty()) {
    return Error::make("invalid_argument", "a session needs a token hash and a user");
  }
  const TimeMs created = session.created_at != 0 ? session.created_at : clock_.now_ms();
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query(
      "INSERT INTO sessions (token_hash, user_id, "
      "active_org_id, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5)");
  q.bind(session.token_hash, session.user, org_or_null(session.active_org), created, session.expires_at);
  Status inserted = q.run();
  if (!inserted.ok()) {
    if (inserted.error().code == "not_found") return Error::not_found("user or organization");
    if (inserted.error().code == "conflict") {
      return Error::make("conflict", "a session with this token already exists");
    }
  }
  return inserted;
}

Result<std::optional<Session>> PgAccountStore::find_session(const std::string& token_hash, TimeMs now) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query(
      "SELECT token_hash, user_id, active_org_id, created_at, "
      "expires_at FROM sessions "
      "WHERE token_hash = $1 AND expires_at > $2");
  q.bind(token_hash, now);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<Session>();
  return std::optional<Session>(read_session(q));
}

Status PgAccountStore::set_session_org(const std::string& token_hash, const OrgId& org) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query(
      "UPDATE sessions SET active_org_id = $2 "
      "WHERE token_hash = $1");
  q.bind(token_hash, org_or_null(org));
  Status updated = q.run();
  if (!updated.ok()) {
    if (updated.error().code == "not_found") return Error::not_found("organization");
    return updated;
  }
  if (q.changes() == 0) return Error::not_found("session");
  return {};
}

Status PgAccountStore::delete_session(const std::string& token_hash) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query("DELETE FROM sessions WHERE token_hash = $1");
  q.bind(token_hash);
  return q.run();
}

Result<std::int64_t> PgAccountStore::delete_expired_sessions(TimeMs now) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query("DELETE FROM sessions WHERE expires_at <= $1");
  q.bind(now);
  WEFT_TRY(q.run());
  return static_cast<std::int64_t>(q.changes());
}

// --- API tokens ---

Status PgAccountStore::create_api_token(const ApiToken& token) {
  if (token.id.empty() || token.token_hash.empty() || token.user.empty() || token.org.empty()) {
    return Error::make("invalid_argument", "an API token needs an id, a hash, a user and an org");
  }
  const TimeMs created = token.created_at != 0 ? token.created_at : clock_.now_ms();
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query("INSERT INTO api_tokens (" WEFT_TOKEN_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7)");
  q.bind(token.id, token.token_hash, token.user, token.org, token.name, created, token.expires_at);
  Status inserted = q.run();
  if (!inserted.ok()) {
    if (inserted.error().code == "not_found") return Error::not_found("user or organization");
    if (inserted.error().code == "conflict") {
      return Error::make("conflict", "API token " + token.id + " already exists");
    }
  }
  return inserted;
}

Result<std::optional<ApiToken>> PgAccountStore::find_api_token(const std::string& token_hash, TimeMs now) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT " WEFT_TOKEN_COLUMNS
                          "FROM api_tokens "
                          "WHERE token_hash = $1 "
                          "AND (expires_at IS NULL OR expires_at > $2)");
  q.bind(token_hash, now);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<ApiToken>();
  return std::optional<ApiToken>(read_token(q));
}

Result<std::vector<ApiToken>> PgAccountStore::list_api_tokens(const UserId& user) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT " WEFT_TOKEN_COLUMNS
                          "FROM api_tokens "
                          "WHERE user_id = $1 ORDER BY created_at, seq");
  q.bind(user);
  return q.collect(read_token<Query>);
}

Status PgAccountStore::delete_api_token(const UserId& user, const std::string& id) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query("DELETE FROM api_tokens WHERE user_id = $1 AND id = $2");
  q.bind(user, id);
  return q.run_one("API token");
}

#undef WEFT_USER_COLUMNS
#undef WEFT_TOKEN_COLUMNS

}  // namespace weft::store::postgres
