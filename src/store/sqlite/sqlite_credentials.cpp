#include "store/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace weft::store::sqlite {

namespace {

#define WEFT_CREDENTIAL_COLUMNS \
  "id, org_id, provider, type, name, sealed, created_at, updated_at "

}  // namespace

Status SqliteCredentialStore::insert(const CredentialRecord& record) {
  if (record.id.empty() || record.org.empty()) {
    return Error::make("invalid_argument", "a credential needs an id and an org");
  }
  const TimeMs now = clock_.now_ms();
  const TimeMs created = record.created_at != 0 ? record.created_at : now;
  const TimeMs updated = record.updated_at != 0 ? record.updated_at : created;
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("INSERT INTO credentials (" WEFT_CREDENTIAL_COLUMNS
                                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  q.bind(record.id, record.org, record.provider, record.type, record.name, record.sealed, created,
         updated);
  Status inserted = q.run();
  if (!inserted.ok()) {
    if (inserted.error().code == "not_found") return Error::not_found("organization");
    if (inserted.error().code == "conflict") {
      return Error::make("conflict", "credential " + record.id.str() + " already exists");
    }
  }
  return inserted;
}

Status SqliteCredentialStore::update(const CredentialRecord& record) {
  const TimeMs updated = record.updated_at != 0 ? record.updated_at : clock_.now_ms();
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("UPDATE credentials SET name = ?3, sealed = ?4, "
                                         "updated_at = ?5 WHERE org_id = ?1 AND id = ?2"));
  q.bind(record.org, record.id, record.name, record.sealed, updated);
  return q.run_one("credential");
}

Result<CredentialRecord> SqliteCredentialStore::get(const OrgId& org, const CredentialId& id) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_CREDENTIAL_COLUMNS
                                         "FROM credentials WHERE org_id = ?1 AND id = ?2"));
  q.bind(org, id);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return Error::not_found("credential");
  return read_credential(q);
}

Result<std::vector<CredentialRecord>> SqliteCredentialStore::list(const OrgId& org) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_CREDENTIAL_COLUMNS
                                         "FROM credentials WHERE org_id = ?1 "
                                         "ORDER BY created_at, id"));
  q.bind(org);
  return q.collect(read_credential<Query>);
}

Status SqliteCredentialStore::remove(const OrgId& org, const CredentialId& id) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q,
                  writer->query("DELETE FROM credentials WHERE org_id = ?1 AND id = ?2"));
  q.bind(org, id);
  return q.run_one("credential");
}

Result<std::optional<std::vector<std::uint8_t>>> SqliteCredentialStore::org_key(
    const OrgId& org) {
  using Key = std::optional<std::vector<std::uint8_t>>;
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT wrapped FROM org_keys WHERE org_id = ?1"));
  q.bind(org);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return Key();
  return Key(q.blob(0));
}

Result<std::vector<std::uint8_t>> SqliteCredentialStore::put_org_key_if_absent(
    const OrgId& org, const std::vector<std::uint8_t>& wrapped) {
  auto writer = pool_.writer();
  // One statement: insert, or keep the stored key (the no-op update lets RETURNING report it).
  WEFT_TRY_ASSIGN(Query q, writer->query("INSERT INTO org_keys (org_id, wrapped, created_at) "
                                         "VALUES (?1, ?2, ?3) ON CONFLICT (org_id) DO UPDATE "
                                         "SET wrapped = org_keys.wrapped RETURNING wrapped"));
  q.bind(org, wrapped, clock_.now_ms());
  Result<bool> row = q.step();
  if (!row.ok()) {
    if (row.error().code == "not_found") return Error::not_found("organization");
    return row.error();
  }
  if (!*row) return Error::internal("org key upsert returned no row");
  return q.blob(0);
}

Result<std::vector<std::pair<OrgId, std::vector<std::uint8_t>>>> SqliteCredentialStore::list_org_keys() {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT org_id, wrapped FROM org_keys ORDER BY org_id"));
  return q.collect([](const Query& row) { return std::make_pair(OrgId(row.text(0)), row.blob(1)); });
}

Status SqliteCredentialStore::replace_org_key(const OrgId& org, const std::vector<std::uint8_t>& expected,
                                              const std::vector<std::uint8_t>& replacement) {
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Query q, writer->query("UPDATE org_keys SET wrapped = ?3 WHERE org_id = ?1 AND wrapped = ?2"));
  q.bind(org, expected, replacement);
  WEFT_TRY(q.run());
  if (q.changes() == 1) return {};
  WEFT_TRY_ASSIGN(Query exists, writer->query("SELECT 1 FROM org_keys WHERE org_id = ?1"));
  exists.bind(org);
  WEFT_TRY_ASSIGN(bool row, exists.step());
  return row ? Error::make("conflict", "the org's data key was re-wrapped meanwhile") : Error::not_found("org key");
}

#undef WEFT_CREDENTIAL_COLUMNS

}  // namespace weft::store::sqlite
