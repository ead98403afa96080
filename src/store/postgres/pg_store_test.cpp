// What only the PostgreSQL backend has: migrations under an advisory lock, the refusal of a
// newer schema, start-up errors that never show the password, lease times on the database's
// clock, claims from many processes at once (SKIP LOCKED), and LISTEN/NOTIFY signals. Runs on
// the test server of scripts/with_postgres.sh; skipped without one (failed under make test).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "pg/connection.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_test_schema.h"
#include "store/store_test_fixture.h"

namespace weft::store::postgres {
namespace {

using namespace std::chrono_literals;
using test::backend_missing;
using test::backend_required;
using test::schema_for;

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string missing = backend_missing("postgres"); !missing.empty()) {
      if (backend_required("postgres")) FAIL() << missing;
      GTEST_SKIP() << missing;
    }
    auto url = schema_url(test_server_url(), schema_for(dir_.path()));
    ASSERT_TRUE(url.ok()) << url.error().message;
    url_ = *url;
  }

  // A store on this test's schema; the system clock unless `clock` is given.
  std::unique_ptr<Store> open(const Clock* clock = nullptr) {
    StoreOptions options;
    options.url = url_;
    options.clock = clock != nullptr ? clock : &SystemClock::instance();
    auto store = open_store(options);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).take() : nullptr;
  }

  Result<std::unique_ptr<Connection>> connect() { return Connection::open(url_); }

  RunRecord queued_run(Store& store, const OrgId& org, const WorkflowId& wf) {
    RunRecord run;
    run.id = new_id<RunId>();
    run.org = org;
    run.workflow = wf;
    run.workflow_version = 1;
    run.input = json{{"n", 1}};
    run.created_at = SystemClock::instance().now_ms();
    EXPECT_TRUE(store.runs().create_queued(run).ok());
    return run;
  }

  weft::testing::TempDir dir_;
  std::string url_;
};

TEST_F(PgStoreTest, ProcessesOpeningTogetherApplyTheMigrationsOnce) {
  // Eight stores (each its own connections, as separate processes would have) open a fresh
  // schema at the same moment: each migration is recorded once and every store works.
  std::vector<std::unique_ptr<Store>> stores(8);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (auto& slot : stores) {
    threads.emplace_back([&] {
      StoreOptions options;
      options.url = url_;
      auto opened = open_store(options);
      if (!opened.ok()) {
        ++failures;
        return;
      }
      slot = std::move(opened).take();
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  auto db = connect();
  ASSERT_TRUE(db.ok()) << db.error().message;
  Query q = (*db)->query("SELECT COUNT(*), COUNT(DISTINCT number) FROM schema_migrations");
  ASSERT_TRUE(*q.step());
  EXPECT_EQ(q.int64(0), static_cast<std::int64_t>(embedded_migrations().size()));
  EXPECT_EQ(q.int64(0), q.int64(1));
  for (auto& store : stores) {
    ASSERT_NE(store, nullptr);
    EXPECT_TRUE(store->orgs().ensure("acme").ok());
  }
  EXPECT_EQ(stores[0]->orgs().list()->size(), 1u);
}

TEST_F(PgStoreTest, ADatabaseMigratedByANewerWeftIsRefused) {
  ASSERT_NE(open(), nullptr);
  {
    auto db = connect();
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->exec("INSERT INTO schema_migrations (number, name, applied_at) VALUES (9999, '9999_future', 0)").ok());
  }
  StoreOptions options;
  options.url = url_;
  auto refused = open_store(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "database_too_new");
  EXPECT_EQ(refused.error().details["database_version"], 9999);
}

TEST_F(PgStoreTest, AWrongPasswordIsAClearErrorThatNeverShowsThePassword) {
  // The test server's url is postgresql://weft:PASSWORD@host:port/db; swap in a wrong password.
  const std::string base = test_server_url();
  const auto at = base.find('@');
  const auto colon = base.find(':', std::string("postgresql://").size());
  ASSERT_NE(at, std::string::npos);
  const std::string wrong = base.substr(0, colon + 1) + "not-the-Secret-9876" + base.substr(at);
  StoreOptions options;
  options.url = wrong;
  auto refused = open_store(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "database_auth_failed");
  EXPECT_TRUE(refused.error().is_public);
  EXPECT_EQ(refused.error().message.find("not-the-Secret-9876"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find(base.substr(colon + 1, at - colon - 1)), std::string::npos);
}

TEST_F(PgStoreTest, LeasesAreTimedByTheDatabaseClockNotTheCallers) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  auto org = store->orgs().ensure("acme");
  auto wf = store->workflows().create(org->id, "wf", json{{"steps", json::array()}});
  ASSERT_TRUE(wf.ok());
  queued_run(*store, org->id, wf->id);
  // A node whose clock is an hour behind: its lease still ends lease_ms after the database's now.
  const TimeMs skewed = SystemClock::instance().now_ms() - 3'600'000;
  auto job = store->jobs().claim("node-a", skewed, 30'000);
  ASSERT_TRUE(job.ok() && job->has_value()) << (job.ok() ? "none" : job.error().message);
  const TimeMs expected = SystemClock::instance().now_ms() + 30'000;
  EXPECT_NEAR(static_cast<double>((*job)->lease_expires_at), static_cast<double>(expected), 5'000.0);
  // Nor can a node whose clock runs an hour ahead take that lease over.
  auto stolen = store->jobs().claim("node-b", skewed + 7'200'000, 30'000);
  ASSERT_TRUE(stolen.ok());
  EXPECT_FALSE(stolen->has_value());
  // A run queued by a node whose clock runs an hour ahead is claimable now, by the database's
  // clock, not in an hour.
  RunRecord ahead;
  ahead.id = new_id<RunId>();
  ahead.org = org->id;
  ahead.workflow = wf->id;
  ahead.workflow_version = 1;
  ahead.created_at = SystemClock::instance().now_ms() + 3'600'000;
  ASSERT_TRUE(store->runs().create_queued(ahead).ok());
  auto early = store->jobs().claim("node-c", SystemClock::instance().now_ms(), 30'000);
  ASSERT_TRUE(early.ok());
  ASSERT_TRUE(early->has_value()) << "a run queued by a fast clock waited for it";
  EXPECT_EQ((*early)->run, ahead.id);
  // A heartbeat extends the lease from the database's now by as long as asked.
  auto kept = store->jobs().heartbeat((*job)->id, "node-a", SystemClock::instance().now_ms() + 60'000);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(*kept);
}

TEST_F(PgStoreTest, ClaimersInManyProcessesNeverShareAJob) {
  auto setup = open();
  ASSERT_NE(setup, nullptr);
  auto org = setup->orgs().ensure("acme");
  auto wf = setup->workflows().create(org->id, "wf", json{{"steps", json::array()}});
  constexpr int kRuns = 300;
  for (int i = 0; i < kRuns; ++i) queued_run(*setup, org->id, wf->id);

  // Four "processes" (stores of their own), two claiming threads each, batches of up to 7.
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(open());
  std::mutex mutex;
  std::vector<std::string> claimed;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Store& store = *stores[t % 4];
      const std::string owner = "worker-" + std::to_string(t);
      while (true) {
        auto batch = store.jobs().claim_batch(owner, SystemClock::instance().now_ms(), 60'000, 7);
        if (!batch.ok()) {
          ++errors;
          return;
        }
        if (batch->empty()) return;
        std::lock_guard lock(mutex);
        for (const Job& job : *batch) claimed.push_back(job.id.str());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kRuns));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), static_cast<std::size_t>(kRuns));
  // Every claimed run is running now (the claim and the start are one transaction).
  RunFilter filter;
  filter.status = RunStatus::running;
  filter.limit = 500;
  auto running = setup->runs().list(org->id, filter);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->size(), static_cast<std::size_t>(kRuns));
}

TEST_F(PgStoreTest, AnotherProcessHearsQueuedJobsAndCancelRequests) {
  auto listener = open();
  auto other = open();
  ASSERT_TRUE(listener && other);
  std::atomic<int> jobs{0};
  std::mutex mutex;
  std::vector<std::string> cancelled;
  listener->listen({.jobs_available = [&] { ++jobs; },
                    .cancel_requested = [&](const RunId& run) {
                      std::lock_guard lock(mutex);
                      cancelled.push_back(run.str());
                    },
                    .catalog_changed = nullptr});
  auto org = other->orgs().ensure("acme");
  auto wf = other->workflows().create(org->id, "wf", json{{"steps", json::array()}});
  // LISTEN is asynchronous: queue runs until one is heard (the first ones may predate it).
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (jobs.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    queued_run(*other, org->id, wf->id);
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_GT(jobs.load(), 0) << "no weft_jobs notification arrived";

  // A claim (a lease taken) signals nothing; a cancel of a running run is heard with its id.
  const RunRecord run = queued_run(*other, org->id, wf->id);
  auto job = other->jobs().claim_run(run.id, "worker", SystemClock::instance().now_ms(), 60'000);
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_TRUE(other->runs().request_cancel(org->id, run.id, SystemClock::instance().now_ms()).ok());
  const auto cancel_deadline = std::chrono::steady_clock::now() + 10s;
  bool heard = false;
  while (!heard && std::chrono::steady_clock::now() < cancel_deadline) {
    {
      std::lock_guard lock(mutex);
      heard = std::find(cancelled.begin(), cancelled.end(), run.id.str()) != cancelled.end();
    }
    if (!heard) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(heard) << "no weft_cancel notification for " << run.id.str();
  listener->listen({});  // stops delivering before the counters above go out of scope
}

}  // namespace
}  // namespace weft::store::postgres
