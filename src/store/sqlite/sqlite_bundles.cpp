#include "store/checks.h"
#include "store/rows.h"
#include "store/sqlite/sqlite_store.h"

#include <algorithm>

namespace weft::store::sqlite {

namespace {

#define WEFT_BUNDLE_COLUMNS                                                                   \
  "id, scope, org_id, vendor_id, version, manifest, storage_key, sha256, size, uploaded_by, " \
  "uploaded_at, status, error, disabled_blocks, icon, sbom, blocked_by, activate_on_approve "

json sorted_blocks(std::vector<std::string> blocks) {
  std::sort(blocks.begin(), blocks.end());
  blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
  return json(blocks);
}

}  // namespace

Status SqliteBundleStore::insert(const BundleRecord& record) {
  WEFT_TRY(check_bundle_record(record));
  const TimeMs uploaded = record.uploaded_at != 0 ? record.uploaded_at : clock_.now_ms();
  const std::optional<std::string> org =
      record.org.empty() ? std::nullopt : std::optional<std::string>(record.org.str());
  const std::optional<std::string> by =
      record.uploaded_by.empty() ? std::nullopt : std::optional<std::string>(record.uploaded_by.str());
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("INSERT INTO bundles (" WEFT_BUNDLE_COLUMNS
                                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                         "?12, ?13, ?14, ?15, ?16, ?17, ?18)"));
  q.bind(record.id, record.scope, org, record.vendor_id, record.version, record.manifest,
         record.storage_key, record.sha256, record.size, by, uploaded, record.status, record.error,
         sorted_blocks(record.disabled_blocks), record.icon, record.sbom, json(record.blocked_by),
         std::int64_t{record.activate_on_approve ? 1 : 0});
  Status inserted = q.run();
  if (!inserted.ok()) {
    if (inserted.error().code == "not_found") return Error::not_found("organization");
    if (inserted.error().code == "conflict") {
      return Error::make("conflict", "bundle " + record.vendor_id + " " + record.version +
                                         " is already installed in this scope");
    }
  }
  return inserted;
}

Result<BundleRecord> SqliteBundleStore::get(const BundleId& id) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_BUNDLE_COLUMNS "FROM bundles WHERE id = ?1"));
  q.bind(id);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return Error::not_found("bundle");
  return read_bundle(q);
}

Result<std::vector<BundleRecord>> SqliteBundleStore::visible_to(const OrgId& org) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_BUNDLE_COLUMNS
                                         "FROM bundles WHERE org_id = ?1 OR org_id IS NULL "
                                         "ORDER BY vendor_id, uploaded_at, id"));
  q.bind(org);
  return read_rows(q, read_bundle<Query>);
}

Result<std::vector<BundleRecord>> SqliteBundleStore::all() {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_BUNDLE_COLUMNS
                                         "FROM bundles ORDER BY uploaded_at, id"));
  return read_rows(q, read_bundle<Query>);
}

Status SqliteBundleStore::set_status(const BundleId& id, BundleStatus status, const std::string& error) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("UPDATE bundles SET status = ?2, error = ?3 WHERE id = ?1"));
  q.bind(id, status, error);
  return q.run_one("bundle");
}

Status SqliteBundleStore::set_disabled_blocks(const BundleId& id, const std::vector<std::string>& blocks) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("UPDATE bundles SET disabled_blocks = ?2 WHERE id = ?1"));
  q.bind(id, sorted_blocks(blocks));
  return q.run_one("bundle");
}

Status SqliteBundleStore::set_policy_state(const BundleId& id, BundleStatus status, const std::string& error,
                                           const std::vector<std::string>& blocked_by) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("UPDATE bundles SET status = ?2, error = ?3, blocked_by = ?4 WHERE id = ?1"));
  q.bind(id, status, error, json(blocked_by));
  return q.run_one("bundle");
}

Status SqliteBundleStore::set_sbom(const BundleId& id, const json& sbom) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("UPDATE bundles SET sbom = ?2 WHERE id = ?1"));
  q.bind(id, sbom);
  return q.run_one("bundle");
}

Status SqliteBundleStore::remove(const BundleId& id) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("DELETE FROM bundles WHERE id = ?1"));
  q.bind(id);
  return q.run_one("bundle");
}

}  // namespace weft::store::sqlite
