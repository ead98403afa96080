// bundles/dependency_review.h — owns judging what a bundle depends on against an organization's
// dependency policy: the manifest's declared dependencies and every SBOM component, each with
// its advisories, risk, the reasons it blocks activation and non-blocking flags. Decides nothing
// about the bundle's status (service.cpp does) and stores nothing.
#pragma once

#include <string>
#include <vector>

#include "bundles/manifest.h"
#include "bundles/sbom.h"
#include "core/json.h"
#include "core/result.h"
#include "policy/advisory.h"
#include "policy/dependency_policy.h"
#include "store/store.h"

namespace weft::bundles {

// The flag of a component that names no license (never blocks).
inline constexpr char kNoLicenseFlag[] = "No license";

// One advisory that affects a reviewed version.
struct ReviewedAdvisory {
  std::string id;
  policy::Risk severity = policy::Risk::medium;  // what it gives this package
  std::string summary;
  std::string range;  // policy::range_text for this package ("< 4.17.21")
};

// The verdict on one dependency (declared or bundled).
struct DependencyVerdict {
  policy::Risk risk = policy::Risk::none;    // the highest advisory severity; none without one
  std::vector<ReviewedAdvisory> advisories;  // highest severity first, then by id
  bool blocked = false;                      // == !reasons.empty()
  // Exactly: "Risk 'high' exceeds max 'medium' (GHSA-…: <summary> <range>)",
  // "Has install scripts (postinstall)", "Blocked package 'lodash' (blockedPackages: \"lod*\")".
  std::vector<std::string> reasons;
  std::vector<std::string> flags;            // kNoLicenseFlag; install scripts the policy allows
};

struct ReviewedDeclared {
  std::string product;  // the product that declares it
  std::string name;
  std::string version;  // as written: a version (checked against advisories) or a range (not)
  std::string reason;
  DependencyVerdict verdict;
};

struct ReviewedComponent {
  std::string name;  // the npm name (from an npm purl when there is one, else the component's name)
  std::string version;
  std::string license;
  std::string purl;
  std::vector<std::string> evidence;
  std::vector<std::string> install_scripts;  // from the weft:npm:installScripts property (review.h), in its order
  DependencyVerdict verdict;
};

struct DependencyReview {
  std::vector<ReviewedDeclared> declared;    // manifest order
  std::vector<ReviewedComponent> components;  // SBOM order
  // Every distinct reason prefixed "name@version: ", sorted: what an upload answers as
  // blockedBy and enable answers with 409. Empty: nothing blocks the bundle.
  std::vector<std::string> blocked_by;

  bool blocked() const { return !blocked_by.empty(); }
  // For the review's Dependencies tab: {declared:[{product,name,version,reason,risk,advisories,
  // blocked,reasons,flags}], components:[{name,version,license,purl,evidence,installScripts,risk,
  // advisories,blocked,reasons,flags}], componentCount, blockedBy}.
  json to_json() const;
};

// Reviews `manifest`'s declared dependencies and `sbom`'s components (none when null) under
// `policy` with `advisories` (those not naming a reviewed package are ignored). Linear in the
// entries plus the advisories: one lookup map, built once.
DependencyReview review_dependencies(const BundleManifest& manifest, const Sbom* sbom,
                                     const policy::DependencyPolicy& policy,
                                     const std::vector<policy::Advisory>& advisories);

// The same, reading the advisories for the bundle's package names from `store`. Errors: the store's.
Result<DependencyReview> review_dependencies(const BundleManifest& manifest, const Sbom* sbom,
                                             const policy::DependencyPolicy& policy, store::Store& store);

// The npm package names a review of this bundle looks advisories up for, sorted, unique.
std::vector<std::string> reviewed_package_names(const BundleManifest& manifest, const Sbom* sbom);

}  // namespace weft::bundles
