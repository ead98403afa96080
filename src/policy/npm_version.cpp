#include "policy/npm_version.h"

#include <algorithm>

namespace weft::policy {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

bool numeric(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!digit(c)) return false;
  }
  return true;
}

// A MAJOR/MINOR/PATCH part: "0" or digits without a leading zero, within 64 bits.
std::optional<std::uint64_t> number(std::string_view s) {
  if (!numeric(s) || (s.size() > 1 && s.front() == '0')) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : s) {
    const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 10) return std::nullopt;
    n = n * 10 + d;
  }
  return n;
}

// Splits `s` on '.' into non-empty identifiers of [0-9A-Za-z-]; `strict_numbers` refuses a
// numeric identifier with a leading zero (pre-release; build metadata may have them).
bool identifiers(std::string_view s, bool strict_numbers, std::vector<std::string>* out) {
  while (true) {
    const std::size_t dot = s.find('.');
    const std::string_view part = s.substr(0, dot);
    if (part.empty()) return false;
    for (char c : part) {
      const bool ok = digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
      if (!ok) return false;
    }
    if (strict_numbers && part.size() > 1 && part.front() == '0' && numeric(part)) return false;
    if (out != nullptr) out->emplace_back(part);
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

int sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

// §11.4: numeric identifiers numerically (no leading zeros: longer is larger), others in ASCII
// order, a numeric one before an alphanumeric one.
int compare_identifier(const std::string& a, const std::string& b) {
  const bool an = numeric(a);
  const bool bn = numeric(b);
  if (an && bn && a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  if (an != bn) return an ? -1 : 1;
  return sign(a.compare(b));
}

}  // namespace

std::optional<NpmVersion> parse_npm_version(std::string_view text) {
  if (text.empty() || text.size() > kMaxNpmVersionLength) return std::nullopt;
  NpmVersion v;
  if (const std::size_t plus = text.find('+'); plus != std::string_view::npos) {
    if (!identifiers(text.substr(plus + 1), false, nullptr)) return std::nullopt;
    text = text.substr(0, plus);
  }
  if (const std::size_t dash = text.find('-'); dash != std::string_view::npos) {
    if (!identifiers(text.substr(dash + 1), true, &v.pre_release)) return std::nullopt;
    text = text.substr(0, dash);
  }
  const std::size_t first = text.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = text.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto major = number(text.substr(0, first));
  auto minor = number(text.substr(first + 1, second - first - 1));
  auto patch = number(text.substr(second + 1));
  if (!major || !minor || !patch) return std::nullopt;
  v.major = *major;
  v.minor = *minor;
  v.patch = *patch;
  return v;
}

int compare(const NpmVersion& a, const NpmVersion& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  // §11.3: a pre-release comes before its release.
  if (a.pre_release.empty() != b.pre_release.empty()) return a.pre_release.empty() ? 1 : -1;
  const std::size_t n = std::min(a.pre_release.size(), b.pre_release.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (int c = compare_identifier(a.pre_release[i], b.pre_release[i]); c != 0) return c;
  }
  if (a.pre_release.size() == b.pre_release.size()) return 0;
  return a.pre_release.size() < b.pre_release.size() ? -1 : 1;
}

}  // namespace weft::policy
