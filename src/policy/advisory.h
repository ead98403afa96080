// policy/advisory.h — owns a security advisory in the OSV format (ossf.github.io/osv-schema, the
// format of the OSV and GitHub advisory databases) reduced to what a dependency policy needs:
// its npm packages, their affected versions and its severity. Parses and judges versions only;
// storing advisories is store::AdvisoryStore's job, reviewing a bundle bundles/dependency_review.h's.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "policy/dependency_policy.h"

namespace weft::policy {

// Error code of a document parse_advisory refuses (details: {"field": JSON pointer}).
inline constexpr char kAdvisoryInvalid[] = "advisory_invalid";
// Error code of a valid OSV document that names no npm package (nothing to keep).
inline constexpr char kAdvisoryNotNpm[] = "advisory_not_npm";

// Bounds of one document; a document past any of them is refused (kAdvisoryInvalid).
inline constexpr std::size_t kMaxAdvisoryIdLength = 128;
inline constexpr std::size_t kMaxAdvisoryAliases = 64;
inline constexpr std::size_t kMaxAdvisorySummaryLength = 1024;
inline constexpr std::size_t kMaxAdvisoryDetailsLength = 64 * 1024;
inline constexpr std::size_t kMaxAffectedEntries = 256;    // affected[] (every ecosystem)
inline constexpr std::size_t kMaxRangesPerAffected = 64;
inline constexpr std::size_t kMaxEventsPerRange = 256;
inline constexpr std::size_t kMaxVersionsPerAffected = 20'000;
inline constexpr std::size_t kMaxPackageNameLength = 214;   // npm's own limit
inline constexpr std::size_t kMaxVersionTextLength = 256;
inline constexpr std::size_t kMaxSeverityTextLength = 256;  // a CVSS vector or a word

enum class RangeType { semver, ecosystem, git };

// One OSV range event: the version it names and what happens there.
struct RangeEvent {
  enum class Kind { introduced, fixed, last_affected, limit };
  Kind kind = Kind::introduced;
  std::string version;  // "0" for introduced means "from the first version"
};

struct AffectedRange {
  RangeType type = RangeType::semver;
  std::vector<RangeEvent> events;  // as written
};

// One npm entry of affected[].
struct AffectedPackage {
  std::string name;  // "lodash", "@scope/name"
  std::string purl;  // "" when absent
  std::vector<AffectedRange> ranges;
  std::vector<std::string> versions;  // listed affected versions, as written
  Risk severity = Risk::medium;       // this entry's own severity, else the advisory's
};

struct Advisory {
  std::string id;        // "GHSA-jf85-cpcp-j695"
  std::string modified;  // RFC 3339, as written
  TimeMs modified_ms = 0;
  std::string withdrawn;  // RFC 3339 when withdrawn ("" otherwise): then it affects nothing
  std::string summary;    // "" when absent
  std::string details;
  std::vector<std::string> aliases;
  std::vector<AffectedPackage> affected;  // npm entries only, in document order
  Risk severity = Risk::medium;
  // Where `severity` comes from: "database_specific", "cvss_v3" or "default".
  std::string severity_source = "default";
  std::optional<double> cvss_score;  // the computed CVSS v3 base score, when that was the source
  json document;                     // the OSV document as given
};

// The advisory of one OSV document: id (≤ kMaxAdvisoryIdLength, no control characters) and
// modified (RFC 3339) required; affected[] entries of other ecosystems dropped (ecosystem
// "npm", exactly); every bound above checked. Severity per advisory: database_specific.severity
// (GitHub's LOW/MODERATE/HIGH/CRITICAL), else the CVSS v3.x base score of severity[] (its
// vector), else medium; an affected entry's database_specific / ecosystem_specific severity
// overrides it for that entry. Errors: kAdvisoryInvalid (message and details.field say what),
// kAdvisoryNotNpm when no entry is left.
Result<Advisory> parse_advisory(const json& document);

// The CVSS v3.0/v3.1 base score of `vector` ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" →
// 9.8) per the v3.1 specification's formulas, or nullopt if it is not a complete v3 vector.
std::optional<double> cvss3_base_score(std::string_view vector);
// The qualitative rating of a score: 0 none, 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0+ critical.
Risk risk_of_score(double score);

// True when `npm_version` of package `package` is affected: inside one of the package's SEMVER
// or ECOSYSTEM ranges (introduced ≤ v < fixed, introduced ≤ v ≤ last_affected, v < limit; events
// sorted by version, several intervals per range) or listed in its `versions`. Versions compare
// as SemVer; an unparsable version is never in a range but may be listed exactly. A withdrawn
// advisory affects nothing.
bool affects(const Advisory& advisory, std::string_view package, std::string_view npm_version);
// The same over every npm package of the advisory.
bool affects(const Advisory& advisory, std::string_view npm_version);

// The affected versions of `package` for a message: "< 4.17.21", ">= 1.0.0, < 1.2.3",
// ranges joined by " || ", listed versions as "= 1.0.0" (at most a few, then "…"). "" when the
// advisory does not name the package.
std::string range_text(const Advisory& advisory, std::string_view package);

// The severity the advisory gives `package` (its entry's, else the advisory's).
Risk severity_for(const Advisory& advisory, std::string_view package);

}  // namespace weft::policy
