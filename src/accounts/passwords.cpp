// Password hashing with libsodium's argon2id string API.
#include "accounts/passwords.h"

#include <sodium.h>

#include "core/assert.h"

namespace weft::accounts {
namespace {

struct CostParams {
  unsigned long long ops;
  std::size_t mem;
};

CostParams params(PasswordCost cost) {
  if (cost == PasswordCost::min) return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

}  // namespace

PasswordCost parse_password_cost(const std::string& text) {
  return text == "min" ? PasswordCost::min : PasswordCost::interactive;
}

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  WEFT_ASSERT(ready);
}

Result<std::string> hash_password(const std::string& password, PasswordCost cost) {
  ensure_sodium();
  const CostParams p = params(cost);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), p.ops, p.mem) != 0) {
    return Error::internal("crypto_pwhash_str failed (out of memory?)");
  }
  return std::string(out);
}

bool verify_password(const std::string& hash, const std::string& password) {
  ensure_sodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& dummy_password_hash(PasswordCost cost) {
  // Hashes of a throwaway string with the libsodium 1.0.18 INTERACTIVE / MIN parameters; the
  // unit tests check the parameters still match the library's, so the work stays the same.
  static const std::string interactive =
      "$argon2id$v=19$m=65536,t=2,p=1$xhZCJ/1IGudRwrU0wGk17A$UWApj4APIxafX3hGhOKlFE9X3WvefarKTCH3mRpHqnU";
  static const std::string min =
      "$argon2id$v=19$m=8,t=1,p=1$9QBfP3Rd/Yqwfr6HmyoOtA$LvPcLioKU1H6wNRW3aYKILgNOZp2BefIlxF+8WFfpdQ";
  return cost == PasswordCost::min ? min : interactive;
}

}  // namespace weft::accounts
