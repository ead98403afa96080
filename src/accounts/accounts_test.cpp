// Accounts over the real SQLite store with a hand-moved clock: setup, login and its rate
// limits (also under parallel attempts), the cap on concurrent password checks, sessions, API
// tokens, invitations, org switching, describe(), and no plaintext token at rest.
#include "accounts/accounts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "testing/temp_dir.h"
#include "store/open_store.h"

namespace weft::accounts {
namespace {

constexpr TimeMs kStart = 1704067200000;  // 2024-01-01T00:00:00Z
constexpr const char* kPassword = "correct horse battery";
constexpr std::int64_t kWindow = 15 * 60 * 1000;

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store({.url = dir.file("weft.db")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store = std::move(opened).take();
    reset_accounts({});
  }

  // `cost` "interactive" makes every check take real argon2 time and memory (64 MiB).
  void reset_accounts(AccountsOptions options, const std::string& cost = "min") {
    options.password_cost = cost;
    accounts = std::make_unique<Accounts>(*store, options, clock);
  }

  // Runs `attempt(i)` for i in [0, n) on n threads released at once; the errors' codes, in order
  // ("ok" for a success).
  template <typename Attempt>
  std::vector<std::string> in_parallel(int n, Attempt attempt) {
    std::vector<std::string> codes(n);
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        ++ready;
        while (!go.load()) std::this_thread::yield();
        codes[i] = attempt(i);
      });
    }
    while (ready.load() < n) std::this_thread::yield();
    go = true;
    for (auto& t : threads) t.join();
    return codes;
  }

  // Sets the instance up with admin@example.com and org "Acme".
  std::pair<store::User, store::Org> set_up() {
    auto done = accounts->setup("Admin@Example.com", kPassword, "Acme");
    EXPECT_TRUE(done.ok()) << done.error().message;
    return done.value();
  }

  Principal must_authenticate(const std::string& session_token) {
    auto principal = accounts->authenticate_session(session_token);
    EXPECT_TRUE(principal.ok());
    EXPECT_TRUE(principal->has_value());
    return principal.ok() && principal->has_value() ? **principal : Principal{};
  }

  LoginResult must_login(const std::string& email, const std::string& password = kPassword,
                         const std::string& address = "10.0.0.1") {
    auto result = accounts->login(email, password, address);
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.ok() ? result.value() : LoginResult{};
  }

  Error login_error(const std::string& email, const std::string& password, const std::string& address = "10.0.0.1") {
    auto result = accounts->login(email, password, address);
    EXPECT_FALSE(result.ok()) << email << " logged in unexpectedly";
    return result.ok() ? Error{} : result.error();
  }

  testing::TempDir dir;
  ManualClock clock{kStart};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Accounts> accounts;
};

TEST_F(AccountsTest, SetupRunsOnceThenIsDone) {
  auto [user, org] = set_up();
  EXPECT_EQ(user.email, "admin@example.com");
  EXPECT_TRUE(user.platform_admin);
  EXPECT_TRUE(user.password_hash.empty()) << "the hash must not leave the module";
  EXPECT_EQ(org.name, "Acme");
  EXPECT_EQ(store->accounts().role_of(org.id, user.id).take(), store::Role::admin);

  auto again = accounts->setup("other@example.com", kPassword, "Other");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "setup_done");
  EXPECT_EQ(accounts->setup("bad", "short", "").error().code, "setup_done");
  EXPECT_EQ(store->accounts().user_count().take(), 1);
}

TEST_F(AccountsTest, SetupValidatesInput) {
  EXPECT_EQ(accounts->setup("not-an-email", kPassword, "Acme").error().code, "invalid_input");
  EXPECT_EQ(accounts->setup("a@b.c", "123456789", "Acme").error().code, "invalid_input");
  EXPECT_EQ(accounts->setup("a@b.c", std::string(1025, 'x'), "Acme").error().code, "invalid_input");
  EXPECT_EQ(accounts->setup("a@b.c", kPassword, "   ").error().code, "invalid_input");
  EXPECT_EQ(accounts->setup("a@b.c", kPassword, std::string(101, 'x')).error().code, "invalid_input");
  EXPECT_EQ(store->accounts().user_count().take(), 0);
  set_up();
}

TEST_F(AccountsTest, CreateUserValidatesAndRejectsDuplicates) {
  set_up();
  EXPECT_EQ(accounts->create_user("a b@example.com", kPassword, false).error().code, "invalid_input");
  EXPECT_EQ(accounts->create_user("bob@example.com", "too-short", false).error().code, "invalid_input");
  auto bob = accounts->create_user("Bob@Example.com", kPassword, false);
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->email, "bob@example.com");
  EXPECT_FALSE(bob->platform_admin);
  EXPECT_EQ(accounts->create_user("BOB@example.com", kPassword, false).error().code, "conflict");
}

TEST_F(AccountsTest, LoginCreatesASessionInTheFirstOrg) {
  auto [admin, org] = set_up();
  auto login = must_login("ADMIN@example.com");
  EXPECT_EQ(login.user.id, admin.id);
  EXPECT_TRUE(login.user.password_hash.empty());
  EXPECT_GE(login.session_token.size(), 43u);
  EXPECT_EQ(login.session.token_hash, sha256_hex(login.session_token));
  EXPECT_EQ(login.session.active_org, org.id);
  EXPECT_EQ(login.session.expires_at, kStart + AccountsOptions{}.session_ttl_ms);

  auto principal = must_authenticate(login.session_token);
  EXPECT_EQ(principal.user.id, admin.id);
  EXPECT_EQ(principal.org, org.id);
  EXPECT_TRUE(principal.is_org_admin());
  EXPECT_TRUE(principal.is_platform_admin());
  EXPECT_EQ(principal.via, Principal::Via::session);
  EXPECT_EQ(principal.credential_hash, login.session.token_hash);
}

TEST_F(AccountsTest, UnknownEmailAndWrongPasswordLookTheSame) {
  set_up();
  auto unknown = login_error("nobody@example.com", kPassword);
  auto wrong = login_error("admin@example.com", "wrong password!");
  EXPECT_EQ(unknown.code, "invalid_credentials");
  EXPECT_EQ(wrong.code, unknown.code);
  EXPECT_EQ(wrong.message, unknown.message);
  EXPECT_EQ(wrong.details, unknown.details);
  EXPECT_EQ(login_error("admin@example.com", std::string(5000, 'x')).code, "invalid_credentials");
  EXPECT_EQ(login_error(std::string(5000, 'a'), kPassword).code, "invalid_credentials");
  EXPECT_EQ(login_error("", "").code, "invalid_credentials");
}

TEST_F(AccountsTest, RateLimitPerAccount) {
  reset_accounts({.max_failures_per_account = 3, .max_failures_per_address = 100});
  set_up();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(login_error("admin@example.com", "wrong password!", "10.0.0." + std::to_string(i)).code,
              "invalid_credentials");
    clock.advance_ms(1000);
  }
  // Refused even with the right password, from yet another address.
  auto refused = login_error("admin@example.com", kPassword, "10.9.9.9");
  EXPECT_EQ(refused.code, "rate_limited");
  EXPECT_TRUE(refused.is_public);
  EXPECT_EQ(refused.details["retryAfterSeconds"], (kWindow - 3000) / 1000);
  // Email case does not escape the limit; other accounts are not affected.
  EXPECT_EQ(login_error("ADMIN@example.com", kPassword, "10.9.9.9").code, "rate_limited");
  EXPECT_EQ(login_error("nobody@example.com", kPassword, "10.9.9.9").code, "invalid_credentials");

  clock.advance_ms(kWindow);
  must_login("admin@example.com");
}

TEST_F(AccountsTest, UnknownAccountsAreRateLimitedToo) {
  reset_accounts({.max_failures_per_account = 2, .max_failures_per_address = 100});
  set_up();
  login_error("ghost@example.com", kPassword);
  login_error("ghost@example.com", kPassword);
  EXPECT_EQ(login_error("ghost@example.com", kPassword).code, "rate_limited");
}

TEST_F(AccountsTest, SuccessClearsTheAccountCounter) {
  reset_accounts({.max_failures_per_account = 3, .max_failures_per_address = 100});
  set_up();
  login_error("admin@example.com", "wrong password!");
  login_error("admin@example.com", "wrong password!");
  must_login("admin@example.com");
  login_error("admin@example.com", "wrong password!");
  login_error("admin@example.com", "wrong password!");
  must_login("admin@example.com");
}

TEST_F(AccountsTest, RateLimitPerAddress) {
  reset_accounts({.max_failures_per_account = 100, .max_failures_per_address = 5});
  set_up();
  for (int i = 0; i < 5; ++i) login_error("user" + std::to_string(i) + "@example.com", kPassword, "203.0.113.7");
  auto refused = login_error("admin@example.com", kPassword, "203.0.113.7");
  EXPECT_EQ(refused.code, "rate_limited");
  EXPECT_EQ(refused.details["retryAfterSeconds"], kWindow / 1000);
  must_login("admin@example.com", kPassword, "198.51.100.1");  // another address is fine
  // A success does not clear the address counter.
  EXPECT_EQ(login_error("admin@example.com", kPassword, "203.0.113.7").code, "rate_limited");
  clock.advance_ms(kWindow);
  must_login("admin@example.com", kPassword, "203.0.113.7");
}

TEST_F(AccountsTest, LogoutInvalidatesTheSession) {
  set_up();
  auto login = must_login("admin@example.com");
  must_authenticate(login.session_token);
  ASSERT_TRUE(accounts->logout(login.session_token).ok());
  EXPECT_FALSE(accounts->authenticate_session(login.session_token).take().has_value());
  EXPECT_TRUE(accounts->logout(login.session_token).ok());  // idempotent
  EXPECT_TRUE(accounts->logout("").ok());
}

TEST_F(AccountsTest, ExpiredSessionIsRejected) {
  reset_accounts({.session_ttl_ms = 60 * 1000});
  set_up();
  auto login = must_login("admin@example.com");
  clock.advance_ms(59 * 1000);
  must_authenticate(login.session_token);
  clock.advance_ms(1000);
  EXPECT_FALSE(accounts->authenticate_session(login.session_token).take().has_value());
}

TEST_F(AccountsTest, UnknownCredentialsAuthenticateNobody) {
  set_up();
  EXPECT_FALSE(accounts->authenticate_session("").take().has_value());
  EXPECT_FALSE(accounts->authenticate_session("made-up").take().has_value());
  EXPECT_FALSE(accounts->authenticate_session(std::string(10000, 'a')).take().has_value());
  EXPECT_FALSE(accounts->authenticate_token("").take().has_value());
  EXPECT_FALSE(accounts->authenticate_token("wft_made-up").take().has_value());
  auto login = must_login("admin@example.com");
  // A session cookie is not a bearer token.
  EXPECT_FALSE(accounts->authenticate_token(login.session_token).take().has_value());
}

TEST_F(AccountsTest, ApiTokens) {
  auto [admin, org] = set_up();
  auto created = accounts->create_api_token(admin.id, org.id, "ci", std::nullopt);
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto [token, record] = created.value();
  EXPECT_EQ(token.rfind("wft_", 0), 0u);
  EXPECT_EQ(record.id.rfind("tok_", 0), 0u);
  EXPECT_EQ(record.token_hash, sha256_hex(token));
  EXPECT_EQ(record.name, "ci");
  EXPECT_EQ(record.org, org.id);
  EXPECT_FALSE(record.expires_at.has_value());

  auto principal = accounts->authenticate_token(token).take();
  ASSERT_TRUE(principal.has_value());
  EXPECT_EQ(principal->via, Principal::Via::token);
  EXPECT_EQ(principal->user.id, admin.id);
  EXPECT_EQ(principal->org, org.id);
  EXPECT_EQ(principal->role, store::Role::admin);
  EXPECT_EQ(principal->credential_hash, record.token_hash);
  // A token cannot switch orgs.
  EXPECT_EQ(accounts->switch_org(*principal, org.id).error().code, "invalid_input");

  EXPECT_EQ(accounts->create_api_token(admin.id, org.id, "", std::nullopt).error().code, "invalid_input");
  EXPECT_EQ(accounts->create_api_token(admin.id, org.id, "past", kStart).error().code, "invalid_input");
  EXPECT_EQ(accounts->create_api_token(admin.id, OrgId("org_missing"), "x", std::nullopt).error().code, "not_found");
}

TEST_F(AccountsTest, ExpiredApiTokenIsRejected) {
  auto [admin, org] = set_up();
  auto [token, record] = accounts->create_api_token(admin.id, org.id, "short-lived", kStart + 60 * 1000).take();
  EXPECT_TRUE(accounts->authenticate_token(token).take().has_value());
  clock.advance_ms(60 * 1000);
  EXPECT_FALSE(accounts->authenticate_token(token).take().has_value());
}

TEST_F(AccountsTest, TokensOfMembersWhoLeftGrantNothing) {
  auto [admin, org] = set_up();
  auto bob = accounts->create_user("bob@example.com", kPassword, false).take();
  EXPECT_EQ(accounts->create_api_token(bob.id, org.id, "x", std::nullopt).error().code, "not_found");
  ASSERT_TRUE(accounts->add_member(org.id, "BOB@example.com", store::Role::member).ok());
  auto [token, record] = accounts->create_api_token(bob.id, org.id, "x", std::nullopt).take();
  auto principal = accounts->authenticate_token(token).take();
  ASSERT_TRUE(principal.has_value());
  EXPECT_EQ(principal->role, store::Role::member);
  EXPECT_FALSE(principal->is_org_admin());
  ASSERT_TRUE(store->accounts().remove_member(org.id, bob.id).ok());
  EXPECT_FALSE(accounts->authenticate_token(token).take().has_value());
}

TEST_F(AccountsTest, AddMemberErrors) {
  auto [admin, org] = set_up();
  EXPECT_EQ(accounts->add_member(org.id, "nobody@example.com", store::Role::member).error().code, "not_found");
  EXPECT_EQ(accounts->add_member(OrgId("org_missing"), "admin@example.com", store::Role::member).error().code,
            "not_found");
  EXPECT_EQ(accounts->add_member(org.id, "not an email", store::Role::member).error().code, "invalid_input");
}

TEST_F(AccountsTest, SwitchOrgRequiresMembership) {
  auto [admin, acme] = set_up();
  auto globex = accounts->create_org("Globex").take();
  auto bob = accounts->create_user("bob@example.com", kPassword, false).take();
  ASSERT_TRUE(accounts->add_member(acme.id, "bob@example.com", store::Role::member).ok());

  auto session = must_login("bob@example.com").session_token;
  auto principal = must_authenticate(session);
  EXPECT_EQ(principal.org, acme.id);
  EXPECT_EQ(accounts->switch_org(principal, globex.id).error().code, "not_found");
  EXPECT_EQ(accounts->switch_org(principal, OrgId("org_missing")).error().code, "not_found");

  ASSERT_TRUE(accounts->add_member(globex.id, "bob@example.com", store::Role::admin).ok());
  ASSERT_TRUE(accounts->switch_org(principal, globex.id).ok());
  principal = must_authenticate(session);
  EXPECT_EQ(principal.org, globex.id);
  EXPECT_TRUE(principal.is_org_admin());

  // Removed from the active org: the session falls back to the first remaining membership.
  ASSERT_TRUE(store->accounts().remove_member(globex.id, bob.id).ok());
  principal = must_authenticate(session);
  EXPECT_EQ(principal.org, acme.id);
  EXPECT_EQ(principal.role, store::Role::member);
}

TEST_F(AccountsTest, PlatformAdminMaySwitchToAnyOrg) {
  auto [admin, acme] = set_up();
  auto globex = accounts->create_org("Globex").take();
  auto session = must_login("admin@example.com").session_token;
  ASSERT_TRUE(accounts->switch_org(must_authenticate(session), globex.id).ok());
  auto principal = must_authenticate(session);
  EXPECT_EQ(principal.org, globex.id);
  EXPECT_FALSE(principal.role.has_value());
  EXPECT_TRUE(principal.is_platform_admin());
}

TEST_F(AccountsTest, UserWithoutOrgHasNoActiveOrg) {
  set_up();
  accounts->create_user("loner@example.com", kPassword, false).take();
  auto login = must_login("loner@example.com");
  EXPECT_TRUE(login.session.active_org.empty());
  auto principal = must_authenticate(login.session_token);
  EXPECT_TRUE(principal.org.empty());
  EXPECT_FALSE(principal.role.has_value());
  auto described = accounts->describe(principal).take();
  EXPECT_TRUE(described["activeOrg"].is_null());
  EXPECT_EQ(described["orgs"], json::array());
}

TEST_F(AccountsTest, DescribeShape) {
  auto [admin, acme] = set_up();
  auto globex = accounts->create_org("Globex").take();
  ASSERT_TRUE(accounts->add_member(globex.id, "admin@example.com", store::Role::member).ok());
  auto described = accounts->describe(must_authenticate(must_login("admin@example.com").session_token)).take();
  const json expected = {
      {"user", {{"id", admin.id.str()}, {"email", "admin@example.com"}, {"platformAdmin", true}}},
      {"orgs",
       {{{"id", acme.id.str()}, {"name", "Acme"}, {"role", "admin"}},
        {{"id", globex.id.str()}, {"name", "Globex"}, {"role", "member"}}}},
      {"activeOrg", {{"id", acme.id.str()}, {"name", "Acme"}, {"role", "admin"}}}};
  EXPECT_EQ(described, expected);
}

TEST_F(AccountsTest, NoTokenOrPasswordIsStoredInPlaintext) {
  auto [admin, org] = set_up();
  auto login = must_login("admin@example.com");
  auto [api_token, record] = accounts->create_api_token(admin.id, org.id, "ci", std::nullopt).take();
  auto [invitation_token, invitation] = accounts->invite(org.id, admin.id, "new@example.com", store::Role::member).take();
  store.reset();  // checkpoint and close, so everything is in the files

  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.is_regular_file()) bytes += testing::read_file(entry.path().string());
  }
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find(login.session_token), std::string::npos);
  EXPECT_EQ(bytes.find(api_token), std::string::npos);
  EXPECT_EQ(bytes.find(api_token.substr(4)), std::string::npos);  // not even without the prefix
  EXPECT_EQ(bytes.find(invitation_token.substr(4)), std::string::npos);
  EXPECT_EQ(bytes.find(kPassword), std::string::npos);
  // The scan does see the stored rows: the hashes are there.
  EXPECT_NE(bytes.find(login.session.token_hash), std::string::npos);
  EXPECT_NE(bytes.find(record.token_hash), std::string::npos);
  EXPECT_NE(bytes.find(invitation.token_hash), std::string::npos);
}

// --- Finding 6: the login limit is counted before argon2 runs; password checks are capped. ---

int count(const std::vector<std::string>& codes, const std::string& code) {
  return static_cast<int>(std::count(codes.begin(), codes.end(), code));
}

template <typename T>
std::string code_of(const Result<T>& result) {
  return result.ok() ? "ok" : result.error().code;
}

TEST_F(AccountsTest, Finding6ParallelWrongPasswordsReachArgon2AtMostLimitTimes) {
  AccountsOptions options{.max_failures_per_account = 10, .max_failures_per_address = 1000};
  options.password_checks = {.max_concurrent = 2, .max_wait = std::chrono::seconds(60), .max_waiting = 64};
  reset_accounts(options, "interactive");  // real argon2: each check takes long enough to race
  set_up();
  const auto before = accounts->password_check_stats();
  const auto codes = in_parallel(20, [&](int i) {
    return code_of(accounts->login("admin@example.com", "wrong password!", "10.1.0." + std::to_string(i)));
  });
  const auto after = accounts->password_check_stats();
  EXPECT_EQ(count(codes, "invalid_credentials"), 10);
  EXPECT_EQ(count(codes, "rate_limited"), 10);
  EXPECT_EQ(after.granted - before.granted, 10) << "only the attempts within the limit may run argon2";
  EXPECT_LE(after.peak_in_use, 2);
  EXPECT_EQ(after.in_use, 0);
  // And the account stays locked, even for the right password.
  EXPECT_EQ(login_error("admin@example.com", kPassword, "10.9.9.9").code, "rate_limited");
}

TEST_F(AccountsTest, Finding6EveryArgon2UseSharesTheCap) {
  AccountsOptions options;
  options.password_checks = {.max_concurrent = 2, .max_wait = std::chrono::seconds(60), .max_waiting = 64};
  reset_accounts(options, "interactive");
  set_up();
  const auto before = accounts->password_check_stats();
  // Logins of unknown emails (each verifies the dummy hash) and user creations (each hashes).
  const auto codes = in_parallel(16, [&](int i) {
    const std::string n = std::to_string(i);
    if (i % 2 == 0) return code_of(accounts->login("ghost" + n + "@example.com", kPassword, "10.2.0." + n));
    return code_of(accounts->create_user("user" + n + "@example.com", kPassword, false));
  });
  const auto after = accounts->password_check_stats();
  EXPECT_EQ(count(codes, "invalid_credentials"), 8);
  EXPECT_EQ(count(codes, "ok"), 8);
  EXPECT_EQ(after.granted - before.granted, 16);
  EXPECT_LE(after.peak_in_use, 2) << "more argon2 checks ran at once than the cap";
  EXPECT_GE(after.peak_in_use, 1);
}

TEST_F(AccountsTest, Finding6BusyPasswordChecksAnswerRateLimitedAndGiveTheAttemptBack) {
  AccountsOptions options{.max_failures_per_account = 3, .max_failures_per_address = 1000};
  options.password_checks = {.max_concurrent = 1, .max_wait = std::chrono::milliseconds(1), .max_waiting = 64};
  reset_accounts(options, "interactive");
  set_up();
  std::vector<Error> errors(8);
  in_parallel(8, [&](int i) {
    auto result = accounts->login("admin@example.com", "wrong password!", "10.3.0." + std::to_string(i));
    if (!result.ok()) errors[i] = result.error();
    return code_of(result);
  });
  int busy = 0;
  int failed = 0;
  for (const auto& error : errors) {
    if (error.code == "invalid_credentials") ++failed;
    if (error.code == "rate_limited" && error.details.value("reason", "") == "busy") {
      ++busy;
      EXPECT_EQ(error.details["retryAfterSeconds"], 1);
      EXPECT_TRUE(error.is_public);
    }
  }
  EXPECT_GE(busy, 1) << "8 simultaneous 64 MiB checks with one slot and a 1 ms wait were all served";
  EXPECT_LE(failed, 3);
  // Attempts refused for being busy did not count: the account has exactly 3 - failed left.
  for (int i = failed; i < 3; ++i) {
    EXPECT_EQ(login_error("admin@example.com", "wrong password!", "10.4.0.1").code, "invalid_credentials") << i;
  }
  EXPECT_EQ(login_error("admin@example.com", "wrong password!", "10.4.0.1").code, "rate_limited");
}

TEST_F(AccountsTest, Finding6SuccessesDoNotCountAgainstTheAddress) {
  reset_accounts({.max_failures_per_account = 100, .max_failures_per_address = 3});
  set_up();
  for (int i = 0; i < 6; ++i) must_login("admin@example.com", kPassword, "203.0.113.9");
  for (int i = 0; i < 3; ++i) login_error("nobody@example.com", kPassword, "203.0.113.9");
  EXPECT_EQ(login_error("admin@example.com", kPassword, "203.0.113.9").code, "rate_limited");
}

// --- Invitations ---

TEST_F(AccountsTest, InviteThenAcceptCreatesTheAccount) {
  auto [admin, org] = set_up();
  auto invited = accounts->invite(org.id, admin.id, "New@Example.com", store::Role::member);
  ASSERT_TRUE(invited.ok()) << invited.error().message;
  auto [token, invitation] = invited.value();
  EXPECT_EQ(token.rfind("wfi_", 0), 0u);
  EXPECT_EQ(invitation.id.rfind("inv_", 0), 0u);
  EXPECT_EQ(invitation.email, "new@example.com");
  EXPECT_EQ(invitation.token_hash, sha256_hex(token));
  EXPECT_EQ(invitation.expires_at, kStart + AccountsOptions{}.invitation_ttl_ms);

  auto accepted = accounts->accept_invitation(token, nullptr, std::string("a brand new password"));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(accepted->user.email, "new@example.com");
  EXPECT_FALSE(accepted->user.platform_admin);
  EXPECT_TRUE(accepted->user.password_hash.empty());
  EXPECT_EQ(accepted->invitation.org, org.id);
  EXPECT_EQ(accepted->invitation.accepted_at, kStart);
  ASSERT_TRUE(accepted->login.has_value());
  auto principal = must_authenticate(accepted->login->session_token);
  EXPECT_EQ(principal.org, org.id);
  EXPECT_EQ(principal.role, store::Role::member);
  must_login("new@example.com", "a brand new password");

  // Single use.
  EXPECT_EQ(accounts->accept_invitation(token, nullptr, std::string("another password!")).error().code, "not_found");
  EXPECT_EQ(accounts->accept_invitation(token, &principal, std::nullopt).error().code, "not_found");
}

TEST_F(AccountsTest, AnExistingUserAcceptsSignedInAsTheInvitedEmail) {
  auto [admin, acme] = set_up();
  auto globex = accounts->create_org("Globex").take();
  accounts->create_user("bob@example.com", kPassword, false).take();
  accounts->create_user("eve@example.com", kPassword, false).take();
  auto [token, invitation] = accounts->invite(globex.id, admin.id, "BOB@example.com", store::Role::admin).take();
  auto bob = must_authenticate(must_login("bob@example.com").session_token);
  auto eve = must_authenticate(must_login("eve@example.com").session_token);

  EXPECT_EQ(accounts->accept_invitation(token, &eve, std::nullopt).error().code, "forbidden");
  EXPECT_EQ(accounts->accept_invitation(token, nullptr, std::nullopt).error().code, "unauthorized");
  EXPECT_EQ(accounts->accept_invitation(token, nullptr, std::string("a long password")).error().code, "conflict");
  EXPECT_EQ(accounts->accept_invitation(token, &bob, std::string("a long password")).error().code, "invalid_input");
  EXPECT_EQ(accounts->accept_invitation(token, nullptr, std::string("short")).error().code, "invalid_input");
  EXPECT_FALSE(store->accounts().role_of(globex.id, eve.user.id).take().has_value());

  auto accepted = accounts->accept_invitation(token, &bob, std::nullopt);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_FALSE(accepted->login.has_value());
  EXPECT_EQ(accepted->user.id, bob.user.id);
  EXPECT_EQ(store->accounts().role_of(globex.id, bob.user.id).take(), store::Role::admin);
  EXPECT_FALSE(store->accounts().role_of(acme.id, bob.user.id).take().has_value()) << "joined the wrong org";
  EXPECT_EQ(accounts->accept_invitation(token, &bob, std::nullopt).error().code, "not_found");
}

TEST_F(AccountsTest, ExpiredRevokedReplacedAndMadeUpTokensAreAllNotFound) {
  auto [admin, org] = set_up();
  auto [expiring, e] = accounts->invite(org.id, admin.id, "late@example.com", store::Role::member).take();
  clock.advance_ms(AccountsOptions{}.invitation_ttl_ms);
  auto [revoked, r] = accounts->invite(org.id, admin.id, "revoked@example.com", store::Role::member).take();
  ASSERT_TRUE(store->accounts().delete_invitation(org.id, r.id).ok());
  auto [first, f] = accounts->invite(org.id, admin.id, "twice@example.com", store::Role::member).take();
  auto [second, s] = accounts->invite(org.id, admin.id, "twice@example.com", store::Role::admin).take();
  const std::optional<std::string> password = "a long enough password";
  const auto expected = accounts->accept_invitation("wfi_made-up", nullptr, password).error();
  EXPECT_EQ(expected.code, "not_found");
  for (const std::string& token : {expiring, revoked, first, std::string("wft_not-an-invitation"), std::string()}) {
    auto refused = accounts->accept_invitation(token, nullptr, password);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, expected.code);
    EXPECT_EQ(refused.error().message, expected.message);
  }
  auto accepted = accounts->accept_invitation(second, nullptr, password);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(accepted->invitation.role, store::Role::admin);
}

TEST_F(AccountsTest, InvitingAnswersAlikeForKnownAndUnknownEmails) {
  auto [admin, org] = set_up();
  accounts->create_user("known@example.com", kPassword, false).take();
  auto known = accounts->invite(org.id, admin.id, "known@example.com", store::Role::member);
  auto unknown = accounts->invite(org.id, admin.id, "unknown@example.com", store::Role::member);
  ASSERT_TRUE(known.ok() && unknown.ok());
  EXPECT_EQ(known->second.expires_at, unknown->second.expires_at);
  EXPECT_EQ(known->first.size(), unknown->first.size());
  EXPECT_EQ(accounts->invite(org.id, admin.id, "not an email", store::Role::member).error().code, "invalid_input");
  EXPECT_EQ(accounts->invite(OrgId("org_missing"), admin.id, "a@example.com", store::Role::member).error().code,
            "not_found");
}

TEST_F(AccountsTest, PendingInvitationsPerOrgAreCapped) {
  reset_accounts({.max_pending_invitations = 2});
  auto [admin, org] = set_up();
  ASSERT_TRUE(accounts->invite(org.id, admin.id, "a@example.com", store::Role::member).ok());
  ASSERT_TRUE(accounts->invite(org.id, admin.id, "b@example.com", store::Role::member).ok());
  // Re-inviting replaces, so it fits; a third address does not.
  ASSERT_TRUE(accounts->invite(org.id, admin.id, "b@example.com", store::Role::admin).ok());
  auto third = accounts->invite(org.id, admin.id, "c@example.com", store::Role::member);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, "invalid_input");
}

TEST(Tokens, Sha256HexAndRandomTokens) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto a = random_token();
  auto b = random_token("wft_");
  EXPECT_EQ(a.size(), 43u);  // 32 bytes, base64url, no padding
  EXPECT_EQ(b.size(), 47u);
  EXPECT_EQ(b.rfind("wft_", 0), 0u);
  EXPECT_NE(a, random_token());
  for (char c : a) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << a;
}

}  // namespace
}  // namespace weft::accounts
