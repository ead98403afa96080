// policy/dependency_policy.h — owns an organization's dependency policy (DESIGN.md §4): the
// highest advisory risk a bundled package may carry, the packages it may not bundle, and whether
// install scripts are refused. The type, its JSON form, how two compare, and how a package
// pattern matches; evaluating a bundle against it is bundles/dependency_review.h's job.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "policy/policy_document.h"

namespace weft::policy {

// Advisory severity, ordered. `none`: no known advisory (never a policy value).
enum class Risk { none, low, medium, high, critical };
std::string_view to_string(Risk risk);
// "low" | "medium" | "moderate" (GitHub's word for medium) | "high" | "critical", any case.
std::optional<Risk> parse_risk(std::string_view text);

struct DependencyPolicy {
  Risk max_risk = Risk::critical;               // a package's risk above it blocks the bundle
  std::vector<std::string> blocked_packages;    // names or purls, '*' wildcards; sorted
  bool block_install_scripts = false;

  // Parses a document valid against policy_schema(dependency); fields left out keep `base`'s.
  static Result<DependencyPolicy> from_json(const json& j, const DependencyPolicy& base);
  json to_json() const;
  bool operator==(const DependencyPolicy&) const = default;
};

DependencyPolicy strictest(const DependencyPolicy& a, const DependencyPolicy& b);
std::vector<Loosened> loosened(const DependencyPolicy& limit, const DependencyPolicy& proposed);

// True when `pattern` (a blockedPackages entry) names the package: a pattern starting "pkg:"
// matches the purl (without its version when the pattern has none: "pkg:npm/lodash" matches
// "pkg:npm/lodash@4.17.20"), any other pattern the name ("lodash", "@evil/*"); '*' matches any
// run of characters, the rest is compared exactly (case-sensitive, as npm names are).
bool package_pattern_matches(std::string_view pattern, std::string_view name, std::string_view purl);

}  // namespace weft::policy
