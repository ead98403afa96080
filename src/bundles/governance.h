// bundles/governance.h — owns what an organization's policies say about bundles (issue 11): may
// a record be activated (the capabilities its manifest declares against the execution policy,
// its dependencies against the dependency policy), and the catalog filter that hides the
// vendors the governance or execution policy does not allow. Changes nothing itself: the
// service applies the verdicts, the catalog the filter.
#pragma once

#include <string>
#include <vector>

#include "bundles/manifest.h"
#include "catalog/catalog.h"
#include "policy/policies.h"
#include "store/store.h"

namespace weft::bundles {

// Error codes (public) of governance.
inline constexpr char kUploadsNotAllowed[] = "uploads_not_allowed";  // 403: allowOrgUploads is off
inline constexpr char kBundleBlocked[] = "bundle_blocked";           // 409: details {blockedBy: [reasons]}
inline constexpr char kNotPendingReview[] = "not_pending_review";    // 409: approve/reject of a reviewed bundle
inline constexpr char kVendorBlocked[] = "vendor_blocked";           // a workflow reaches a vendor its org hides

// The policies that judge `record`: an organization bundle its org's effective policies, a
// platform bundle the platform default (platform bundles serve every org; each org's own
// policies then hide it from that org's catalog, see policy_vendor_filter).
Result<policy::PolicySet> policies_for(store::Store& store, const store::BundleRecord& record);

// Why a bundle with `manifest` and `sbom` (the record's raw SBOM; null when not recorded) may
// not be activated under `policies`: each capability the execution policy does not allow, and
// each dependency the dependency policy blocks. Empty: it may be activated.
std::vector<std::string> activation_blockers(const BundleManifest& manifest, const json& sbom,
                                             const policy::PolicySet& policies, store::Store& store);

// The reason a vendor version is hidden from an org whose effective policies are `policies`, or
// nullopt: a blocked vendor id, a scope not in allowedVendorScopes, a capability not allowed.
std::optional<std::string> hidden_by(const catalog::VendorEntry& entry, const policy::PolicySet& policies);

// The catalog's filter: reads the org's effective policies once per view (policies::Policies)
// and hides what hidden_by says. A policy that cannot be read hides nothing and is logged.
catalog::VendorFilterFactory policy_vendor_filter(store::Store& store);

}  // namespace weft::bundles
