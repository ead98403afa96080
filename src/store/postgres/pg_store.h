// store/postgres/pg_store.h — owns the PostgreSQL implementation of store::Store: one class per
// aggregate, all sharing one connection Pool; many processes may open the same database at once
// (every rule that SQLite's single writer kept is kept here by row locks, conditional updates
// and transactions). Lease times come from the database's clock (LeaseClock). Only
// open_store.cpp names these types; everything else uses store.h.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/postgres/pg_types.h"
#include "store/store.h"

namespace weft::store::postgres {


class PgOrgStore final : public OrgStore {
 public:
  PgOrgStore(Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<Org> create(const std::string& name) override;
  Result<Org> get(const OrgId& id) override;
  Result<std::optional<Org>> find_by_name(const std::string& name) override;
  Result<Org> ensure(const std::string& name) override;
  Result<std::vector<Org>> list() override;

 private:
  Pool& pool_;
  const Clock& clock_;
};

class PgWorkflowStore final : public WorkflowStore {
 public:
  PgWorkflowStore(Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<WorkflowRecord> create(const OrgId& org, const std::string& name,
                                const json& definition) override;
  Result<WorkflowRecord> save_version(const OrgId& org, const WorkflowId& id,
                                      const std::string& name, const json& definition) override;
  Result<WorkflowRecord> get(const OrgId& org, const WorkflowId& id,
                             std::optional<int> version) override;
  Result<int> version_of(const OrgId& org, const WorkflowId& id, std::optional<int> version) override;
  Result<std::optional<WorkflowRecord>> find_by_name(const OrgId& org,
                                                     const std::string& name) override;
  Result<std::vector<WorkflowRecord>> list(const OrgId& org) override;
  Status remove(const OrgId& org, const WorkflowId& id) override;

 private:
  Pool& pool_;
  const Clock& clock_;
};

class PgRunStore final : public RunStore {
 public:
  PgRunStore(Pool& pool, const Clock& clock, LeaseClock leases) : pool_(pool), clock_(clock), leases_(leases) {}
  Status create_queued(const RunRecord& run) override;
  Result<Job> create_running(const RunRecord& run, const std::string& owner, TimeMs lease_ms) override;
  Status insert_running(const RunRecord& run, const Job& job) override;
  Result<RunRecord> get(const OrgId& org, const RunId& id) override;
  Result<std::vector<RunRecord>> list(const OrgId& org, const RunFilter& filter) override;
  Status mark_running(const OrgId& org, const RunId& id, TimeMs now) override;
  Status finish(const OrgId& org, const RunId& id, RunStatus status, const json& output,
                const json& error, TimeMs now) override;
  Result<std::optional<RunRecord>> finish_job(const Job& job, RunStatus status, const json& output,
                                              const json& error, TimeMs now) override;
  Result<RunRecord> request_cancel(const OrgId& org, const RunId& id, TimeMs now) override;
  Status record_step(const StepRunRecord& step) override;
  // Every write of the batch in one transaction, each under its own savepoint: one commit.
  void write_batch(std::vector<RunWrite>& batch) override;
  Result<std::vector<StepRunRecord>> steps(const OrgId& org, const RunId& id) override;

 private:
  // After a guarded UPDATE changed nothing: "not_found" if the run is not in `org`, else
  // "conflict" naming its (terminal) status. Runs on the caller's connection.
  Error transition_refused(Connection& db, const OrgId& org, const RunId& id, const char* action);
  // record_step() inside the caller's transaction.
  Status record_step_on(Connection& db, const StepRunRecord& step);
  // record_step_on() of each (RunWrite::records), the run's state read once per run.
  Status record_steps_on(Connection& db, std::span<const StepRunRecord> steps);
  Status insert_running_on(Connection& db, const RunRecord& run, const Job& job);
  // finish_job() inside the caller's transaction.
  Status finish_job_on(Connection& db, const Job& job, RunStatus status, const json& output, const json& error,
                       TimeMs now, std::optional<RunRecord>& already, const std::string* output_text = nullptr);
  // RunWrite::complete inside the caller's transaction: all or none.
  Status complete_on(Connection& db, RunWrite& write);

  Pool& pool_;
  const Clock& clock_;
  const LeaseClock leases_;
};

class PgJobQueue final : public JobQueue {
 public:
  PgJobQueue(Pool& pool, const Clock& clock, LeaseClock leases) : pool_(pool), clock_(clock), leases_(leases) {}
  Result<std::optional<Job>> claim(const std::string& owner, TimeMs now, TimeMs lease_ms) override;
  Result<std::vector<Job>> claim_batch(const std::string& owner, TimeMs now, TimeMs lease_ms, int max) override;
  Result<std::optional<Job>> claim_run(const RunId& run, const std::string& owner, TimeMs now,
                                       TimeMs lease_ms) override;
  Result<bool> heartbeat(const JobId& id, const std::string& owner, TimeMs expires_at) override;
  Status complete(const JobId& id, const std::string& owner) override;
  Status release(const JobId& id, const std::string& owner, TimeMs available_at) override;
  Result<std::int64_t> pending_count() override;

 private:
  Pool& pool_;
  const Clock& clock_;
  const LeaseClock leases_;
};

class PgCredentialStore final : public CredentialStore {
 public:
  PgCredentialStore(Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Status insert(const CredentialRecord& record) override;
  Status update(const CredentialRecord& record) override;
  Result<CredentialRecord> get(const OrgId& org, const CredentialId& id) override;
  Result<std::vector<CredentialRecord>> list(const OrgId& org) override;
  Status remove(const OrgId& org, const CredentialId& id) override;
  Result<std::optional<std::vector<std::uint8_t>>> org_key(const OrgId& org) override;
  Result<std::vector<std::uint8_t>> put_org_key_if_absent(
      const OrgId& org, const std::vector<std::uint8_t>& wrapped) override;
  Result<std::vector<std::pair<OrgId, std::vector<std::uint8_t>>>> list_org_keys() override;
  Status replace_org_key(const OrgId& org, const std::vector<std::uint8_t>& expected,
                         const std::vector<std::uint8_t>& replacement) override;

 private:
  Pool& pool_;
  const Clock& clock_;
};

class PgSettingsStore final : public SettingsStore {
 public:
  PgSettingsStore(Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<std::optional<json>> get(const OrgId& org, const std::string& key) override;
  Status put(const OrgId& org, const std::string& key, const json& value) override;
  Status remove(const OrgId& org, const std::string& key) override;

 private:
  Pool& pool_;
  const Clock& clock_;
};

class PgAccountStore final : public AccountStore {
 public:
  PgAccountStore(Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<std::int64_t> user_count() override;
  Result<User> create_user(const std::string& email, const std::string& password_hash,
                           bool platform_admin) override;
  Result<std::pair<User, Org>> create_first_admin(const std::string& email,
                                                  const std::string& password_hash,
                                                  const std::string& org_name) override;
  Result<User> get_user(const UserId& id) override;
  Result<std::optional<User>> find_user_by_email(const std::string& email) override;

  Status put_member(const OrgId& org, const UserId& user, Role role) override;
  Status remove_member(const OrgId& org, const UserId& user) override;
  Result<std::optional<Role>> role_of(const OrgId& org, const UserId& user) override;
  Result<std::vector<Membership>> memberships_of(const UserId& user) override;
  Result<std::vector<std::pair<Membership, User>>> members(const OrgId& org) override;

  Status create_session(const Session& session) override;
  Result<std::optional<Session>> find_session(const std::string& token_hash, TimeMs now) override;
  Status set_session_org(const std::string& token_hash, const OrgId& org) override;
  Status delete_session(const std::string& token_hash) override;
  Result<std::int64_t> delete_expired_sessions(TimeMs now) override;

  Status create_api_token(const ApiToken& token) override;
  Result<std::optional<ApiToken>> find_api_token(const std::string& token_hash,
                                                 TimeMs now) override;
  Result<std::vector<ApiToken>> list_api_tokens(const UserId& user) override;
  Status delete_api_token(const UserId& user, const std::string& id) override;

  // Invitations: sqlite_invitations.cpp.
  Status create_invitation(const Invitation& invitation, int max_pending) override;
  Result<std::vector<Invitation>> list_invitations(const OrgId& org) override;
  Result<std::optional<Invitation>> find_invitation(const std::string& token_hash) override;
  Status delete_invitation(const OrgId& org, const std::string& id) override;
  Result<Invitation> accept_invitation(const std::string& token_hash, const UserId& user,
                                       TimeMs now) override;
  Result<std::pair<Invitation, User>> accept_invitation_as_new_user(
      const std::string& token_hash, const std::string& password_hash, TimeMs now) override;

 private:
  Pool& pool_;
  const Clock& clock_;
};

class PgTriggerStore final : public TriggerStore {
 public:
  PgTriggerStore(Pool& pool, const Clock& clock, LeaseClock leases) : pool_(pool), clock_(clock), leases_(leases) {}
  Status put_webhook(const WebhookTrigger& hook) override;
  Result<std::optional<WebhookTrigger>> find_webhook(const WorkflowId& workflow) override;
  Status remove_webhook(const OrgId& org, const WorkflowId& workflow) override;

  Status put_schedule(const Schedule& schedule) override;
  Status remove_schedule(const OrgId& org, const WorkflowId& workflow) override;
  Result<std::optional<Schedule>> get_schedule(const OrgId& org,
                                               const WorkflowId& workflow) override;
  Result<std::vector<Schedule>> due_schedules(TimeMs now, int limit) override;
  Result<bool> fire_schedule(const Schedule& due, TimeMs next_fire_at,
                             const RunRecord& run) override;

 private:
  Pool& pool_;
  const Clock& clock_;
  const LeaseClock leases_;  // queued runs claimable from whose now
};

class PgBundleStore final : public BundleStore {
 public:
  PgBundleStore(Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Status insert(const BundleRecord& record) override;
  Result<BundleRecord> get(const BundleId& id) override;
  Result<std::vector<BundleRecord>> visible_to(const OrgId& org) override;
  Result<std::vector<BundleRecord>> all() override;
  Status set_status(const BundleId& id, BundleStatus status, const std::string& error) override;
  Status set_disabled_blocks(const BundleId& id, const std::vector<std::string>& blocks) override;
  Status set_policy_state(const BundleId& id, BundleStatus status, const std::string& error,
                          const std::vector<std::string>& blocked_by) override;
  Status set_sbom(const BundleId& id, const json& sbom) override;
  Status remove(const BundleId& id) override;

 private:
  Pool& pool_;
  const Clock& clock_;
};

class PgAuditStore final : public AuditStore {
 public:
  PgAuditStore(Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<std::int64_t> append(const AuditEvent& event) override;
  Result<std::vector<AuditEvent>> list(const AuditFilter& filter) override;

 private:
  Pool& pool_;
  const Clock& clock_;
};

class PgPollStore final : public PollStore {
 public:
  PgPollStore(Pool& pool, const Clock& clock, LeaseClock leases) : pool_(pool), clock_(clock), leases_(leases) {}
  Status put_trigger(const PollTrigger& want) override;
  Status remove_trigger(const OrgId& org, const WorkflowId& workflow) override;
  Result<std::optional<PollTrigger>> get_trigger(const OrgId& org, const WorkflowId& workflow) override;
  Result<std::vector<PollTrigger>> due_triggers(TimeMs now, int limit) override;
  Result<std::optional<PollApplied>> apply_poll(const PollTrigger& due, const json& state,
                                                const std::vector<PollCandidate>& candidates,
                                                TimeMs next_poll_at, TimeMs now) override;
  Result<bool> record_poll_failure(const PollTrigger& due, const std::string& error, TimeMs next_poll_at,
                                   TimeMs now) override;
  Result<std::int64_t> seen_count(const OrgId& org, const WorkflowId& workflow) override;

 private:
  Pool& pool_;
  const Clock& clock_;
  const LeaseClock leases_;  // queued runs claimable from whose now
};

class PgAdvisoryStore final : public AdvisoryStore {
 public:
  PgAdvisoryStore(Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<std::vector<AdvisoryUpsert>> upsert(const std::vector<AdvisoryRecord>& records) override;
  Result<std::vector<AdvisoryRecord>> affecting(const std::vector<std::string>& packages) override;
  Result<std::int64_t> count() override;
  Result<std::vector<AdvisoryRecord>> list(const AdvisoryFilter& filter) override;

 private:
  Pool& pool_;
  const Clock& clock_;
};

class PgStore final : public Store {
 public:
  // Connects to the PostgreSQL database at `url` and applies pending migrations (under an
  // advisory lock). options.clock must outlive the store; when it is the system clock, lease
  // times come from the database's clock instead (every node then agrees on them).
  static Result<std::unique_ptr<PgStore>> open(const std::string& url, const StoreOptions& options);

  OrgStore& orgs() override { return orgs_; }
  WorkflowStore& workflows() override { return workflows_; }
  RunStore& runs() override { return runs_; }
  JobQueue& jobs() override { return jobs_; }
  CredentialStore& credentials() override { return credentials_; }
  SettingsStore& settings() override { return settings_; }
  AccountStore& accounts() override { return accounts_; }
  TriggerStore& triggers() override { return triggers_; }
  BundleStore& bundles() override { return bundles_; }
  AuditStore& audit() override { return audit_; }
  PollStore& polls() override { return polls_; }
  AdvisoryStore& advisories() override { return advisories_; }
  std::string backend() const override { return "postgres"; }
  StoreStats stats() const override;
  Status check_ready() override;
  // NOTIFYs from every process (the triggers of migrations/postgres): weft_jobs, weft_cancel,
  // weft_catalog.
  // A later call replaces the signals (empty ones: deliver nothing more).
  bool listen(StoreSignals signals) override;

 private:
  PgStore(std::string url, std::unique_ptr<Pool> pool, const Clock& clock, LeaseClock leases);

  const std::string url_;
  std::mutex signals_mutex_;  // held while a signal is delivered: listen({}) waits for it
  StoreSignals signals_;
  std::unique_ptr<Listener> listener_;  // started by the first listen()
  std::unique_ptr<Pool> pool_;
  PgOrgStore orgs_;
  PgWorkflowStore workflows_;
  PgRunStore runs_;
  PgJobQueue jobs_;
  PgCredentialStore credentials_;
  PgSettingsStore settings_;
  PgAccountStore accounts_;
  PgTriggerStore triggers_;
  PgBundleStore bundles_;
  PgAuditStore audit_;
  PgPollStore polls_;
  PgAdvisoryStore advisories_;
};

}  // namespace weft::store::postgres
