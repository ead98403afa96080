// The store contract for accounts (users, memberships, sessions, API tokens, invitations) and triggers
// (webhooks, schedules, firing a slot), run against every backend through the StoreTest
// fixture (instantiated in store_test.cpp).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store/store_test_fixture.h"

namespace weft::store::test {
namespace {

User make_user(Store& store, const std::string& email) {
  auto user = store.accounts().create_user(email, "$argon2id$fake", false);
  EXPECT_TRUE(user.ok()) << user.error().message;
  return user.ok() ? *user : User{};
}

Session make_session(const std::string& hash, const UserId& user, const OrgId& org,
                     TimeMs expires_at) {
  return Session{hash, user, org, kStart, expires_at};
}

ApiToken make_token(const std::string& id, const UserId& user, const OrgId& org,
                    std::optional<TimeMs> expires_at) {
  return ApiToken{id, "hash-" + id, user, org, "token " + id, kStart, expires_at};
}

Invitation make_invitation(const std::string& id, const OrgId& org, const std::string& email,
                           Role role, TimeMs expires_at) {
  Invitation invitation;
  invitation.id = id;
  invitation.org = org;
  invitation.email = email;
  invitation.role = role;
  invitation.token_hash = "hash-" + id;
  invitation.created_at = kStart;
  invitation.expires_at = expires_at;
  return invitation;
}

Schedule make_schedule(const WorkflowRecord& wf, TimeMs next_fire_at) {
  return Schedule{wf.id, wf.org, "*/5 * * * *", "Europe/Paris", next_fire_at};
}

RunRecord scheduled_run(const Schedule& schedule, const Clock& clock) {
  RunRecord run;
  run.id = new_id<RunId>(clock);
  run.org = schedule.org;
  run.workflow = schedule.workflow;
  run.workflow_version = 1;
  run.input = json{{"scheduledFor", schedule.next_fire_at}};
  run.created_at = schedule.next_fire_at;
  return run;
}

// --- users ---

TEST_P(StoreTest, UsersEmailIsCaseInsensitiveAndUnique) {
  auto& accounts = store_->accounts();
  EXPECT_EQ(*accounts.user_count(), 0);
  auto ada = accounts.create_user("Ada@Example.COM", "$argon2id$ada", true);
  ASSERT_TRUE(ada.ok()) << ada.error().message;
  EXPECT_EQ(ada->email, "ada@example.com");
  EXPECT_EQ(ada->id.str().rfind("usr_", 0), 0u);
  EXPECT_TRUE(ada->platform_admin);
  EXPECT_EQ(ada->created_at, kStart);
  EXPECT_EQ(*accounts.user_count(), 1);

  auto dup = accounts.create_user("ada@EXAMPLE.com", "$argon2id$other", false);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "conflict");
  EXPECT_EQ(*accounts.user_count(), 1);
  EXPECT_EQ(code_of(accounts.create_user("", "$argon2id$x", false)), "invalid_argument");

  auto found = accounts.find_user_by_email("ADA@example.com");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, ada->id);
  EXPECT_EQ((*found)->password_hash, "$argon2id$ada");
  EXPECT_FALSE(accounts.find_user_by_email("bob@example.com")->has_value());

  auto got = accounts.get_user(ada->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->email, "ada@example.com");
  EXPECT_TRUE(got->platform_admin);
  EXPECT_EQ(code_of(accounts.get_user(UserId("usr_missing"))), "not_found");

  User bob = make_user(*store_, "bob@example.com");
  EXPECT_FALSE(bob.platform_admin);
  reopen();
  EXPECT_EQ(*store_->accounts().user_count(), 2);
  EXPECT_EQ(store_->accounts().get_user(bob.id)->email, "bob@example.com");
}

TEST_P(StoreTest, FirstAdminIsCreatedOnlyOnce) {
  auto& accounts = store_->accounts();
  // The org name is taken: nothing is created (the user insert is rolled back too).
  auto clash = accounts.create_first_admin("root@example.com", "$argon2id$r", "acme");
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, "conflict");
  EXPECT_EQ(*accounts.user_count(), 0);
  EXPECT_FALSE(accounts.find_user_by_email("root@example.com")->has_value());
  EXPECT_EQ(code_of(accounts.create_first_admin("root@example.com", "$argon2id$r", "")),
            "invalid_argument");

  auto setup = accounts.create_first_admin("Root@Example.com", "$argon2id$r", "initech");
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  const auto& [user, org] = *setup;
  EXPECT_EQ(user.email, "root@example.com");
  EXPECT_TRUE(user.platform_admin);
  EXPECT_EQ(org.name, "initech");
  EXPECT_EQ(store_->orgs().get(org.id)->name, "initech");
  EXPECT_EQ(*accounts.role_of(org.id, user.id), Role::admin);
  auto memberships = accounts.memberships_of(user.id);
  ASSERT_EQ(memberships->size(), 1u);
  EXPECT_EQ((*memberships)[0].org, org.id);
  EXPECT_EQ((*memberships)[0].role, Role::admin);

  auto again = accounts.create_first_admin("other@example.com", "$argon2id$o", "umbrella");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "conflict");
  EXPECT_EQ(again.error().message, "setup already done");
  EXPECT_FALSE(store_->orgs().find_by_name("umbrella")->has_value());
  EXPECT_EQ(*accounts.user_count(), 1);
}

TEST_P(StoreTest, FirstAdminRaceHasOneWinner) {
  // Half the threads go through a second store on the same database, as another process would.
  auto second = open_backend(GetParam(), dir_.path(), &clock_);
  ASSERT_TRUE(second.ok()) << second.error().message;
  std::atomic<int> wins{0};
  std::atomic<int> setup_done{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Store& store = i % 2 == 0 ? *store_ : **second;
      auto setup = store.accounts().create_first_admin(
          "admin" + std::to_string(i) + "@example.com", "$argon2id$x", "org-" + std::to_string(i));
      if (setup.ok()) {
        ++wins;
      } else if (setup.error().code == "conflict" && setup.error().message == "setup already done") {
        ++setup_done;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(setup_done.load(), 7);
  EXPECT_EQ(*store_->accounts().user_count(), 1);
  EXPECT_EQ(store_->orgs().list()->size(), 3u);  // acme, globex and the winner's
}

// --- memberships ---

TEST_P(StoreTest, MembershipsRolesAndMembers) {
  auto& accounts = store_->accounts();
  User ada = make_user(*store_, "ada@example.com");
  User bob = make_user(*store_, "bob@example.com");
  User cy = make_user(*store_, "cy@example.com");

  ASSERT_TRUE(accounts.put_member(org_b_, ada.id, Role::member).ok());
  clock_.advance_ms(10);
  ASSERT_TRUE(accounts.put_member(org_a_, ada.id, Role::admin).ok());
  clock_.advance_ms(10);
  // Same millisecond: listed in insertion order.
  ASSERT_TRUE(accounts.put_member(org_a_, cy.id, Role::member).ok());
  ASSERT_TRUE(accounts.put_member(org_a_, bob.id, Role::member).ok());

  EXPECT_EQ(*accounts.role_of(org_a_, ada.id), Role::admin);
  EXPECT_EQ(*accounts.role_of(org_b_, ada.id), Role::member);
  EXPECT_FALSE(accounts.role_of(org_b_, bob.id)->has_value());

  auto of_ada = accounts.memberships_of(ada.id);
  ASSERT_TRUE(of_ada.ok());
  ASSERT_EQ(of_ada->size(), 2u);
  EXPECT_EQ((*of_ada)[0].org, org_b_);  // oldest first
  EXPECT_EQ((*of_ada)[0].created_at, kStart);
  EXPECT_EQ((*of_ada)[1].org, org_a_);
  EXPECT_EQ((*of_ada)[1].user, ada.id);
  EXPECT_EQ((*of_ada)[1].role, Role::admin);

  auto members = accounts.members(org_a_);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 3u);
  EXPECT_EQ((*members)[0].second.email, "ada@example.com");
  EXPECT_EQ((*members)[0].first.role, Role::admin);
  EXPECT_EQ((*members)[1].second.id, cy.id);
  EXPECT_EQ((*members)[2].second.id, bob.id);
  EXPECT_EQ((*members)[2].first.org, org_a_);

  // Upsert: the role changes, the membership keeps its age and place.
  clock_.advance_ms(10);
  ASSERT_TRUE(accounts.put_member(org_a_, ada.id, Role::member).ok());
  EXPECT_EQ(*accounts.role_of(org_a_, ada.id), Role::member);
  members = accounts.members(org_a_);
  ASSERT_EQ(members->size(), 3u);
  EXPECT_EQ((*members)[0].first.user, ada.id);
  EXPECT_EQ((*members)[0].first.created_at, kStart + 10);

  EXPECT_EQ(code_of(accounts.put_member(OrgId("org_missing"), ada.id, Role::member)),
            "not_found");
  EXPECT_EQ(code_of(accounts.put_member(org_a_, UserId("usr_missing"), Role::member)),
            "not_found");

  ASSERT_TRUE(accounts.remove_member(org_a_, cy.id).ok());
  EXPECT_EQ(code_of(accounts.remove_member(org_a_, cy.id)), "not_found");
  EXPECT_EQ(code_of(accounts.remove_member(org_b_, bob.id)), "not_found");
  EXPECT_FALSE(accounts.role_of(org_a_, cy.id)->has_value());
  EXPECT_EQ(accounts.members(org_a_)->size(), 2u);
  EXPECT_TRUE(accounts.memberships_of(cy.id)->empty());
  EXPECT_EQ(accounts.members(org_b_)->size(), 1u);
}

TEST(Roles, RoundTrip) {
  EXPECT_EQ(to_string(Role::member), "member");
  EXPECT_EQ(to_string(Role::admin), "admin");
  EXPECT_EQ(parse_role("admin"), Role::admin);
  EXPECT_EQ(parse_role("member"), Role::member);
  EXPECT_FALSE(parse_role("owner").has_value());
  EXPECT_FALSE(parse_role("Admin").has_value());
}

// --- sessions ---

TEST_P(StoreTest, SessionsExpireAndAreDeleted) {
  auto& accounts = store_->accounts();
  User ada = make_user(*store_, "ada@example.com");
  ASSERT_TRUE(accounts.create_session(make_session("s1", ada.id, org_a_, kStart + 1000)).ok());
  EXPECT_EQ(code_of(accounts.create_session(make_session("s1", ada.id, org_a_, kStart + 9))),
            "conflict");
  EXPECT_EQ(code_of(accounts.create_session(
                make_session("s2", UserId("usr_missing"), org_a_, kStart + 9))),
            "not_found");
  EXPECT_EQ(code_of(accounts.create_session(
                make_session("s2", ada.id, OrgId("org_missing"), kStart + 9))),
            "not_found");

  auto found = accounts.find_session("s1", kStart + 999);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->user, ada.id);
  EXPECT_EQ((*found)->active_org, org_a_);
  EXPECT_EQ((*found)->created_at, kStart);
  EXPECT_EQ((*found)->expires_at, kStart + 1000);
  EXPECT_FALSE(accounts.find_session("s1", kStart + 1000)->has_value());  // expired at expiry
  EXPECT_FALSE(accounts.find_session("nope", kStart)->has_value());

  ASSERT_TRUE(accounts.set_session_org("s1", org_b_).ok());
  EXPECT_EQ((*accounts.find_session("s1", kStart))->active_org, org_b_);
  ASSERT_TRUE(accounts.set_session_org("s1", OrgId()).ok());
  EXPECT_TRUE((*accounts.find_session("s1", kStart))->active_org.empty());
  EXPECT_EQ(code_of(accounts.set_session_org("nope", org_a_)), "not_found");
  EXPECT_EQ(code_of(accounts.set_session_org("s1", OrgId("org_missing"))), "not_found");
  EXPECT_TRUE((*accounts.find_session("s1", kStart))->active_org.empty());

  // A session without an active org.
  ASSERT_TRUE(accounts.create_session(make_session("s0", ada.id, OrgId(), kStart + 50)).ok());
  EXPECT_TRUE((*accounts.find_session("s0", kStart))->active_org.empty());

  ASSERT_TRUE(accounts.delete_session("s1").ok());
  EXPECT_FALSE(accounts.find_session("s1", kStart)->has_value());
  EXPECT_TRUE(accounts.delete_session("s1").ok());  // logging out twice is fine

  ASSERT_TRUE(accounts.create_session(make_session("s3", ada.id, org_a_, kStart + 100)).ok());
  ASSERT_TRUE(accounts.create_session(make_session("s4", ada.id, org_a_, kStart + 200)).ok());
  ASSERT_TRUE(accounts.create_session(make_session("s5", ada.id, org_a_, kStart + 300)).ok());
  EXPECT_EQ(*accounts.delete_expired_sessions(kStart + 100), 2);  // s0 and s3
  EXPECT_EQ(*accounts.delete_expired_sessions(kStart + 100), 0);
  EXPECT_FALSE(accounts.find_session("s3", kStart)->has_value());
  EXPECT_TRUE(accounts.find_session("s4", kStart)->has_value());
  EXPECT_EQ(*accounts.delete_expired_sessions(kStart + 1000), 2);
  EXPECT_FALSE(accounts.find_session("s5", kStart)->has_value());
}

// --- API tokens ---

TEST_P(StoreTest, ApiTokens) {
  auto& accounts = store_->accounts();
  User ada = make_user(*store_, "ada@example.com");
  User bob = make_user(*store_, "bob@example.com");
  const ApiToken forever = make_token("tok_1", ada.id, org_a_, std::nullopt);
  ApiToken brief = make_token("tok_2", ada.id, org_b_, kStart + 500);
  brief.created_at = kStart + 1;
  const ApiToken bobs = make_token("tok_3", bob.id, org_a_, std::nullopt);
  ASSERT_TRUE(accounts.create_api_token(forever).ok());
  ASSERT_TRUE(accounts.create_api_token(brief).ok());
  ASSERT_TRUE(accounts.create_api_token(bobs).ok());
  EXPECT_EQ(code_of(accounts.create_api_token(forever)), "conflict");
  ApiToken same_hash = make_token("tok_4", ada.id, org_a_, std::nullopt);
  same_hash.token_hash = forever.token_hash;
  EXPECT_EQ(code_of(accounts.create_api_token(same_hash)), "conflict");
  EXPECT_EQ(code_of(accounts.create_api_token(
                make_token("tok_5", ada.id, OrgId("org_missing"), std::nullopt))),
            "not_found");
  EXPECT_EQ(code_of(accounts.create_api_token(
                make_token("tok_6", UserId("usr_missing"), org_a_, std::nullopt))),
            "not_found");

  auto found = accounts.find_api_token(forever.token_hash, kStart + 1'000'000'000);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, "tok_1");
  EXPECT_EQ((*found)->user, ada.id);
  EXPECT_EQ((*found)->org, org_a_);
  EXPECT_EQ((*found)->name, "token tok_1");
  EXPECT_FALSE((*found)->expires_at.has_value());
  EXPECT_TRUE(accounts.find_api_token(brief.token_hash, kStart + 499)->has_value());
  EXPECT_FALSE(accounts.find_api_token(brief.token_hash, kStart + 500)->has_value());
  EXPECT_FALSE(accounts.find_api_token("hash-nope", kStart)->has_value());

  auto listed = accounts.list_api_tokens(ada.id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);  // the expired one is still listed
  EXPECT_EQ((*listed)[0].id, "tok_1");
  EXPECT_EQ((*listed)[1].id, "tok_2");
  EXPECT_EQ((*listed)[1].expires_at, kStart + 500);
  EXPECT_EQ((*listed)[1].org, org_b_);

  // Someone else's token: nothing is deleted.
  EXPECT_EQ(code_of(accounts.delete_api_token(bob.id, "tok_1")), "not_found");
  EXPECT_TRUE(accounts.find_api_token(forever.token_hash, kStart)->has_value());
  ASSERT_TRUE(accounts.delete_api_token(ada.id, "tok_1").ok());
  EXPECT_FALSE(accounts.find_api_token(forever.token_hash, kStart)->has_value());
  EXPECT_EQ(code_of(accounts.delete_api_token(ada.id, "tok_1")), "not_found");
  EXPECT_EQ(accounts.list_api_tokens(ada.id)->size(), 1u);
  EXPECT_EQ(accounts.list_api_tokens(bob.id)->size(), 1u);
}

// --- invitations ---

TEST_P(StoreTest, InvitationsCreateListFindDelete) {
  auto& accounts = store_->accounts();
  User ada = make_user(*store_, "ada@example.com");
  Invitation bob = make_invitation("inv_bob", org_a_, "Bob@Example.com", Role::admin, kStart + 1000);
  bob.invited_by = ada.id;
  ASSERT_TRUE(accounts.create_invitation(bob, 100).ok());
  clock_.advance_ms(1);
  Invitation cy = make_invitation("inv_cy", org_a_, "cy@example.com", Role::member, kStart + 1000);
  cy.created_at = kStart + 1;
  ASSERT_TRUE(accounts.create_invitation(cy, 100).ok());
  ASSERT_TRUE(accounts.create_invitation(make_invitation("inv_b", org_b_, "bob@example.com", Role::member,
                                                         kStart + 1000), 100).ok());

  auto listed = accounts.list_invitations(org_a_);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "inv_cy");  // newest first
  const Invitation& got = (*listed)[1];
  EXPECT_EQ(got.email, "bob@example.com");  // lower-cased
  EXPECT_EQ(got.role, Role::admin);
  EXPECT_EQ(got.org, org_a_);
  EXPECT_EQ(got.invited_by, ada.id);
  EXPECT_EQ(got.token_hash, "hash-inv_bob");
  EXPECT_EQ(got.expires_at, kStart + 1000);
  EXPECT_FALSE(got.accepted_at.has_value());
  EXPECT_TRUE(got.accepted_by.empty());
  EXPECT_TRUE(got.pending_at(kStart + 999));
  EXPECT_FALSE(got.pending_at(kStart + 1000));

  auto found = accounts.find_invitation("hash-inv_bob");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, "inv_bob");
  EXPECT_FALSE(accounts.find_invitation("hash-nothing")->has_value());

  // Deleting is scoped by org: B cannot delete A's invitation.
  EXPECT_EQ(code_of(accounts.delete_invitation(org_b_, "inv_bob")), "not_found");
  ASSERT_TRUE(accounts.delete_invitation(org_a_, "inv_bob").ok());
  EXPECT_EQ(code_of(accounts.delete_invitation(org_a_, "inv_bob")), "not_found");
  EXPECT_FALSE(accounts.find_invitation("hash-inv_bob")->has_value());
  EXPECT_EQ(accounts.list_invitations(org_b_)->size(), 1u);

  EXPECT_EQ(code_of(accounts.create_invitation(make_invitation("inv_cy", org_a_, "x@example.com", Role::member,
                                                               kStart + 1000), 100)),
            "conflict");
  Invitation same_token = make_invitation("inv_other", org_a_, "y@example.com", Role::member, kStart + 1000);
  same_token.token_hash = "hash-inv_cy";
  EXPECT_EQ(code_of(accounts.create_invitation(same_token, 100)), "conflict");
  EXPECT_EQ(code_of(accounts.create_invitation(make_invitation("inv_x", OrgId("org_missing"), "x@example.com",
                                                               Role::member, kStart + 1000), 100)),
            "not_found");
  EXPECT_EQ(code_of(accounts.create_invitation(make_invitation("", org_a_, "x@example.com", Role::member,
                                                               kStart + 1000), 100)),
            "invalid_argument");
}

TEST_P(StoreTest, ANewInvitationReplacesThePendingOnesForTheSameEmail) {
  auto& accounts = store_->accounts();
  ASSERT_TRUE(accounts.create_invitation(make_invitation("inv_1", org_a_, "bob@example.com", Role::member,
                                                         kStart + 1000), 100).ok());
  ASSERT_TRUE(accounts.create_invitation(make_invitation("inv_b", org_b_, "bob@example.com", Role::member,
                                                         kStart + 1000), 100).ok());
  ASSERT_TRUE(accounts.create_invitation(make_invitation("inv_2", org_a_, "BOB@example.com", Role::admin,
                                                         kStart + 1000), 100).ok());
  auto listed = accounts.list_invitations(org_a_);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, "inv_2");
  EXPECT_EQ(accounts.list_invitations(org_b_)->size(), 1u) << "another org's invitation was replaced";
}

TEST_P(StoreTest, PendingInvitationsAreLimitedPerOrg) {
  auto& accounts = store_->accounts();
  ASSERT_TRUE(accounts.create_invitation(make_invitation("inv_1", org_a_, "a@example.com", Role::member,
                                                         kStart + 1000), 2).ok());
  ASSERT_TRUE(accounts.create_invitation(make_invitation("inv_2", org_a_, "b@example.com", Role::member,
                                                         kStart + 1000), 2).ok());
  EXPECT_EQ(code_of(accounts.create_invitation(make_invitation("inv_3", org_a_, "c@example.com", Role::member,
                                                               kStart + 1000), 2)),
            "limit_reached");
  EXPECT_EQ(accounts.list_invitations(org_a_)->size(), 2u);
  // Expired ones do not count; other orgs have their own limit.
  Invitation later = make_invitation("inv_4", org_a_, "d@example.com", Role::member, kStart + 5000);
  later.created_at = kStart + 1000;
  EXPECT_TRUE(accounts.create_invitation(later, 2).ok());
  EXPECT_TRUE(accounts.create_invitation(make_invitation("inv_b", org_b_, "c@example.com", Role::member,
                                                         kStart + 1000), 2).ok());
}

TEST_P(StoreTest, AcceptingAnInvitationIsSingleUseAndJoinsItsOrg) {
  auto& accounts = store_->accounts();
  User bob = make_user(*store_, "bob@example.com");
  ASSERT_TRUE(accounts.create_invitation(make_invitation("inv_1", org_a_, "bob@example.com", Role::admin,
                                                         kStart + 1000), 100).ok());
  EXPECT_EQ(code_of(accounts.accept_invitation("hash-inv_1", UserId("usr_missing"), kStart + 10)), "not_found");
  EXPECT_TRUE(accounts.find_invitation("hash-inv_1")->value().pending_at(kStart + 10)) << "a failed accept used it";

  auto accepted = accounts.accept_invitation("hash-inv_1", bob.id, kStart + 10);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(accepted->accepted_at, kStart + 10);
  EXPECT_EQ(accepted->accepted_by, bob.id);
  EXPECT_EQ(accepted->org, org_a_);
  EXPECT_EQ(*accounts.role_of(org_a_, bob.id), Role::admin);
  EXPECT_FALSE(accounts.role_of(org_b_, bob.id)->has_value());

  EXPECT_EQ(code_of(accounts.accept_invitation("hash-inv_1", bob.id, kStart + 11)), "not_found");
  EXPECT_EQ(code_of(accounts.accept_invitation_as_new_user("hash-inv_1", "$argon2id$x", kStart + 11)), "not_found");
  EXPECT_EQ(code_of(accounts.accept_invitation("hash-unknown", bob.id, kStart + 11)), "not_found");
  auto listed = accounts.list_invitations(org_a_);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].accepted_at, kStart + 10);

  // Expired: refused, and nothing changes.
  User cy = make_user(*store_, "cy@example.com");
  ASSERT_TRUE(accounts.create_invitation(make_invitation("inv_2", org_b_, "cy@example.com", Role::member,
                                                         kStart + 1000), 100).ok());
  EXPECT_EQ(code_of(accounts.accept_invitation("hash-inv_2", cy.id, kStart + 1000)), "not_found");
  EXPECT_FALSE(accounts.role_of(org_b_, cy.id)->has_value());
}

TEST_P(StoreTest, AcceptingAsANewUserCreatesTheAccountOrChangesNothing) {
  auto& accounts = store_->accounts();
  ASSERT_TRUE(accounts.create_invitation(make_invitation("inv_new", org_a_, "new@example.com", Role::member,
                                                         kStart + 1000), 100).ok());
  auto created = accounts.accept_invitation_as_new_user("hash-inv_new", "$argon2id$new", kStart + 5);
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto& [invitation, user] = *created;
  EXPECT_EQ(user.email, "new@example.com");
  EXPECT_EQ(user.password_hash, "$argon2id$new");
  EXPECT_FALSE(user.platform_admin);
  EXPECT_EQ(invitation.accepted_by, user.id);
  EXPECT_EQ(*accounts.role_of(org_a_, user.id), Role::member);
  EXPECT_EQ((*accounts.find_user_by_email("new@example.com"))->id, user.id);

  // The email has an account already: conflict, and the invitation stays pending.
  make_user(*store_, "taken@example.com");
  ASSERT_TRUE(accounts.create_invitation(make_invitation("inv_taken", org_a_, "taken@example.com", Role::admin,
                                                         kStart + 1000), 100).ok());
  const auto users_before = *accounts.user_count();
  EXPECT_EQ(code_of(accounts.accept_invitation_as_new_user("hash-inv_taken", "$argon2id$x", kStart + 5)), "conflict");
  EXPECT_EQ(*accounts.user_count(), users_before);
  EXPECT_TRUE(accounts.find_invitation("hash-inv_taken")->value().pending_at(kStart + 5));
  EXPECT_EQ(accounts.members(org_a_)->size(), 1u);
}

TEST_P(StoreTest, ConcurrentAcceptsOfOneTokenHaveOneWinner) {
  // Half the threads go through a second store on the same database, as another process would.
  auto second = open_backend(GetParam(), dir_.path(), &clock_);
  ASSERT_TRUE(second.ok()) << second.error().message;
  std::vector<User> users;
  for (int i = 0; i < 8; ++i) users.push_back(make_user(*store_, "u" + std::to_string(i) + "@example.com"));
  ASSERT_TRUE(store_->accounts().create_invitation(make_invitation("inv_race", org_a_, "race@example.com",
                                                                   Role::member, kStart + 1000), 100).ok());
  std::atomic<int> wins{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Store& store = i % 2 == 0 ? *store_ : **second;
      // Half accept as existing users, half as a new account: one token, one winner.
      const std::string code =
          i < 4 ? code_of(store.accounts().accept_invitation("hash-inv_race", users[i].id, kStart + 1))
                : code_of(store.accounts().accept_invitation_as_new_user("hash-inv_race", "$argon2id$x", kStart + 1));
      if (code == "ok") {
        ++wins;
      } else if (code == "not_found") {
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  EXPECT_EQ(store_->accounts().members(org_a_)->size(), 1u);
}

// --- webhooks ---

TEST_P(StoreTest, WebhookPutReplaceFindRemove) {
  auto& triggers = store_->triggers();
  WorkflowRecord wf = make_workflow(org_a_, "hooked");
  EXPECT_FALSE(triggers.find_webhook(wf.id)->has_value());

  ASSERT_TRUE(triggers.put_webhook(WebhookTrigger{wf.id, org_a_, "secret-1", kStart}).ok());
  auto found = triggers.find_webhook(wf.id);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->org, org_a_);  // found by workflow id alone
  EXPECT_EQ((*found)->secret_hash, "secret-1");
  EXPECT_EQ((*found)->created_at, kStart);
  EXPECT_EQ((*found)->workflow_version, 1);  // the latest, read in the same query
  ASSERT_TRUE(store_->workflows().save_version(org_a_, wf.id, "hooked", wf.definition).ok());
  EXPECT_EQ((*triggers.find_webhook(wf.id))->workflow_version, 2);

  // Rotation replaces the secret.
  ASSERT_TRUE(triggers.put_webhook(WebhookTrigger{wf.id, org_a_, "secret-2", kStart + 5}).ok());
  EXPECT_EQ((*triggers.find_webhook(wf.id))->secret_hash, "secret-2");
  EXPECT_EQ((*triggers.find_webhook(wf.id))->created_at, kStart + 5);

  // Another org can neither replace nor remove it; unknown workflows are refused.
  EXPECT_EQ(code_of(triggers.put_webhook(WebhookTrigger{wf.id, org_b_, "stolen", kStart})),
            "not_found");
  EXPECT_EQ(code_of(triggers.put_webhook(
                WebhookTrigger{WorkflowId("wf_missing"), org_a_, "x", kStart})),
            "not_found");
  ASSERT_TRUE(triggers.remove_webhook(org_b_, wf.id).ok());
  EXPECT_EQ((*triggers.find_webhook(wf.id))->secret_hash, "secret-2");

  ASSERT_TRUE(triggers.remove_webhook(org_a_, wf.id).ok());
  EXPECT_FALSE(triggers.find_webhook(wf.id)->has_value());
  EXPECT_TRUE(triggers.remove_webhook(org_a_, wf.id).ok());  // already gone: no-op
}

// peek_webhook answers from memory or not at all, and never with what find_webhook would no
// longer answer: every write through the store is seen by the next peek.
TEST_P(StoreTest, WebhookPeekNeverAnswersWhatFindWouldNot) {
  auto& triggers = store_->triggers();
  WorkflowRecord wf = make_workflow(org_a_, "peeked");
  EXPECT_FALSE(triggers.peek_webhook(wf.id).has_value());
  ASSERT_TRUE(triggers.put_webhook(WebhookTrigger{wf.id, org_a_, "secret-1", kStart}).ok());
  const auto agrees = [&](const std::string& secret, int version) {
    auto peeked = triggers.peek_webhook(wf.id);
    if (!peeked) return true;  // not known from memory: allowed
    return peeked->secret_hash == secret && peeked->workflow_version == version && peeked->org == org_a_;
  };
  ASSERT_TRUE(triggers.find_webhook(wf.id).ok());
  if (GetParam() == "sqlite") {  // the embedded store keeps what it read
    const auto kept = triggers.peek_webhook(wf.id);
    ASSERT_TRUE(kept.has_value());
    EXPECT_EQ(kept->secret_hash, "secret-1");
  }
  EXPECT_TRUE(agrees("secret-1", 1));

  ASSERT_TRUE(triggers.put_webhook(WebhookTrigger{wf.id, org_a_, "secret-2", kStart + 1}).ok());
  EXPECT_TRUE(agrees("secret-2", 1));
  ASSERT_TRUE(triggers.find_webhook(wf.id).ok());
  ASSERT_TRUE(store_->workflows().save_version(org_a_, wf.id, "peeked", wf.definition).ok());
  EXPECT_TRUE(agrees("secret-2", 2));
  ASSERT_TRUE(triggers.find_webhook(wf.id).ok());
  EXPECT_TRUE(agrees("secret-2", 2));

  ASSERT_TRUE(triggers.remove_webhook(org_a_, wf.id).ok());
  EXPECT_FALSE(triggers.peek_webhook(wf.id).has_value());
  ASSERT_TRUE(triggers.put_webhook(WebhookTrigger{wf.id, org_a_, "secret-3", kStart + 2}).ok());
  ASSERT_TRUE(triggers.find_webhook(wf.id).ok());
  ASSERT_TRUE(store_->workflows().remove(org_a_, wf.id).ok());
  EXPECT_FALSE(triggers.peek_webhook(wf.id).has_value());  // went with its workflow
  EXPECT_FALSE(triggers.find_webhook(wf.id)->has_value());
}

// --- schedules ---

TEST_P(StoreTest, SchedulesPutGetAndDueOrder) {
  auto& triggers = store_->triggers();
  WorkflowRecord late = make_workflow(org_a_, "late");
  WorkflowRecord early = make_workflow(org_b_, "early");
  WorkflowRecord middle = make_workflow(org_a_, "middle");
  ASSERT_TRUE(triggers.put_schedule(make_schedule(late, kStart + 300)).ok());
  ASSERT_TRUE(triggers.put_schedule(make_schedule(early, kStart + 100)).ok());
  ASSERT_TRUE(triggers.put_schedule(make_schedule(middle, kStart + 200)).ok());

  auto got = triggers.get_schedule(org_a_, middle.id);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->cron, "*/5 * * * *");
  EXPECT_EQ((*got)->timezone, "Europe/Paris");
  EXPECT_EQ((*got)->next_fire_at, kStart + 200);
  EXPECT_FALSE(triggers.get_schedule(org_b_, middle.id)->has_value());  // tenancy

  auto due = triggers.due_schedules(kStart + 250, 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].workflow, early.id);  // soonest first, across orgs
  EXPECT_EQ((*due)[0].org, org_b_);
  EXPECT_EQ((*due)[1].workflow, middle.id);
  ASSERT_EQ(triggers.due_schedules(kStart + 1000, 1)->size(), 1u);
  EXPECT_EQ((*triggers.due_schedules(kStart + 1000, 1))[0].workflow, early.id);
  EXPECT_EQ(triggers.due_schedules(kStart + 1000, 10)->size(), 3u);
  EXPECT_TRUE(triggers.due_schedules(kStart + 99, 10)->empty());

  // Replacing (a new save) changes cron, timezone and slot.
  Schedule changed = make_schedule(early, kStart + 5000);
  changed.cron = "0 9 * * 1";
  changed.timezone = "UTC";
  ASSERT_TRUE(triggers.put_schedule(changed).ok());
  auto replaced = triggers.get_schedule(org_b_, early.id);
  EXPECT_EQ((*replaced)->cron, "0 9 * * 1");
  EXPECT_EQ((*replaced)->timezone, "UTC");
  EXPECT_EQ((*replaced)->next_fire_at, kStart + 5000);
  EXPECT_EQ((*triggers.due_schedules(kStart + 1000, 10))[0].workflow, middle.id);

  Schedule foreign = make_schedule(late, kStart);
  foreign.org = org_b_;
  EXPECT_EQ(code_of(triggers.put_schedule(foreign)), "not_found");
  Schedule orphan = make_schedule(late, kStart);
  orphan.workflow = WorkflowId("wf_missing");
  EXPECT_EQ(code_of(triggers.put_schedule(orphan)), "not_found");
  EXPECT_EQ((*triggers.get_schedule(org_a_, late.id))->next_fire_at, kStart + 300);

  ASSERT_TRUE(triggers.remove_schedule(org_b_, late.id).ok());  // other org: no-op
  EXPECT_TRUE(triggers.get_schedule(org_a_, late.id)->has_value());
  ASSERT_TRUE(triggers.remove_schedule(org_a_, late.id).ok());
  EXPECT_FALSE(triggers.get_schedule(org_a_, late.id)->has_value());
  EXPECT_TRUE(triggers.remove_schedule(org_a_, late.id).ok());
  EXPECT_EQ(triggers.due_schedules(kStart + 10'000, 10)->size(), 2u);
}

TEST_P(StoreTest, FireScheduleFiresEachSlotOnce) {
  auto& triggers = store_->triggers();
  WorkflowRecord wf = make_workflow(org_a_, "cron");
  const Schedule schedule = make_schedule(wf, kStart + 100);
  ASSERT_TRUE(triggers.put_schedule(schedule).ok());
  const Schedule due = (*triggers.due_schedules(kStart + 100, 10))[0];

  const RunRecord first = scheduled_run(due, clock_);
  auto fired = triggers.fire_schedule(due, kStart + 400, first);
  ASSERT_TRUE(fired.ok()) << fired.error().message;
  EXPECT_TRUE(*fired);
  EXPECT_EQ((*triggers.get_schedule(org_a_, wf.id))->next_fire_at, kStart + 400);
  EXPECT_TRUE(triggers.due_schedules(kStart + 100, 10)->empty());

  // The run and its job exist.
  auto run = store_->runs().get(org_a_, first.id);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->status, RunStatus::queued);
  EXPECT_EQ(run->workflow, wf.id);
  EXPECT_EQ(run->input, first.input);
  EXPECT_EQ(*store_->jobs().pending_count(), 1);
  auto job = store_->jobs().claim("w1", kStart + 100, 1000);
  ASSERT_TRUE(job->has_value());
  EXPECT_EQ((*job)->run, first.id);

  // The same slot again (a second scheduler saw the same due row): nothing happens.
  const RunRecord second = scheduled_run(due, clock_);
  auto again = triggers.fire_schedule(due, kStart + 400, second);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_EQ(code_of(store_->runs().get(org_a_, second.id)), "not_found");
  EXPECT_EQ(*store_->jobs().pending_count(), 1);

  // The next slot fires.
  Schedule next = due;
  next.next_fire_at = kStart + 400;
  EXPECT_TRUE(*triggers.fire_schedule(next, kStart + 700, scheduled_run(next, clock_)));

  // A run that cannot be inserted leaves the slot where it was.
  next.next_fire_at = kStart + 700;
  RunRecord clash = scheduled_run(next, clock_);
  clash.id = first.id;
  EXPECT_EQ(code_of(triggers.fire_schedule(next, kStart + 1000, clash)), "conflict");
  EXPECT_EQ((*triggers.get_schedule(org_a_, wf.id))->next_fire_at, kStart + 700);

  // The run must be the schedule's.
  RunRecord foreign = scheduled_run(next, clock_);
  foreign.org = org_b_;
  EXPECT_EQ(code_of(triggers.fire_schedule(next, kStart + 1000, foreign)), "invalid_argument");
  EXPECT_EQ((*triggers.get_schedule(org_a_, wf.id))->next_fire_at, kStart + 700);

  // A removed schedule no longer fires.
  ASSERT_TRUE(triggers.remove_schedule(org_a_, wf.id).ok());
  EXPECT_FALSE(*triggers.fire_schedule(next, kStart + 1000, scheduled_run(next, clock_)));
  EXPECT_EQ(store_->runs().list(org_a_, RunFilter{})->size(), 2u);
}

TEST_P(StoreTest, ConcurrentFireCreatesOneRun) {
  WorkflowRecord wf = make_workflow(org_a_, "cron");
  const Schedule due = make_schedule(wf, kStart + 100);
  ASSERT_TRUE(store_->triggers().put_schedule(due).ok());
  std::vector<RunRecord> runs;
  for (int i = 0; i < 8; ++i) runs.push_back(scheduled_run(due, clock_));

  // Half the threads go through a second store on the same database, as another process would.
  auto second = open_backend(GetParam(), dir_.path(), &clock_);
  ASSERT_TRUE(second.ok()) << second.error().message;
  std::atomic<int> fired{0};
  std::atomic<int> lost{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Store& store = i % 2 == 0 ? *store_ : **second;
      auto result = store.triggers().fire_schedule(due, kStart + 400, runs[i]);
      if (!result.ok()) ++errors;
      else if (*result) ++fired;
      else ++lost;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(fired.load(), 1);
  EXPECT_EQ(lost.load(), 7);
  RunFilter by_workflow;
  by_workflow.workflow = wf.id;
  EXPECT_EQ(store_->runs().list(org_a_, by_workflow)->size(), 1u);
  EXPECT_EQ(*store_->jobs().pending_count(), 1);
  EXPECT_EQ((*store_->triggers().get_schedule(org_a_, wf.id))->next_fire_at, kStart + 400);
}

TEST_P(StoreTest, RemovingAWorkflowRemovesItsTriggers) {
  auto& triggers = store_->triggers();
  WorkflowRecord doomed = make_workflow(org_a_, "doomed");
  WorkflowRecord kept = make_workflow(org_a_, "kept");
  for (const auto* wf : {&doomed, &kept}) {
    ASSERT_TRUE(triggers.put_webhook(WebhookTrigger{wf->id, org_a_, "s-" + wf->name, kStart}).ok());
    ASSERT_TRUE(triggers.put_schedule(make_schedule(*wf, kStart + 100)).ok());
  }
  ASSERT_TRUE(store_->workflows().remove(org_a_, doomed.id).ok());
  EXPECT_FALSE(triggers.find_webhook(doomed.id)->has_value());
  EXPECT_FALSE(triggers.get_schedule(org_a_, doomed.id)->has_value());
  auto due = triggers.due_schedules(kStart + 100, 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].workflow, kept.id);
  EXPECT_TRUE(triggers.find_webhook(kept.id)->has_value());
  EXPECT_TRUE(triggers.get_schedule(org_a_, kept.id)->has_value());
}

}  // namespace
}  // namespace weft::store::test
