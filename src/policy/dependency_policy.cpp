#include "policy/dependency_policy.h"

#include <algorithm>
#include <cctype>

#include "policy/policy_fields.h"

namespace weft::policy {

namespace {

// Glob with '*' only; iterative with one backtrack point, so linear-ish on hostile input.
bool glob(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

std::string_view to_string(Risk risk) {
  switch (risk) {
    case Risk::none: return "none";
    case Risk::low: return "low";
    case Risk::medium: return "medium";
    case Risk::high: return "high";
    case Risk::critical: return "critical";
  }
  return "none";
}

std::optional<Risk> parse_risk(std::string_view text) {
  std::string lower;
  for (char c : text.substr(0, 16)) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "low") return Risk::low;
  if (lower == "medium" || lower == "moderate") return Risk::medium;
  if (lower == "high") return Risk::high;
  if (lower == "critical") return Risk::critical;
  return std::nullopt;
}

Result<DependencyPolicy> DependencyPolicy::from_json(const json& j, const DependencyPolicy& base) {
  WEFT_TRY(check_policy_document(PolicyKind::dependency, j));
  DependencyPolicy p = base;
  if (j.contains("maxRisk")) p.max_risk = *parse_risk(j["maxRisk"].get<std::string>());
  if (j.contains("blockedPackages")) p.blocked_packages = fields::strings(j["blockedPackages"]);
  if (j.contains("blockInstallScripts")) p.block_install_scripts = j["blockInstallScripts"].get<bool>();
  return p;
}

json DependencyPolicy::to_json() const {
  return {{"maxRisk", to_string(max_risk)},
          {"blockedPackages", blocked_packages},
          {"blockInstallScripts", block_install_scripts}};
}

DependencyPolicy strictest(const DependencyPolicy& a, const DependencyPolicy& b) {
  DependencyPolicy out;
  out.max_risk = std::min(a.max_risk, b.max_risk);
  out.blocked_packages = fields::union_of(a.blocked_packages, b.blocked_packages);
  out.block_install_scripts = a.block_install_scripts || b.block_install_scripts;
  return out;
}

std::vector<Loosened> loosened(const DependencyPolicy& limit, const DependencyPolicy& proposed) {
  std::vector<Loosened> out;
  if (proposed.max_risk > limit.max_risk) {
    out.push_back({"maxRisk", to_string(limit.max_risk), to_string(proposed.max_risk),
                   "maxRisk '" + std::string(to_string(proposed.max_risk)) + "' is looser than the platform's '" +
                       std::string(to_string(limit.max_risk)) + "'"});
  }
  if (auto dropped = fields::missing(limit.blocked_packages, proposed.blocked_packages); !dropped.empty()) {
    out.push_back({"blockedPackages", limit.blocked_packages, proposed.blocked_packages,
                   "blockedPackages must keep " + fields::joined(dropped) + ": the platform blocks it"});
  }
  if (!proposed.block_install_scripts && limit.block_install_scripts) {
    out.push_back({"blockInstallScripts", true, false,
                   "blockInstallScripts may not be turned off: the platform blocks install scripts"});
  }
  return out;
}

bool package_pattern_matches(std::string_view pattern, std::string_view name, std::string_view purl) {
  if (pattern.starts_with("pkg:")) {
    if (purl.empty()) return false;
    if (glob(pattern, purl)) return true;
    // A pattern without a version matches every version of the package.
    if (pattern.find('@', 4) == std::string_view::npos || pattern.rfind('@') < pattern.rfind('/')) {
      const auto at = purl.rfind('@');
      if (at != std::string_view::npos && at > purl.rfind('/')) return glob(pattern, purl.substr(0, at));
    }
    return false;
  }
  return glob(pattern, name);
}

}  // namespace weft::policy
