// store/store.h — owns the backend-neutral persistence interface, split by aggregate.
// Every method is scoped by organization (tenancy is a filter here). No SQL, no backend type
// appears in this header: engine, vault and cli code against it, never against SQLite.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/model.h"

namespace weft::store {

// All interfaces are thread-safe: any thread may call any method concurrently.
// Errors: "not_found" when the row does not exist *in that org*, "conflict" on a uniqueness
// clash, "internal_error" (Error::internal, never shown to users) when the backend fails.

class OrgStore {
 public:
  virtual ~OrgStore() = default;
  virtual Result<Org> create(const std::string& name) = 0;
  virtual Result<Org> get(const OrgId& id) = 0;
  virtual Result<std::optional<Org>> find_by_name(const std::string& name) = 0;
  // Returns the org named `name`, creating it if absent (race-safe).
  virtual Result<Org> ensure(const std::string& name) = 0;
  virtual Result<std::vector<Org>> list() = 0;
};

class WorkflowStore {
 public:
  virtual ~WorkflowStore() = default;
  // Creates a workflow at version 1.
  virtual Result<WorkflowRecord> create(const OrgId& org, const std::string& name,
                                        const json& definition) = 0;
  // Saves a new version (latest + 1) of an existing workflow.
  virtual Result<WorkflowRecord> save_version(const OrgId& org, const WorkflowId& id,
                                              const std::string& name, const json& definition) = 0;
  // The given version, or the latest when `version` is empty.
  virtual Result<WorkflowRecord> get(const OrgId& org, const WorkflowId& id,
                                     std::optional<int> version = std::nullopt) = 0;
  // The number of the given version, or of the latest when `version` is empty, if it exists
  // (not_found otherwise): what starting a run needs, without reading the definition. This
  // default reads it through get().
  virtual Result<int> version_of(const OrgId& org, const WorkflowId& id, std::optional<int> version = std::nullopt) {
    WEFT_TRY_ASSIGN(auto record, get(org, id, version));
    return record.version;
  }
  // Latest version of the workflow named `name`, if any.
  virtual Result<std::optional<WorkflowRecord>> find_by_name(const OrgId& org,
                                                             const std::string& name) = 0;
  // Latest version of every workflow of the org, newest first.
  virtual Result<std::vector<WorkflowRecord>> list(const OrgId& org) = 0;
  // Deletes the workflow and all its versions (its runs stay, for history).
  virtual Status remove(const OrgId& org, const WorkflowId& id) = 0;
};

// One write of RunStore::write_batch: step records of one run, a new running run with its
// leased job, the end of a run with its job, or a run's last records with its end.
struct RunWrite {
  enum class Kind { record, start, finish, complete };
  Kind kind = Kind::record;
  // record: record_step() of each of `steps`, in order, as one write: all of them are stored
  // or none (the engine lists one run's held records, each after the steps it read; the
  // contract suite checks it). start: insert_running(*run, *job). finish:
  // finish_job(*job, status, *output, *error, now); output_text, when set, is
  // json_text(*output), written as it is (the output is serialised once). complete: a run's
  // last records and its end as one write, all or none: with `run` set (a run its creator ran
  // to the end before it was ever stored) the run is inserted already ended, with its records
  // and started_at = created_at, and no job is ever stored (`job` is the lease it would have
  // had); otherwise the records of `steps`, then finish_job(*job, …) as above.
  std::span<const StepRunRecord> steps;
  const RunRecord* run = nullptr;
  const Job* job = nullptr;
  RunStatus status = RunStatus::succeeded;
  const json* output = nullptr;
  const json* error = nullptr;
  const std::string* output_text = nullptr;
  TimeMs now = 0;
  // Set by write_batch: what the single call would have returned (record: the first failure).
  Status result;
  std::optional<RunRecord> already;  // finish: the run as stored when it was terminal already
                                     // (complete: never; its records would have been refused)

  // `step` (or every record of `steps`) must outlive the write.
  static RunWrite record(const StepRunRecord& step) { return records({&step, 1}); }
  static RunWrite records(std::span<const StepRunRecord> steps) {
    RunWrite w;
    w.steps = steps;
    return w;
  }
  // `run` and `job` must outlive the write.
  static RunWrite start(const RunRecord& run, const Job& job) {
    RunWrite w;
    w.kind = Kind::start;
    w.run = &run;
    w.job = &job;
    return w;
  }
  // `output`, `error` and `output_text` (null, or json_text(output)) must outlive the write.
  static RunWrite finish(const Job& job, RunStatus status, const json& output, const json& error, TimeMs now,
                         const std::string* output_text = nullptr) {
    RunWrite w;
    w.kind = Kind::finish;
    w.job = &job;
    w.status = status;
    w.output = &output;
    w.error = &error;
    w.output_text = output_text;
    w.now = now;
    return w;
  }
  // finish() after `steps`; `unstored` (or null), `steps` and the rest must outlive the write.
  static RunWrite complete(const RunRecord* unstored, const Job& job, std::span<const StepRunRecord> steps,
                           RunStatus status, const json& output, const json& error, TimeMs now,
                           const std::string* output_text = nullptr) {
    RunWrite w = finish(job, status, output, error, now, output_text);
    w.kind = Kind::complete;
    w.run = unstored;
    w.steps = steps;
    return w;
  }
};

// The job create_running() leases to `owner`: a new id, attempts 1, the lease until
// run.created_at + lease_ms.
Job leased_job(const RunRecord& run, const std::string& owner, TimeMs lease_ms, const Clock& clock);

class RunStore {
 public:
  virtual ~RunStore() = default;
  // Inserts `run` (status queued) and enqueues its job in one transaction.
  // `run.id`, org, workflow, version, input and created_at must be set.
  virtual Status create_queued(const RunRecord& run) = 0;
  // create_queued() for a run its creator executes at once (a webhook caller waiting for the
  // answer): in the same write the run is running (started_at = created_at) and its job is
  // leased to `owner` until created_at + lease_ms, with attempts 1. If the creator dies the
  // lease expires and any worker resumes the run like any other. Returns the job.
  virtual Result<Job> create_running(const RunRecord& run, const std::string& owner,
                                     TimeMs lease_ms) = 0;
  // create_running() with the job chosen by the caller (leased_job()): a creator that runs the
  // run's first steps before the run is stored writes both in one batch (write_batch).
  virtual Status insert_running(const RunRecord& run, const Job& job) = 0;
  virtual Result<RunRecord> get(const OrgId& org, const RunId& id) = 0;
  // Newest first, at most filter.limit rows.
  virtual Result<std::vector<RunRecord>> list(const OrgId& org, const RunFilter& filter) = 0;
  // queued|running → running; sets started_at if not set. "conflict" if the run is terminal.
  virtual Status mark_running(const OrgId& org, const RunId& id, TimeMs now) = 0;
  // running|queued → succeeded|failed|cancelled with output/error. "conflict" if already
  // terminal (a run finishes exactly once).
  virtual Status finish(const OrgId& org, const RunId& id, RunStatus status, const json& output,
                        const json& error, TimeMs now) = 0;
  // finish() and JobQueue::complete(job.id, job.lease_owner) in one write. Empty when this
  // call ended the run (it now holds exactly status, output, error and finished_at = now);
  // otherwise the run was terminal already and is returned as stored (its job is completed
  // all the same).
  virtual Result<std::optional<RunRecord>> finish_job(const Job& job, RunStatus status,
                                                      const json& output, const json& error,
                                                      TimeMs now) = 0;
  // Sets cancel_requested; a queued run becomes cancelled at once. Returns the new record.
  virtual Result<RunRecord> request_cancel(const OrgId& org, const RunId& id, TimeMs now) = 0;
  // Inserts or replaces the row (run, step_id). Durable when this returns.
  virtual Status record_step(const StepRunRecord& step) = 0;
  // Every recorded step of the run, in the order they were first recorded.
  virtual Result<std::vector<StepRunRecord>> steps(const OrgId& org, const RunId& id) = 0;
  // Makes every write of `batch` (many runs' starts, steps and endings: the engine's step loop)
  // in order and sets each one's result as if it had been made alone: one write's failure
  // never undoes another's, and each is durable when this returns. A backend commits them in as few
  // transactions as it can; this default makes one call each.
  virtual void write_batch(std::vector<RunWrite>& batch);
};

class JobQueue {
 public:
  virtual ~JobQueue() = default;
  // Claims the oldest available job (never leased, or lease expired) for `owner` until
  // now + lease_ms, and in the same write marks its run running (queued → running, started_at
  // set) unless it is terminal. Empty when nothing is available. Two callers never get the same job while
  // its lease is live. Every claim counts in Job::attempts; a claim that takes over an expired
  // lease (not a released one) also counts in Job::expired_leases, in the same statement.
  virtual Result<std::optional<Job>> claim(const std::string& owner, TimeMs now,
                                           TimeMs lease_ms) = 0;
  // claim() of up to `max` jobs at once in one write: the oldest available ones, returned in
  // no particular order (a worker with many free slots: the engine's step loop). Empty when
  // nothing is available.
  virtual Result<std::vector<Job>> claim_batch(const std::string& owner, TimeMs now, TimeMs lease_ms,
                                               int max) = 0;
  // Claims the job of run `run` specifically (the CLI running its own run), on the same terms
  // as claim(). Empty when that job is leased by someone else or does not exist.
  virtual Result<std::optional<Job>> claim_run(const RunId& run, const std::string& owner,
                                               TimeMs now, TimeMs lease_ms) = 0;
  // Extends the lease to `expires_at` if `owner` still holds it; false if the lease was lost.
  virtual Result<bool> heartbeat(const JobId& id, const std::string& owner, TimeMs expires_at) = 0;
  // Removes the job (the run reached a terminal state). No-op if `owner` lost the lease.
  virtual Status complete(const JobId& id, const std::string& owner) = 0;
  // Gives the job back (e.g. on shutdown) so another worker may claim it from `available_at`.
  virtual Status release(const JobId& id, const std::string& owner, TimeMs available_at) = 0;
  // Jobs not yet completed (leased or not).
  virtual Result<std::int64_t> pending_count() = 0;
};

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  // Inserts a new credential ("conflict" if the id exists).
  virtual Status insert(const CredentialRecord& record) = 0;
  // Replaces name and sealed secret of an existing credential (rotation).
  virtual Status update(const CredentialRecord& record) = 0;
  virtual Result<CredentialRecord> get(const OrgId& org, const CredentialId& id) = 0;
  // Metadata and sealed bytes of every credential of the org, oldest first.
  virtual Result<std::vector<CredentialRecord>> list(const OrgId& org) = 0;
  virtual Status remove(const OrgId& org, const CredentialId& id) = 0;

  // The org's wrapped data key, if one was stored.
  virtual Result<std::optional<std::vector<std::uint8_t>>> org_key(const OrgId& org) = 0;
  // Stores `wrapped` as the org's data key unless one exists; returns the key that is stored
  // afterwards (the existing one wins a race).
  virtual Result<std::vector<std::uint8_t>> put_org_key_if_absent(
      const OrgId& org, const std::vector<std::uint8_t>& wrapped) = 0;
  // Every org's wrapped data key, by org id (master-key rotation and checks).
  virtual Result<std::vector<std::pair<OrgId, std::vector<std::uint8_t>>>> list_org_keys() = 0;
  // Stores `replacement` as the org's wrapped key if `expected` is still the stored one (compare
  // and set: a key re-wrapped meanwhile is left alone). Errors: not_found (no key stored),
  // conflict (another key is stored now).
  virtual Status replace_org_key(const OrgId& org, const std::vector<std::uint8_t>& expected,
                                 const std::vector<std::uint8_t>& replacement) = 0;
};

// Small per-org key/value settings (policies, trigger state…). Values are JSON. An empty OrgId
// names the platform-wide settings (the default policies).
class SettingsStore {
 public:
  virtual ~SettingsStore() = default;
  virtual Result<std::optional<json>> get(const OrgId& org, const std::string& key) = 0;
  virtual Status put(const OrgId& org, const std::string& key, const json& value) = 0;
  virtual Status remove(const OrgId& org, const std::string& key) = 0;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;
  virtual Result<std::int64_t> user_count() = 0;
  // Email is lower-cased before storing; "conflict" if it is taken.
  virtual Result<User> create_user(const std::string& email, const std::string& password_hash,
                                   bool platform_admin) = 0;
  // First-start setup, atomic: only while no user exists ("conflict" otherwise) creates a
  // platform-admin user, an org named `org_name` and the user's admin membership.
  virtual Result<std::pair<User, Org>> create_first_admin(const std::string& email,
                                                          const std::string& password_hash,
                                                          const std::string& org_name) = 0;
  virtual Result<User> get_user(const UserId& id) = 0;
  virtual Result<std::optional<User>> find_user_by_email(const std::string& email) = 0;

  // Adds the membership or changes its role (keeping its created_at). "not_found" when the org
  // or the user does not exist.
  virtual Status put_member(const OrgId& org, const UserId& user, Role role) = 0;
  // "not_found" when the user is not a member of `org`.
  virtual Status remove_member(const OrgId& org, const UserId& user) = 0;
  virtual Result<std::optional<Role>> role_of(const OrgId& org, const UserId& user) = 0;
  // The user's memberships, oldest first.
  virtual Result<std::vector<Membership>> memberships_of(const UserId& user) = 0;
  // The org's members with their user records, oldest membership first.
  virtual Result<std::vector<std::pair<Membership, User>>> members(const OrgId& org) = 0;

  virtual Status create_session(const Session& session) = 0;
  // The session if it exists and expires_at > now.
  virtual Result<std::optional<Session>> find_session(const std::string& token_hash, TimeMs now) = 0;
  // An empty `org` clears the active org. "not_found" when the session or the org is missing.
  virtual Status set_session_org(const std::string& token_hash, const OrgId& org) = 0;
  // No-op when the session does not exist (logging out twice is fine).
  virtual Status delete_session(const std::string& token_hash) = 0;
  // Removes sessions with expires_at <= now; returns how many.
  virtual Result<std::int64_t> delete_expired_sessions(TimeMs now) = 0;

  virtual Status create_api_token(const ApiToken& token) = 0;
  // The token if it exists and is not expired at `now`.
  virtual Result<std::optional<ApiToken>> find_api_token(const std::string& token_hash, TimeMs now) = 0;
  // Every token of the user, expired ones included, oldest first.
  virtual Result<std::vector<ApiToken>> list_api_tokens(const UserId& user) = 0;
  // "not_found" (and nothing deleted) unless token `id` exists and belongs to `user`.
  virtual Status delete_api_token(const UserId& user, const std::string& id) = 0;

  // --- invitations (model.h: Invitation and its lifecycle) ---
  // Inserts `invitation` as pending and, in the same transaction, deletes the org's other
  // pending invitations for the same email (a new invitation replaces them). id, org, email,
  // token_hash and expires_at must be set ("invalid_argument"); the email is lower-cased.
  // Errors: "not_found" (org or inviter missing), "conflict" (id or token hash taken),
  // "limit_reached" (nothing inserted) when the org already has `max_pending` pending ones.
  virtual Status create_invitation(const Invitation& invitation, int max_pending) = 0;
  // Every invitation of the org, whatever its state, newest first.
  virtual Result<std::vector<Invitation>> list_invitations(const OrgId& org) = 0;
  // The invitation whose token has this hash, whatever its state (any org: the token names it).
  virtual Result<std::optional<Invitation>> find_invitation(const std::string& token_hash) = 0;
  // Deletes invitation `id` of `org`, whatever its state. "not_found" unless it is in `org`.
  virtual Status delete_invitation(const OrgId& org, const std::string& id) = 0;
  // In one transaction, only if the invitation with this token hash is pending at `now`: marks
  // it accepted by `user` at `now` and gives `user` its role in its org (put_member semantics).
  // Returns the updated invitation. "not_found" when there is no such pending invitation
  // (unknown, used, expired or deleted): of concurrent accepts of one token exactly one wins.
  // "not_found" too when `user` does not exist. The store does not compare emails.
  virtual Result<Invitation> accept_invitation(const std::string& token_hash, const UserId& user,
                                               TimeMs now) = 0;
  // The same for a new account, in the same transaction: creates a (non platform-admin) user
  // with the invitation's email and `password_hash`, then accepts as that user. "conflict" (and
  // nothing changed) when the email already has an account.
  virtual Result<std::pair<Invitation, User>> accept_invitation_as_new_user(
      const std::string& token_hash, const std::string& password_hash, TimeMs now) = 0;
};

// Webhook and schedule triggers, at most one of each per workflow. Deleting a workflow deletes
// its webhook and its schedule.
class TriggerStore {
 public:
  virtual ~TriggerStore() = default;
  // Sets (or replaces: rotation) the webhook secret hash of a workflow. "not_found" unless the
  // workflow exists in hook.org.
  virtual Status put_webhook(const WebhookTrigger& hook) = 0;
  // Looked up by workflow id alone: the webhook URL names no org.
  virtual Result<std::optional<WebhookTrigger>> find_webhook(const WorkflowId& workflow) = 0;
  // The webhook of `workflow` if this process knows it without blocking: a backend's copy of
  // what find_webhook read lately, fresh within that backend's bound (a write through this
  // store is seen at once). nullopt means "ask find_webhook", never "there is none". For the
  // network thread, which must not wait for the database.
  virtual std::optional<WebhookTrigger> peek_webhook(const WorkflowId& /*workflow*/) { return std::nullopt; }
  // No-op when the workflow has no webhook.
  virtual Status remove_webhook(const OrgId& org, const WorkflowId& workflow) = 0;

  // Creates or replaces the schedule of a workflow (after a save with a schedule trigger).
  // "not_found" unless the workflow exists in schedule.org.
  virtual Status put_schedule(const Schedule& schedule) = 0;
  // No-op when the workflow has no schedule.
  virtual Status remove_schedule(const OrgId& org, const WorkflowId& workflow) = 0;
  virtual Result<std::optional<Schedule>> get_schedule(const OrgId& org, const WorkflowId& workflow) = 0;
  // Schedules with next_fire_at <= now, soonest first, at most `limit`.
  virtual Result<std::vector<Schedule>> due_schedules(TimeMs now, int limit) = 0;
  // Atomically: if the schedule still has next_fire_at == due.next_fire_at, move it to
  // `next_fire_at` and create `run` (queued) with its job. True when this caller fired the slot;
  // false when another process already did (or the schedule changed). `run` must name the
  // schedule's org and workflow ("invalid_argument" otherwise).
  virtual Result<bool> fire_schedule(const Schedule& due, TimeMs next_fire_at, const RunRecord& run) = 0;
};

// A workflow's polling trigger (trigger {"type":"bundle"}): the block it polls, when, the
// cursor its last successful poll returned and what the workflow shows about it.
struct PollTrigger {
  WorkflowId workflow;
  OrgId org;
  std::string block;        // "github.newIssue"
  std::string fingerprint;  // identifies block + inputs + credential; another one resets the row
  std::string cron;         // 5 fields
  std::string timezone;     // IANA name
  TimeMs next_poll_at = 0;
  json state = nullptr;     // the cursor the last applied poll returned (null before)
  bool primed = false;      // the first poll (which starts no run) was applied
  int failures = 0;         // consecutive failed polls
  std::string last_error;   // public message of the last failure ("" after a success)
  std::optional<TimeMs> last_poll_at;
  std::int64_t generation = 0;  // compare-and-set token of apply_poll / record_poll_failure
};

// One item a poll returned, with the run it starts if its id is new.
struct PollCandidate {
  std::string item_id;  // canonical JSON of the item's id (42 or "abc"), at most 1024 bytes
  RunRecord run;        // queued run whose input is the item
};

struct PollApplied {
  bool priming = false;          // this was the first poll: ids recorded, no run started
  std::vector<RunId> started;    // runs created, in candidate order
};

// Keeps the last kMaxSeenPollItems item ids per workflow (the oldest seen are dropped).
inline constexpr std::int64_t kMaxSeenPollItems = 10000;
// Candidates one apply_poll takes.
inline constexpr std::size_t kMaxPollCandidates = 1000;

// Polling triggers, at most one per workflow; deleting the workflow deletes it.
class PollStore {
 public:
  virtual ~PollStore() = default;
  // After a save with a bundle trigger. Absent → created (unprimed, due at want.next_poll_at).
  // Present with another fingerprint → reset: state null, unprimed, no failures, seen ids
  // dropped, due at want.next_poll_at. Same fingerprint, other cron or timezone → those and
  // next_poll_at replaced, the rest kept. Same everything → nothing changes. "not_found" unless
  // the workflow exists in want.org.
  virtual Status put_trigger(const PollTrigger& want) = 0;
  // No-op when the workflow has none.
  virtual Status remove_trigger(const OrgId& org, const WorkflowId& workflow) = 0;
  virtual Result<std::optional<PollTrigger>> get_trigger(const OrgId& org, const WorkflowId& workflow) = 0;
  // Triggers with next_poll_at <= now, soonest first, at most `limit` (1..500).
  virtual Result<std::vector<PollTrigger>> due_triggers(TimeMs now, int limit) = 0;
  // Atomically, if the row still has due.generation: stores `state`, records every candidate's
  // id as seen (the newest kMaxSeenPollItems kept) and — unless the row was not primed yet —
  // creates the run (with its job) of each candidate whose id it had not seen, in order (a
  // duplicate id within `candidates` starts one run); then primed, failures 0, last_error "",
  // last_poll_at = now, next_poll_at, generation + 1. Empty when the row changed meanwhile (another
  // process applied this slot, or a save reset it): nothing written. Errors: "invalid_argument"
  // (more than kMaxPollCandidates, a run of another org or workflow, an empty or long id).
  virtual Result<std::optional<PollApplied>> apply_poll(const PollTrigger& due, const json& state,
                                                        const std::vector<PollCandidate>& candidates,
                                                        TimeMs next_poll_at, TimeMs now) = 0;
  // Atomically, if the row still has due.generation: failures + 1, last_error = `error`,
  // last_poll_at = now, next_poll_at, generation + 1. False when the row changed meanwhile.
  virtual Result<bool> record_poll_failure(const PollTrigger& due, const std::string& error,
                                           TimeMs next_poll_at, TimeMs now) = 0;
  // How many item ids the workflow's trigger remembers (0 without a trigger).
  virtual Result<std::int64_t> seen_count(const OrgId& org, const WorkflowId& workflow) = 0;
};

class BundleStore {
 public:
  virtual ~BundleStore() = default;
  // Adds an uploaded version. "conflict" when the same vendor + version already exists in that
  // scope (and org); "not_found" when record.org names no organization.
  virtual Status insert(const BundleRecord& record) = 0;
  // Any scope, any org: callers check visibility (visible_to). "not_found" when absent.
  virtual Result<BundleRecord> get(const BundleId& id) = 0;
  // Every version visible to `org` (its own and the platform's), by vendor then upload time.
  virtual Result<std::vector<BundleRecord>> visible_to(const OrgId& org) = 0;
  // Every record of every scope (boot, and the catalog's republish), by upload time.
  virtual Result<std::vector<BundleRecord>> all() = 0;
  // Sets status and error. "not_found" when absent.
  virtual Status set_status(const BundleId& id, BundleStatus status, const std::string& error) = 0;
  // Replaces the switched-off block ids. "not_found" when absent.
  virtual Status set_disabled_blocks(const BundleId& id, const std::vector<std::string>& blocks) = 0;
  // Sets status, error and the policy reasons that block it in one write. "not_found" when absent.
  virtual Status set_policy_state(const BundleId& id, BundleStatus status, const std::string& error,
                                  const std::vector<std::string>& blocked_by) = 0;
  // Records the SBOM of a record uploaded before records kept one. "not_found" when absent.
  virtual Status set_sbom(const BundleId& id, const json& sbom) = 0;
  // Deletes the record. "not_found" when absent.
  virtual Status remove(const BundleId& id) = 0;
};

// The audit log of bundle and policy events: append-only.
class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // Appends `event` (its id is assigned) and returns the id.
  virtual Result<std::int64_t> append(const AuditEvent& event) = 0;
  // Newest first, at most filter.limit (1..500).
  virtual Result<std::vector<AuditEvent>> list(const AuditFilter& filter) = 0;
};

// One imported security advisory (an OSV document; policy/advisory.h reads it).
struct AdvisoryRecord {
  std::string id;                     // "GHSA-jf85-cpcp-j695"
  std::string modified;               // the document's `modified`, as written
  TimeMs modified_ms = 0;             // the same in ms (UTC): a newer one replaces a stored one
  std::vector<std::string> packages;  // npm package names it affects (sorted, unique once stored)
  json document;                      // the OSV document, whole
  TimeMs imported_at = 0;             // set by the store when it (re)writes the row
};

// What upsert did with one record.
enum class AdvisoryUpsert { inserted, updated, unchanged /* same or older modified: kept as stored */ };

struct AdvisoryFilter {
  std::optional<std::string> package;    // only advisories affecting this npm package
  std::optional<std::string> before_id;  // pagination cursor: ids ordered before this one
  int limit = 50;                        // 1..500
};

// Imported security advisories, platform-wide (no org: every org reviews against the same ones).
class AdvisoryStore {
 public:
  virtual ~AdvisoryStore() = default;
  // Inserts each record, or replaces the stored one with the same id when record.modified_ms is
  // newer (an equal or older one is left as stored: `unchanged`). One transaction for the
  // batch; the outcomes in the order of `records`. "invalid_argument" (nothing written) when a
  // record has no id or no package, or the batch names an id twice.
  virtual Result<std::vector<AdvisoryUpsert>> upsert(const std::vector<AdvisoryRecord>& records) = 0;
  // Every advisory affecting any of `packages` (npm names), by id; each once.
  virtual Result<std::vector<AdvisoryRecord>> affecting(const std::vector<std::string>& packages) = 0;
  virtual Result<std::int64_t> count() = 0;
  // By id, descending (the newest GHSA/CVE ids first), at most filter.limit (clamped to 1..500).
  virtual Result<std::vector<AdvisoryRecord>> list(const AdvisoryFilter& filter) = 0;
};

// One open database. References returned by the accessors live as long as the Store.
struct StoreStats {
  std::uint64_t write_transactions = 0;  // commits of the hot-path writes (group commit)
  std::uint64_t writes = 0;              // hot-path writes those commits carried
  int connections_open = 0;              // database connections open now (a pool: PostgreSQL)
  int connections_in_use = 0;            // of those, leased to a caller now
};

// What other processes sharing the database did, as this process hears it (PostgreSQL:
// LISTEN/NOTIFY). Each callback runs on a backend thread and must not block. A backend whose
// database no other process writes (SQLite) never calls them: its writers tell the process.
// Once it starts hearing, and again after a lost connection, a backend calls each once more
// (with an empty id), as it may have missed some.
struct StoreSignals {
  std::function<void()> jobs_available;                // a job was queued or given back
  std::function<void(const RunId&)> cancel_requested;  // a run's cancel was requested
  std::function<void()> catalog_changed;               // a bundle record was added, changed or removed
};

class Store {
 public:
  virtual ~Store() = default;
  virtual OrgStore& orgs() = 0;
  virtual WorkflowStore& workflows() = 0;
  virtual RunStore& runs() = 0;
  virtual JobQueue& jobs() = 0;
  virtual CredentialStore& credentials() = 0;
  virtual SettingsStore& settings() = 0;
  virtual AccountStore& accounts() = 0;
  virtual TriggerStore& triggers() = 0;
  virtual BundleStore& bundles() = 0;
  virtual AuditStore& audit() = 0;
  virtual PollStore& polls() = 0;
  virtual AdvisoryStore& advisories() = 0;
  // "sqlite" or "postgres".
  virtual std::string backend() const = 0;
  // Write counters since open (benchmarks, metrics); zero where a backend does not count.
  virtual StoreStats stats() const { return {}; }
  // Ok when the database answers and its schema is this binary's (GET /api/ready); else
  // database_unavailable or database_too_new. This default asks nothing.
  virtual Status check_ready() { return {}; }
  // Starts delivering `signals`; a later call replaces them (empty ones: deliver nothing more,
  // returning once no delivery is under way). True when the backend delivers them for what
  // every process sharing the database does, so a worker need not poll the queue for new jobs.
  // This default delivers none and returns false.
  virtual bool listen(StoreSignals /*signals*/) { return false; }
};

struct StoreOptions {
  // "sqlite:///abs/path.db", a plain file path (SQLite), or later "postgresql://…".
  std::string url;
  int read_connections = 4;
  Durability durability = Durability::process;
  const Clock* clock = &SystemClock::instance();
};

}  // namespace weft::store
