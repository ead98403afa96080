#include "bundles/governance.h"

#include "bundles/dependency_review.h"
#include "bundles/sbom.h"
#include "core/log.h"

namespace weft::bundles {

namespace {

std::string quoted_list(const std::vector<std::string>& items) {
  if (items.empty()) return "none";
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "'" : ", '") + s + "'";
  return out;
}

const char* scope_name(catalog::Origin origin) {
  switch (origin) {
    case catalog::Origin::first_party: return policy::kScopeFirstParty;
    case catalog::Origin::platform: return policy::kScopePlatform;
    case catalog::Origin::organization: return policy::kScopeOrganization;
  }
  return policy::kScopeOrganization;
}

std::string capability_reason(const std::string& capability, const policy::ExecutionPolicy& execution) {
  return "Capability '" + capability + "' is not allowed by the execution policy (allowedCapabilities: " +
         quoted_list(execution.allowed_capabilities) + ")";
}

}  // namespace

Result<policy::PolicySet> policies_for(store::Store& store, const store::BundleRecord& record) {
  policy::Policies policies(store);
  if (record.scope == store::BundleScope::platform) return policies.platform_default();
  return policies.effective(record.org);
}

std::vector<std::string> activation_blockers(const BundleManifest& manifest, const json& sbom,
                                             const policy::PolicySet& policies, store::Store& store) {
  std::vector<std::string> out;
  for (const auto& capability : manifest.capabilities) {
    if (!policies.execution.allows_capability(capability)) out.push_back(capability_reason(capability, policies.execution));
  }
  auto parsed = sbom.is_null() ? Result<Sbom>(Error::not_found("sbom")) : parse_sbom(sbom);
  auto review = review_dependencies(manifest, parsed.ok() ? &*parsed : nullptr, policies.dependency, store);
  if (!review.ok()) {
    // Fail closed: a bundle whose dependencies cannot be judged is not activated.
    out.push_back("Dependencies could not be checked against the advisories: " + review.error().message);
    return out;
  }
  out.insert(out.end(), review->blocked_by.begin(), review->blocked_by.end());
  return out;
}

std::optional<std::string> hidden_by(const catalog::VendorEntry& entry, const policy::PolicySet& policies) {
  const std::string& vendor = entry.provider.id;
  if (policies.governance.blocks_vendor(vendor)) {
    return "vendor '" + vendor + "' is blocked by the governance policy (blockedVendorIds)";
  }
  const char* scope = scope_name(entry.origin);
  if (!policies.governance.allows_scope(scope)) {
    return "vendor '" + vendor + "' is a " + scope + " bundle, a scope the governance policy does not allow " +
           "(allowedVendorScopes: " + quoted_list(policies.governance.allowed_vendor_scopes) + ")";
  }
  for (const auto& capability : entry.capabilities) {
    if (!policies.execution.allows_capability(capability)) {
      return "vendor '" + vendor + "' needs capability '" + capability +
             "', which the execution policy does not allow (allowedCapabilities: " +
             quoted_list(policies.execution.allowed_capabilities) + ")";
    }
  }
  return std::nullopt;
}

catalog::VendorFilterFactory policy_vendor_filter(store::Store& store) {
  return [&store](const OrgId& org) -> catalog::VendorFilter {
    auto policies = policy::Policies(store).effective(org);
    if (!policies.ok()) {
      log().error("org {}: its policies could not be read ({}); the catalog hides nothing for it", org.str(),
                  policies.error().message);
      return {};
    }
    return [set = std::move(policies).take()](const catalog::VendorEntry& entry) { return hidden_by(entry, set); };
  };
}

}  // namespace weft::bundles
