// store/store_test_fixture.h — owns the backend-parameterised fixture shared by the store
// contract tests (store_test.cpp, store_runs_test.cpp, store_accounts_test.cpp): a fresh store
// per test, in its own temporary directory, from open_backend(); and expect_same_step, used by
// them and the backends' own tests. Test-only code.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "store/open_store.h"
#include "store/postgres/pg_test_schema.h"
#include "store/store.h"
#include "testing/temp_dir.h"

namespace weft::store::test {

inline constexpr TimeMs kStart = 1'700'000'000'000;

// The backends every contract test runs against. "postgres" runs on the test server that
// scripts/with_postgres.sh starts (make test does); without one its tests are skipped, unless
// WEFT_REQUIRE_POSTGRES is set (make test sets it), when they fail.
inline std::vector<std::string> test_backends() { return {"sqlite", "postgres"}; }

// Names each instantiation after its backend: Backends/StoreTest.Name/postgres.
inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// Why `backend` cannot run here ("" when it can): the skip message.
inline std::string backend_missing(const std::string& backend) {
  if (backend != "postgres" || !postgres::test_server_url().empty()) return "";
  return "no PostgreSQL test server (run the tests through scripts/with_postgres.sh, as make test does)";
}
inline bool backend_required(const std::string& backend) {
  return backend == "postgres" && std::getenv("WEFT_REQUIRE_POSTGRES") != nullptr;
}

// A schema name unique to `dir` (a test's temporary directory): the same dir reopens the same one.
inline std::string schema_for(const std::string& dir) { return postgres::schema_name_for(dir); }

// A fresh store of `backend` ("sqlite": a file under `dir`; "postgres": a schema of the test
// server named after `dir`); the caller owns it.
inline Result<std::unique_ptr<Store>> open_backend(const std::string& backend,
                                                   const std::string& dir, const Clock* clock) {
  StoreOptions options;
  options.clock = clock;
  options.read_connections = 3;
  if (backend == "sqlite") {
    options.url = "sqlite://" + dir + "/weft.db";
  } else if (backend == "postgres") {
    WEFT_TRY_ASSIGN(options.url, postgres::schema_url(postgres::test_server_url(), schema_for(dir)));
  } else {
    options.url = backend;
  }
  return open_store(options);
}

// Every field of a step record read back equals the one written (gtest expectations).
inline void expect_same_step(const StepRunRecord& got, const StepRunRecord& want) {
  EXPECT_EQ(got.run, want.run);
  EXPECT_EQ(got.org, want.org);
  EXPECT_EQ(got.step_id, want.step_id);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.attempts, want.attempts);
  EXPECT_EQ(got.input, want.input);
  EXPECT_EQ(got.output, want.output);
  EXPECT_EQ(got.logs, want.logs);
  EXPECT_EQ(got.error, want.error);
  EXPECT_EQ(got.started_at, want.started_at);
  EXPECT_EQ(got.finished_at, want.finished_at);
  EXPECT_EQ(got.bundle_vendor, want.bundle_vendor);
  EXPECT_EQ(got.bundle_version, want.bundle_version);
}

// Each test gets a fresh store (param: the backend name), a manual clock at kStart and two
// organizations, org_a_ ("acme") and org_b_ ("globex").
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (std::string missing = backend_missing(GetParam()); !missing.empty()) {
      if (backend_required(GetParam())) FAIL() << missing;
      GTEST_SKIP() << missing;
    }
    reopen();
    if (HasFatalFailure()) return;
    auto a = store_->orgs().ensure("acme");
    auto b = store_->orgs().ensure("globex");
    ASSERT_TRUE(a.ok() && b.ok());
    org_a_ = a->id;
    org_b_ = b->id;
  }

  // Closes the store (if open) and opens the same database again.
  void reopen() {
    store_.reset();
    auto opened = open_backend(GetParam(), dir_.path(), &clock_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).take();
  }

  WorkflowRecord make_workflow(const OrgId& org, const std::string& name) {
    const json definition = {{"name", name}, {"steps", json::array()}};
    auto wf = store_->workflows().create(org, name, definition);
    EXPECT_TRUE(wf.ok()) << wf.error().message;
    return *wf;
  }

  RunRecord make_run(const OrgId& org, const WorkflowId& wf, TimeMs created_at) {
    RunRecord run;
    run.id = new_id<RunId>(clock_);
    run.org = org;
    run.workflow = wf;
    run.workflow_version = 1;
    run.input = json{{"n", created_at}};
    run.created_at = created_at;
    Status created = store_->runs().create_queued(run);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return run;
  }

  // A run as its creator starts it (running since kStart), not stored: for insert_running and
  // RunWrite::start.
  RunRecord running_run(const OrgId& org, const WorkflowId& wf) {
    RunRecord run;
    run.id = new_id<RunId>(clock_);
    run.org = org;
    run.workflow = wf;
    run.workflow_version = 1;
    run.status = RunStatus::running;
    run.input = json{{"n", 1}};
    run.created_at = kStart;
    run.started_at = kStart;
    return run;
  }

  // RunWrite::complete's two cases: a run never stored, with the job it would have had, and one
  // stored running with its job leased.
  struct FreshAndStored {
    RunRecord fresh;
    Job fresh_job;
    RunRecord stored;
    Job stored_job;
  };
  FreshAndStored fresh_and_stored(const WorkflowId& wf) {
    FreshAndStored out;
    out.fresh = running_run(org_a_, wf);
    out.fresh_job = leased_job(out.fresh, "api/h1", 1000, clock_);
    out.stored = running_run(org_a_, wf);
    out.stored_job = leased_job(out.stored, "api/h2", 1000, clock_);
    EXPECT_TRUE(store_->runs().insert_running(out.stored, out.stored_job).ok());
    return out;
  }

  StepRunRecord make_step(const RunRecord& run, const std::string& step_id, StepStatus status) {
    StepRunRecord step;
    step.run = run.id;
    step.org = run.org;
    step.step_id = step_id;
    step.status = status;
    step.attempts = 1;
    step.input = json{{"in", step_id}};
    step.output = json{{"out", step_id}};
    step.logs = json::array({json{{"level", "info"}, {"message", "hello " + step_id}}});
    step.started_at = clock_.now_ms();
    step.finished_at = clock_.now_ms() + 5;
    return step;
  }

  CredentialRecord make_credential(const OrgId& org, const std::string& name) {
    CredentialRecord cred;
    cred.id = new_id<CredentialId>(clock_);
    cred.org = org;
    cred.provider = "slack";
    cred.type = "bot_token";
    cred.name = name;
    cred.sealed = {1, 2, 3, 0, 255};
    cred.created_at = clock_.now_ms();
    cred.updated_at = cred.created_at;
    return cred;
  }

  weft::testing::TempDir dir_;
  ManualClock clock_{kStart};
  std::unique_ptr<Store> store_;
  OrgId org_a_;
  OrgId org_b_;
};

template <typename T>
std::string code_of(const Result<T>& result) {
  return result.ok() ? "ok" : result.error().code;
}

}  // namespace weft::store::test
