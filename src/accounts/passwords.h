// accounts/passwords.h — owns password hashing: argon2id strings (libsodium crypto_pwhash_str)
// and their verification. Never logs or keeps a password; callers pass it through and drop it.
#pragma once

#include <string>

#include "core/result.h"

namespace weft::accounts {

enum class PasswordCost {
  interactive,  // OPSLIMIT/MEMLIMIT_INTERACTIVE: production
  min,          // OPSLIMIT/MEMLIMIT_MIN: tests only
};

// "min" → PasswordCost::min; anything else → interactive.
PasswordCost parse_password_cost(const std::string& text);

// Initialises libsodium once per process (thread-safe); aborts if it cannot start.
void ensure_sodium();

// An argon2id hash string (salt and parameters included). Errors: internal_error when
// libsodium cannot allocate the memory the cost asks for.
Result<std::string> hash_password(const std::string& password, PasswordCost cost);

// True when `password` matches `hash`. A malformed hash simply does not match.
bool verify_password(const std::string& hash, const std::string& password);

// A fixed, precomputed hash with the parameters of `cost`, for verifying against when the
// account does not exist, so a login does the same work whether or not the email is known.
const std::string& dummy_password_hash(PasswordCost cost);

}  // namespace weft::accounts
