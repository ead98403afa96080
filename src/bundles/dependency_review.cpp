#include "bundles/dependency_review.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "bundles/review.h"  // kInstallScriptsProperty
#include "policy/advisory_import.h"
#include "core/semver.h"

namespace weft::bundles {

namespace {

using policy::Advisory;
using policy::Risk;

// Advisories by the npm package names they affect; each advisory at most once per name.
using AdvisoryIndex = std::unordered_map<std::string, std::vector<const Advisory*>>;

AdvisoryIndex index_advisories(const std::vector<Advisory>& advisories) {
  AdvisoryIndex index;
  for (const Advisory& a : advisories) {
    if (!a.withdrawn.empty()) continue;
    for (const policy::AffectedPackage& p : a.affected) {
      auto& list = index[p.name];
      if (list.empty() || list.back() != &a) list.push_back(&a);
    }
  }
  return index;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// The npm name and version a "pkg:npm/…" purl names ("pkg:npm/%40scope/name@1.0.0?x#y" →
// {"@scope/name", "1.0.0"}); empty name for any other purl.
std::pair<std::string, std::string> npm_purl_parts(std::string_view purl) {
  constexpr std::string_view kPrefix = "pkg:npm/";
  if (purl.substr(0, kPrefix.size()) != kPrefix) return {};
  purl.remove_prefix(kPrefix.size());
  purl = purl.substr(0, purl.find_first_of("?#"));
  const std::size_t at = purl.find('@');  // a scope's '@' is encoded as %40 in a purl
  std::string name = percent_decode(purl.substr(0, at));
  std::string version = at == std::string_view::npos ? "" : percent_decode(purl.substr(at + 1));
  return {std::move(name), std::move(version)};
}

// The purl weft-bundle would write for an npm package (sdk/lib/sbom.mjs npmPurl), without a
// version when `version` is not one.
std::string npm_purl(const std::string& name, const std::string& version) {
  std::string out = "pkg:npm/";
  out += name.rfind('@', 0) == 0 ? "%40" + name.substr(1) : name;
  if (parse_semver(version, kMaxNpmVersionLength)) {
    out += "@";
    for (char c : version) {
      if (c == '+') out += "%2B";
      else out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> split_scripts(const std::string& value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t comma = value.find(',', start);
    std::string part = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (!part.empty() && std::find(out.begin(), out.end(), part) == out.end()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string joined(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string quoted(const std::string& s) {
  return json(s).dump();  // JSON quoting: an odd pattern cannot break the sentence
}

class Reviewer {
 public:
  Reviewer(const policy::DependencyPolicy& policy, const std::vector<Advisory>& advisories)
      : policy_(policy), index_(index_advisories(advisories)) {}

  // The verdict on `name`@`version` (`purl` for blockedPackages; install scripts when known).
  DependencyVerdict judge(const std::string& name, const std::string& version, const std::string& purl,
                          const std::vector<std::string>* install_scripts) const {
    DependencyVerdict v;
    // A range ("^4.17.0") or another non-SemVer version is in no advisory range; only an
    // advisory listing it exactly matches it (policy::affects).
    if (auto it = index_.find(name); it != index_.end()) {
      for (const Advisory* a : it->second) {
        if (!policy::affects(*a, name, version)) continue;
        v.advisories.push_back({a->id, policy::severity_for(*a, name), a->summary, policy::range_text(*a, name)});
      }
    }
    std::sort(v.advisories.begin(), v.advisories.end(), [](const ReviewedAdvisory& x, const ReviewedAdvisory& y) {
      return x.severity != y.severity ? x.severity > y.severity : x.id < y.id;
    });
    if (!v.advisories.empty()) v.risk = v.advisories.front().severity;
    if (v.risk != Risk::none && v.risk > policy_.max_risk) {
      const ReviewedAdvisory& top = v.advisories.front();
      std::string what = top.id;
      if (!top.summary.empty()) what += ": " + top.summary;
      if (!top.range.empty()) what += " " + top.range;
      v.reasons.push_back("Risk '" + std::string(policy::to_string(v.risk)) + "' exceeds max '" +
                          std::string(policy::to_string(policy_.max_risk)) + "' (" + what + ")");
    }
    if (install_scripts != nullptr && !install_scripts->empty()) {
      std::string text = "Has install scripts (" + joined(*install_scripts, ", ") + ")";
      (policy_.block_install_scripts ? v.reasons : v.flags).push_back(std::move(text));
    }
    for (const std::string& pattern : policy_.blocked_packages) {
      if (policy::package_pattern_matches(pattern, name, purl)) {
        v.reasons.push_back("Blocked package '" + name + "' (blockedPackages: " + quoted(pattern) + ")");
        break;  // one reason per package: the first pattern (they are sorted)
      }
    }
    v.blocked = !v.reasons.empty();
    return v;
  }

 private:
  const policy::DependencyPolicy& policy_;
  AdvisoryIndex index_;
};

// The npm name and version of a component: from its npm purl when it has one (the scope is
// there even when `name` lacks it), else its own fields.
std::pair<std::string, std::string> component_identity(const SbomComponent& c) {
  auto [name, version] = npm_purl_parts(c.purl);
  if (name.empty()) return {c.name, c.version};
  return {std::move(name), c.version.empty() ? std::move(version) : c.version};
}

std::vector<std::string> install_scripts_of(const SbomComponent& c) {
  for (const auto& [key, value] : c.properties) {
    if (key == kInstallScriptsProperty) return split_scripts(value);
  }
  return {};
}

void add_blocked_by(std::set<std::string>& out, const std::string& name, const std::string& version,
                    const DependencyVerdict& v) {
  const std::string who = version.empty() ? name : name + "@" + version;
  for (const std::string& reason : v.reasons) out.insert(who + ": " + reason);
}

json verdict_fields(json out, const DependencyVerdict& v) {
  json advisories = json::array();
  for (const ReviewedAdvisory& a : v.advisories) {
    advisories.push_back({{"id", a.id}, {"severity", policy::to_string(a.severity)}, {"summary", a.summary}, {"range", a.range}});
  }
  out["risk"] = policy::to_string(v.risk);
  out["advisories"] = std::move(advisories);
  out["blocked"] = v.blocked;
  out["reasons"] = v.reasons;
  out["flags"] = v.flags;
  return out;
}

}  // namespace

DependencyReview review_dependencies(const BundleManifest& manifest, const Sbom* sbom,
                                     const policy::DependencyPolicy& policy,
                                     const std::vector<policy::Advisory>& advisories) {
  const Reviewer reviewer(policy, advisories);
  DependencyReview review;
  std::set<std::string> blocked_by;
  for (const BundleProduct& product : manifest.products) {
    for (const DeclaredDependency& d : product.dependencies) {
      ReviewedDeclared r{product.id, d.name, d.version, d.reason, {}};
      r.verdict = reviewer.judge(d.name, d.version, npm_purl(d.name, d.version), nullptr);
      add_blocked_by(blocked_by, d.name, d.version, r.verdict);
      review.declared.push_back(std::move(r));
    }
  }
  if (sbom != nullptr) {
    review.components.reserve(sbom->components.size());
    for (const SbomComponent& c : sbom->components) {
      ReviewedComponent r;
      std::tie(r.name, r.version) = component_identity(c);
      r.license = c.license;
      r.purl = c.purl;
      r.evidence = c.evidence;
      r.install_scripts = install_scripts_of(c);
      const std::string purl = c.purl.empty() ? npm_purl(r.name, r.version) : c.purl;
      r.verdict = reviewer.judge(r.name, r.version, purl, &r.install_scripts);
      if (r.license.empty()) r.verdict.flags.insert(r.verdict.flags.begin(), kNoLicenseFlag);
      add_blocked_by(blocked_by, r.name, r.version, r.verdict);
      review.components.push_back(std::move(r));
    }
  }
  review.blocked_by.assign(blocked_by.begin(), blocked_by.end());
  return review;
}

std::vector<std::string> reviewed_package_names(const BundleManifest& manifest, const Sbom* sbom) {
  std::unordered_set<std::string> names;
  for (const BundleProduct& product : manifest.products) {
    for (const DeclaredDependency& d : product.dependencies) names.insert(d.name);
  }
  if (sbom != nullptr) {
    for (const SbomComponent& c : sbom->components) names.insert(component_identity(c).first);
  }
  std::vector<std::string> out(names.begin(), names.end());
  std::sort(out.begin(), out.end());
  return out;
}

Result<DependencyReview> review_dependencies(const BundleManifest& manifest, const Sbom* sbom,
                                             const policy::DependencyPolicy& policy, store::Store& store) {
  WEFT_TRY_ASSIGN(std::vector<policy::Advisory> advisories,
                  policy::load_advisories(store.advisories(), reviewed_package_names(manifest, sbom)));
  return review_dependencies(manifest, sbom, policy, advisories);
}

json DependencyReview::to_json() const {
  json declared_json = json::array();
  for (const ReviewedDeclared& d : declared) {
    declared_json.push_back(verdict_fields(
        {{"product", d.product}, {"name", d.name}, {"version", d.version}, {"reason", d.reason}}, d.verdict));
  }
  json components_json = json::array();
  for (const ReviewedComponent& c : components) {
    components_json.push_back(verdict_fields({{"name", c.name},
                                              {"version", c.version},
                                              {"license", c.license},
                                              {"purl", c.purl},
                                              {"evidence", c.evidence},
                                              {"installScripts", c.install_scripts}},
                                             c.verdict));
  }
  return {{"declared", std::move(declared_json)},
          {"components", std::move(components_json)},
          {"componentCount", components.size()},
          {"blockedBy", blocked_by}};
}

}  // namespace weft::bundles
