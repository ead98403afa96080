#include "vault/key_check.h"

#include <sodium.h>

#include <fmt/format.h>

#include "vault/sealing.h"
#include "vault/sodium_init.h"

namespace weft::vault {

namespace {

constexpr std::string_view kCheckContext = "weft:master-key-check:v1";

bool opens(const MasterKey& key, const OrgId& org, const std::vector<std::uint8_t>& wrapped) {
  auto plain = unseal(key.bytes(), org_key_aad(org), wrapped);
  if (!plain) return false;
  sodium_memzero(plain->data(), plain->size());
  return true;
}

Error wrong_key(const MasterKey& key, const std::string& source, const std::string& expected_id) {
  const std::string expected =
      expected_id.empty() ? "the key this database was set up with" : "key id " + expected_id;
  return Error::make(
      "wrong_master_key",
      fmt::format("the master key from {} (key id {}) is not this database's: its credentials are sealed under {}. "
                  "Start with that key (set WEFT_MASTER_KEY to it, or put its backup back as <data dir>/master.key); "
                  "nothing was changed. If the key is lost, the stored credentials cannot be opened by anyone: "
                  "delete them and connect them again.",
                  source, master_key_id(key), expected),
      json{{"keyId", master_key_id(key)}, {"expectedKeyId", expected_id}});
}

}  // namespace

std::string master_key_check(const MasterKey& key) {
  detail::ensure_sodium();
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(kCheckContext.data()),
                     kCheckContext.size(), key.bytes().data(), key.bytes().size());
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out.data(), out.size());
  return hex;
}

std::string master_key_id(const MasterKey& key) { return master_key_check(key).substr(0, 16); }

Result<std::optional<MasterKeyRecord>> read_master_key_record(store::SettingsStore& settings) {
  WEFT_TRY_ASSIGN(auto stored, settings.get(OrgId(), kMasterKeySetting));
  if (!stored) return std::optional<MasterKeyRecord>();
  const json& v = *stored;
  if (!v.is_object() || !v.contains("check") || !v["check"].is_string()) {
    return Error::internal("the stored master-key record is malformed");
  }
  MasterKeyRecord record{v["check"], v.value("id", ""), std::nullopt, std::nullopt};
  if (auto to = v.find("rotatingTo"); to != v.end() && to->is_object()) {
    record.rotating_to_check = to->value("check", "");
    record.rotating_to_id = to->value("id", "");
  }
  return std::optional<MasterKeyRecord>(std::move(record));
}

Status write_master_key_record(store::SettingsStore& settings, const MasterKeyRecord& record) {
  json v = {{"check", record.check}, {"id", record.id}};
  if (record.rotating_to_check) v["rotatingTo"] = {{"check", *record.rotating_to_check}, {"id", *record.rotating_to_id}};
  return settings.put(OrgId(), kMasterKeySetting, v);
}

Status verify_master_key(store::Store& store, const MasterKey& key, const std::string& source) {
  WEFT_TRY_ASSIGN(auto record, read_master_key_record(store.settings()));
  const std::string check = master_key_check(key);
  if (!record) {
    // First start, or a database from before the record: its org keys say whether this is its key.
    WEFT_TRY_ASSIGN(auto keys, store.credentials().list_org_keys());
    if (!keys.empty() && !opens(key, keys.front().first, keys.front().second)) return wrong_key(key, source, "");
    return write_master_key_record(store.settings(), {check, master_key_id(key), std::nullopt, std::nullopt});
  }
  if (record->rotating_to_check) {
    return Error::make(
        "master_key_rotation_unfinished",
        fmt::format("a rotation of the master key from key id {} to key id {} was interrupted; some organizations' "
                    "keys are wrapped by each. Finish it: run `weft admin rotate-master-key --new-key-file <file "
                    "holding key {}>` again with key {} as the master key; then start with key {}.",
                    record->id, *record->rotating_to_id, *record->rotating_to_id, record->id,
                    *record->rotating_to_id),
        json{{"keyId", master_key_id(key)}, {"from", record->id}, {"to", *record->rotating_to_id}});
  }
  if (record->check != check) return wrong_key(key, source, record->id);
  return {};
}

Status still_the_master_key(store::Store& store, const std::string& check) {
  WEFT_TRY_ASSIGN(auto record, read_master_key_record(store.settings()));
  if (record && record->check == check && !record->rotating_to_check) return {};
  return Error::make("master_key_rotated",
                     "the master key was rotated since this process started: restart it with the database's key" +
                         (record ? " (key id " + record->id + ")" : std::string()));
}

}  // namespace weft::vault
