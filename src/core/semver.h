// core/semver.h — owns Semantic Versioning 2.0.0 (semver.org): parsing a version string (a
// bundle's, an npm package's in an advisory range) and ordering two versions by precedence
// (§11). Knows nothing of bundles, manifests or advisories; never throws, never allocates more
// than the bounded input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft {

// Longest version string parse_semver accepts by default (bytes): a bundle's version.
inline constexpr std::size_t kMaxSemVerLength = 64;
// Longest npm version an advisory range or an SBOM component is compared with.
inline constexpr std::size_t kMaxNpmVersionLength = 256;

struct SemVer {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::vector<std::string> pre_release;  // "1.0.0-alpha.1" → {"alpha", "1"}; empty for a release
  std::vector<std::string> build;        // "1.0.0+sha.5114f85" → {"sha", "5114f85"}; ignored by compare
};

// "MAJOR.MINOR.PATCH[-PRE][+BUILD]" exactly as semver.org §2, §9, §10 (and its BNF) say: no
// leading "v", no leading zeros in numeric parts or numeric pre-release identifiers, no empty
// identifiers, identifiers of [0-9A-Za-z-] only, numbers that fit 64 bits, at most
// `max_length` bytes. nullopt for anything else.
std::optional<SemVer> parse_semver(std::string_view text, std::size_t max_length = kMaxSemVerLength);

// Precedence (§11): < 0 when a comes before b, 0 when they have the same precedence, > 0 after.
// Build metadata is ignored, so 1.0.0+a and 1.0.0+b compare equal.
int compare(const SemVer& a, const SemVer& b);

// The canonical text ("1.0.0-alpha.1+build.5"): parse_semver(to_string(v)) gives back v.
std::string to_string(const SemVer& version);

}  // namespace weft
