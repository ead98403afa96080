// vault/sealing.h — owns the sealed-bytes format every vault secret and wrapped org key uses:
// XChaCha20-Poly1305 with a random nonce and an AAD that binds the bytes to what they are,
//   [1 byte format version = 1][24-byte nonce][ciphertext + 16-byte Poly1305 tag].
// Pure functions: no store, no log, no key management.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"

namespace weft::vault {

inline constexpr std::size_t kSealKeySize = 32;
using SealKey = std::array<std::uint8_t, kSealKeySize>;

// `plaintext` sealed under `key` with `aad`.
std::vector<std::uint8_t> seal(const SealKey& key, std::string_view aad, const std::uint8_t* plaintext,
                               std::size_t size);
// The plaintext of `sealed`, or nullopt if it is malformed, of an unknown version, or fails
// authentication (wrong key, wrong AAD, any byte changed). The caller wipes the plaintext.
std::optional<std::vector<std::uint8_t>> unseal(const SealKey& key, std::string_view aad,
                                                const std::vector<std::uint8_t>& sealed);
// The AAD of an org's data key wrapped by the master key.
std::string org_key_aad(const OrgId& org);

}  // namespace weft::vault
