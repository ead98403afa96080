// Invitations (AccountStore, model.h Invitation): create (replacing pending ones for the same
// email), list, find by token hash, delete, and the single-use accept, alone or with the new
// account it creates, each in one transaction.
#include <algorithm>
#include <cctype>

#include "store/sqlite/shared_writes.h"
#include "store/checks.h"
#include "store/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace weft::store::sqlite {

namespace {

// Column order of every invitation SELECT below.
#define WEFT_INVITATION_COLUMNS                                                             \
  "id, org_id, email, role, token_hash, invited_by, created_at, expires_at, accepted_at, " \
  "accepted_by "

std::optional<UserId> user_or_null(const UserId& user) {
  if (user.empty()) return std::nullopt;
  return user;
}

// The invitation with `token_hash` on `db`, pending at `now` or not.
Result<std::optional<Invitation>> find_by_token(Database& db, const std::string& token_hash) {
  WEFT_TRY_ASSIGN(Query q, db.query("SELECT " WEFT_INVITATION_COLUMNS
                                    "FROM invitations WHERE token_hash = ?1"));
  q.bind(token_hash);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<Invitation>();
  WEFT_TRY_ASSIGN(auto invitation, read_invitation(q));
  return std::optional<Invitation>(std::move(invitation));
}

// Inside the caller's transaction: marks the pending invitation accepted by `user` and gives
// `user` its role. "not_found" when it is not pending at `now` or `user` does not exist.
Result<Invitation> accept_in(Transaction& txn, const std::string& token_hash, const UserId& user,
                             TimeMs now) {
  Database& db = txn.db();
  {
    WEFT_TRY_ASSIGN(Query q, db.query("UPDATE invitations SET accepted_at = ?2, accepted_by = ?3 "
                                      "WHERE token_hash = ?1 AND accepted_at IS NULL "
                                      "AND expires_at > ?2"));
    q.bind(token_hash, now, user);
    Status updated = q.run();
    if (!updated.ok()) {
      if (updated.error().code == "not_found") return Error::not_found("user");
      return updated.error();
    }
    if (q.changes() == 0) return Error::not_found("invitation");
  }
  WEFT_TRY_ASSIGN(auto found, find_by_token(db, token_hash));
  if (!found) return Error::internal("accepted invitation vanished inside its transaction");
  WEFT_TRY(upsert_membership(db, found->org, user, found->role, now));
  return *std::move(found);
}

}  // namespace

Status SqliteAccountStore::create_invitation(const Invitation& invitation, int max_pending) {
  WEFT_TRY_ASSIGN(Invitation row, new_invitation(invitation, clock_.now_ms()));
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  {
    // A new invitation replaces the pending ones for the same email: one live link per person.
    WEFT_TRY_ASSIGN(Query q, writer->query("DELETE FROM invitations WHERE org_id = ?1 AND email = ?2 "
                                           "AND accepted_at IS NULL AND expires_at > ?3"));
    q.bind(row.org, row.email, row.created_at);
    WEFT_TRY(q.run());
  }
  {
    WEFT_TRY_ASSIGN(Query q, writer->query("SELECT COUNT(*) FROM invitations WHERE org_id = ?1 "
                                           "AND accepted_at IS NULL AND expires_at > ?2"));
    q.bind(row.org, row.created_at);
    WEFT_TRY_ASSIGN(bool counted, q.step());
    if (counted && q.int64(0) >= max_pending) {
      return Error::make("limit_reached", "the organization already has " + std::to_string(max_pending) +
                                              " pending invitations; revoke some first");
    }
  }
  {
    WEFT_TRY_ASSIGN(Query q, writer->query("INSERT INTO invitations (" WEFT_INVITATION_COLUMNS
                                           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, NULL)"));
    q.bind(row.id, row.org, row.email, to_string(row.role), row.token_hash, user_or_null(row.invited_by),
           row.created_at, row.expires_at);
    Status inserted = q.run();
    if (!inserted.ok()) {
      if (inserted.error().code == "not_found") return Error::not_found("organization or inviting user");
      if (inserted.error().code == "conflict") {
        return Error::make("conflict", "invitation " + row.id + " (or its token) already exists");
      }
      return inserted;
    }
  }
  return txn.commit();
}

Result<std::vector<Invitation>> SqliteAccountStore::list_invitations(const OrgId& org) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_INVITATION_COLUMNS "FROM invitations "
                                         "WHERE org_id = ?1 ORDER BY created_at DESC, rowid DESC"));
  q.bind(org);
  std::vector<Invitation> out;
  while (true) {
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) break;
    WEFT_TRY_ASSIGN(auto invitation, read_invitation(q));
    out.push_back(std::move(invitation));
  }
  return out;
}

Result<std::optional<Invitation>> SqliteAccountStore::find_invitation(const std::string& token_hash) {
  auto reader = pool_.reader();
  return find_by_token(reader.db(), token_hash);
}

Status SqliteAccountStore::delete_invitation(const OrgId& org, const std::string& id) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("DELETE FROM invitations WHERE org_id = ?1 AND id = ?2"));
  q.bind(org, id);
  return q.run_one("invitation");
}

Result<Invitation> SqliteAccountStore::accept_invitation(const std::string& token_hash,
                                                         const UserId& user, TimeMs now) {
  if (token_hash.empty() || user.empty()) {
    return Error::make("invalid_argument", "accepting an invitation needs a token hash and a user");
  }
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  WEFT_TRY_ASSIGN(auto accepted, accept_in(txn, token_hash, user, now));
  WEFT_TRY(txn.commit());
  return accepted;
}

Result<std::pair<Invitation, User>> SqliteAccountStore::accept_invitation_as_new_user(
    const std::string& token_hash, const std::string& password_hash, TimeMs now) {
  if (token_hash.empty()) return Error::make("invalid_argument", "accepting an invitation needs a token hash");
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  WEFT_TRY_ASSIGN(auto found, find_by_token(txn.db(), token_hash));
  if (!found || !found->pending_at(now)) return Error::not_found("invitation");
  WEFT_TRY_ASSIGN(User user, new_user(found->email, password_hash, /*platform_admin=*/false, clock_));
  WEFT_TRY(insert_user(txn.db(), user));
  WEFT_TRY_ASSIGN(auto accepted, accept_in(txn, token_hash, user.id, now));
  WEFT_TRY(txn.commit());
  return std::pair<Invitation, User>(std::move(accepted), std::move(user));
}

#undef WEFT_INVITATION_COLUMNS

}  // namespace weft::store::sqlite
