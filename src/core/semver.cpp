#include "core/semver.h"

#include <algorithm>

namespace weft {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// A numeric part: digits, no leading zero (except "0" itself), fits 64 bits.
std::optional<std::uint64_t> parse_number(std::string_view s) {
  if (s.empty() || !all_digits(s) || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : s) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// Dot-separated non-empty identifiers of [0-9A-Za-z-]; numeric ones without leading zeros
// when `numeric_rule` (pre-release, §9; build metadata may have them, §10).
bool split_identifiers(std::string_view s, bool numeric_rule, std::vector<std::string>& out) {
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    const std::string_view id = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (id.empty()) return false;
    for (char c : id) {
      if (!is_ident_char(c)) return false;
    }
    if (numeric_rule && id.size() > 1 && id[0] == '0' && all_digits(id)) return false;
    out.emplace_back(id);
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

int three_way(std::uint64_t a, std::uint64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

// §11.4: numeric identifiers compare numerically (no leading zeros, so a longer one is larger:
// no overflow whatever their length), alphanumeric ones in ASCII order, numeric before
// alphanumeric.
int compare_identifier(const std::string& a, const std::string& b) {
  const bool an = all_digits(a);
  const bool bn = all_digits(b);
  if (an && bn) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  }
  if (an != bn) return an ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

std::optional<SemVer> parse_semver(std::string_view text, std::size_t max_length) {
  if (text.empty() || text.size() > max_length) return std::nullopt;
  SemVer v;
  std::string_view rest = text;
  if (const std::size_t plus = rest.find('+'); plus != std::string_view::npos) {
    if (!split_identifiers(rest.substr(plus + 1), false, v.build)) return std::nullopt;
    rest = rest.substr(0, plus);
  }
  if (const std::size_t dash = rest.find('-'); dash != std::string_view::npos) {
    if (!split_identifiers(rest.substr(dash + 1), true, v.pre_release)) return std::nullopt;
    rest = rest.substr(0, dash);
  }
  const std::size_t dot1 = rest.find('.');
  if (dot1 == std::string_view::npos) return std::nullopt;
  const std::size_t dot2 = rest.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return std::nullopt;
  const auto major = parse_number(rest.substr(0, dot1));
  const auto minor = parse_number(rest.substr(dot1 + 1, dot2 - dot1 - 1));
  const auto patch = parse_number(rest.substr(dot2 + 1));  // a third dot makes this fail
  if (!major || !minor || !patch) return std::nullopt;
  v.major = *major;
  v.minor = *minor;
  v.patch = *patch;
  return v;
}

int compare(const SemVer& a, const SemVer& b) {
  if (int c = three_way(a.major, b.major)) return c;
  if (int c = three_way(a.minor, b.minor)) return c;
  if (int c = three_way(a.patch, b.patch)) return c;
  // §11.3: a pre-release comes before its release.
  if (a.pre_release.empty() != b.pre_release.empty()) return a.pre_release.empty() ? 1 : -1;
  const std::size_t n = std::min(a.pre_release.size(), b.pre_release.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (int c = compare_identifier(a.pre_release[i], b.pre_release[i])) return c;
  }
  // §11.4.4: a larger set of identifiers comes after, all the preceding ones being equal.
  return three_way(a.pre_release.size(), b.pre_release.size());
}

std::string to_string(const SemVer& v) {
  std::string out = std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
  auto join = [&out](char lead, const std::vector<std::string>& ids) {
    for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? '.' : lead) + ids[i];
  };
  join('-', v.pre_release);
  join('+', v.build);
  return out;
}

}  // namespace weft
