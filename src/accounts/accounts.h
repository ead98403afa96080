// accounts/accounts.h — owns users, organizations' memberships and invitations, passwords
// (argon2id, a capped number at once), sessions, API tokens and login rate limits. It
// authenticates; deciding what a role may do is the API's job. Tokens are returned once and only
// their SHA-256 hashes are stored.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "accounts/password_checks.h"
#include "core/result.h"
#include "store/store.h"

namespace weft::accounts {

struct AccountsOptions {
  std::int64_t session_ttl_ms = 7LL * 24 * 3600 * 1000;
  // Failed logins allowed per account / per client address within the window.
  int max_failures_per_account = 10;
  int max_failures_per_address = 50;
  std::int64_t failure_window_ms = 15 * 60 * 1000;
  // "interactive" (libsodium OPSLIMIT/MEMLIMIT_INTERACTIVE, the default) or "min" (tests only;
  // env WEFT_PASSWORD_HASH_COST=min).
  std::string password_cost = "interactive";
  // Every argon2 hash or verification (login, setup, user creation, accepting an invitation)
  // takes one of these slots: at most max_concurrent at once (64 MiB each at the interactive
  // cost), callers queue up to max_wait, then get rate_limited.
  PasswordCheckLimits password_checks{};
  // How long an invitation stays acceptable, and how many may be pending per org.
  std::int64_t invitation_ttl_ms = 7LL * 24 * 3600 * 1000;
  int max_pending_invitations = 1000;
};

// Who is calling, resolved from a session cookie or a bearer token.
struct Principal {
  enum class Via { session, token };
  store::User user;
  OrgId org;                        // the active org (empty when the user has none)
  std::optional<store::Role> role;  // the user's role in `org`
  Via via = Via::session;
  std::string credential_hash;      // session or token hash (for logout / org switch)

  bool is_platform_admin() const { return user.platform_admin; }
  bool is_org_admin() const { return role == store::Role::admin; }
};

struct LoginResult {
  std::string session_token;  // the cookie value; shown once
  store::Session session;
  store::User user;
};

struct AcceptedInvitation {
  store::Invitation invitation;      // now accepted
  store::User user;                  // who joined (created when `login` is set)
  std::optional<LoginResult> login;  // a session for an account created by the acceptance
};

class Accounts {
 public:
  // `store` and `clock` must outlive this. Thread-safe.
  Accounts(store::Store& store, AccountsOptions options, const Clock& clock = SystemClock::instance());
  ~Accounts();

  // First start only (no user yet): platform admin + org + admin membership.
  // Errors: invalid_input (email shape, password < 10 chars, empty org name), setup_done (409).
  Result<std::pair<store::User, store::Org>> setup(const std::string& email, const std::string& password,
                                                   const std::string& org_name);
  Result<store::User> create_user(const std::string& email, const std::string& password, bool platform_admin);
  Result<store::Org> create_org(const std::string& name);
  // Errors: not_found (no such user email / org), invalid_input. For platform admins and the
  // CLI: the answer tells whether the email has an account, so org admins invite instead.
  Status add_member(const OrgId& org, const std::string& email, store::Role role);

  // Invites `email` into `org` with `role` on behalf of `inviter`: a pending invitation valid
  // for options.invitation_ttl_ms, replacing the org's earlier pending ones for that email.
  // Returns the token (shown once; only its hash is stored) and the record. Never looks the email
  // up, so neither the answer nor its timing depends on whether the email has an account.
  // Errors: invalid_input (email shape, too many pending invitations), not_found (org).
  Result<std::pair<std::string, store::Invitation>> invite(const OrgId& org, const UserId& inviter,
                                                           const std::string& email, store::Role role);
  // Accepts the invitation behind `token`, once: its invited email joins its org with its role.
  // A signed-in `caller` must be that email (and gives no password); with no caller, `password`
  // creates the account for that email and a session for it (result.login). Errors: not_found
  // (unknown, used, revoked or expired token, all alike), forbidden (caller is another email),
  // unauthorized (no caller and no password), conflict (no caller but the email has an account:
  // sign in first), invalid_input (password shape, or a password from a signed-in caller),
  // rate_limited (password checks busy).
  Result<AcceptedInvitation> accept_invitation(const std::string& token, const Principal* caller,
                                               const std::optional<std::string>& password);

  // Counts attempts for the account and the client address atomically *before* verifying (an
  // attempt in flight counts), then verifies the password (constant work whether or not the
  // email exists) in a password-check slot. Errors: invalid_credentials (same message for unknown
  // email and wrong password), rate_limited (details {retryAfterSeconds, reason}) after too many
  // failures for the account or the address ("too_many_failures") or when no password-check slot
  // frees in time ("busy"). A success clears the account's count and does not count against the
  // address.
  Result<LoginResult> login(const std::string& email, const std::string& password,
                            const std::string& client_address);
  Status logout(const std::string& session_token);

  // The principal for a session cookie / bearer token; empty when unknown or expired.
  Result<std::optional<Principal>> authenticate_session(const std::string& session_token);
  Result<std::optional<Principal>> authenticate_token(const std::string& bearer_token);

  // Makes `org` the session's active org; not_found unless the user is a member (or platform admin).
  Status switch_org(const Principal& principal, const OrgId& org);

  // Creates an API token acting as `user` in `org`; returns the token (shown once) and record.
  Result<std::pair<std::string, store::ApiToken>> create_api_token(const UserId& user, const OrgId& org,
                                                                   const std::string& name,
                                                                   std::optional<TimeMs> expires_at = std::nullopt);

  // {user:{id,email,platformAdmin}, orgs:[{id,name,role}], activeOrg:{id,name,role}|null}
  Result<json> describe(const Principal& principal);

  // The password-check semaphore's counters (for tests and metrics).
  PasswordChecks::Stats password_check_stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Hex SHA-256 of `text` (how session and token values are stored).
std::string sha256_hex(const std::string& text);
// 32 random bytes, base64url without padding, behind `prefix` (e.g. "wft_").
std::string random_token(const std::string& prefix = "");

}  // namespace weft::accounts
