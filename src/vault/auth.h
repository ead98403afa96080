// vault/auth.h — owns the credential auth schema: the discriminated union on `type`
// (api_key | bearer_token | oauth2 | bot_token | none) and the shape each secret must have.
// It knows nothing of encryption or storage.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace weft::vault {

enum class AuthType { api_key, bearer_token, oauth2, bot_token, none };

std::string_view to_string(AuthType type);
// Empty for an unknown name.
std::optional<AuthType> parse_auth_type(std::string_view text);

// Checks that `secret` has the fields `type` requires:
//   api_key      {"api_key": string}
//   bearer_token {"token": string}
//   oauth2       {"access_token": string, "refresh_token"?, "expires_at"?, "token_type"?, "scope"?}
//   bot_token    {"bot_token": string}
//   none         {} (an empty object: no fields)
// Unknown extra fields are refused. Fails with "invalid_credential" listing every problem
// (never echoing a secret value).
Status validate_secret(AuthType type, const json& secret);

// One field of a secret (the shape validate_secret checks), for a form that asks for it.
struct SecretField {
  std::string name;  // "api_key", "access_token", …
  bool required = false;
};
// The fields a secret of `type` has, as listed above: required ones first, then by name; none
// for `none`.
std::vector<SecretField> secret_fields(AuthType type);

// The string an integration sends as its bearer/api token for this secret: api_key,
// token, access_token or bot_token. Empty for `none`.
std::string primary_token(AuthType type, const json& secret);

}  // namespace weft::vault
