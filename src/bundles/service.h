// bundles/service.h — owns the bundle lifecycle behind the API and the CLI: upload (read the
// archive safely → validate, statically and in the sandbox → blob → record → publish; nothing
// half-written on any failure), list/get (org-scoped: what the org may see), enable, disable,
// delete and per-block switches. Authorization by role is the caller's; scope rules are here.
//
//   upload ──▶ active ⇄ disabled          (enable / disable)
//        └──▶ disabled (activate=false)
//   active ──▶ failed   (the code does not load at a first call, or its blob's hash is wrong)
//   failed ──▶ active   (enable: the blob is verified and the code loaded again first)
//   upload ──▶ pending_review ──approve──▶ active | disabled    (governance: approval required)
//                           └──reject───▶ deleted
//   active ──▶ disabled + blockedBy   (a policy or advisory change blocks it; enable: 409 until it no longer does)
//   any ──▶ deleted (record and blob removed)
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blob/blob_store.h"
#include "bundles/registry.h"
#include "bundles/tool_runner.h"
#include "bundles/workflow_uses.h"  // WorkflowUse: a workflow that uses a tool (delete's refusal names them)
#include "catalog/catalog.h"
#include "store/store.h"

namespace weft::bundles {

inline constexpr std::uint64_t kMaxUploadBytes = 50ull << 20;  // a .bundle.tar.gz

// Error codes (public) of the lifecycle, besides bundle_invalid (problem.h).
inline constexpr char kBundleExists[] = "bundle_exists";      // 409: vendor + version in that scope
inline constexpr char kBundleInUse[] = "bundle_in_use";       // 409: delete while workflows use it
inline constexpr char kBundleFailed[] = "bundle_failed";      // 409: enable could not load it
inline constexpr char kForbidden[] = "forbidden";             // 403: another scope's bundle
inline constexpr char kStorageError[] = "storage_error";      // 500: blob or record not written

// Who acts: their org, and whether they are a platform admin (may act on platform bundles).
struct Actor {
  OrgId org;
  UserId user;
  bool platform_admin = false;
};

struct UploadOptions {
  store::BundleScope scope = store::BundleScope::organization;
  bool activate = true;  // false: kept uploaded but disabled
  // Activate even when it breaks saved workflows (?confirm=breaking). Without it an upload whose
  // version diff breaks a workflow lands disabled, with Uploaded::breaking saying which.
  bool confirm_breaking = false;
};

struct Uploaded {
  store::BundleRecord record;
  std::size_t tool_count = 0;
  std::size_t product_count = 0;
  std::vector<std::string> warnings;
  json breaking;  // null, or BreakingCheck::details() when it was kept disabled for that reason
};

// A record whose policy verdict changed on re-evaluation (re-evaluate after a policy or advisory change).
struct Reevaluated {
  store::BundleRecord before;
  std::vector<std::string> blocked_by;  // now
  bool was_active = false;              // true: it was active and is now disabled by policy
};

// Storage keys (DESIGN.md §3): org "<org>/00_organization/integration-bundles/<vendor>/<version>/
// bundle.tar.gz", platform "platform/integration-bundles/<vendor>/<version>/bundle.tar.gz".
std::string storage_key(store::BundleScope scope, const OrgId& org, const std::string& vendor,
                        const std::string& version);

class BundleService {
 public:
  // All references must outlive the service. Thread-safe.
  BundleService(store::Store& store, blob::BlobStore& blobs, Registry& registry, const catalog::Catalog& catalog,
                ToolRunner& runner);

  // Upload of `archive` by `actor`. A platform-scope upload needs actor.platform_admin.
  // Governance (issue 11): an org upload is refused with uploads_not_allowed when its org's
  // policy turns uploads off; lands pending_review when the policy requires approval; lands
  // disabled with record.blocked_by when activation is asked for but a policy blocks it.
  // Errors: bundle_invalid (400, every problem), forbidden, uploads_not_allowed (403),
  // bundle_exists (409), storage_error (500); the sandbox's internal errors pass through.
  Result<Uploaded> upload(std::string_view archive, const Actor& actor, const UploadOptions& options);

  // Every version visible to actor.org (its own, the platform's), by vendor and upload time.
  Result<std::vector<store::BundleRecord>> list(const Actor& actor);
  // "not_found" when absent or not visible to actor.org.
  Result<store::BundleRecord> get(const Actor& actor, const BundleId& id);

  // Lifecycle; each publishes the catalog before it answers. A platform bundle needs
  // actor.platform_admin (else forbidden). Enable fails with bundle_blocked (409, details
  // {blockedBy}) when a policy blocks activation, leaving the record disabled with the reasons.
  Result<store::BundleRecord> enable(const Actor& actor, const BundleId& id);
  // A platform admin's review of a pending_review upload (else not_pending_review / forbidden).
  // Approve: active (or disabled when uploaded with activate=false, or when a policy blocks it,
  // with blocked_by set). Reject: the record and its blob are removed; returns what was removed.
  Result<store::BundleRecord> approve(const Actor& actor, const BundleId& id);
  Result<store::BundleRecord> reject(const Actor& actor, const BundleId& id);
  // Judges again the active records (and those held back by a policy) of `org`, or of every
  // scope when nullopt: an active one that a policy now blocks is disabled with the reasons;
  // a held one gets its current reasons. Returns what changed, for the audit log.
  Result<std::vector<Reevaluated>> reevaluate(const std::optional<OrgId>& org);
  // At start: reads the SBOM from the stored archive of each record uploaded before records kept
  // one (an archive that cannot be read is logged and left alone). Returns how many were filled.
  Result<std::size_t> backfill_sboms();
  // After a policy of `org` (nullopt: the platform default) changed: reevaluate, then republish
  // so the catalog views apply the new governance filter. Returns what reevaluate changed.
  Result<std::vector<Reevaluated>> policies_changed(const std::optional<OrgId>& org);
  Result<store::BundleRecord> disable(const Actor& actor, const BundleId& id);
  // Refused with bundle_in_use (details: the workflows) while a workflow would lose a tool,
  // unless `force`. Removes the record, then the blob.
  Status remove(const Actor& actor, const BundleId& id, bool force);
  Result<store::BundleRecord> set_block(const Actor& actor, const BundleId& id, const std::string& block, bool enabled);

  // The parsed manifest of `record` (cached).
  Result<std::shared_ptr<const BundleManifest>> manifest_of(const store::BundleRecord& record) {
    return registry_.manifest_of(record);
  }

  // The workflows (latest versions) that reference one of the tools `record` provides (in a step,
  // or as a bundle trigger's block) and that would no longer find it in their org's catalog
  // without it.
  Result<std::vector<WorkflowUse>> users_losing(const store::BundleRecord& record);

 private:
  Result<store::BundleRecord> managed(const Actor& actor, const BundleId& id);
  Result<store::BundleRecord> pending(const Actor& actor, const BundleId& id);
  // Active unless a policy blocks it (then disabled with the reasons and bundle_blocked).
  Status activate(const store::BundleRecord& record);

  store::Store& store_;
  blob::BlobStore& blobs_;
  Registry& registry_;
  const catalog::Catalog& catalog_;
  ToolRunner& runner_;
  // Held by upload from the "already installed?" check to the record insert, so that a
  // concurrent upload of the same version cannot take this one's fresh blob for a crash's
  // orphan and replace (then delete) it. Never held while validating or probing the code.
  std::mutex upload_mu_;
};

// {id, vendorId, version, name, scope, status, error, uploadedBy, uploadedAt, toolCount,
//  productCount, sha256, size, disabledBlocks, blockedBy, blocks:[{id,name,kind,enabled}]} for the API.
json bundle_to_json(const store::BundleRecord& record, const BundleManifest* manifest);

}  // namespace weft::bundles
