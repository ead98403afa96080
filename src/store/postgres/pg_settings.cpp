#include "store/postgres/pg_store.h"

namespace weft::store::postgres {

Result<std::optional<json>> PgSettingsStore::get(const OrgId& org, const std::string& key) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = org.empty() ? reader->query("SELECT value FROM platform_settings WHERE $1::text = '' AND key = $2")
                        : reader->query("SELECT value FROM settings WHERE org_id = $1 AND key = $2");
  q.bind(org, key);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<json>();
  WEFT_TRY_ASSIGN(json value, q.json_value(0));
  return std::optional<json>(std::move(value));
}

Status PgSettingsStore::put(const OrgId& org, const std::string& key, const json& value) {
  // Stored as its JSON text even when null, so a stored null differs from an absent key.
  const std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = org.empty() ? writer->query(
                              "INSERT INTO platform_settings (key, value, updated_at) "
                              "SELECT $2::text, $3::text, $4::bigint WHERE $1::text = '' ON CONFLICT (key) "
                              "DO UPDATE SET value = excluded.value, "
                              "updated_at = excluded.updated_at")
                        : writer->query(
                              "INSERT INTO settings (org_id, key, value, updated_at) "
                              "VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, key) "
                              "DO UPDATE SET value = excluded.value, "
                              "updated_at = excluded.updated_at");
  q.bind(org, key, text, clock_.now_ms());
  Status written = q.run();
  if (!written.ok() && written.error().code == "not_found") {
    return Error::not_found("organization");
  }
  return written;
}

Status PgSettingsStore::remove(const OrgId& org, const std::string& key) {
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = org.empty() ? writer->query("DELETE FROM platform_settings WHERE $1::text = '' AND key = $2")
                        : writer->query("DELETE FROM settings WHERE org_id = $1 AND key = $2");
  q.bind(org, key);
  return q.run_one("setting " + key);
}

}  // namespace weft::store::postgres
