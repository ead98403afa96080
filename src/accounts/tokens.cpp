// Token helpers declared in accounts.h: random bearer values and the SHA-256 form they are
// stored under.
#include <sodium.h>

#include "accounts/accounts.h"
#include "accounts/passwords.h"
#include "core/digest.h"

namespace weft::accounts {

std::string sha256_hex(const std::string& text) { return weft::sha256_hex(text); }

std::string random_token(const std::string& prefix) {
  ensure_sodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  char encoded[sodium_base64_ENCODED_LEN(sizeof bytes, kVariant)];
  sodium_bin2base64(encoded, sizeof encoded, bytes, sizeof bytes, kVariant);
  sodium_memzero(bytes, sizeof bytes);
  std::string token = prefix + encoded;
  sodium_memzero(encoded, sizeof encoded);
  return token;
}

}  // namespace weft::accounts
