// policy/governance_policy.h — owns an organization's governance policy (DESIGN.md §4): which
// bundle scopes its catalog may show, whether its admins may upload, whether uploads wait for a
// platform admin's approval, and which vendors are blocked. The type, its JSON form and how two
// compare; the bundle service and the catalog filter enforce it.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "policy/policy_document.h"

namespace weft::policy {

// The scopes of allowedVendorScopes.
inline constexpr char kScopeFirstParty[] = "first-party";
inline constexpr char kScopePlatform[] = "platform";
inline constexpr char kScopeOrganization[] = "organization";

struct GovernancePolicy {
  std::vector<std::string> allowed_vendor_scopes{kScopeFirstParty, kScopePlatform, kScopeOrganization};
  bool allow_org_uploads = true;
  bool require_approval_for_uploads = false;
  std::vector<std::string> blocked_vendor_ids;  // sorted

  // Parses a document valid against policy_schema(governance); fields left out keep `base`'s.
  static Result<GovernancePolicy> from_json(const json& j, const GovernancePolicy& base);
  json to_json() const;

  bool allows_scope(const std::string& scope) const;
  bool blocks_vendor(const std::string& vendor) const;
  bool operator==(const GovernancePolicy&) const = default;
};

GovernancePolicy strictest(const GovernancePolicy& a, const GovernancePolicy& b);
std::vector<Loosened> loosened(const GovernancePolicy& limit, const GovernancePolicy& proposed);

}  // namespace weft::policy
