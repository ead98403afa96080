// accounts/validation.h — owns the shape rules for account input: emails, passwords, org and
// token names. Pure functions; they never echo a password back in an error.
#pragma once

#include <string>

#include "core/result.h"

namespace weft::accounts {

constexpr std::size_t kMaxEmailBytes = 254;
constexpr std::size_t kMinPasswordChars = 10;
constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr std::size_t kMaxNameChars = 100;  // org and API token names

// ASCII lower-casing (how emails are compared and stored).
std::string lower_ascii(std::string text);

// The lower-cased email, or invalid_input: valid UTF-8, at most 254 bytes, exactly one '@'
// with a non-empty local part and domain, no whitespace or control characters.
Result<std::string> normalize_email(const std::string& email);

// invalid_input unless 10+ characters and at most 1024 bytes of valid UTF-8.
Status check_password(const std::string& password);

// The name without surrounding whitespace, or invalid_input unless 1–100 characters of valid
// UTF-8 without control characters.
Result<std::string> normalize_org_name(const std::string& name);
// The same rules for an API token's name.
Result<std::string> normalize_token_name(const std::string& name);

}  // namespace weft::accounts
