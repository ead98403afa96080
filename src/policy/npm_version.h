// policy/npm_version.h — owns the npm version an advisory range is compared with: a SemVer
// 2.0.0 version (what the npm registry publishes) and its precedence. Knows no advisory and no
// range syntax; never throws. (bundles/semver.h says the same for bundle versions, but policy
// sits below bundles and may not link it.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft::policy {

// Longest version text parse_npm_version accepts (bytes).
inline constexpr std::size_t kMaxNpmVersionLength = 256;

struct NpmVersion {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::vector<std::string> pre_release;  // "1.0.0-rc.1" → {"rc", "1"}
};

// "MAJOR.MINOR.PATCH[-PRE][+BUILD]" as semver.org §2, §9, §10 define it (no leading "v", no
// leading zeros, non-empty [0-9A-Za-z-] identifiers, 64-bit numbers), at most
// kMaxNpmVersionLength bytes; build metadata is dropped. nullopt for anything else.
std::optional<NpmVersion> parse_npm_version(std::string_view text);

// SemVer precedence (§11): < 0 when a comes first, 0 when equal, > 0 when after.
int compare(const NpmVersion& a, const NpmVersion& b);

}  // namespace weft::policy
