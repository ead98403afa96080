#include "bundles/service.h"

#include <map>
#include <set>

#include "bundles/archive_reader.h"
#include "bundles/governance.h"
#include "bundles/problem.h"
#include "bundles/validate.h"
#include "bundles/version_diff.h"
#include "core/digest.h"
#include "core/log.h"

namespace weft::bundles {

namespace {

Error storage_failure(const std::string& what, const Error& cause) {
  log().error("bundle upload: {}: {}", what, cause.message);
  return Error::make(kStorageError, "the bundle could not be stored (" + what + "); nothing was installed");
}

bool same_place(const store::BundleRecord& r, store::BundleScope scope, const OrgId& org, const std::string& vendor,
                const std::string& version) {
  return r.scope == scope && r.vendor_id == vendor && r.version == version &&
         (scope == store::BundleScope::platform || r.org == org);
}

}  // namespace

std::string storage_key(store::BundleScope scope, const OrgId& org, const std::string& vendor,
                        const std::string& version) {
  const std::string tail = "integration-bundles/" + vendor + "/" + version + "/bundle.tar.gz";
  if (scope == store::BundleScope::platform) return "platform/" + tail;
  return org.str() + "/00_organization/" + tail;
}

BundleService::BundleService(store::Store& store, blob::BlobStore& blobs, Registry& registry,
                             const catalog::Catalog& catalog, ToolRunner& runner)
    : store_(store), blobs_(blobs), registry_(registry), catalog_(catalog), runner_(runner) {}

Result<Uploaded> BundleService::upload(std::string_view archive, const Actor& actor, const UploadOptions& options) {
  if (options.scope == store::BundleScope::platform && !actor.platform_admin) {
    return Error::make(kForbidden, "only a platform admin may upload a platform bundle");
  }
  policy::PolicySet policies;
  if (options.scope == store::BundleScope::organization) {
    WEFT_TRY_ASSIGN(policies, policy::Policies(store_).effective(actor.org));
    if (!policies.governance.allow_org_uploads) {
      return Error::make(kUploadsNotAllowed,
                         "this organization may not upload bundles: its governance policy turns uploads off "
                         "(allowOrgUploads: false); ask a platform admin");
    }
  } else {
    WEFT_TRY_ASSIGN(policies, policy::Policies(store_).platform_default());
  }
  if (archive.size() > kMaxUploadBytes) {
    return invalid_bundle({{"bundle", "archive_too_large",
                            "the archive is over " + std::to_string(kMaxUploadBytes >> 20) + " MB"}});
  }
  WEFT_TRY_ASSIGN(BundleFiles files, read_bundle_archive(archive));
  WEFT_TRY_ASSIGN(ValidatedBundle valid, validate_bundle(files, &catalog_, &runner_));
  const BundleManifest& m = valid.checked.manifest;
  const OrgId org = options.scope == store::BundleScope::platform ? OrgId() : actor.org;

  // From here to the insert, one upload at a time: a blob found at the key below is then truly
  // a crash's orphan, never the blob of an upload still on its way to its record.
  json breaking;  // set when the version would break saved workflows and was kept disabled
  std::unique_lock storing(upload_mu_);
  auto existing = store_.bundles().all();
  if (!existing.ok()) return storage_failure("reading the installed bundles", existing.error());
  for (const auto& r : *existing) {
    if (same_place(r, options.scope, org, m.id, m.version)) {
      return Error::make(kBundleExists, m.id + " " + m.version + " is already installed in this scope",
                         {{"id", r.id.str()}});
    }
  }

  store::BundleRecord record;
  record.id = new_id<BundleId>();
  record.scope = options.scope;
  record.org = org;
  record.vendor_id = m.id;
  record.version = m.version;
  record.manifest = m.raw;
  record.storage_key = storage_key(options.scope, org, m.id, m.version);
  record.sha256 = sha256_hex(archive);
  record.size = static_cast<std::int64_t>(archive.size());
  record.uploaded_by = actor.user;
  record.icon = valid.icon_data_uri;
  record.sbom = valid.checked.sbom_json;
  record.activate_on_approve = options.activate;
  if (options.scope == store::BundleScope::organization && policies.governance.require_approval_for_uploads) {
    record.status = store::BundleStatus::pending_review;  // a platform admin approves or rejects it
  } else if (options.activate) {
    record.blocked_by = activation_blockers(m, record.sbom, policies, store_);
    record.status = record.blocked_by.empty() ? store::BundleStatus::active : store::BundleStatus::disabled;
    if (record.status == store::BundleStatus::active && !options.confirm_breaking) {
      auto check = breaking_for_workflows(*this, store_, catalog_, record);
      if (!check.ok()) return storage_failure("checking the workflows it would change", check.error());
      if (check->breaking) {
        record.status = store::BundleStatus::disabled;
        breaking = check->details();
      }
    }
  } else {
    record.status = store::BundleStatus::disabled;
  }

  Status put = blobs_.put(record.storage_key, archive);
  if (!put.ok() && put.error().code == "conflict") {
    // No record names this key (checked above): a crash between blob and record left it.
    log().warn("bundle upload: replacing the orphaned blob {}", record.storage_key);
    if (auto removed = blobs_.remove(record.storage_key); removed.ok()) put = blobs_.put(record.storage_key, archive);
  }
  if (!put.ok()) return storage_failure("writing the archive", put.error());

  if (Status inserted = store_.bundles().insert(record); !inserted.ok()) {
    if (auto removed = blobs_.remove(record.storage_key); !removed.ok()) {
      log().error("bundle upload: could not remove blob {} after a failed insert: {}", record.storage_key,
                  removed.error().message);
    }
    if (inserted.error().code == "conflict") {
      return Error::make(kBundleExists, m.id + " " + m.version + " is already installed in this scope");
    }
    return storage_failure("writing the record", inserted.error());
  }
  storing.unlock();
  if (auto published = registry_.republish(); !published.ok()) {
    log().error("bundle upload: republish: {}", published.error().message);
  }
  auto stored = store_.bundles().get(record.id);
  Uploaded out;
  out.record = stored.ok() ? std::move(stored).take() : record;
  out.tool_count = m.blocks.size();
  out.product_count = m.products.size();
  out.warnings = std::move(valid.warnings);
  if (!breaking.is_null()) {
    out.warnings.push_back("not activated: this version breaks " + std::to_string(breaking["workflows"].size()) +
                           " saved workflow step(s); review it, then enable it with ?confirm=breaking");
    out.breaking = std::move(breaking);
  }
  return out;
}

Result<std::vector<store::BundleRecord>> BundleService::list(const Actor& actor) {
  return store_.bundles().visible_to(actor.org);
}

Result<store::BundleRecord> BundleService::get(const Actor& actor, const BundleId& id) {
  auto record = store_.bundles().get(id);
  if (!record.ok()) return record.error();
  if (record->scope == store::BundleScope::organization && record->org != actor.org) {
    return Error::not_found("bundle");  // another org's bundle is not there for this caller
  }
  return record;
}

Result<store::BundleRecord> BundleService::managed(const Actor& actor, const BundleId& id) {
  WEFT_TRY_ASSIGN(auto record, get(actor, id));
  if (record.scope == store::BundleScope::platform && !actor.platform_admin) {
    return Error::make(kForbidden, "a platform bundle is managed by platform admins");
  }
  return record;
}

Result<store::BundleRecord> BundleService::enable(const Actor& actor, const BundleId& id) {
  WEFT_TRY_ASSIGN(auto record, managed(actor, id));
  if (record.status == store::BundleStatus::pending_review) {
    return Error::make("bundle_pending_review", "the bundle awaits a platform admin's review");
  }
  if (record.status == store::BundleStatus::failed) {
    // Retry the load before answering: the blob must still match and the code load.
    registry_.forget(id);
    std::string why;
    auto bytes = blobs_.get(record.storage_key);
    if (!bytes.ok()) {
      why = "the bundle's archive could not be read from storage";
    } else if (sha256_hex(*bytes) != record.sha256) {
      why = kContentHashMismatch;
    } else if (auto files = read_bundle_archive(*bytes); !files.ok()) {
      why = files.error().message;
    } else if (auto valid = validate_bundle(*files, nullptr, &runner_); !valid.ok()) {
      why = valid.error().message;
    }
    if (!why.empty()) {
      if (auto s = store_.bundles().set_status(id, store::BundleStatus::failed, why); !s.ok()) return s.error();
      return Error::make(kBundleFailed, "the bundle still does not load: " + why, {{"error", why}});
    }
  }
  WEFT_TRY(activate(record));
  return store_.bundles().get(id);
}

Status BundleService::activate(const store::BundleRecord& record) {
  WEFT_TRY_ASSIGN(auto manifest, registry_.manifest_of(record));
  WEFT_TRY_ASSIGN(auto policies, policies_for(store_, record));
  auto blockers = activation_blockers(*manifest, record.sbom, policies, store_);
  if (!blockers.empty()) {
    WEFT_TRY(store_.bundles().set_policy_state(record.id, store::BundleStatus::disabled, record.error, blockers));
    WEFT_TRY(registry_.republish());
    return Error::make(kBundleBlocked, record.vendor_id + " " + record.version + " may not be activated: " + blockers.front(),
                       {{"blockedBy", blockers}});
  }
  WEFT_TRY(store_.bundles().set_policy_state(record.id, store::BundleStatus::active, "", {}));
  return registry_.republish();
}

Result<store::BundleRecord> BundleService::pending(const Actor& actor, const BundleId& id) {
  if (!actor.platform_admin) return Error::make(kForbidden, "only a platform admin reviews uploads");
  WEFT_TRY_ASSIGN(auto record, store_.bundles().get(id));
  if (record.status != store::BundleStatus::pending_review) {
    return Error::make(kNotPendingReview, record.vendor_id + " " + record.version + " is not awaiting review (it is " +
                                              std::string(store::to_string(record.status)) + ")");
  }
  return record;
}

Result<store::BundleRecord> BundleService::approve(const Actor& actor, const BundleId& id) {
  WEFT_TRY_ASSIGN(auto record, pending(actor, id));
  if (!record.activate_on_approve) {
    WEFT_TRY(store_.bundles().set_policy_state(id, store::BundleStatus::disabled, "", {}));
    WEFT_TRY(registry_.republish());
    return store_.bundles().get(id);
  }
  if (Status activated = activate(record); !activated.ok() && activated.error().code != kBundleBlocked) {
    return activated.error();  // blocked: approved, but left disabled with its reasons
  }
  return store_.bundles().get(id);
}

Result<store::BundleRecord> BundleService::reject(const Actor& actor, const BundleId& id) {
  WEFT_TRY_ASSIGN(auto record, pending(actor, id));
  WEFT_TRY(store_.bundles().remove(id));
  if (auto removed = blobs_.remove(record.storage_key); !removed.ok() && removed.error().code != "not_found") {
    log().error("bundle {}: rejected, but its blob {} could not be removed: {}", id.str(), record.storage_key,
                removed.error().message);
  }
  registry_.forget(id);
  WEFT_TRY(registry_.republish());
  return record;
}

Result<std::size_t> BundleService::backfill_sboms() {
  WEFT_TRY_ASSIGN(auto records, store_.bundles().all());
  std::size_t filled = 0;
  for (const auto& record : records) {
    if (!record.sbom.is_null()) continue;
    auto bytes = blobs_.get(record.storage_key);
    if (!bytes.ok() || sha256_hex(*bytes) != record.sha256) {
      log().warn("bundle {}: its SBOM could not be read from its archive; its dependencies go unchecked", record.id.str());
      continue;
    }
    auto files = read_bundle_archive(*bytes);
    const std::string* text = files.ok() ? files->find(kSbomFile) : nullptr;
    auto sbom = text != nullptr ? parse_json(*text) : Result<json>(Error::internal("no SBOM"));
    if (!sbom.ok()) {
      log().warn("bundle {}: its archive holds no readable SBOM; its dependencies go unchecked", record.id.str());
      continue;
    }
    WEFT_TRY(store_.bundles().set_sbom(record.id, *sbom));
    ++filled;
  }
  return filled;
}

Result<std::vector<Reevaluated>> BundleService::reevaluate(const std::optional<OrgId>& org) {
  WEFT_TRY_ASSIGN(auto records, store_.bundles().all());
  std::vector<Reevaluated> changed;
  std::map<std::string, policy::PolicySet> by_org;  // one policy read per org ("" = the platform)
  for (const auto& record : records) {
    if (org.has_value() && record.org != *org) continue;  // a platform-default change passes nullopt
    const bool active = record.status == store::BundleStatus::active;
    const bool held = record.status == store::BundleStatus::disabled && !record.blocked_by.empty();
    if (!active && !held) continue;
    auto manifest = registry_.manifest_of(record);
    if (!manifest.ok()) continue;
    const std::string key = record.scope == store::BundleScope::platform ? "" : record.org.str();
    auto cached = by_org.find(key);
    if (cached == by_org.end()) {
      WEFT_TRY_ASSIGN(auto policies, policies_for(store_, record));
      cached = by_org.emplace(key, std::move(policies)).first;
    }
    auto blockers = activation_blockers(**manifest, record.sbom, cached->second, store_);
    if (blockers == record.blocked_by) continue;
    if (active && blockers.empty()) continue;
    // Newly blocked: disabled with the reasons. Still held: the reasons as they are now (an
    // admin enables it again once nothing blocks it).
    WEFT_TRY(store_.bundles().set_policy_state(record.id, store::BundleStatus::disabled, record.error, blockers));
    changed.push_back({record, blockers, active});
  }
  if (!changed.empty()) WEFT_TRY(registry_.republish());
  return changed;
}

Result<std::vector<Reevaluated>> BundleService::policies_changed(const std::optional<OrgId>& org) {
  WEFT_TRY_ASSIGN(auto changed, reevaluate(org));
  WEFT_TRY(registry_.republish());  // the catalog filter reads the new policies in fresh views
  return changed;
}

Result<store::BundleRecord> BundleService::disable(const Actor& actor, const BundleId& id) {
  WEFT_TRY_ASSIGN(auto record, managed(actor, id));
  if (record.status != store::BundleStatus::disabled) {
    WEFT_TRY(store_.bundles().set_status(id, store::BundleStatus::disabled, record.error));
    WEFT_TRY(registry_.republish());
  }
  return store_.bundles().get(id);
}

Result<store::BundleRecord> BundleService::set_block(const Actor& actor, const BundleId& id, const std::string& block,
                                                     bool enabled) {
  WEFT_TRY_ASSIGN(auto record, managed(actor, id));
  WEFT_TRY_ASSIGN(auto manifest, registry_.manifest_of(record));
  bool known = false;
  for (const auto& b : manifest->blocks) known |= b.id == block;
  if (!known) return Error::not_found("block " + block.substr(0, 128));
  std::set<std::string> off(record.disabled_blocks.begin(), record.disabled_blocks.end());
  if (enabled) off.erase(block); else off.insert(block);
  WEFT_TRY(store_.bundles().set_disabled_blocks(id, {off.begin(), off.end()}));
  WEFT_TRY(registry_.republish());
  return store_.bundles().get(id);
}

Result<std::vector<WorkflowUse>> BundleService::users_losing(const store::BundleRecord& record) {
  WEFT_TRY_ASSIGN(auto manifest, registry_.manifest_of(record));
  std::set<std::string> tools;
  for (const auto& b : manifest->blocks) tools.insert(b.id);
  WEFT_TRY_ASSIGN(auto records, store_.bundles().all());
  std::vector<store::BundleRecord> others;
  for (auto& r : records) {
    if (r.id != record.id) others.push_back(std::move(r));
  }
  const auto without = registry_.entries_for(others);
  auto still_provided = [&](const OrgId& org, const std::string& key) {
    for (const auto& e : without) {
      if (e->provider.id != record.vendor_id || !e->visible_to(org)) continue;
      for (const auto& a : e->actions) {
        if (a->key == key) return true;
      }
      return false;  // the first visible entry of the vendor is what the org would run
    }
    return false;
  };
  WEFT_TRY_ASSIGN(auto orgs, orgs_reached(store_, record));
  return find_workflow_uses(store_, orgs, [&](const OrgId& org, const std::string& action) {
    return tools.count(action) > 0 && !still_provided(org, action);
  });
}

Status BundleService::remove(const Actor& actor, const BundleId& id, bool force) {
  WEFT_TRY_ASSIGN(auto record, managed(actor, id));
  if (!force) {
    WEFT_TRY_ASSIGN(auto users, users_losing(record));
    if (!users.empty()) {
      json details = json::array();
      std::string names;
      for (const auto& u : users) {
        details.push_back({{"workflowId", u.workflow.str()}, {"name", u.name}, {"step", u.step}, {"action", u.action}});
        if (names.size() < 200) names += (names.empty() ? "" : ", ") + u.name + " (step " + u.step + ")";
      }
      return Error::make(kBundleInUse,
                         "workflows use this bundle's tools: " + names + "; change them, or delete with ?force=true",
                         {{"workflows", std::move(details)}});
    }
  }
  WEFT_TRY(store_.bundles().remove(id));
  if (auto removed = blobs_.remove(record.storage_key); !removed.ok() && removed.error().code != "not_found") {
    log().error("bundle {}: the record is gone but its blob {} could not be removed: {}", id.str(),
                record.storage_key, removed.error().message);
  }
  registry_.forget(id);
  return registry_.republish();
}

json bundle_to_json(const store::BundleRecord& r, const BundleManifest* manifest) {
  json out = {{"id", r.id.str()},
              {"vendorId", r.vendor_id},
              {"version", r.version},
              {"name", r.manifest.is_object() ? r.manifest.value("name", r.vendor_id) : r.vendor_id},
              {"scope", store::to_string(r.scope)},
              {"status", store::to_string(r.status)},
              {"error", r.error.empty() ? json(nullptr) : json(r.error)},
              {"uploadedBy", r.uploaded_by.empty() ? json(nullptr) : json(r.uploaded_by.str())},
              {"uploadedAt", format_iso8601(r.uploaded_at)},
              {"sha256", r.sha256},
              {"size", r.size},
              {"icon", r.icon},
              {"disabledBlocks", r.disabled_blocks},
              {"blockedBy", r.blocked_by}};
  if (!r.org.empty()) out["orgId"] = r.org.str();
  if (manifest != nullptr) {
    const std::set<std::string> off(r.disabled_blocks.begin(), r.disabled_blocks.end());
    json blocks = json::array();
    for (const auto& b : manifest->blocks) {
      blocks.push_back({{"id", b.id}, {"name", b.name}, {"kind", to_string(b.kind)}, {"product", b.product},
                        {"enabled", !off.count(b.id)}});
    }
    out["toolCount"] = manifest->blocks.size();
    out["productCount"] = manifest->products.size();
    out["blocks"] = std::move(blocks);
  }
  return out;
}

}  // namespace weft::bundles
