// vault/master_key.h — owns the master key: loaded from WEFT_MASTER_KEY (64 hex chars) or from a
// 0600 key file created on first start. It only wraps per-org data keys; it never seals secrets.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/result.h"

namespace weft::vault {

class MasterKey {
 public:
  static constexpr std::size_t kSize = 32;

  MasterKey() = default;  // all zero; only useful as a target to assign to
  MasterKey(const MasterKey&) = default;
  MasterKey& operator=(const MasterKey&) = default;
  ~MasterKey();  // wipes the key bytes (sodium_memzero)

  // From 64 hex characters. Fails with "invalid_master_key".
  static Result<MasterKey> from_hex(const std::string& hex);
  // Reads the key file at `path`; creates it (mode 0600, random key) if it does not exist.
  // Refuses a file that is readable by group or others ("insecure_key_file").
  static Result<MasterKey> load_or_create_file(const std::string& path);
  // WEFT_MASTER_KEY if non-empty (`env_hex`), else the key file `<data_dir>/master.key`.
  static Result<MasterKey> resolve(const std::string& env_hex, const std::string& data_dir);

  const std::array<std::uint8_t, kSize>& bytes() const { return bytes_; }

 private:
  std::array<std::uint8_t, kSize> bytes_{};
};

}  // namespace weft::vault
