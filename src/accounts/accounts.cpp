// Accounts: setup, users, memberships and invitations, login with rate limits, sessions and API
// tokens. Every argon2 call runs in a password-check slot. Passwords and token values are never
// logged; tokens reach the store only as SHA-256 hashes.
#include "accounts/accounts.h"

#include <algorithm>
#include <atomic>

#include "accounts/passwords.h"
#include "accounts/rate_limiter.h"
#include "accounts/validation.h"
#include "core/ids.h"
#include "core/log.h"

namespace weft::accounts {
namespace {

constexpr const char* kTokenPrefix = "wft_";
constexpr const char* kInvitationTokenPrefix = "wfi_";
constexpr std::size_t kMaxTokenBytes = 512;
constexpr TimeMs kSessionCleanupEveryMs = 3600 * 1000;

Error setup_done() { return Error::make("setup_done", "this Weft instance is already set up"); }

Error invalid_credentials() { return Error::make("invalid_credentials", "invalid email or password"); }

Error rate_limited(std::int64_t wait_ms) {
  const std::int64_t seconds = std::max<std::int64_t>((wait_ms + 999) / 1000, 1);
  return Error::make("rate_limited", "too many failed logins; try again in " + std::to_string(seconds) + " s",
                     {{"retryAfterSeconds", seconds}, {"reason", "too_many_failures"}});
}

Error password_checks_busy() {
  return Error::make("rate_limited", "too many password checks in progress; try again in 1 s",
                     {{"retryAfterSeconds", 1}, {"reason", "busy"}});
}

Error invitation_not_found() {
  return Error::make("not_found", "invitation not found: it may have been used, revoked or have expired");
}

// One attempt reserved in a RateLimiter: given back on destruction unless kept (it counted).
class Reservation {
 public:
  Reservation(RateLimiter& limiter, std::string key, TimeMs at)
      : limiter_(&limiter), key_(std::move(key)), at_(at) {}
  Reservation(const Reservation&) = delete;
  Reservation& operator=(const Reservation&) = delete;
  ~Reservation() {
    if (limiter_ != nullptr) limiter_->release(key_, at_);
  }
  void keep() { limiter_ = nullptr; }

 private:
  RateLimiter* limiter_;
  std::string key_;
  TimeMs at_;
};

// Users leave this module without their password hash: nothing above needs it.
store::User scrubbed(store::User user) {
  user.password_hash.clear();
  return user;
}

}  // namespace

struct Accounts::Impl {
  Impl(store::Store& s, AccountsOptions o, const Clock& c)
      : store(s),
        options(std::move(o)),
        clock(c),
        cost(parse_password_cost(options.password_cost)),
        by_account({options.max_failures_per_account, options.failure_window_ms}),
        by_address({options.max_failures_per_address, options.failure_window_ms}),
        password_checks(options.password_checks) {}

  store::AccountStore& accounts() { return store.accounts(); }

  // The user's first membership, if any.
  Result<std::optional<store::Membership>> first_membership(const UserId& user) {
    WEFT_TRY_ASSIGN(auto memberships, accounts().memberships_of(user));
    if (memberships.empty()) return std::optional<store::Membership>();
    return std::optional<store::Membership>(memberships.front());
  }

  // The user, or nothing when it was deleted since the credential was issued.
  Result<std::optional<store::User>> live_user(const UserId& id) {
    auto user = accounts().get_user(id);
    if (!user.ok()) {
      if (user.error().code == "not_found") return std::optional<store::User>();
      return user.error();
    }
    return std::optional<store::User>(scrubbed(std::move(user).take()));
  }

  // argon2 only ever runs through these two, each in a password-check slot.
  Result<std::string> hash(const std::string& password) {
    auto slot = password_checks.acquire();
    if (!slot) return password_checks_busy();
    return hash_password(password, cost);
  }
  Result<bool> verify(const std::string& hash, const std::string& password) {
    auto slot = password_checks.acquire();
    if (!slot) return password_checks_busy();
    return verify_password(hash, password);
  }

  // A new session for `user` in its first org.
  Result<LoginResult> start_session(store::User user, TimeMs now) {
    WEFT_TRY_ASSIGN(auto first, first_membership(user.id));
    LoginResult result;
    result.session_token = random_token();
    result.session.token_hash = sha256_hex(result.session_token);
    result.session.user = user.id;
    if (first) result.session.active_org = first->org;
    result.session.created_at = now;
    result.session.expires_at = now + options.session_ttl_ms;
    WEFT_TRY(accounts().create_session(result.session));
    result.user = scrubbed(std::move(user));
    maybe_delete_expired_sessions(now);
    return result;
  }

  void maybe_delete_expired_sessions(TimeMs now) {
    TimeMs last = last_cleanup.load();
    if (now - last < kSessionCleanupEveryMs || !last_cleanup.compare_exchange_strong(last, now)) return;
    if (auto removed = accounts().delete_expired_sessions(now); !removed.ok()) {
      log().warn("accounts: could not delete expired sessions: {}", removed.error().message);
    }
  }

  store::Store& store;
  AccountsOptions options;
  const Clock& clock;
  PasswordCost cost;
  RateLimiter by_account;
  RateLimiter by_address;
  PasswordChecks password_checks;
  std::atomic<TimeMs> last_cleanup{0};
};

Accounts::Accounts(store::Store& store, AccountsOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(store, std::move(options), clock)) {
  ensure_sodium();
}

Accounts::~Accounts() = default;

Result<std::pair<store::User, store::Org>> Accounts::setup(const std::string& email, const std::string& password,
                                                           const std::string& org_name) {
  WEFT_TRY_ASSIGN(auto users, impl_->accounts().user_count());
  if (users > 0) return setup_done();
  WEFT_TRY_ASSIGN(auto normalized, normalize_email(email));
  WEFT_TRY(check_password(password));
  WEFT_TRY_ASSIGN(auto name, normalize_org_name(org_name));
  WEFT_TRY_ASSIGN(auto hash, impl_->hash(password));
  auto created = impl_->accounts().create_first_admin(normalized, hash, name);
  if (!created.ok()) {
    // Lost a race with another setup: the other caller's admin exists now.
    if (created.error().code == "conflict") {
      WEFT_TRY_ASSIGN(auto after, impl_->accounts().user_count());
      if (after > 0) return setup_done();
    }
    return created.error();
  }
  auto [user, org] = std::move(created).take();
  log().info("accounts: setup created platform admin {} and org {}", user.id.str(), org.id.str());
  return std::make_pair(scrubbed(std::move(user)), std::move(org));
}

Result<store::User> Accounts::create_user(const std::string& email, const std::string& password,
                                          bool platform_admin) {
  WEFT_TRY_ASSIGN(auto normalized, normalize_email(email));
  WEFT_TRY(check_password(password));
  WEFT_TRY_ASSIGN(auto hash, impl_->hash(password));
  WEFT_TRY_ASSIGN(auto user, impl_->accounts().create_user(normalized, hash, platform_admin));
  log().info("accounts: created user {}{}", user.id.str(), platform_admin ? " (platform admin)" : "");
  return scrubbed(std::move(user));
}

Result<store::Org> Accounts::create_org(const std::string& name) {
  WEFT_TRY_ASSIGN(auto normalized, normalize_org_name(name));
  return impl_->store.orgs().create(normalized);
}

Status Accounts::add_member(const OrgId& org, const std::string& email, store::Role role) {
  WEFT_TRY_ASSIGN(auto normalized, normalize_email(email));
  WEFT_TRY(impl_->store.orgs().get(org));
  WEFT_TRY_ASSIGN(auto user, impl_->accounts().find_user_by_email(normalized));
  if (!user) return Error::not_found("user");
  return impl_->accounts().put_member(org, user->id, role);
}

Result<std::pair<std::string, store::Invitation>> Accounts::invite(const OrgId& org, const UserId& inviter,
                                                                   const std::string& email, store::Role role) {
  WEFT_TRY_ASSIGN(auto normalized, normalize_email(email));
  auto exists = impl_->store.orgs().get(org);
  if (!exists.ok()) return exists.error();
  const TimeMs now = impl_->clock.now_ms();
  std::string token = random_token(kInvitationTokenPrefix);
  store::Invitation invitation;
  invitation.id = new_id_string("inv", impl_->clock);
  invitation.org = org;
  invitation.email = normalized;
  invitation.role = role;
  invitation.token_hash = sha256_hex(token);
  invitation.invited_by = inviter;
  invitation.created_at = now;
  invitation.expires_at = now + impl_->options.invitation_ttl_ms;
  auto created = impl_->accounts().create_invitation(invitation, impl_->options.max_pending_invitations);
  if (!created.ok()) {
    if (created.error().code == "limit_reached") return Error::make("invalid_input", created.error().message);
    return created.error();
  }
  log().info("accounts: user {} invited {} into org {} as {}", inviter.str(), invitation.id, org.str(),
             store::to_string(role));
  return std::make_pair(std::move(token), std::move(invitation));
}

Result<AcceptedInvitation> Accounts::accept_invitation(const std::string& token, const Principal* caller,
                                                       const std::optional<std::string>& password) {
  const TimeMs now = impl_->clock.now_ms();
  if (token.rfind(kInvitationTokenPrefix, 0) != 0 || token.size() > kMaxTokenBytes) return invitation_not_found();
  const std::string hash = sha256_hex(token);
  // Looked up first, so a made-up token costs no password work.
  WEFT_TRY_ASSIGN(auto found, impl_->accounts().find_invitation(hash));
  if (!found || !found->pending_at(now)) return invitation_not_found();

  AcceptedInvitation accepted;
  if (caller != nullptr) {
    if (caller->user.email != found->email) {
      return Error::make("forbidden", "this invitation is for another email: sign in as the invited user");
    }
    if (password) {
      return Error::make("invalid_input", "you are signed in: accept without a password", {{"field", "password"}});
    }
    auto done = impl_->accounts().accept_invitation(hash, caller->user.id, now);
    if (!done.ok()) return done.error().code == "not_found" ? invitation_not_found() : done.error();
    accepted.invitation = std::move(done).take();
    accepted.user = caller->user;
  } else {
    if (!password) {
      return Error::make("unauthorized",
                         "sign in as the invited email to accept, or give a password to create the account");
    }
    WEFT_TRY(check_password(*password));
    WEFT_TRY_ASSIGN(auto existing, impl_->accounts().find_user_by_email(found->email));
    // The invitee holds the token: telling them to sign in instead leaks nothing to the admin.
    if (existing) return Error::make("conflict", "this email already has an account: sign in, then accept");
    WEFT_TRY_ASSIGN(auto password_hash, impl_->hash(*password));
    auto done = impl_->accounts().accept_invitation_as_new_user(hash, password_hash, now);
    if (!done.ok()) {
      if (done.error().code == "not_found") return invitation_not_found();
      if (done.error().code == "conflict") {
        return Error::make("conflict", "this email already has an account: sign in, then accept");
      }
      return done.error();
    }
    auto [invitation, user] = std::move(done).take();
    accepted.invitation = std::move(invitation);
    WEFT_TRY_ASSIGN(auto login, impl_->start_session(user, now));
    accepted.user = login.user;
    accepted.login = std::move(login);
    log().info("accounts: created user {} by accepting invitation {}", accepted.user.id.str(), accepted.invitation.id);
  }
  log().info("accounts: user {} joined org {} as {} (invitation {})", accepted.user.id.str(),
             accepted.invitation.org.str(), store::to_string(accepted.invitation.role), accepted.invitation.id);
  return accepted;
}

Result<LoginResult> Accounts::login(const std::string& email, const std::string& password,
                                    const std::string& client_address) {
  const TimeMs now = impl_->clock.now_ms();
  const std::string normalized = lower_ascii(email.substr(0, kMaxEmailBytes));
  const std::string account_key = "acct:" + normalized;
  const std::string address_key = "addr:" + client_address.substr(0, 64);

  // Each attempt is counted before any password work, in the same step as the check: parallel
  // attempts cannot all pass the check before the first failure is counted. A locked-out
  // attacker costs us no argon2 at all.
  std::int64_t wait = impl_->by_account.reserve(account_key, now);
  std::optional<Reservation> account_attempt;
  std::optional<Reservation> address_attempt;
  if (wait == 0) {
    account_attempt.emplace(impl_->by_account, account_key, now);
    wait = impl_->by_address.reserve(address_key, now);  // refused: the account's attempt goes back
    if (wait == 0) address_attempt.emplace(impl_->by_address, address_key, now);
  }
  if (wait > 0) {
    log().warn("accounts: login refused (rate limited) from {}", client_address.substr(0, 64));
    return rate_limited(wait);
  }

  std::optional<store::User> user;
  if (email.size() <= kMaxEmailBytes) {
    WEFT_TRY_ASSIGN(user, impl_->accounts().find_user_by_email(normalized));
  }
  // Same work whether or not the account exists: an unknown email verifies a dummy hash.
  const bool usable = user.has_value() && password.size() <= kMaxPasswordBytes;
  auto matches = impl_->verify(usable ? user->password_hash : dummy_password_hash(impl_->cost), password);
  if (!matches.ok()) {
    // No slot: nothing was checked, both attempts go back.
    log().warn("accounts: login refused (password checks busy) from {}", client_address.substr(0, 64));
    return matches.error();
  }
  if (!usable || !*matches) {
    account_attempt->keep();
    address_attempt->keep();
    log().info("accounts: failed login from {}", client_address.substr(0, 64));
    return invalid_credentials();
  }
  // A success clears the account's failures; its address attempt goes back (only failures count).
  impl_->by_account.clear(account_key);
  account_attempt->keep();

  WEFT_TRY_ASSIGN(auto result, impl_->start_session(std::move(*user), now));
  log().info("accounts: user {} logged in", result.user.id.str());
  return result;
}

Status Accounts::logout(const std::string& session_token) {
  if (session_token.empty()) return {};
  auto deleted = impl_->accounts().delete_session(sha256_hex(session_token));
  if (!deleted.ok() && deleted.error().code != "not_found") return deleted;
  return {};
}

Result<std::optional<Principal>> Accounts::authenticate_session(const std::string& session_token) {
  using Found = std::optional<Principal>;
  if (session_token.empty() || session_token.size() > kMaxTokenBytes) return Found();
  const std::string hash = sha256_hex(session_token);
  WEFT_TRY_ASSIGN(auto session, impl_->accounts().find_session(hash, impl_->clock.now_ms()));
  if (!session) return Found();
  WEFT_TRY_ASSIGN(auto user, impl_->live_user(session->user));
  if (!user) return Found();

  Principal principal;
  principal.via = Principal::Via::session;
  principal.credential_hash = hash;
  principal.org = session->active_org;
  if (!principal.org.empty()) {
    WEFT_TRY_ASSIGN(principal.role, impl_->accounts().role_of(principal.org, user->id));
    // Removed from the active org since: fall back as if the session were new.
    if (!principal.role && !user->platform_admin) principal.org = OrgId();
  }
  if (principal.org.empty()) {
    WEFT_TRY_ASSIGN(auto first, impl_->first_membership(user->id));
    if (first) {
      principal.org = first->org;
      principal.role = first->role;
    }
  }
  principal.user = std::move(*user);
  return Found(std::move(principal));
}

Result<std::optional<Principal>> Accounts::authenticate_token(const std::string& bearer_token) {
  using Found = std::optional<Principal>;
  if (bearer_token.rfind(kTokenPrefix, 0) != 0 || bearer_token.size() > kMaxTokenBytes) return Found();
  const std::string hash = sha256_hex(bearer_token);
  WEFT_TRY_ASSIGN(auto token, impl_->accounts().find_api_token(hash, impl_->clock.now_ms()));
  if (!token) return Found();
  WEFT_TRY_ASSIGN(auto user, impl_->live_user(token->user));
  if (!user) return Found();
  WEFT_TRY_ASSIGN(auto role, impl_->accounts().role_of(token->org, user->id));
  // A token acts in one org: once its user has left that org it grants nothing.
  if (!role && !user->platform_admin) return Found();

  Principal principal;
  principal.via = Principal::Via::token;
  principal.credential_hash = hash;
  principal.org = token->org;
  principal.role = role;
  principal.user = std::move(*user);
  return Found(std::move(principal));
}

Status Accounts::switch_org(const Principal& principal, const OrgId& org) {
  if (principal.via != Principal::Via::session) {
    return Error::make("invalid_input", "an API token is bound to one org; switch orgs with a session");
  }
  auto exists = impl_->store.orgs().get(org);
  if (!exists.ok()) return exists.error().code == "not_found" ? Error::not_found("org") : exists.error();
  if (!principal.user.platform_admin) {
    WEFT_TRY_ASSIGN(auto role, impl_->accounts().role_of(org, principal.user.id));
    if (!role) return Error::not_found("org");  // indistinguishable from an org that does not exist
  }
  return impl_->accounts().set_session_org(principal.credential_hash, org);
}

Result<std::pair<std::string, store::ApiToken>> Accounts::create_api_token(const UserId& user, const OrgId& org,
                                                                           const std::string& name,
                                                                           std::optional<TimeMs> expires_at) {
  const TimeMs now = impl_->clock.now_ms();
  WEFT_TRY_ASSIGN(auto normalized, normalize_token_name(name));
  if (expires_at && *expires_at <= now) {
    return Error::make("invalid_input", "a token's expiry must be in the future", {{"field", "expiresAt"}});
  }
  WEFT_TRY_ASSIGN(auto owner, impl_->accounts().get_user(user));
  WEFT_TRY(impl_->store.orgs().get(org));
  WEFT_TRY_ASSIGN(auto role, impl_->accounts().role_of(org, owner.id));
  if (!role && !owner.platform_admin) return Error::not_found("org");

  std::string token = random_token(kTokenPrefix);
  store::ApiToken record;
  record.id = new_id_string("tok", impl_->clock);
  record.token_hash = sha256_hex(token);
  record.user = owner.id;
  record.org = org;
  record.name = normalized;
  record.created_at = now;
  record.expires_at = expires_at;
  WEFT_TRY(impl_->accounts().create_api_token(record));
  log().info("accounts: user {} created API token {} in org {}", owner.id.str(), record.id, org.str());
  return std::make_pair(std::move(token), std::move(record));
}

Result<json> Accounts::describe(const Principal& principal) {
  const auto role_json = [](const std::optional<store::Role>& role) {
    return role ? json(std::string(store::to_string(*role))) : json(nullptr);
  };
  json orgs = json::array();
  WEFT_TRY_ASSIGN(auto memberships, impl_->accounts().memberships_of(principal.user.id));
  for (const auto& m : memberships) {
    WEFT_TRY_ASSIGN(auto org, impl_->store.orgs().get(m.org));
    orgs.push_back({{"id", org.id.str()}, {"name", org.name}, {"role", role_json(m.role)}});
  }
  json active = nullptr;
  if (!principal.org.empty()) {
    WEFT_TRY_ASSIGN(auto org, impl_->store.orgs().get(principal.org));
    active = {{"id", org.id.str()}, {"name", org.name}, {"role", role_json(principal.role)}};
  }
  return json{{"user",
               {{"id", principal.user.id.str()},
                {"email", principal.user.email},
                {"platformAdmin", principal.user.platform_admin}}},
              {"orgs", std::move(orgs)},
              {"activeOrg", std::move(active)}};
}

PasswordChecks::Stats Accounts::password_check_stats() const { return impl_->password_checks.stats(); }

}  // namespace weft::accounts
