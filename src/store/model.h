// store/model.h — owns the records the store persists (DESIGN.md §3 data model) and the run and
// step state machines. Plain data only: no SQL, no backend types. Every record names its org.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/json.h"

namespace weft::store {

struct Org {
  OrgId id;
  std::string name;
  TimeMs created_at = 0;
};

// One saved version of a workflow. Each save creates version+1; old versions stay readable
// because runs record the version they ran.
struct WorkflowRecord {
  WorkflowId id;
  OrgId org;
  std::string name;
  int version = 0;
  json definition;  // the workflow JSON of DESIGN.md §3
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// Run lifecycle:
//
//   queued ──claim──▶ running ──▶ succeeded
//     │                  │  └───▶ failed
//     └──cancel──────────┴──────▶ cancelled
//
// A running run whose worker dies stays `running`; its job lease expires and another worker
// resumes it after the last committed step. Terminal states never change again.
enum class RunStatus { queued, running, succeeded, failed, cancelled };

// Step lifecycle (a step row is written once, when the step ends; `running` is reported live
// but only persisted for steps that take long enough to be observed):
//   (pending) ──▶ running ──▶ succeeded | failed ;  (pending) ──▶ skipped
enum class StepStatus { running, succeeded, failed, skipped };

// What a committed write survives (WEFT_DURABILITY). process: the process dying (the write
// has reached the operating system); full: a power cut as well (it has reached the disk).
enum class Durability { process, full };
std::optional<Durability> parse_durability(std::string_view text);

std::string_view to_string(RunStatus status);
std::string_view to_string(StepStatus status);
std::optional<RunStatus> parse_run_status(std::string_view text);
std::optional<StepStatus> parse_step_status(std::string_view text);
bool is_terminal(RunStatus status);

// A JSON document as the store writes it (TEXT): compact, invalid UTF-8 replaced, never thrown.
std::string json_text(const json& value);

struct RunRecord {
  RunId id;
  OrgId org;
  WorkflowId workflow;
  int workflow_version = 0;
  RunStatus status = RunStatus::queued;
  json input = json::object();  // the trigger payload: {{trigger.*}}
  json output;                  // null until succeeded
  json error;                   // null, or {"code","message","details"?,"step"?}
  bool cancel_requested = false;
  TimeMs created_at = 0;
  std::optional<TimeMs> started_at;
  std::optional<TimeMs> finished_at;
  // `output` as JSON text (json_text()), set when the write that stored it was handed the text
  // (a run ended on the step loop): an answer reuses it rather than serialising the output
  // again. Null otherwise; never read back from the store.
  std::shared_ptr<const std::string> output_text;
};

struct StepRunRecord {
  RunId run;
  OrgId org;
  std::string step_id;
  StepStatus status = StepStatus::succeeded;
  int attempts = 0;
  json input;                   // rendered inputs the action received
  json output;                  // action output (null unless succeeded)
  json logs = json::array();    // [{"ts","level","message","fields"?}]
  json error;                   // null, or {"code","message","details"?}
  TimeMs started_at = 0;
  TimeMs finished_at = 0;
  // The bundle vendor and version whose code ran the step ("" for a built-in action).
  std::string bundle_vendor;
  std::string bundle_version;
};

// A stored credential. `sealed` is nonce||ciphertext produced by the vault; the store never
// sees plaintext.
struct CredentialRecord {
  CredentialId id;
  OrgId org;
  std::string provider;
  std::string type;  // api_key | bearer_token | oauth2 | bot_token | none
  std::string name;
  std::vector<std::uint8_t> sealed;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// A claimed unit of work: run `run` of `org`, leased to `lease_owner` until `lease_expires_at`.
struct Job {
  JobId id;
  OrgId org;
  RunId run;
  int attempts = 0;  // how many times the job was claimed
  // How many of those claims found the previous holder's lease expired instead of released:
  // the holder crashed, hung or lost the database while it held the job.
  int expired_leases = 0;
  std::string lease_owner;
  TimeMs lease_expires_at = 0;
};

// Accounts (issue: HTTP API and tenancy). Users are platform-wide; a membership gives a user a
// role in one org. Sessions and API tokens are stored only as SHA-256 hashes of the token.
enum class Role { member, admin };
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

struct User {
  UserId id;
  std::string email;          // lower-cased, unique
  std::string password_hash;  // argon2id string (crypto_pwhash_str)
  bool platform_admin = false;
  TimeMs created_at = 0;
};

struct Membership {
  OrgId org;
  UserId user;
  Role role = Role::member;
  TimeMs created_at = 0;
};

struct Session {
  std::string token_hash;  // hex SHA-256 of the cookie value
  UserId user;
  OrgId active_org;        // empty when the user has no org
  TimeMs created_at = 0;
  TimeMs expires_at = 0;
};

struct ApiToken {
  std::string id;          // "tok_…", shown to the user; the secret part is never stored
  std::string token_hash;  // hex SHA-256 of the whole bearer token
  UserId user;
  OrgId org;               // the org the token acts in
  std::string name;
  TimeMs created_at = 0;
  std::optional<TimeMs> expires_at;
};

// An invitation into an org with a role. The invitee proves it with a one-time token, of which
// only the SHA-256 hash is stored. Lifecycle (AccountStore):
//
//   pending ──accept_invitation*──▶ accepted      (once: the token is single-use)
//      └──── expires_at passes ──▶ expired
//   any state ──delete_invitation──▶ (gone)       (revoking; also a newer invitation for the
//                                                  same org and email replaces a pending one)
struct Invitation {
  std::string id;          // "inv_…", shown to admins; the token is never stored
  OrgId org;
  std::string email;       // lower-cased
  Role role = Role::member;
  std::string token_hash;  // hex SHA-256 of the token
  UserId invited_by;       // empty once that user is deleted
  TimeMs created_at = 0;
  TimeMs expires_at = 0;
  std::optional<TimeMs> accepted_at;
  UserId accepted_by;      // empty until accepted (or once that user is deleted)

  bool pending_at(TimeMs now) const { return !accepted_at && expires_at > now; }
};

// Triggers. A webhook URL carries a per-workflow secret; only its hash is stored.
struct WebhookTrigger {
  WorkflowId workflow;
  OrgId org;
  std::string secret_hash;  // hex SHA-256 of the secret
  TimeMs created_at = 0;
  int workflow_version = 0;  // find_webhook: the workflow's latest version (0: unknown)
};

// A workflow with a schedule trigger and the next slot it fires at. Firing a slot and
// enqueueing its run is one atomic step, so a slot fires once across restarts and processes.
struct Schedule {
  WorkflowId workflow;
  OrgId org;
  std::string cron;      // 5 fields
  std::string timezone;  // IANA name, e.g. "Europe/Paris"
  TimeMs next_fire_at = 0;
};

struct RunFilter {
  std::optional<WorkflowId> workflow;
  std::optional<RunStatus> status;
  std::optional<TimeMs> created_after;   // inclusive
  std::optional<TimeMs> created_before;  // exclusive
  std::optional<RunId> before_id;        // pagination cursor: runs older than this id
  int limit = 50;
};

// Where an uploaded bundle is visible (first-party bundles are install folders, never records).
enum class BundleScope { platform, organization };
std::string_view to_string(BundleScope scope);
std::optional<BundleScope> parse_bundle_scope(std::string_view text);

// The bundle lifecycle (DESIGN.md §3; drawn in bundles/lifecycle.h).
enum class BundleStatus { active, disabled, pending_review, failed };
std::string_view to_string(BundleStatus status);
std::optional<BundleStatus> parse_bundle_status(std::string_view text);

// One uploaded version of a vendor's bundle. The archive is in the blob store at storage_key.
struct BundleRecord {
  BundleId id;
  BundleScope scope = BundleScope::organization;
  OrgId org;                  // empty exactly for the platform scope
  std::string vendor_id;
  std::string version;
  json manifest;              // manifest.json as validated at upload
  std::string storage_key;
  std::string sha256;         // hex of the archive's bytes
  std::int64_t size = 0;      // archive bytes
  UserId uploaded_by;         // empty once the user is deleted
  TimeMs uploaded_at = 0;
  BundleStatus status = BundleStatus::active;
  std::string error;          // why it is failed ("" otherwise)
  std::vector<std::string> disabled_blocks;  // block ids switched off, sorted
  std::string icon;           // the manifest's icon as a data: URI ("" when it has none)
  json sbom;                  // meta/sbom.cdx.json as validated at upload (null: uploaded before 0007)
  // Why a policy keeps it from being activated ("" items never; empty when nothing blocks it).
  std::vector<std::string> blocked_by;
  bool activate_on_approve = true;  // pending_review → active on approval (false: → disabled)
};

// One audited bundle or policy event (GET /api/audit). `org` is empty for platform-wide events.
struct AuditEvent {
  std::int64_t id = 0;  // assigned by append; ascending
  OrgId org;
  TimeMs at = 0;
  UserId actor;          // empty for the system (re-evaluation after an advisory import)
  std::string actor_email;
  std::string address;   // the caller's IP address ("" from the CLI)
  std::string action;    // "bundle.uploaded", "policy.changed", …
  std::string target_type;  // "bundle", "policy", "advisories"
  std::string target_id;
  json details = json::object();
};

struct AuditFilter {
  std::optional<OrgId> org;             // nullopt: every org and the platform-wide events
  std::optional<std::int64_t> before_id;  // pagination cursor: events older than this id
  int limit = 50;
};

}  // namespace weft::store
