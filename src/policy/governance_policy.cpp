#include "policy/governance_policy.h"

#include <algorithm>

#include "policy/policy_fields.h"

namespace weft::policy {

namespace {

std::vector<std::string> in_scope_order(const std::vector<std::string>& set) {
  std::vector<std::string> out;
  for (const char* s : {kScopeFirstParty, kScopePlatform, kScopeOrganization}) {
    if (std::find(set.begin(), set.end(), s) != set.end()) out.push_back(s);
  }
  return out;
}

}  // namespace

Result<GovernancePolicy> GovernancePolicy::from_json(const json& j, const GovernancePolicy& base) {
  WEFT_TRY(check_policy_document(PolicyKind::governance, j));
  GovernancePolicy p = base;
  if (j.contains("allowedVendorScopes")) p.allowed_vendor_scopes = in_scope_order(fields::strings(j["allowedVendorScopes"]));
  if (j.contains("allowOrgUploads")) p.allow_org_uploads = j["allowOrgUploads"].get<bool>();
  if (j.contains("requireApprovalForUploads")) p.require_approval_for_uploads = j["requireApprovalForUploads"].get<bool>();
  if (j.contains("blockedVendorIds")) p.blocked_vendor_ids = fields::strings(j["blockedVendorIds"]);
  return p;
}

json GovernancePolicy::to_json() const {
  return {{"allowedVendorScopes", allowed_vendor_scopes},
          {"allowOrgUploads", allow_org_uploads},
          {"requireApprovalForUploads", require_approval_for_uploads},
          {"blockedVendorIds", blocked_vendor_ids}};
}

bool GovernancePolicy::allows_scope(const std::string& scope) const {
  return std::find(allowed_vendor_scopes.begin(), allowed_vendor_scopes.end(), scope) != allowed_vendor_scopes.end();
}

bool GovernancePolicy::blocks_vendor(const std::string& vendor) const {
  return std::binary_search(blocked_vendor_ids.begin(), blocked_vendor_ids.end(), vendor);
}

GovernancePolicy strictest(const GovernancePolicy& a, const GovernancePolicy& b) {
  GovernancePolicy out;
  out.allowed_vendor_scopes = in_scope_order(fields::intersection(a.allowed_vendor_scopes, b.allowed_vendor_scopes));
  out.allow_org_uploads = a.allow_org_uploads && b.allow_org_uploads;
  out.require_approval_for_uploads = a.require_approval_for_uploads || b.require_approval_for_uploads;
  out.blocked_vendor_ids = fields::union_of(a.blocked_vendor_ids, b.blocked_vendor_ids);
  return out;
}

std::vector<Loosened> loosened(const GovernancePolicy& limit, const GovernancePolicy& proposed) {
  std::vector<Loosened> out;
  if (auto extra = fields::missing(proposed.allowed_vendor_scopes, limit.allowed_vendor_scopes); !extra.empty()) {
    out.push_back({"allowedVendorScopes", limit.allowed_vendor_scopes, proposed.allowed_vendor_scopes,
                   "allowedVendorScopes may not add " + fields::joined(extra) + ": the platform does not allow it"});
  }
  if (proposed.allow_org_uploads && !limit.allow_org_uploads) {
    out.push_back({"allowOrgUploads", false, true, "allowOrgUploads may not be turned on: the platform keeps it off"});
  }
  if (!proposed.require_approval_for_uploads && limit.require_approval_for_uploads) {
    out.push_back({"requireApprovalForUploads", true, false,
                   "requireApprovalForUploads may not be turned off: the platform requires approval"});
  }
  if (auto dropped = fields::missing(limit.blocked_vendor_ids, proposed.blocked_vendor_ids); !dropped.empty()) {
    out.push_back({"blockedVendorIds", limit.blocked_vendor_ids, proposed.blocked_vendor_ids,
                   "blockedVendorIds must keep " + fields::joined(dropped) + ": the platform blocks it"});
  }
  return out;
}

}  // namespace weft::policy
