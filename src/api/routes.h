// api/routes.h — owns the list of every API route: method, path, who may call it, body limit
// and handler. This one table drives the server and the authorization-matrix test, so a route
// cannot exist without a declared access level.
#pragma once

#include <vector>

#include "api/context.h"

namespace weft::api {

// The path-segment pattern every resource id is matched with (so "../x" never reaches a handler).
inline constexpr const char* kId = R"(([A-Za-z0-9_-]{1,128}))";
// An action key or block id ("github.createIssue"): kId's characters plus '.', at most 160, and
// never "." or ".." alone.
inline constexpr const char* kKey = R"(([A-Za-z0-9_.-]{1,160}))";

// Every route, in registration order.
const std::vector<Route>& all_routes();
// The probes only (a worker node's HTTP): GET /api/health, /api/ready and /metrics.
const std::vector<Route>& probe_routes();

// Per-resource pieces of the table (each in its own file).
void add_probe_routes(std::vector<Route>& routes);  // routes.cpp
void add_auth_routes(std::vector<Route>& routes);
void add_catalog_routes(std::vector<Route>& routes);
void add_credential_routes(std::vector<Route>& routes);
void add_workflow_routes(std::vector<Route>& routes);
void add_run_routes(std::vector<Route>& routes);
void add_hook_routes(std::vector<Route>& routes);
void add_member_routes(std::vector<Route>& routes);
void add_invitation_routes(std::vector<Route>& routes);
void add_policy_routes(std::vector<Route>& routes);
void add_bundle_routes(std::vector<Route>& routes);
void add_audit_routes(std::vector<Route>& routes);
void add_bundle_review_routes(std::vector<Route>& routes);
void add_advisory_routes(std::vector<Route>& routes);

// Sends `error` (http_json.h send_error); a rate_limited error whose details carry
// retryAfterSeconds also gets a Retry-After header.
void send_error_of(Call& call, const Error& error);

// Sends `result`'s error and returns false, or returns true. For handlers:
//   auto x = f(); if (!ok_or_send(call, x)) return;
template <typename T>
bool ok_or_send(Call& call, const Result<T>& result) {
  if (result.ok()) return true;
  send_error_of(call, result.error());
  return false;
}

}  // namespace weft::api
