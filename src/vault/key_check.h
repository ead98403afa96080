// vault/key_check.h — owns knowing which master key a database belongs to: a check value (BLAKE2b
// keyed by the master key, so it reveals nothing of the key) kept in the platform settings,
// compared at every start so that a wrong or changed key stops the process with a message
// instead of failing every step later, and the short key id shown in messages. Never stores or
// logs a key.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "store/store.h"
#include "vault/master_key.h"

namespace weft::vault {

// Platform setting (empty OrgId): {"check","id"} of the database's key, plus during a rotation
// "rotatingTo": {"check","id"} of the key being rotated to.
inline constexpr const char* kMasterKeySetting = "vault.masterKey";

std::string master_key_check(const MasterKey& key);  // 64 hex characters
std::string master_key_id(const MasterKey& key);     // 16 hex characters: the check's first 8 bytes

// The database's key record, as stored (nullopt: none yet).
struct MasterKeyRecord {
  std::string check;
  std::string id;
  std::optional<std::string> rotating_to_check;
  std::optional<std::string> rotating_to_id;
};
Result<std::optional<MasterKeyRecord>> read_master_key_record(store::SettingsStore& settings);
Status write_master_key_record(store::SettingsStore& settings, const MasterKeyRecord& record);

// At start: Ok when `key` is the database's key. A database without a record gets `key`'s (when it
// has no org key yet, or its org keys open with `key`: databases from before the record).
// `source` says where the key came from ("WEFT_MASTER_KEY", "the key file /…/master.key") for the
// message. Errors (public, each saying how to recover): wrong_master_key,
// master_key_rotation_unfinished.
Status verify_master_key(store::Store& store, const MasterKey& key, const std::string& source);

// Ok while the database's key is still the one whose check is `check` and no rotation runs;
// else master_key_rotated (a process started before a rotation).
Status still_the_master_key(store::Store& store, const std::string& check);

}  // namespace weft::vault
