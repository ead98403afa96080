// The store contract for runs, steps and the job queue, run against every backend through the
// StoreTest fixture (instantiated in store_test.cpp).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "store/store_test_fixture.h"

namespace weft::store::test {
namespace {

TEST_P(StoreTest, RunsCreateGetAndListFilters) {
  WorkflowRecord wf1 = make_workflow(org_a_, "one");
  WorkflowRecord wf2 = make_workflow(org_a_, "two");
  std::vector<RunRecord> made;
  for (int i = 0; i < 6; ++i) {
    made.push_back(make_run(org_a_, i % 2 == 0 ? wf1.id : wf2.id, kStart + i * 100));
  }
  make_run(org_b_, wf1.id, kStart);  // another org's run never shows up

  auto got = store_->runs().get(org_a_, made[0].id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, RunStatus::queued);
  EXPECT_EQ(got->workflow, wf1.id);
  EXPECT_EQ(got->workflow_version, 1);
  EXPECT_EQ(got->input, made[0].input);
  EXPECT_TRUE(got->output.is_null());
  EXPECT_TRUE(got->error.is_null());
  EXPECT_FALSE(got->cancel_requested);
  EXPECT_EQ(got->created_at, kStart);
  EXPECT_FALSE(got->started_at.has_value());
  EXPECT_FALSE(got->finished_at.has_value());
  EXPECT_EQ(store_->runs().create_queued(made[0]).error().code, "conflict");

  auto all = store_->runs().list(org_a_, RunFilter{});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ((*all)[i].id, made[5 - i].id);  // newest first

  RunFilter by_workflow;
  by_workflow.workflow = wf2.id;
  auto wf2_runs = store_->runs().list(org_a_, by_workflow);
  ASSERT_EQ(wf2_runs->size(), 3u);
  EXPECT_EQ((*wf2_runs)[0].id, made[5].id);

  ASSERT_TRUE(store_->runs().mark_running(org_a_, made[1].id, kStart + 1000).ok());
  RunFilter by_status;
  by_status.status = RunStatus::running;
  auto running = store_->runs().list(org_a_, by_status);
  ASSERT_EQ(running->size(), 1u);
  EXPECT_EQ((*running)[0].id, made[1].id);

  RunFilter window;
  window.created_after = kStart + 100;   // inclusive
  window.created_before = kStart + 400;  // exclusive
  auto windowed = store_->runs().list(org_a_, window);
  ASSERT_EQ(windowed->size(), 3u);
  EXPECT_EQ((*windowed)[0].id, made[3].id);
  EXPECT_EQ((*windowed)[2].id, made[1].id);

  // Cursor pagination: pages of two, newest first, no overlap, nothing missed.
  std::vector<RunId> paged;
  RunFilter page;
  page.limit = 2;
  while (true) {
    auto rows = store_->runs().list(org_a_, page);
    ASSERT_TRUE(rows.ok());
    if (rows->empty()) break;
    EXPECT_LE(rows->size(), 2u);
    for (const auto& r : *rows) paged.push_back(r.id);
    page.before_id = rows->back().id;
  }
  ASSERT_EQ(paged.size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(paged[i], made[5 - i].id);

  RunFilter combined;
  combined.workflow = wf1.id;
  combined.before_id = made[4].id;
  auto older = store_->runs().list(org_a_, combined);
  ASSERT_EQ(older->size(), 2u);
  EXPECT_EQ((*older)[0].id, made[2].id);

  RunFilter clamp_low;
  clamp_low.limit = 0;
  EXPECT_EQ(store_->runs().list(org_a_, clamp_low)->size(), 1u);
  RunFilter clamp_high;
  clamp_high.limit = 100000;
  EXPECT_EQ(store_->runs().list(org_a_, clamp_high)->size(), 6u);
}

TEST_P(StoreTest, RunStartsAndFinishesExactlyOnce) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  auto& runs = store_->runs();
  ASSERT_TRUE(runs.mark_running(org_a_, run.id, kStart + 10).ok());
  ASSERT_TRUE(runs.mark_running(org_a_, run.id, kStart + 20).ok());  // resume keeps started_at
  EXPECT_EQ(runs.get(org_a_, run.id)->started_at, kStart + 10);
  EXPECT_EQ(runs.get(org_a_, run.id)->status, RunStatus::running);

  EXPECT_EQ(code_of(runs.finish(org_a_, run.id, RunStatus::running, nullptr, nullptr, kStart)),
            "invalid_argument");
  json output = {{"ok", true}};
  ASSERT_TRUE(runs.finish(org_a_, run.id, RunStatus::succeeded, output, nullptr, kStart + 50).ok());
  auto second = runs.finish(org_a_, run.id, RunStatus::failed, nullptr,
                            json{{"code", "boom"}}, kStart + 60);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "conflict");
  EXPECT_EQ(code_of(runs.mark_running(org_a_, run.id, kStart + 70)), "conflict");

  auto done = runs.get(org_a_, run.id);
  EXPECT_EQ(done->status, RunStatus::succeeded);
  EXPECT_EQ(done->output, output);
  EXPECT_TRUE(done->error.is_null());
  EXPECT_EQ(done->finished_at, kStart + 50);
  EXPECT_EQ(code_of(runs.mark_running(org_a_, RunId("run_missing"), kStart)), "not_found");
  EXPECT_EQ(code_of(runs.finish(org_a_, RunId("run_missing"), RunStatus::failed, nullptr,
                                nullptr, kStart)),
            "not_found");
}

TEST_P(StoreTest, ConcurrentFinishesOnlyOneWins) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  std::atomic<int> wins{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto done = store_->runs().finish(org_a_, run.id, RunStatus::failed, nullptr,
                                        json{{"who", i}}, kStart + i);
      if (done.ok()) ++wins;
      else if (done.error().code == "conflict") ++conflicts;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
}

TEST_P(StoreTest, RequestCancel) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  auto& runs = store_->runs();

  RunRecord queued = make_run(org_a_, wf.id, kStart);
  EXPECT_EQ(*store_->jobs().pending_count(), 1);
  auto cancelled = runs.request_cancel(org_a_, queued.id, kStart + 5);
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, RunStatus::cancelled);
  EXPECT_TRUE(cancelled->cancel_requested);
  EXPECT_EQ(cancelled->finished_at, kStart + 5);
  EXPECT_EQ(*store_->jobs().pending_count(), 0);  // its job is gone
  EXPECT_FALSE(store_->jobs().claim("w1", kStart + 10, 1000)->has_value());
  EXPECT_EQ(runs.get(org_a_, queued.id)->status, RunStatus::cancelled);

  RunRecord running = make_run(org_a_, wf.id, kStart + 1);
  auto job = store_->jobs().claim("w1", kStart + 10, 1000);
  ASSERT_TRUE(job->has_value());
  ASSERT_TRUE(runs.mark_running(org_a_, running.id, kStart + 11).ok());
  auto flagged = runs.request_cancel(org_a_, running.id, kStart + 12);
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->status, RunStatus::running);
  EXPECT_TRUE(flagged->cancel_requested);
  EXPECT_FALSE(flagged->finished_at.has_value());
  EXPECT_EQ(*store_->jobs().pending_count(), 1);  // the worker still owns it
  EXPECT_TRUE(runs.get(org_a_, running.id)->cancel_requested);

  // The worker notices and finishes it as cancelled; a later cancel changes nothing.
  ASSERT_TRUE(runs.finish(org_a_, running.id, RunStatus::cancelled, nullptr, nullptr, kStart + 20)
                  .ok());
  auto again = runs.request_cancel(org_a_, running.id, kStart + 30);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, RunStatus::cancelled);
  EXPECT_EQ(again->finished_at, kStart + 20);
  EXPECT_EQ(code_of(runs.request_cancel(org_a_, RunId("run_missing"), kStart)), "not_found");
}

TEST_P(StoreTest, RecordStepUpsertKeepsFirstOrder) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  auto& runs = store_->runs();
  EXPECT_TRUE(runs.steps(org_a_, run.id)->empty());

  ASSERT_TRUE(runs.record_step(make_step(run, "fetch", StepStatus::running)).ok());
  ASSERT_TRUE(runs.record_step(make_step(run, "b_transform", StepStatus::succeeded)).ok());
  ASSERT_TRUE(runs.record_step(make_step(run, "a_notify", StepStatus::skipped)).ok());
  StepRunRecord retried = make_step(run, "fetch", StepStatus::failed);
  retried.attempts = 3;
  retried.output = nullptr;
  retried.error = json{{"code", "timeout"}, {"message", "took too long"}};
  ASSERT_TRUE(runs.record_step(retried).ok());

  auto steps = runs.steps(org_a_, run.id);
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), 3u);
  EXPECT_EQ((*steps)[0].step_id, "fetch");
  EXPECT_EQ((*steps)[1].step_id, "b_transform");
  EXPECT_EQ((*steps)[2].step_id, "a_notify");
  const StepRunRecord& fetch = (*steps)[0];
  EXPECT_EQ(fetch.status, StepStatus::failed);
  EXPECT_EQ(fetch.attempts, 3);
  EXPECT_TRUE(fetch.output.is_null());
  EXPECT_EQ(fetch.error, retried.error);
  EXPECT_EQ(fetch.input, retried.input);
  EXPECT_EQ(fetch.logs, retried.logs);
  EXPECT_EQ(fetch.org, org_a_);
  EXPECT_EQ(fetch.run, run.id);
  EXPECT_EQ(fetch.finished_at, retried.finished_at);

  StepRunRecord orphan = make_step(run, "x", StepStatus::succeeded);
  orphan.run = RunId("run_missing");
  EXPECT_EQ(code_of(runs.record_step(orphan)), "not_found");
}

// What racing claimers took (per claimer, the ids it got): every one of `jobs` jobs, once.
void expect_each_claimed_once(const std::vector<std::vector<JobId>>& claimed, int jobs) {
  std::set<JobId> unique;
  std::size_t total = 0;
  for (const auto& ids : claimed) {
    total += ids.size();
    unique.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(total, static_cast<std::size_t>(jobs));
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(jobs));
}

TEST_P(StoreTest, JobsAreClaimedOldestFirst) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord late = make_run(org_a_, wf.id, kStart + 2);
  RunRecord early = make_run(org_b_, wf.id, kStart);
  RunRecord middle = make_run(org_a_, wf.id, kStart + 1);
  auto& jobs = store_->jobs();
  EXPECT_EQ(*jobs.pending_count(), 3);
  EXPECT_FALSE(jobs.claim("w1", kStart - 1, 1000)->has_value());  // not yet available
  std::vector<RunId> order;
  for (int i = 0; i < 3; ++i) {
    auto job = jobs.claim("w1", kStart + 10, 1000);
    ASSERT_TRUE(job.ok());
    ASSERT_TRUE(job->has_value());
    order.push_back((*job)->run);
  }
  EXPECT_EQ(order, (std::vector<RunId>{early.id, middle.id, late.id}));
  EXPECT_FALSE(jobs.claim("w1", kStart + 10, 1000)->has_value());
}

// A batch claim takes the oldest available jobs (at most `max`), leases each, counts the
// claim, takes over an expired lease (counting it) and marks each run running.
TEST_P(StoreTest, ClaimBatchTakesTheOldestAvailableJobs) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  std::vector<RunRecord> runs;
  for (int i = 0; i < 5; ++i) runs.push_back(make_run(i % 2 == 0 ? org_a_ : org_b_, wf.id, kStart + i));
  auto& jobs = store_->jobs();
  EXPECT_EQ(code_of(jobs.claim_batch("w1", kStart + 10, 1000, 0)), "invalid_argument");
  EXPECT_EQ(code_of(jobs.claim_batch("", kStart + 10, 1000, 2)), "invalid_argument");
  EXPECT_TRUE(jobs.claim_batch("w1", kStart - 1, 1000, 4)->empty());  // none available yet

  auto first = jobs.claim_batch("w1", kStart + 10, 1000, 3).take();
  ASSERT_EQ(first.size(), 3u);
  std::set<RunId> got;
  for (const Job& job : first) {
    got.insert(job.run);
    EXPECT_EQ(job.lease_owner, "w1");
    EXPECT_EQ(job.lease_expires_at, kStart + 1010);
    EXPECT_EQ(job.attempts, 1);
    EXPECT_EQ(job.expired_leases, 0);
    EXPECT_EQ(store_->runs().get(job.org, job.run)->status, RunStatus::running);
  }
  EXPECT_EQ(got, (std::set<RunId>{runs[0].id, runs[1].id, runs[2].id}));
  EXPECT_EQ(store_->runs().get(runs[3].org, runs[3].id)->status, RunStatus::queued);

  // The two left, though 4 were asked for; then nothing while the leases live.
  auto second = jobs.claim_batch("w2", kStart + 20, 1000, 4).take();
  ASSERT_EQ(second.size(), 2u);
  EXPECT_TRUE(jobs.claim_batch("w3", kStart + 30, 1000, 4)->empty());

  // w1's leases expired: taken over, and counted as expired.
  auto third = jobs.claim_batch("w3", kStart + 1011, 1000, 10).take();
  ASSERT_EQ(third.size(), 3u);
  for (const Job& job : third) {
    EXPECT_EQ(job.lease_owner, "w3");
    EXPECT_EQ(job.attempts, 2);
    EXPECT_EQ(job.expired_leases, 1);
  }
}

// Batch claimers racing for the same queue never share a job, and together take all of it.
TEST_P(StoreTest, ConcurrentBatchClaimsNeverDoubleClaim) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  constexpr int kJobs = 300;
  for (int i = 0; i < kJobs; ++i) make_run(org_a_, wf.id, kStart + i);
  std::vector<std::vector<JobId>> claimed(6);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      while (true) {
        auto batch = store_->jobs().claim_batch("worker-" + std::to_string(t), kStart + kJobs, 60'000, 1 + t * 3);
        if (!batch.ok()) {
          ++errors;
          return;
        }
        if (batch->empty()) return;
        for (const Job& job : *batch) claimed[t].push_back(job.id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  expect_each_claimed_once(claimed, kJobs);
}

TEST_P(StoreTest, ClaimRunTakesOnlyThatRunsJob) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord older = make_run(org_a_, wf.id, kStart);
  RunRecord mine = make_run(org_a_, wf.id, kStart + 1);
  auto& jobs = store_->jobs();
  auto job = jobs.claim_run(mine.id, "cli", kStart + 10, 1000);
  ASSERT_TRUE(job.ok());
  ASSERT_TRUE(job->has_value());
  EXPECT_EQ((*job)->run, mine.id);
  EXPECT_EQ((*job)->lease_owner, "cli");
  EXPECT_FALSE(jobs.claim_run(mine.id, "other", kStart + 20, 1000)->has_value());  // lease live
  EXPECT_TRUE(jobs.claim_run(mine.id, "other", kStart + 2000, 1000)->has_value());  // expired
  EXPECT_FALSE(jobs.claim_run(RunId("run_missing"), "cli", kStart, 1000)->has_value());
  auto next = jobs.claim("w", kStart + 20, 1000);
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->run, older.id);  // the untouched job is still there for workers
}

TEST_P(StoreTest, JobLeaseIsExclusiveUntilExpiry) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  auto& jobs = store_->jobs();

  auto claimed = jobs.claim("w1", kStart + 10, 1000);
  ASSERT_TRUE(claimed.ok());
  ASSERT_TRUE(claimed->has_value());
  const Job first = **claimed;
  EXPECT_EQ(first.run, run.id);
  EXPECT_EQ(first.org, org_a_);
  EXPECT_EQ(first.attempts, 1);
  EXPECT_EQ(first.lease_owner, "w1");
  EXPECT_EQ(first.lease_expires_at, kStart + 1010);
  EXPECT_EQ(first.id.str().rfind("job_", 0), 0u);

  EXPECT_FALSE(jobs.claim("w2", kStart + 20, 1000)->has_value());    // lease live
  EXPECT_FALSE(jobs.claim("w2", kStart + 1010, 1000)->has_value());  // live up to its expiry
  EXPECT_FALSE(*jobs.heartbeat(first.id, "w2", kStart + 5000));      // wrong owner
  EXPECT_TRUE(*jobs.heartbeat(first.id, "w1", kStart + 2000));
  EXPECT_FALSE(jobs.claim("w2", kStart + 1500, 1000)->has_value());  // extended lease

  // w1's lease runs out: w2 takes the job over.
  auto taken = jobs.claim("w2", kStart + 2001, 1000);
  ASSERT_TRUE(taken->has_value());
  EXPECT_EQ((*taken)->id, first.id);
  EXPECT_EQ((*taken)->attempts, 2);
  EXPECT_EQ((*taken)->lease_owner, "w2");
  EXPECT_FALSE(*jobs.heartbeat(first.id, "w1", kStart + 9000));  // w1 lost it
  ASSERT_TRUE(jobs.complete(first.id, "w1").ok());                // no-op: not the owner
  EXPECT_EQ(*jobs.pending_count(), 1);

  // Released jobs come back from available_at on.
  ASSERT_TRUE(jobs.release(first.id, "w2", kStart + 5000).ok());
  EXPECT_FALSE(*jobs.heartbeat(first.id, "w2", kStart + 6000));
  EXPECT_FALSE(jobs.claim("w3", kStart + 4999, 1000)->has_value());
  auto later = jobs.claim("w3", kStart + 5000, 1000);
  ASSERT_TRUE(later->has_value());
  EXPECT_EQ((*later)->attempts, 3);
  ASSERT_TRUE(jobs.complete(first.id, "w3").ok());
  EXPECT_EQ(*jobs.pending_count(), 0);
  // The first claim started the run in the same write; releasing its job does not stop it.
  EXPECT_EQ(store_->runs().get(org_a_, run.id)->status, RunStatus::running);
}

// Issue 8, finding 2: a claim that takes over an expired lease counts a crash of the previous
// holder; released or fresh jobs do not. The engine parks a job that keeps crashing workers.
TEST_P(StoreTest, Finding2ClaimsCountExpiredLeasesNotReleasedOnes) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  auto& jobs = store_->jobs();

  auto first = jobs.claim("w1", kStart + 10, 1000);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->expired_leases, 0);  // never leased before

  // w1 dies: its lease runs out and w2 takes over.
  auto second = jobs.claim("w2", kStart + 1011, 1000);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->expired_leases, 1);
  EXPECT_EQ((*second)->attempts, 2);

  // w2 gives it back (shutdown, a webhook's hand-back): not a crash.
  ASSERT_TRUE(jobs.release((*second)->id, "w2", kStart + 1100).ok());
  auto third = jobs.claim("w3", kStart + 1100, 1000);
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((*third)->expired_leases, 1);
  EXPECT_EQ((*third)->attempts, 3);

  // The same for claim_run (the CLI, a waiting webhook); the count survives a reopen.
  auto fourth = jobs.claim_run(run.id, "cli", kStart + 2101, 1000);
  ASSERT_TRUE(fourth.ok() && fourth->has_value());
  EXPECT_EQ((*fourth)->expired_leases, 2);
  reopen();
  auto fifth = store_->jobs().claim("w4", kStart + 3102, 1000);
  ASSERT_TRUE(fifth.ok() && fifth->has_value());
  EXPECT_EQ((*fifth)->expired_leases, 3);
  EXPECT_EQ((*fifth)->attempts, 5);
  // A heartbeat keeps the lease: no claim, no count.
  EXPECT_TRUE(*store_->jobs().heartbeat((*fifth)->id, "w4", kStart + 9000));
  EXPECT_FALSE(store_->jobs().claim("w5", kStart + 5000, 1000)->has_value());
}

// Issue 8, finding 2: a document at kMaxJsonDepth reads back; one nested deeper (written by an
// older version, or by hand) is an internal error when read, never a crash.
TEST_P(StoreTest, Finding2StoredDocumentsAreReadBackDepthLimited) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  StepRunRecord step = make_step(run, "deep", StepStatus::succeeded);
  step.output = json::array();
  for (int i = 1; i < kMaxJsonDepth; ++i) {
    json outer = json::array();
    outer.push_back(std::move(step.output));
    step.output = std::move(outer);
  }
  ASSERT_EQ(json_depth(step.output), static_cast<std::size_t>(kMaxJsonDepth));
  ASSERT_TRUE(store_->runs().record_step(step).ok());
  auto steps = store_->runs().steps(org_a_, run.id);
  ASSERT_TRUE(steps.ok()) << steps.error().message;
  EXPECT_EQ((*steps)[0].output, step.output);

  if (GetParam() != "sqlite") return;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() + "/weft.db").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* update = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE runs SET input = ?1 WHERE id = ?2", -1, &update, nullptr), SQLITE_OK);
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  sqlite3_bind_text(update, 1, deep.data(), static_cast<int>(deep.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(update, 2, run.id.str().c_str(), -1, SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(update), SQLITE_DONE);
  sqlite3_finalize(update);
  sqlite3_close(db);
  auto read = store_->runs().get(org_a_, run.id);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, "internal_error");
  EXPECT_NE(read.error().message.find("nested deeper than 512"), std::string::npos) << read.error().message;
}

TEST_P(StoreTest, ConcurrentClaimsNeverDoubleClaim) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) make_run(i % 2 == 0 ? org_a_ : org_b_, wf.id, kStart + i);

  std::vector<std::vector<JobId>> claimed(8);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const std::string owner = "worker-" + std::to_string(t);
      while (true) {
        auto job = store_->jobs().claim(owner, kStart + kJobs, 60'000);
        if (!job.ok()) {
          ++errors;
          return;
        }
        if (!job->has_value()) return;
        claimed[t].push_back((*job)->id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  expect_each_claimed_once(claimed, kJobs);
}

TEST_P(StoreTest, ConcurrentWritersAndReaders) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  constexpr int kWriters = 4;
  constexpr int kRunsEach = 10;
  constexpr int kStepsEach = 5;
  std::atomic<bool> writing{true};
  std::atomic<int> errors{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (writing.load()) {
        RunFilter filter;
        filter.limit = 500;
        auto runs = store_->runs().list(org_a_, filter);
        if (!runs.ok()) ++errors;
        for (const auto& run : runs.ok() ? *runs : std::vector<RunRecord>{}) {
          if (!store_->runs().steps(org_a_, run.id).ok()) ++errors;
        }
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&] {
      for (int i = 0; i < kRunsEach; ++i) {
        RunRecord run = make_run(org_a_, wf.id, kStart + i);
        if (!store_->runs().mark_running(org_a_, run.id, kStart + i).ok()) ++errors;
        for (int s = 0; s < kStepsEach; ++s) {
          if (!store_->runs().record_step(
                  make_step(run, "s" + std::to_string(s), StepStatus::succeeded)).ok()) {
            ++errors;
          }
        }
        if (!store_->runs().finish(org_a_, run.id, RunStatus::succeeded, json{{"i", i}}, nullptr,
                                   kStart + i).ok()) {
          ++errors;
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  writing = false;
  for (auto& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);

  RunFilter done;
  done.status = RunStatus::succeeded;
  done.limit = 500;
  auto finished = store_->runs().list(org_a_, done);
  ASSERT_TRUE(finished.ok());
  ASSERT_EQ(finished->size(), static_cast<std::size_t>(kWriters * kRunsEach));
  for (const auto& run : *finished) {
    EXPECT_EQ(store_->runs().steps(org_a_, run.id)->size(), static_cast<std::size_t>(kStepsEach));
  }
}

// A finish handed the output's text (json_text) stores that output, alone or in a batch, and
// completes the job in the same write.
TEST_P(StoreTest, WriteBatchFinishesWithTheOutputsText) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  std::vector<RunRecord> runs;
  std::vector<Job> jobs;
  for (int i = 0; i < 3; ++i) {
    RunRecord run = running_run(org_a_, wf.id);
    jobs.push_back(leased_job(run, "api/h1", 1000, clock_));
    runs.push_back(run);
    ASSERT_TRUE(store_->runs().insert_running(runs.back(), jobs.back()).ok());
  }
  const json outputs[] = {json{{"n", 0}, {"tag", "alone"}}, json{{"n", 1}, {"s", "caf\u00e9"}}, json::array({2})};
  const std::string texts[] = {json_text(outputs[0]), json_text(outputs[1]), json_text(outputs[2])};
  const json no_error;
  std::vector<RunWrite> alone{RunWrite::finish(jobs[0], RunStatus::succeeded, outputs[0], no_error, kStart + 5, &texts[0])};
  store_->runs().write_batch(alone);
  ASSERT_TRUE(alone[0].result.ok()) << alone[0].result.error().message;
  std::vector<RunWrite> together{RunWrite::finish(jobs[1], RunStatus::succeeded, outputs[1], no_error, kStart + 6, &texts[1]),
                                 RunWrite::finish(jobs[2], RunStatus::succeeded, outputs[2], no_error, kStart + 6, &texts[2])};
  store_->runs().write_batch(together);
  for (const RunWrite& w : together) ASSERT_TRUE(w.result.ok()) << w.result.error().message;
  for (int i = 0; i < 3; ++i) {
    auto got = store_->runs().get(org_a_, runs[i].id);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->status, RunStatus::succeeded);
    EXPECT_EQ(got->output, outputs[i]);
    EXPECT_EQ(got->output_text, nullptr);  // never read back
  }
  EXPECT_EQ(*store_->jobs().pending_count(), 0);
}

}  // namespace
}  // namespace weft::store::test

namespace weft::store::test {
namespace {

TEST_P(StoreTest, StepsOfAFinishedRunAreFinal) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  ASSERT_TRUE(store_->runs().mark_running(org_a_, run.id, kStart + 1).ok());
  ASSERT_TRUE(store_->runs().record_step(make_step(run, "a", StepStatus::succeeded)).ok());
  ASSERT_TRUE(store_->runs().finish(org_a_, run.id, RunStatus::succeeded, json(1), nullptr, kStart + 2).ok());
  auto late = store_->runs().record_step(make_step(run, "a", StepStatus::failed));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "conflict");
  auto steps = store_->runs().steps(org_a_, run.id);
  ASSERT_EQ(steps->size(), 1u);
  EXPECT_EQ((*steps)[0].status, StepStatus::succeeded);  // unchanged
  EXPECT_EQ(store_->runs().record_step(make_step(run, "b", StepStatus::succeeded)).error().code, "conflict");
}


// A claim starts its run in the same write (one write instead of two per run).
TEST_P(StoreTest, ClaimStartsTheRun) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  auto job = store_->jobs().claim("w1", kStart + 7, 1000);
  ASSERT_TRUE(job.ok() && job->has_value());
  auto got = store_->runs().get(org_a_, run.id);
  EXPECT_EQ(got->status, RunStatus::running);
  EXPECT_EQ(got->started_at, kStart + 7);
  // A run already cancelled keeps its state when its job is claimed by name.
  RunRecord other = make_run(org_a_, wf.id, kStart + 1);
  ASSERT_TRUE(store_->runs().request_cancel(org_a_, other.id, kStart + 2).ok());
  EXPECT_FALSE(store_->jobs().claim_run(other.id, "w1", kStart + 3, 1000)->has_value());
  EXPECT_EQ(store_->runs().get(org_a_, other.id)->status, RunStatus::cancelled);
}

// create_running: no queue round trip for a run its creator executes, but still claimable by
// a worker once the creator's lease expires (the creator died).
TEST_P(StoreTest, CreateRunningLeasesTheJobToItsCreator) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run;
  run.id = new_id<RunId>(clock_);
  run.org = org_a_;
  run.workflow = wf.id;
  run.workflow_version = 1;
  run.input = json{{"n", 1}};
  run.created_at = kStart;
  auto job = store_->runs().create_running(run, "api/h1", 1000);
  ASSERT_TRUE(job.ok()) << job.error().message;
  EXPECT_EQ(job->attempts, 1);
  EXPECT_EQ(job->lease_owner, "api/h1");
  EXPECT_EQ(job->lease_expires_at, kStart + 1000);
  EXPECT_EQ(job->run, run.id);
  auto got = store_->runs().get(org_a_, run.id);
  EXPECT_EQ(got->status, RunStatus::running);
  EXPECT_EQ(got->started_at, kStart);
  EXPECT_EQ(got->input, run.input);
  EXPECT_EQ(*store_->jobs().pending_count(), 1);
  // Nobody else may take it while the lease lives…
  EXPECT_FALSE(store_->jobs().claim("w1", kStart + 999, 1000)->has_value());
  EXPECT_TRUE(*store_->jobs().heartbeat(job->id, "api/h1", kStart + 1500));
  // …and once it expired a worker resumes it, counting the crash.
  auto taken = store_->jobs().claim("w1", kStart + 1501, 1000);
  ASSERT_TRUE(taken.ok() && taken->has_value());
  EXPECT_EQ((*taken)->id, job->id);
  EXPECT_EQ((*taken)->attempts, 2);
  EXPECT_EQ((*taken)->expired_leases, 1);
  // Same errors as create_queued.
  EXPECT_EQ(code_of(store_->runs().create_running(run, "api/h1", 1000)), "conflict");
  RunRecord stray = run;
  stray.id = new_id<RunId>(clock_);
  stray.org = OrgId("org_missing");
  EXPECT_EQ(code_of(store_->runs().create_running(stray, "api/h1", 1000)), "not_found");
  EXPECT_EQ(code_of(store_->runs().create_running(run, "", 1000)), "invalid_argument");
}

// finish_job ends the run and completes its job in one write; a run that had already ended
// is returned as it was, and its job still goes.
TEST_P(StoreTest, FinishJobEndsTheRunAndCompletesTheJob) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = make_run(org_a_, wf.id, kStart);
  auto job = store_->jobs().claim("w1", kStart + 1, 1000);
  ASSERT_TRUE(job.ok() && job->has_value());
  auto ended = store_->runs().finish_job(**job, RunStatus::succeeded, json{{"ok", true}}, nullptr, kStart + 5);
  ASSERT_TRUE(ended.ok()) << ended.error().message;
  EXPECT_FALSE(ended->has_value());  // this call ended it
  auto got = store_->runs().get(org_a_, run.id);
  EXPECT_EQ(got->status, RunStatus::succeeded);
  EXPECT_EQ(got->output, (json{{"ok", true}}));
  EXPECT_EQ(got->finished_at, kStart + 5);
  EXPECT_EQ(*store_->jobs().pending_count(), 0);

  RunRecord second = make_run(org_a_, wf.id, kStart + 10);
  auto job2 = store_->jobs().claim("w2", kStart + 11, 1000);
  ASSERT_TRUE(job2.ok() && job2->has_value());
  ASSERT_TRUE(store_->runs().finish(org_a_, second.id, RunStatus::failed, nullptr, json{{"code", "x"}}, kStart + 12).ok());
  auto late = store_->runs().finish_job(**job2, RunStatus::succeeded, json(1), nullptr, kStart + 13);
  ASSERT_TRUE(late.ok());
  ASSERT_TRUE(late->has_value());
  EXPECT_EQ((*late)->status, RunStatus::failed);  // a run ends exactly once
  EXPECT_EQ(*store_->jobs().pending_count(), 0);
  EXPECT_EQ(code_of(store_->runs().finish_job(**job2, RunStatus::running, nullptr, nullptr, kStart + 14)),
            "invalid_argument");
}

// The step loop's write: many runs' steps and endings at once, each as if made alone.
TEST_P(StoreTest, WriteBatchActsLikeEachWriteAlone) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord live = make_run(org_a_, wf.id, kStart);
  RunRecord ended = make_run(org_a_, wf.id, kStart + 1);
  auto live_job = store_->jobs().claim("w1", kStart + 2, 1000);
  auto ended_job = store_->jobs().claim("w2", kStart + 2, 1000);
  ASSERT_TRUE(live_job.ok() && live_job->has_value() && ended_job.ok() && ended_job->has_value());
  ASSERT_EQ((*live_job)->run, live.id);
  ASSERT_TRUE(store_->runs().finish(org_a_, ended.id, RunStatus::failed, nullptr, json{{"code", "x"}}, kStart + 3).ok());

  StepRunRecord live_step;
  live_step.run = live.id;
  live_step.org = org_a_;
  live_step.step_id = "a";
  live_step.attempts = 1;
  live_step.input = {{"n", 1}};
  live_step.output = {{"n", 2}};
  live_step.started_at = kStart + 4;
  live_step.finished_at = kStart + 5;
  StepRunRecord late_step = live_step;
  late_step.run = ended.id;
  const json output = {{"n", 2}}, no_error = nullptr;
  std::vector<RunWrite> batch{RunWrite::record(live_step), RunWrite::record(late_step),
                              RunWrite::finish(**live_job, RunStatus::succeeded, output, no_error, kStart + 6),
                              RunWrite::finish(**ended_job, RunStatus::succeeded, output, no_error, kStart + 6)};
  store_->runs().write_batch(batch);

  EXPECT_TRUE(batch[0].result.ok()) << batch[0].result.error().message;
  EXPECT_EQ(code_of(batch[1].result), "conflict");  // its run ended: its steps are final
  EXPECT_TRUE(batch[2].result.ok());
  EXPECT_FALSE(batch[2].already.has_value());  // this write ended the run
  ASSERT_TRUE(batch[3].result.ok());
  ASSERT_TRUE(batch[3].already.has_value());  // ended already: as stored
  EXPECT_EQ(batch[3].already->status, RunStatus::failed);

  auto got = store_->runs().get(org_a_, live.id);
  EXPECT_EQ(got->status, RunStatus::succeeded);
  EXPECT_EQ(got->output, output);
  auto steps = store_->runs().steps(org_a_, live.id);
  ASSERT_EQ(steps->size(), 1u);
  EXPECT_EQ((*steps)[0].output, (json{{"n", 2}}));
  EXPECT_TRUE(store_->runs().steps(org_a_, ended.id)->empty());
  EXPECT_EQ(*store_->jobs().pending_count(), 0);
}

// A run inserted in the batch that carries its first step (the step loop's waited runs): the
// record after the start sees the run; a start that fails (unknown org) leaves nothing, and
// the record after it fails alone.
TEST_P(StoreTest, WriteBatchStartsARunBeforeItsFirstStep) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = running_run(org_a_, wf.id);
  const Job job = leased_job(run, "api/h1", 1000, clock_);
  EXPECT_EQ(job.run, run.id);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.lease_expires_at, kStart + 1000);
  RunRecord stray = run;
  stray.id = new_id<RunId>(clock_);
  stray.org = OrgId("org_nope");
  const Job stray_job = leased_job(stray, "api/h2", 1000, clock_);
  StepRunRecord first = make_step(run, "a", StepStatus::succeeded);
  StepRunRecord stray_first = make_step(stray, "a", StepStatus::succeeded);

  std::vector<RunWrite> batch{RunWrite::start(run, job), RunWrite::record(first), RunWrite::start(stray, stray_job),
                              RunWrite::record(stray_first)};
  store_->runs().write_batch(batch);
  EXPECT_TRUE(batch[0].result.ok()) << batch[0].result.error().message;
  EXPECT_TRUE(batch[1].result.ok()) << batch[1].result.error().message;
  EXPECT_EQ(code_of(batch[2].result), "not_found");
  EXPECT_EQ(code_of(batch[3].result), "not_found");

  auto got = store_->runs().get(org_a_, run.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, RunStatus::running);
  EXPECT_EQ(got->started_at, kStart);
  EXPECT_EQ(store_->runs().steps(org_a_, run.id)->size(), 1u);
  // Leased to its creator: nobody claims it until the lease expires.
  EXPECT_FALSE(store_->jobs().claim("w1", kStart + 999, 1000)->has_value());
  auto claimed = store_->jobs().claim("w1", kStart + 1001, 1000);
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->run, run.id);
  EXPECT_EQ(*store_->jobs().pending_count(), 1);
}

// One run's held step records are one write (RunWrite::records): stored all together, or
// none of them when one fails (here: the last names a run that is not there); a failing
// records write undoes nothing of the other writes in the batch.
TEST_P(StoreTest, WriteBatchStoresAStepsWriteWholeOrNotAtAll) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  RunRecord run = running_run(org_a_, wf.id);
  RunRecord other = running_run(org_a_, wf.id);
  ASSERT_TRUE(store_->runs().insert_running(run, leased_job(run, "w1", 1000, clock_)).ok());
  ASSERT_TRUE(store_->runs().insert_running(other, leased_job(other, "w2", 1000, clock_)).ok());
  RunRecord missing = run;
  missing.id = new_id<RunId>(clock_);
  const std::vector<StepRunRecord> chain{make_step(run, "a", StepStatus::succeeded),
                                         make_step(run, "b", StepStatus::succeeded),
                                         make_step(run, "c", StepStatus::skipped)};
  std::vector<StepRunRecord> broken{make_step(other, "a", StepStatus::succeeded),
                                    make_step(other, "b", StepStatus::succeeded),
                                    make_step(missing, "c", StepStatus::succeeded)};
  std::vector<RunWrite> batch{RunWrite::records(broken), RunWrite::records(chain)};
  store_->runs().write_batch(batch);
  EXPECT_EQ(code_of(batch[0].result), "not_found");
  EXPECT_TRUE(batch[1].result.ok()) << batch[1].result.error().message;
  EXPECT_TRUE(store_->runs().steps(org_a_, other.id)->empty());  // none of it
  auto stored = store_->runs().steps(org_a_, run.id).take();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].step_id, "a");
  EXPECT_EQ(stored[1].step_id, "b");
  EXPECT_EQ(stored[2].step_id, "c");
  EXPECT_EQ(stored[2].status, StepStatus::skipped);

  // Alone in its batch, too.
  std::vector<RunWrite> alone{RunWrite::records(broken)};
  store_->runs().write_batch(alone);
  EXPECT_EQ(code_of(alone[0].result), "not_found");
  EXPECT_TRUE(store_->runs().steps(org_a_, other.id)->empty());
}

TEST_P(StoreTest, WriteBatchCompletesARunNeverStoredWithItsRecordsAndNoJob) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  const auto [fresh, fresh_job, stored, stored_job] = fresh_and_stored(wf.id);
  const std::vector<StepRunRecord> fresh_steps{make_step(fresh, "a", StepStatus::succeeded),
                                               make_step(fresh, "b", StepStatus::skipped)};
  const std::vector<StepRunRecord> stored_steps{make_step(stored, "a", StepStatus::succeeded)};
  const json output{{"out", "b"}, {"s", "caf\u00e9"}};
  const std::string text = json_text(output);
  const json no_error, no_output, failure{{"code", "step_failed"}};  // they must outlive the write
  std::vector<RunWrite> batch{
      RunWrite::complete(&fresh, fresh_job, fresh_steps, RunStatus::succeeded, output, no_error, kStart + 7, &text),
      RunWrite::complete(nullptr, stored_job, stored_steps, RunStatus::failed, no_output, failure, kStart + 8)};
  store_->runs().write_batch(batch);
  for (const RunWrite& w : batch) ASSERT_TRUE(w.result.ok()) << w.result.error().message;
  auto got = store_->runs().get(org_a_, fresh.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, RunStatus::succeeded);
  EXPECT_EQ(got->output, output);
  EXPECT_EQ(got->input, fresh.input);
  EXPECT_EQ(got->started_at, kStart);
  EXPECT_EQ(got->finished_at, kStart + 7);
  auto steps = store_->runs().steps(org_a_, fresh.id).take();
  ASSERT_EQ(steps.size(), 2u);
  for (std::size_t i = 0; i < steps.size(); ++i) expect_same_step(steps[i], fresh_steps[i]);  // as written
  EXPECT_EQ(code_of(store_->runs().steps(org_b_, fresh.id)), "not_found");  // tenancy
  // Its steps are final: a late record is refused and changes nothing.
  EXPECT_EQ(code_of(store_->runs().record_step(make_step(fresh, "late", StepStatus::succeeded))), "conflict");
  EXPECT_EQ(store_->runs().steps(org_a_, fresh.id)->size(), 2u);
  auto ended = store_->runs().get(org_a_, stored.id);
  EXPECT_EQ(ended->status, RunStatus::failed);
  EXPECT_EQ(ended->error, (json{{"code", "step_failed"}}));
  EXPECT_EQ(store_->runs().steps(org_a_, stored.id)->size(), 1u);
  EXPECT_EQ(*store_->jobs().pending_count(), 0);  // the fresh run's job was never stored

  // Again: the run exists, so nothing of this write is stored.
  const std::vector<StepRunRecord> again{make_step(fresh, "c", StepStatus::succeeded)};
  std::vector<RunWrite> twice{
      RunWrite::complete(&fresh, fresh_job, again, RunStatus::succeeded, output, no_error, kStart + 9)};
  store_->runs().write_batch(twice);
  EXPECT_EQ(code_of(twice[0].result), "conflict");
  EXPECT_EQ(store_->runs().steps(org_a_, fresh.id)->size(), 2u);
  EXPECT_EQ(store_->runs().get(org_a_, fresh.id)->finished_at, kStart + 7);
}

TEST_P(StoreTest, WriteBatchCompleteIsWholeOrNotAtAll) {
  WorkflowRecord wf = make_workflow(org_a_, "flow");
  const auto [fresh, fresh_job, stored, stored_job] = fresh_and_stored(wf.id);
  // A record of another run in each write: neither run is inserted, finished or recorded.
  RunRecord elsewhere = running_run(org_a_, wf.id);
  const std::vector<StepRunRecord> fresh_steps{make_step(fresh, "a", StepStatus::succeeded),
                                               make_step(elsewhere, "b", StepStatus::succeeded)};
  const std::vector<StepRunRecord> stored_steps{make_step(stored, "a", StepStatus::succeeded),
                                                make_step(elsewhere, "b", StepStatus::succeeded)};
  const json no_error, one = 1, two = 2, three = 3;
  std::vector<RunWrite> batch{
      RunWrite::complete(&fresh, fresh_job, fresh_steps, RunStatus::succeeded, one, no_error, kStart + 7),
      RunWrite::complete(nullptr, stored_job, stored_steps, RunStatus::succeeded, two, no_error, kStart + 7)};
  store_->runs().write_batch(batch);
  EXPECT_FALSE(batch[0].result.ok());
  EXPECT_FALSE(batch[1].result.ok());
  EXPECT_EQ(code_of(store_->runs().get(org_a_, fresh.id)), "not_found");
  auto still = store_->runs().get(org_a_, stored.id);
  EXPECT_EQ(still->status, RunStatus::running);
  EXPECT_TRUE(store_->runs().steps(org_a_, stored.id)->empty());
  EXPECT_EQ(*store_->jobs().pending_count(), 1);  // the stored run's job, still leased

  // And a finished run takes no completion: its records are final.
  ASSERT_TRUE(store_->runs().finish(org_a_, stored.id, RunStatus::cancelled, nullptr, nullptr, kStart + 8).ok());
  const std::vector<StepRunRecord> late{make_step(stored, "a", StepStatus::succeeded)};
  std::vector<RunWrite> after{
      RunWrite::complete(nullptr, stored_job, late, RunStatus::succeeded, three, no_error, kStart + 9)};
  store_->runs().write_batch(after);
  EXPECT_EQ(code_of(after[0].result), "conflict");
  EXPECT_EQ(store_->runs().get(org_a_, stored.id)->status, RunStatus::cancelled);
}

}  // namespace
}  // namespace weft::store::test
