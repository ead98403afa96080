// net/outbound_policy.h — owns the one set of outbound rules every built-in action follows: the
// private-address rule (WEFT_HTTP_ALLOW_PRIVATE) on every hop, and, for a request carrying a
// stored credential, the binding of that credential to its provider's API base (scheme, host,
// port). It only builds the EgressPolicy that perform_with_policy enforces; it sends nothing.
#pragma once

#include <string>

#include "core/result.h"
#include "net/egress.h"

namespace weft::net {

// Where one provider's credentials may be sent.
struct CredentialBinding {
  std::string provider;  // "acme", named in refusals
  std::string api_base;  // "https://api.acme.com": its origin is the only one the credential reaches
  std::string setting;   // what configures api_base ("WEFT_ACME_API_BASE"), named in refusals
};

struct OutboundPolicy {
  bool allow_private_addresses = true;  // false: loopback, private, link-local… refused on every hop
  int max_redirects = 5;

  // For a request that carries no credential: any http(s) host, the address rule on every hop.
  EgressPolicy without_credential() const;

  // For a request that carries `binding.provider`'s credential: every hop must go to the
  // origin of binding.api_base (https only when the base is https) and pass the address rule.
  // Errors: invalid_configuration (public, names binding.setting) when api_base is not an
  // http(s) URL with a host.
  Result<EgressPolicy> with_credential(const CredentialBinding& binding) const;
};

}  // namespace weft::net
