// core/digest.h — owns the byte encodings and digests the modules share: SHA-256 as lower-case
// hex (bundle archives, token hashes) and standard base64 (data: URIs). libsodium underneath;
// nothing here is a secret-handling primitive (that is the vault's).
#pragma once

#include <string>
#include <string_view>

namespace weft {

// SHA-256 of `bytes` as 64 lower-case hex characters.
std::string sha256_hex(std::string_view bytes);

// Standard base64 (RFC 4648 §4, with padding).
std::string base64(std::string_view bytes);

}  // namespace weft
