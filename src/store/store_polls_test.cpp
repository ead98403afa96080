// The PollStore contract (polling triggers): create / reset / keep on save, the first poll only
// primes, new ids start one run each (atomically with the state), the generation guard makes a
// slot apply once across two stores on one database, failures, pruning to the newest 10,000 ids,
// tenancy and cascade on workflow delete. Runs against every backend of StoreTest.
#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace weft::store::test {
namespace {

class PollStoreTest : public StoreTest {
 protected:
  PollTrigger want(const WorkflowRecord& wf, const std::string& fingerprint = "fp1") {
    PollTrigger t;
    t.workflow = wf.id;
    t.org = wf.org;
    t.block = "github.newIssue";
    t.fingerprint = fingerprint;
    t.cron = "*/5 * * * *";
    t.timezone = "UTC";
    t.next_poll_at = clock_.now_ms();
    return t;
  }

  PollTrigger current(const WorkflowRecord& wf) {
    auto t = store_->polls().get_trigger(wf.org, wf.id);
    EXPECT_TRUE(t.ok() && t->has_value());
    return t.ok() && t->has_value() ? **t : PollTrigger{};
  }

  std::vector<PollCandidate> items(const WorkflowRecord& wf, std::initializer_list<int> ids) {
    std::vector<PollCandidate> out;
    for (int id : ids) {
      PollCandidate c;
      c.item_id = json(id).dump();
      c.run.id = new_id<RunId>(clock_);
      c.run.org = wf.org;
      c.run.workflow = wf.id;
      c.run.workflow_version = wf.version;
      c.run.input = {{"id", id}};
      c.run.created_at = clock_.now_ms();
      out.push_back(std::move(c));
    }
    return out;
  }

  std::size_t run_count(const WorkflowRecord& wf) {
    RunFilter filter;
    filter.workflow = wf.id;
    filter.limit = 1000;
    auto runs = store_->runs().list(wf.org, filter);
    EXPECT_TRUE(runs.ok());
    return runs.ok() ? runs->size() : 0;
  }
};

TEST_P(PollStoreTest, FirstPollPrimesThenNewIdsStartOneRunEach) {
  WorkflowRecord wf = make_workflow(org_a_, "poll");
  ASSERT_TRUE(store_->polls().put_trigger(want(wf)).ok());
  PollTrigger t = current(wf);
  EXPECT_FALSE(t.primed);
  EXPECT_TRUE(t.state.is_null());
  EXPECT_EQ(t.block, "github.newIssue");

  auto first = store_->polls().apply_poll(t, {{"cursor", 3}}, items(wf, {3, 2, 1}), kStart + 60000, kStart);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(first->has_value());
  EXPECT_TRUE((*first)->priming);
  EXPECT_TRUE((*first)->started.empty());
  EXPECT_EQ(run_count(wf), 0u);
  EXPECT_EQ(*store_->jobs().pending_count(), 0);

  t = current(wf);
  EXPECT_TRUE(t.primed);
  EXPECT_EQ(t.state, (json{{"cursor", 3}}));
  EXPECT_EQ(t.next_poll_at, kStart + 60000);
  EXPECT_EQ(t.last_poll_at, std::optional<TimeMs>(kStart));
  EXPECT_EQ(*store_->polls().seen_count(org_a_, wf.id), 3);

  // Overlapping page: 5 and 4 are new, 3 and 2 were seen; 5 appears twice in the batch.
  auto second = store_->polls().apply_poll(t, {{"cursor", 5}}, items(wf, {5, 4, 3, 2, 5}), kStart + 120000, kStart + 60000);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_FALSE((*second)->priming);
  ASSERT_EQ((*second)->started.size(), 2u);
  EXPECT_EQ(run_count(wf), 2u);
  EXPECT_EQ(*store_->jobs().pending_count(), 2);
  auto run = store_->runs().get(org_a_, (*second)->started[0]);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->input, (json{{"id", 5}}));
  EXPECT_EQ(run->status, RunStatus::queued);
  EXPECT_EQ(*store_->polls().seen_count(org_a_, wf.id), 5);
}

TEST_P(PollStoreTest, StaleGenerationAppliesNothing) {
  WorkflowRecord wf = make_workflow(org_a_, "poll");
  ASSERT_TRUE(store_->polls().put_trigger(want(wf)).ok());
  PollTrigger t = current(wf);
  ASSERT_TRUE(store_->polls().apply_poll(t, nullptr, items(wf, {1}), kStart, kStart)->has_value());
  const PollTrigger due = current(wf);

  // A second store on the same database plays the other process: both polled the same slot.
  auto other = open_backend(GetParam(), dir_.path(), &clock_);
  ASSERT_TRUE(other.ok());
  auto won = (*other)->polls().apply_poll(due, json("b"), items(wf, {2}), kStart + 1, kStart);
  ASSERT_TRUE(won.ok() && won->has_value());
  EXPECT_EQ((*won)->started.size(), 1u);
  auto lost = store_->polls().apply_poll(due, json("a"), items(wf, {2, 3}), kStart + 1, kStart);
  ASSERT_TRUE(lost.ok()) << lost.error().message;
  EXPECT_FALSE(lost->has_value());
  EXPECT_EQ(run_count(wf), 1u);
  EXPECT_EQ(current(wf).state, json("b"));
  auto failed = store_->polls().record_poll_failure(due, "late", kStart + 5, kStart);
  ASSERT_TRUE(failed.ok());
  EXPECT_FALSE(*failed);
}

TEST_P(PollStoreTest, SaveResetsOnlyWhenTheFingerprintChanges) {
  WorkflowRecord wf = make_workflow(org_a_, "poll");
  ASSERT_TRUE(store_->polls().put_trigger(want(wf)).ok());
  ASSERT_TRUE(store_->polls().apply_poll(current(wf), json(7), items(wf, {1, 2}), kStart + 300000, kStart)->has_value());
  ASSERT_TRUE(store_->polls().record_poll_failure(current(wf), "boom", kStart + 330000, kStart + 1).ok());

  // Unchanged trigger: everything kept (next_poll_at too).
  ASSERT_TRUE(store_->polls().put_trigger(want(wf)).ok());
  PollTrigger kept = current(wf);
  EXPECT_TRUE(kept.primed);
  EXPECT_EQ(kept.state, json(7));
  EXPECT_EQ(kept.failures, 1);
  EXPECT_EQ(kept.last_error, "boom");
  EXPECT_EQ(kept.next_poll_at, kStart + 330000);

  // Same fingerprint, another cron: the schedule changes, the cursor stays.
  PollTrigger hourly = want(wf);
  hourly.cron = "0 * * * *";
  ASSERT_TRUE(store_->polls().put_trigger(hourly).ok());
  kept = current(wf);
  EXPECT_EQ(kept.cron, "0 * * * *");
  EXPECT_EQ(kept.next_poll_at, kStart);
  EXPECT_TRUE(kept.primed);
  EXPECT_EQ(kept.state, json(7));
  EXPECT_EQ(*store_->polls().seen_count(org_a_, wf.id), 2);

  // Another fingerprint (block, inputs or credential changed): reset, seen ids dropped.
  ASSERT_TRUE(store_->polls().put_trigger(want(wf, "fp2")).ok());
  PollTrigger reset = current(wf);
  EXPECT_FALSE(reset.primed);
  EXPECT_TRUE(reset.state.is_null());
  EXPECT_EQ(reset.failures, 0);
  EXPECT_EQ(reset.last_error, "");
  EXPECT_FALSE(reset.last_poll_at.has_value());
  EXPECT_EQ(*store_->polls().seen_count(org_a_, wf.id), 0);
  // The next poll only primes again: ids 1 and 2 start nothing.
  auto again = store_->polls().apply_poll(reset, nullptr, items(wf, {3, 2, 1}), kStart, kStart);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_TRUE((*again)->priming);
  EXPECT_EQ(run_count(wf), 0u);
}

TEST_P(PollStoreTest, FailuresCountUpAndASuccessClearsThem) {
  WorkflowRecord wf = make_workflow(org_a_, "poll");
  ASSERT_TRUE(store_->polls().put_trigger(want(wf)).ok());
  ASSERT_TRUE(*store_->polls().record_poll_failure(current(wf), "HTTP 500", kStart + 30000, kStart));
  ASSERT_TRUE(*store_->polls().record_poll_failure(current(wf), "HTTP 502", kStart + 90000, kStart + 30000));
  PollTrigger t = current(wf);
  EXPECT_EQ(t.failures, 2);
  EXPECT_EQ(t.last_error, "HTTP 502");
  EXPECT_EQ(t.next_poll_at, kStart + 90000);
  EXPECT_FALSE(t.primed);
  ASSERT_TRUE(store_->polls().apply_poll(t, nullptr, {}, kStart + 300000, kStart + 90000)->has_value());
  t = current(wf);
  EXPECT_EQ(t.failures, 0);
  EXPECT_EQ(t.last_error, "");
  EXPECT_TRUE(t.primed);
}

TEST_P(PollStoreTest, DueTriggersAreSoonestFirst) {
  WorkflowRecord a = make_workflow(org_a_, "a");
  WorkflowRecord b = make_workflow(org_b_, "b");
  PollTrigger ta = want(a);
  ta.next_poll_at = kStart + 10;
  PollTrigger tb = want(b);
  tb.next_poll_at = kStart + 5;
  ASSERT_TRUE(store_->polls().put_trigger(ta).ok());
  ASSERT_TRUE(store_->polls().put_trigger(tb).ok());
  EXPECT_TRUE(store_->polls().due_triggers(kStart + 4, 10)->empty());
  auto due = store_->polls().due_triggers(kStart + 10, 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].workflow, b.id);
  EXPECT_EQ((*due)[1].workflow, a.id);
  EXPECT_EQ(store_->polls().due_triggers(kStart + 10, 1)->size(), 1u);
}

TEST_P(PollStoreTest, TenancyAndCascade) {
  WorkflowRecord wf = make_workflow(org_a_, "poll");
  PollTrigger foreign = want(wf);
  foreign.org = org_b_;
  EXPECT_EQ(code_of(store_->polls().put_trigger(foreign)), "not_found");
  ASSERT_TRUE(store_->polls().put_trigger(want(wf)).ok());
  // Another org neither sees nor replaces nor removes it.
  EXPECT_FALSE(store_->polls().get_trigger(org_b_, wf.id)->has_value());
  EXPECT_EQ(code_of(store_->polls().put_trigger(foreign)), "not_found");
  ASSERT_TRUE(store_->polls().remove_trigger(org_b_, wf.id).ok());
  EXPECT_TRUE(store_->polls().get_trigger(org_a_, wf.id)->has_value());
  EXPECT_EQ(*store_->polls().seen_count(org_b_, wf.id), 0);
  // A run of another workflow is refused, nothing written.
  WorkflowRecord other = make_workflow(org_a_, "other");
  auto wrong = store_->polls().apply_poll(current(wf), nullptr, items(other, {1}), kStart, kStart);
  EXPECT_EQ(code_of(wrong), "invalid_argument");
  std::vector<PollCandidate> empty_id = items(wf, {1});
  empty_id[0].item_id = "";
  EXPECT_EQ(code_of(store_->polls().apply_poll(current(wf), nullptr, empty_id, kStart, kStart)), "invalid_argument");
  std::vector<PollCandidate> too_many;
  for (int i = 0; i < static_cast<int>(kMaxPollCandidates) + 1; ++i) too_many.push_back(items(wf, {i})[0]);
  EXPECT_EQ(code_of(store_->polls().apply_poll(current(wf), nullptr, too_many, kStart, kStart)), "invalid_argument");
  EXPECT_FALSE(current(wf).primed);

  ASSERT_TRUE(store_->polls().apply_poll(current(wf), nullptr, items(wf, {1}), kStart, kStart)->has_value());
  ASSERT_TRUE(store_->workflows().remove(org_a_, wf.id).ok());
  EXPECT_FALSE(store_->polls().get_trigger(org_a_, wf.id)->has_value());
  EXPECT_EQ(*store_->polls().seen_count(org_a_, wf.id), 0);
}

TEST_P(PollStoreTest, KeepsOnlyTheNewestTenThousandIds) {
  WorkflowRecord wf = make_workflow(org_a_, "poll");
  ASSERT_TRUE(store_->polls().put_trigger(want(wf)).ok());
  // 11 pages of 1000 distinct ids: 0..10999. The first page primes.
  for (int page = 0; page < 11; ++page) {
    std::vector<PollCandidate> batch;
    for (int i = 0; i < 1000; ++i) batch.push_back(items(wf, {page * 1000 + i})[0]);
    auto applied = store_->polls().apply_poll(current(wf), nullptr, batch, kStart, kStart);
    ASSERT_TRUE(applied.ok() && applied->has_value()) << (applied.ok() ? "" : applied.error().message);
  }
  EXPECT_EQ(*store_->polls().seen_count(org_a_, wf.id), kMaxSeenPollItems);
  // Pages 2..11 started one run each (pending jobs count them all).
  EXPECT_EQ(*store_->jobs().pending_count(), 10000);
  // Id 999 (first page) was pruned: it starts a run again; id 1000 (second page) was kept.
  auto applied = store_->polls().apply_poll(current(wf), nullptr, items(wf, {999, 1000}), kStart, kStart);
  ASSERT_TRUE(applied.ok() && applied->has_value());
  EXPECT_EQ((*applied)->started.size(), 1u);
}

TEST_P(PollStoreTest, ReopenKeepsStateAndSeenIds) {
  WorkflowRecord wf = make_workflow(org_a_, "poll");
  ASSERT_TRUE(store_->polls().put_trigger(want(wf)).ok());
  ASSERT_TRUE(store_->polls().apply_poll(current(wf), {{"since", "x"}}, items(wf, {1, 2}), kStart, kStart)->has_value());
  reopen();
  PollTrigger t = current(wf);
  EXPECT_TRUE(t.primed);
  EXPECT_EQ(t.state, (json{{"since", "x"}}));
  auto applied = store_->polls().apply_poll(t, nullptr, items(wf, {2, 1}), kStart, kStart);
  ASSERT_TRUE(applied.ok() && applied->has_value());
  EXPECT_TRUE((*applied)->started.empty());
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, PollStoreTest, ::testing::ValuesIn(test_backends()), backend_name);

}  // namespace weft::store::test
