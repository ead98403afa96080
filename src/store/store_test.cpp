// The store contract, run against every backend (sqlite and postgres): organizations, workflows,
// tenancy, credentials, settings, durability. Runs and jobs are in store_runs_test.cpp, accounts
// and triggers in store_accounts_test.cpp. To add a backend, extend open_backend() and
// test_backends() (store_test_fixture.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "store/store_test_fixture.h"

namespace weft::store::test {
namespace {

TEST_P(StoreTest, BackendName) { EXPECT_EQ(store_->backend(), GetParam()); }

TEST_P(StoreTest, OrgsEnsureIsIdempotent) {
  auto again = store_->orgs().ensure("acme");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, org_a_);
  EXPECT_EQ(again->name, "acme");

  auto found = store_->orgs().find_by_name("globex");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, org_b_);
  EXPECT_FALSE(store_->orgs().find_by_name("initech")->has_value());

  EXPECT_EQ(code_of(store_->orgs().create("acme")), "conflict");
  EXPECT_EQ(code_of(store_->orgs().get(OrgId("org_missing"))), "not_found");
  EXPECT_EQ(store_->orgs().get(org_a_)->name, "acme");

  auto created = store_->orgs().create("initech");
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->id.str().rfind("org_", 0), 0u);
  auto all = store_->orgs().list();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
}

TEST_P(StoreTest, OrgsEnsureRaceYieldsOneOrg) {
  std::vector<std::thread> threads;
  std::vector<OrgId> ids(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto org = store_->orgs().ensure("umbrella");
      if (org.ok()) ids[i] = org->id;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_FALSE(ids[0].empty());
  EXPECT_EQ(store_->orgs().list()->size(), 3u);
}

TEST_P(StoreTest, WorkflowVersions) {
  WorkflowRecord v1 = make_workflow(org_a_, "notify");
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v1.id.str().rfind("wf_", 0), 0u);

  clock_.advance_ms(1000);
  json def2 = {{"name", "notify v2"}, {"steps", json::array({json{{"id", "ping"}}})}};
  auto v2 = store_->workflows().save_version(org_a_, v1.id, "notify v2", def2);
  ASSERT_TRUE(v2.ok()) << v2.error().message;
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->created_at, v1.created_at);
  EXPECT_EQ(v2->updated_at, kStart + 1000);

  auto latest = store_->workflows().get(org_a_, v1.id);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version, 2);
  EXPECT_EQ(latest->name, "notify v2");
  EXPECT_EQ(latest->definition, def2);

  auto old = store_->workflows().get(org_a_, v1.id, 1);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->version, 1);
  EXPECT_EQ(old->name, "notify");
  EXPECT_EQ(old->definition, v1.definition);
  EXPECT_EQ(code_of(store_->workflows().get(org_a_, v1.id, 3)), "not_found");
  // The version a run would name, without the definition: the latest, or one that exists.
  EXPECT_EQ(*store_->workflows().version_of(org_a_, v1.id), 2);
  EXPECT_EQ(*store_->workflows().version_of(org_a_, v1.id, 1), 1);
  EXPECT_EQ(code_of(store_->workflows().version_of(org_a_, v1.id, 3)), "not_found");
  EXPECT_EQ(code_of(store_->workflows().version_of(org_b_, v1.id)), "not_found");  // tenancy
  EXPECT_EQ(code_of(store_->workflows().version_of(org_a_, WorkflowId("wf_missing"))), "not_found");
  EXPECT_EQ(code_of(store_->workflows().save_version(org_a_, WorkflowId("wf_missing"), "x",
                                                     json::object())),
            "not_found");

  auto by_name = store_->workflows().find_by_name(org_a_, "notify v2");
  ASSERT_TRUE(by_name.ok());
  ASSERT_TRUE(by_name->has_value());
  EXPECT_EQ((*by_name)->id, v1.id);
  EXPECT_EQ((*by_name)->version, 2);
  EXPECT_FALSE(store_->workflows().find_by_name(org_a_, "nope")->has_value());

  clock_.advance_ms(1000);
  WorkflowRecord other = make_workflow(org_a_, "digest");
  auto listed = store_->workflows().list(org_a_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, other.id);  // newest first
  EXPECT_EQ((*listed)[1].id, v1.id);
  EXPECT_EQ((*listed)[1].version, 2);

  // Removing deletes every version; its runs stay for history.
  RunRecord run = make_run(org_a_, v1.id, clock_.now_ms());
  ASSERT_TRUE(store_->workflows().remove(org_a_, v1.id).ok());
  EXPECT_EQ(code_of(store_->workflows().get(org_a_, v1.id)), "not_found");
  EXPECT_EQ(code_of(store_->workflows().get(org_a_, v1.id, 1)), "not_found");
  EXPECT_EQ(store_->workflows().remove(org_a_, v1.id).error().code, "not_found");
  auto kept = store_->runs().get(org_a_, run.id);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->workflow, v1.id);
  EXPECT_EQ(store_->workflows().list(org_a_)->size(), 1u);
}

TEST_P(StoreTest, WorkflowOfUnknownOrgIsNotFound) {
  EXPECT_EQ(code_of(store_->workflows().create(OrgId("org_missing"), "x", json::object())),
            "not_found");
}

TEST_P(StoreTest, TenancyIsAFilter) {
  WorkflowRecord wf = make_workflow(org_a_, "secret-flow");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  ASSERT_TRUE(store_->runs().record_step(make_step(run, "s1", StepStatus::succeeded)).ok());
  CredentialRecord cred = make_credential(org_a_, "prod slack");
  ASSERT_TRUE(store_->credentials().insert(cred).ok());
  ASSERT_TRUE(store_->settings().put(org_a_, "policy", json{{"max", 3}}).ok());

  auto& wfs = store_->workflows();
  EXPECT_EQ(code_of(wfs.get(org_b_, wf.id)), "not_found");
  EXPECT_EQ(code_of(wfs.get(org_b_, wf.id, 1)), "not_found");
  EXPECT_EQ(code_of(wfs.save_version(org_b_, wf.id, "hijack", json::object())), "not_found");
  EXPECT_FALSE(wfs.find_by_name(org_b_, "secret-flow")->has_value());
  EXPECT_TRUE(wfs.list(org_b_)->empty());
  EXPECT_EQ(code_of(wfs.remove(org_b_, wf.id)), "not_found");

  auto& runs = store_->runs();
  EXPECT_EQ(code_of(runs.get(org_b_, run.id)), "not_found");
  EXPECT_TRUE(runs.list(org_b_, RunFilter{})->empty());
  EXPECT_EQ(code_of(runs.mark_running(org_b_, run.id, kStart)), "not_found");
  EXPECT_EQ(code_of(runs.finish(org_b_, run.id, RunStatus::failed, nullptr, nullptr, kStart)),
            "not_found");
  EXPECT_EQ(code_of(runs.request_cancel(org_b_, run.id, kStart)), "not_found");
  EXPECT_EQ(code_of(runs.steps(org_b_, run.id)), "not_found");
  StepRunRecord foreign = make_step(run, "s1", StepStatus::failed);
  foreign.org = org_b_;
  EXPECT_EQ(code_of(runs.record_step(foreign)), "not_found");  // overwrite attempt
  foreign.step_id = "s2";
  EXPECT_EQ(code_of(runs.record_step(foreign)), "not_found");  // insert attempt

  auto& creds = store_->credentials();
  EXPECT_EQ(code_of(creds.get(org_b_, cred.id)), "not_found");
  EXPECT_TRUE(creds.list(org_b_)->empty());
  CredentialRecord stolen = cred;
  stolen.org = org_b_;
  stolen.name = "mine now";
  EXPECT_EQ(code_of(creds.update(stolen)), "not_found");
  EXPECT_EQ(code_of(creds.remove(org_b_, cred.id)), "not_found");

  EXPECT_FALSE(store_->settings().get(org_b_, "policy")->has_value());
  EXPECT_EQ(code_of(store_->settings().remove(org_b_, "policy")), "not_found");

  // Org A still sees everything unchanged.
  EXPECT_EQ(wfs.get(org_a_, wf.id)->name, "secret-flow");
  EXPECT_EQ(runs.get(org_a_, run.id)->status, RunStatus::queued);
  auto steps = runs.steps(org_a_, run.id);
  ASSERT_EQ(steps->size(), 1u);
  EXPECT_EQ((*steps)[0].status, StepStatus::succeeded);
  EXPECT_EQ(creds.get(org_a_, cred.id)->name, "prod slack");
  EXPECT_EQ(**store_->settings().get(org_a_, "policy"), (json{{"max", 3}}));
}

TEST_P(StoreTest, Credentials) {
  auto& creds = store_->credentials();
  CredentialRecord first = make_credential(org_a_, "slack prod");
  clock_.advance_ms(10);
  CredentialRecord second = make_credential(org_a_, "slack dev");
  ASSERT_TRUE(creds.insert(first).ok());
  ASSERT_TRUE(creds.insert(second).ok());
  EXPECT_EQ(creds.insert(first).error().code, "conflict");
  CredentialRecord orphan = make_credential(OrgId("org_missing"), "x");
  EXPECT_EQ(creds.insert(orphan).error().code, "not_found");

  auto got = creds.get(org_a_, first.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->provider, "slack");
  EXPECT_EQ(got->type, "bot_token");
  EXPECT_EQ(got->sealed, first.sealed);
  EXPECT_EQ(got->created_at, first.created_at);

  CredentialRecord rotated = first;
  rotated.name = "slack prod (rotated)";
  rotated.sealed = {9, 9, 9};
  rotated.updated_at = first.created_at + 500;
  ASSERT_TRUE(creds.update(rotated).ok());
  got = creds.get(org_a_, first.id);
  EXPECT_EQ(got->name, "slack prod (rotated)");
  EXPECT_EQ(got->sealed, rotated.sealed);
  EXPECT_EQ(got->created_at, first.created_at);
  EXPECT_EQ(got->updated_at, first.created_at + 500);

  auto listed = creds.list(org_a_);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, first.id);  // oldest first
  EXPECT_EQ((*listed)[1].id, second.id);

  ASSERT_TRUE(creds.remove(org_a_, first.id).ok());
  EXPECT_EQ(code_of(creds.get(org_a_, first.id)), "not_found");
  EXPECT_EQ(code_of(creds.remove(org_a_, first.id)), "not_found");
  EXPECT_EQ(code_of(creds.update(rotated)), "not_found");
  EXPECT_EQ(creds.list(org_a_)->size(), 1u);
}

TEST_P(StoreTest, OrgKeyPutIfAbsentFirstWriterWins) {
  auto& creds = store_->credentials();
  EXPECT_FALSE(creds.org_key(org_a_)->has_value());
  const std::vector<std::uint8_t> k1 = {1, 1, 1, 1};
  const std::vector<std::uint8_t> k2 = {2, 2, 2, 2};
  EXPECT_EQ(*creds.put_org_key_if_absent(org_a_, k1), k1);
  EXPECT_EQ(*creds.put_org_key_if_absent(org_a_, k2), k1);  // existing key wins
  EXPECT_EQ(**creds.org_key(org_a_), k1);
  EXPECT_FALSE(creds.org_key(org_b_)->has_value());
  EXPECT_EQ(code_of(creds.put_org_key_if_absent(OrgId("org_missing"), k1)), "not_found");

  // A race: every contender ends up with the same stored key.
  std::vector<std::vector<std::uint8_t>> results(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto key = creds.put_org_key_if_absent(org_b_, {static_cast<std::uint8_t>(i), 7, 7});
      if (key.ok()) results[i] = *key;
    });
  }
  for (auto& t : threads) t.join();
  auto stored = creds.org_key(org_b_);
  ASSERT_TRUE(stored->has_value());
  for (const auto& r : results) EXPECT_EQ(r, **stored);
}

TEST_P(StoreTest, OrgKeysAreListedAndReplacedOnlyIfUnchanged) {
  auto& creds = store_->credentials();
  EXPECT_TRUE(creds.list_org_keys()->empty());
  const std::vector<std::uint8_t> a1 = {1, 0, 1}, a2 = {2, 0, 2}, b1 = {0, 1, 0, 0xff};
  ASSERT_TRUE(creds.put_org_key_if_absent(org_a_, a1).ok());
  ASSERT_TRUE(creds.put_org_key_if_absent(org_b_, b1).ok());
  auto listed = creds.list_org_keys();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  for (const auto& [org, wrapped] : *listed) EXPECT_EQ(wrapped, org == org_a_ ? a1 : b1);
  EXPECT_TRUE(creds.replace_org_key(org_a_, a1, a2).ok());
  EXPECT_EQ(**creds.org_key(org_a_), a2);
  EXPECT_EQ(code_of(creds.replace_org_key(org_a_, a1, b1)), "conflict");  // not what is stored any more
  EXPECT_EQ(**creds.org_key(org_a_), a2);
  EXPECT_EQ(**creds.org_key(org_b_), b1);  // untouched
  EXPECT_EQ(code_of(creds.replace_org_key(OrgId("org_missing"), a1, a2)), "not_found");
}

TEST_P(StoreTest, Settings) {
  auto& settings = store_->settings();
  EXPECT_FALSE(settings.get(org_a_, "policy")->has_value());
  ASSERT_TRUE(settings.put(org_a_, "policy", json{{"max", 1}}).ok());
  ASSERT_TRUE(settings.put(org_a_, "policy", json{{"max", 2}}).ok());
  ASSERT_TRUE(settings.put(org_a_, "nothing", nullptr).ok());
  EXPECT_EQ(**settings.get(org_a_, "policy"), (json{{"max", 2}}));
  auto nothing = settings.get(org_a_, "nothing");
  ASSERT_TRUE(nothing->has_value());  // a stored null is not an absent key
  EXPECT_TRUE((*nothing)->is_null());
  ASSERT_TRUE(settings.remove(org_a_, "policy").ok());
  EXPECT_FALSE(settings.get(org_a_, "policy")->has_value());
  EXPECT_EQ(code_of(settings.remove(org_a_, "policy")), "not_found");
  EXPECT_EQ(code_of(settings.put(OrgId("org_missing"), "k", 1)), "not_found");
}

TEST_P(StoreTest, PlatformSettingsAreSeparateFromEveryOrgs) {
  auto& settings = store_->settings();
  const OrgId platform;
  EXPECT_FALSE(settings.get(platform, "policy")->has_value());
  ASSERT_TRUE(settings.put(platform, "policy", json{{"max", 1}}).ok());
  ASSERT_TRUE(settings.put(platform, "policy", json{{"max", 3}}).ok());
  EXPECT_EQ(**settings.get(platform, "policy"), (json{{"max", 3}}));
  EXPECT_FALSE(settings.get(org_a_, "policy")->has_value());
  ASSERT_TRUE(settings.put(org_a_, "policy", json{{"max", 2}}).ok());
  EXPECT_EQ(**settings.get(platform, "policy"), (json{{"max", 3}}));
  ASSERT_TRUE(settings.remove(platform, "policy").ok());
  EXPECT_FALSE(settings.get(platform, "policy")->has_value());
  EXPECT_EQ(**settings.get(org_a_, "policy"), (json{{"max", 2}}));
  EXPECT_EQ(code_of(settings.remove(platform, "policy")), "not_found");
}

TEST_P(StoreTest, ReopenedStoreKeepsItsData) {
  WorkflowRecord wf = make_workflow(org_a_, "durable");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  ASSERT_TRUE(store_->runs().record_step(make_step(run, "s", StepStatus::succeeded)).ok());
  CredentialRecord cred = make_credential(org_a_, "kept");
  ASSERT_TRUE(store_->credentials().insert(cred).ok());
  ASSERT_TRUE(store_->settings().put(org_a_, "k", "v").ok());

  reopen();
  EXPECT_EQ(store_->orgs().ensure("acme")->id, org_a_);
  EXPECT_EQ(store_->workflows().get(org_a_, wf.id)->name, "durable");
  EXPECT_EQ(store_->runs().get(org_a_, run.id)->input, run.input);
  EXPECT_EQ(store_->runs().steps(org_a_, run.id)->size(), 1u);
  EXPECT_EQ(store_->credentials().get(org_a_, cred.id)->sealed, cred.sealed);
  EXPECT_EQ(**store_->settings().get(org_a_, "k"), json("v"));
  EXPECT_EQ(*store_->jobs().pending_count(), 1);
}

// Texts are stored byte for byte, U+0000 and U+0001 included (PostgreSQL's text holds no U+0000:
// that backend escapes them), and are found again by the same bytes.
TEST_P(StoreTest, TextsWithNulAndControlCharactersAreStoredVerbatim) {
  const std::string odd = std::string("a\0b\1c\1" "0d", 8) + "\x02'--";
  auto org = store_->orgs().create(odd);
  ASSERT_TRUE(org.ok()) << org.error().message;
  auto found = store_->orgs().find_by_name(odd);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->name, odd);
  EXPECT_EQ(store_->orgs().get(org->id)->name, odd);
  // Only the very same bytes match: the escaped form of one text is never another's.
  EXPECT_FALSE(store_->orgs().find_by_name(std::string("a\1" "0b", 4))->has_value());
  EXPECT_FALSE(store_->orgs().find_by_name(std::string("a\0b", 3))->has_value());
  WorkflowRecord wf = make_workflow(org_a_, odd);
  EXPECT_EQ(store_->workflows().get(org_a_, wf.id)->name, odd);
  EXPECT_EQ((*store_->workflows().find_by_name(org_a_, odd))->id, wf.id);
  ASSERT_TRUE(store_->settings().put(org_a_, odd, json(odd)).ok());
  EXPECT_EQ(**store_->settings().get(org_a_, odd), json(odd));
}

}  // namespace

// The single instantiation of StoreTest: it covers the TEST_Ps of every file.
INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(test_backends()), backend_name);

}  // namespace weft::store::test
