// store/sqlite/sqlite_store.h — owns the SQLite implementation of store::Store: one class per
// aggregate, all sharing one ConnectionPool (writes on the single writer connection, reads on
// the reader pool). Only open_store.cpp names these types; everything else uses store.h.
#pragma once

#include <memory>
#include <string>

#include "store/sqlite/connection_pool.h"
#include "store/sqlite/webhook_cache.h"
#include "store/store.h"

namespace weft::store::sqlite {

class SqliteOrgStore final : public OrgStore {
 public:
  SqliteOrgStore(ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<Org> create(const std::string& name) override;
  Result<Org> get(const OrgId& id) override;
  Result<std::optional<Org>> find_by_name(const std::string& name) override;
  Result<Org> ensure(const std::string& name) override;
  Result<std::vector<Org>> list() override;

 private:
  ConnectionPool& pool_;
  const Clock& clock_;
};

class SqliteWorkflowStore final : public WorkflowStore {
 public:
  SqliteWorkflowStore(ConnectionPool& pool, const Clock& clock, WebhookCache& webhooks)
      : pool_(pool), clock_(clock), webhooks_(webhooks) {}
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
  ConnectionPool& pool_;
  const Clock& clock_;
  WebhookCache& webhooks_;  // a new version or a removal changes what a webhook runs
};

class SqliteRunStore final : public RunStore {
 public:
  SqliteRunStore(ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
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
  // Every write of the batch in one group transaction (GroupCommit::run_all).
  void write_batch(std::vector<RunWrite>& batch) override;
  Result<std::vector<StepRunRecord>> steps(const OrgId& org, const RunId& id) override;

 private:
  // After a guarded UPDATE changed nothing: "not_found" if the run is not in `org`, else
  // "conflict" naming its (terminal) status. Runs on the caller's connection.
  Error transition_refused(Database& db, const OrgId& org, const RunId& id, const char* action);
  // record_step() on the writer, inside the group transaction.
  Status record_step_on(Database& db, const StepRunRecord& step);
  // record_step_on() of each (RunWrite::records), the run's state read once per run.
  Status record_steps_on(Database& db, std::span<const StepRunRecord> steps);
  Status insert_running_on(Database& db, const RunRecord& run, const Job& job);
  // finish_job() on the writer, inside the group transaction.
  Status finish_job_on(Database& db, const Job& job, RunStatus status, const json& output, const json& error,
                       TimeMs now, std::optional<RunRecord>& already, const std::string* output_text = nullptr);
  // RunWrite::complete on the writer: one write, all or none.
  Status complete_on(Database& db, RunWrite& write);

  ConnectionPool& pool_;
  const Clock& clock_;
};

class SqliteJobQueue final : public JobQueue {
 public:
  SqliteJobQueue(ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<std::optional<Job>> claim(const std::string& owner, TimeMs now, TimeMs lease_ms) override;
  Result<std::vector<Job>> claim_batch(const std::string& owner, TimeMs now, TimeMs lease_ms, int max) override;
  Result<std::optional<Job>> claim_run(const RunId& run, const std::string& owner, TimeMs now,
                                       TimeMs lease_ms) override;
  Result<bool> heartbeat(const JobId& id, const std::string& owner, TimeMs expires_at) override;
  Status complete(const JobId& id, const std::string& owner) override;
  Status release(const JobId& id, const std::string& owner, TimeMs available_at) override;
  Result<std::int64_t> pending_count() override;

 private:
  ConnectionPool& pool_;
  const Clock& clock_;
};

class SqliteCredentialStore final : public CredentialStore {
 public:
  SqliteCredentialStore(ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
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
  ConnectionPool& pool_;
  const Clock& clock_;
};

class SqliteSettingsStore final : public SettingsStore {
 public:
  SqliteSettingsStore(ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<std::optional<json>> get(const OrgId& org, const std::string& key) override;
  Status put(const OrgId& org, const std::string& key, const json& value) override;
  Status remove(const OrgId& org, const std::string& key) override;

 private:
  ConnectionPool& pool_;
  const Clock& clock_;
};

class SqliteAccountStore final : public AccountStore {
 public:
  SqliteAccountStore(ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
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
  ConnectionPool& pool_;
  const Clock& clock_;
};

class SqliteTriggerStore final : public TriggerStore {
 public:
  SqliteTriggerStore(ConnectionPool& pool, const Clock& clock, WebhookCache& webhooks)
      : pool_(pool), clock_(clock), webhooks_(webhooks) {}
  Status put_webhook(const WebhookTrigger& hook) override;
  Result<std::optional<WebhookTrigger>> find_webhook(const WorkflowId& workflow) override;
  std::optional<WebhookTrigger> peek_webhook(const WorkflowId& workflow) override;
  Status remove_webhook(const OrgId& org, const WorkflowId& workflow) override;

  Status put_schedule(const Schedule& schedule) override;
  Status remove_schedule(const OrgId& org, const WorkflowId& workflow) override;
  Result<std::optional<Schedule>> get_schedule(const OrgId& org,
                                               const WorkflowId& workflow) override;
  Result<std::vector<Schedule>> due_schedules(TimeMs now, int limit) override;
  Result<bool> fire_schedule(const Schedule& due, TimeMs next_fire_at,
                             const RunRecord& run) override;

 private:
  ConnectionPool& pool_;
  const Clock& clock_;
  WebhookCache& webhooks_;
};

class SqliteBundleStore final : public BundleStore {
 public:
  SqliteBundleStore(ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
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
  ConnectionPool& pool_;
  const Clock& clock_;
};

class SqliteAuditStore final : public AuditStore {
 public:
  SqliteAuditStore(ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<std::int64_t> append(const AuditEvent& event) override;
  Result<std::vector<AuditEvent>> list(const AuditFilter& filter) override;

 private:
  ConnectionPool& pool_;
  const Clock& clock_;
};

class SqlitePollStore final : public PollStore {
 public:
  SqlitePollStore(ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
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
  ConnectionPool& pool_;
  const Clock& clock_;
};

class SqliteAdvisoryStore final : public AdvisoryStore {
 public:
  SqliteAdvisoryStore(ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<std::vector<AdvisoryUpsert>> upsert(const std::vector<AdvisoryRecord>& records) override;
  Result<std::vector<AdvisoryRecord>> affecting(const std::vector<std::string>& packages) override;
  Result<std::int64_t> count() override;
  Result<std::vector<AdvisoryRecord>> list(const AdvisoryFilter& filter) override;

 private:
  ConnectionPool& pool_;
  const Clock& clock_;
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database file at `path`, applies pending migrations and
  // opens options.read_connections readers. options.clock must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   const StoreOptions& options);

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
  std::string backend() const override { return "sqlite"; }
  StoreStats stats() const override;
  Status check_ready() override;

 private:
  SqliteStore(std::unique_ptr<ConnectionPool> pool, const Clock& clock);

  std::unique_ptr<ConnectionPool> pool_;
  WebhookCache webhooks_;  // shared by workflows_ and triggers_
  SqliteOrgStore orgs_;
  SqliteWorkflowStore workflows_;
  SqliteRunStore runs_;
  SqliteJobQueue jobs_;
  SqliteCredentialStore credentials_;
  SqliteSettingsStore settings_;
  SqliteAccountStore accounts_;
  SqliteTriggerStore triggers_;
  SqliteBundleStore bundles_;
  SqliteAuditStore audit_;
  SqlitePollStore polls_;
  SqliteAdvisoryStore advisories_;
};

}  // namespace weft::store::sqlite
