// Accounts: setup, users and memberships, login with rate limits, sessions and API tokens.
// Passwords and token values are never logged; tokens reach the store only as SHA-256 hashes.
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
constexpr std::size_t kMaxTokenBytes = 512;
constexpr TimeMs kSessionCleanupEveryMs = 3600 * 1000;

Error setup_done() { return Error::make("setup_done", "this Weft instance is already set up"); }

Error invalid_credentials() { return Error::make("invalid_credentials", "invalid email or password"); }

Error rate_limited(std::int64_t wait_ms) {
  const std::int64_t seconds = std::max<std::int64_t>((wait_ms + 999) / 1000, 1);
  return Error::make("rate_limited", "too many failed logins; try again in " + std::to_string(seconds) + " s",
                     {{"retryAfterSeconds", seconds}});
}

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
        by_address({options.max_failures_per_address, options.failure_window_ms}) {}

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
  WEFT_TRY_ASSIGN(auto hash, hash_password(password, impl_->cost));
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
  WEFT_TRY_ASSIGN(auto hash, hash_password(password, impl_->cost));
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

Result<LoginResult> Accounts::login(const std::string& email, const std::string& password,
                                    const std::string& client_address) {
  const TimeMs now = impl_->clock.now_ms();
  const std::string normalized = lower_ascii(email.substr(0, kMaxEmailBytes));
  const std::string account_key = "acct:" + normalized;
  const std::string address_key = "addr:" + client_address.substr(0, 64);

  // Refused before any password work, so a locked-out attacker costs us nothing.
  const std::int64_t wait = std::max(impl_->by_account.retry_after_ms(account_key, now),
                                     impl_->by_address.retry_after_ms(address_key, now));
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
  const bool matches = verify_password(usable ? user->password_hash : dummy_password_hash(impl_->cost), password);
  if (!usable || !matches) {
    impl_->by_account.record_failure(account_key, now);
    impl_->by_address.record_failure(address_key, now);
    log().info("accounts: failed login from {}", client_address.substr(0, 64));
    return invalid_credentials();
  }
  impl_->by_account.clear(account_key);

  WEFT_TRY_ASSIGN(auto first, impl_->first_membership(user->id));
  LoginResult result;
  result.session_token = random_token();
  result.session.token_hash = sha256_hex(result.session_token);
  result.session.user = user->id;
  if (first) result.session.active_org = first->org;
  result.session.created_at = now;
  result.session.expires_at = now + impl_->options.session_ttl_ms;
  WEFT_TRY(impl_->accounts().create_session(result.session));
  result.user = scrubbed(std::move(*user));
  log().info("accounts: user {} logged in", result.user.id.str());
  impl_->maybe_delete_expired_sessions(now);
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

}  // namespace weft::accounts
