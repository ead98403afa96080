// net/egress.h — owns outbound HTTP made under a policy: on behalf of untrusted code (sandboxed
// bundles' ctx.fetch, core.code) and by every built-in action (net/outbound_policy.h builds
// theirs). The request's host must be on an allow-list, connections go only to public addresses
// unless the policy allows private ones, and redirects are followed here one hop at a time, each
// hop re-checked (Authorization and Cookie are dropped when a hop changes host). Everything else
// (time and size caps, cancellation) is perform()'s.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "net/http_client.h"

namespace weft::net {

struct EgressPolicy {
  // "api.example.com" (ports 80/443), "api.example.com:8443", "*.example.com" (any subdomain,
  // not the apex), or "*" (any host). Matching is case-insensitive. Empty: nothing allowed.
  std::vector<std::string> allowed_hosts;
  bool allow_private_addresses = false;
  int max_redirects = 5;
  // true: every hop must be https (a credential bound to an https API never travels in clear).
  bool https_only = false;
  // Why a host off the list is refused, completing "requests to <host> are not allowed (…)".
  std::string denied_because = "not in the bundle's network.allowedHosts";
};

// Ok when the URL is http(s) (https under https_only) and its host and port are on the
// allow-list; otherwise egress_denied (or invalid_url) naming the host, never the query.
Status check_egress(const std::string& url, const EgressPolicy& policy);

// "host:port" of an http(s) URL for logs and audit (never its path or query); "" when malformed.
std::string loggable_host(const std::string& url);

// Performs `request` under `policy` (request.max_redirects and allow_private_addresses are
// overridden by the policy). Errors: egress_denied, too_many_redirects, and perform()'s.
Result<HttpResponse> perform_with_policy(HttpRequest request, const EgressPolicy& policy);

}  // namespace weft::net
