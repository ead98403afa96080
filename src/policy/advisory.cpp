#include "policy/advisory.h"

#include <algorithm>
#include <cmath>

#include "core/semver.h"

namespace weft::policy {

namespace {

Error invalid(const std::string& field, const std::string& message) {
  return Error::make(kAdvisoryInvalid, message, {{"field", field}});
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

// A string member of `object` (absent → ""), at most `max` bytes; `pointer` names it in errors.
Result<std::string> optional_string(const json& object, const char* key, std::size_t max,
                                    const std::string& pointer) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return invalid(pointer, pointer + " must be a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max) {
    return invalid(pointer, pointer + " is longer than " + std::to_string(max) + " bytes");
  }
  return s;
}

Result<const json*> optional_array(const json& object, const char* key, std::size_t max,
                                   const std::string& pointer) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return static_cast<const json*>(nullptr);
  if (!it->is_array()) return invalid(pointer, pointer + " must be an array");
  if (it->size() > max) {
    return invalid(pointer, pointer + " has more than " + std::to_string(max) + " entries");
  }
  return &*it;
}

// "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" (RFC 3339, 't'/'z' and ' ' separators accepted) → ms
// since the epoch, UTC.
std::optional<TimeMs> parse_rfc3339(std::string_view s) {
  auto num = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    if (at + len > s.size()) return std::nullopt;
    int n = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      n = n * 10 + (s[i] - '0');
    }
    return n;
  };
  if (s.size() < 20 || s.size() > 40 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *se > 60) return std::nullopt;
  std::size_t i = 19;
  int millis = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t start = i;
    int scale = 100;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      millis += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  int offset_minutes = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    auto oh = num(i + 1, 2), om = num(i + 4, 2);
    if (!oh || !om || i + 3 >= s.size() || s[i + 3] != ':' || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = (*oh * 60 + *om) * (s[i] == '+' ? 1 : -1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  // Days from the civil date (H. Hinnant's algorithm), proleptic Gregorian.
  const int yy = *y - (*mo <= 2 ? 1 : 0);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (*mo + (*mo > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  const std::int64_t seconds = days * 86400 + *h * 3600 + *mi * 60 + *se - offset_minutes * 60;
  return seconds * 1000 + millis;
}

// The severity word of `object` ("database_specific"/"ecosystem_specific" member), if any.
Result<std::optional<Risk>> specific_severity(const json& object, const std::string& pointer) {
  for (const char* key : {"database_specific", "ecosystem_specific"}) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_object()) continue;
    auto sev = it->find("severity");
    if (sev == it->end() || sev->is_null()) continue;
    const std::string where = pointer + "/" + key + "/severity";
    if (!sev->is_string()) return invalid(where, where + " must be a string");
    const auto& word = sev->get_ref<const std::string&>();
    if (auto risk = parse_risk(word)) return std::optional<Risk>(*risk);
    // Words outside GitHub's four ("UNKNOWN", "") say nothing; other sources decide.
  }
  return std::optional<Risk>();
}

Result<RangeEvent> parse_event(const json& e, RangeType type, const std::string& pointer) {
  if (!e.is_object() || e.size() != 1) {
    return invalid(pointer, pointer + " must be an object with exactly one of introduced, fixed, last_affected, limit");
  }
  const auto& [key, value] = *e.items().begin();
  RangeEvent out;
  if (key == "introduced") out.kind = RangeEvent::Kind::introduced;
  else if (key == "fixed") out.kind = RangeEvent::Kind::fixed;
  else if (key == "last_affected") out.kind = RangeEvent::Kind::last_affected;
  else if (key == "limit") out.kind = RangeEvent::Kind::limit;
  else return invalid(pointer, pointer + " has an unknown event '" + key.substr(0, 40) + "'");
  const std::string where = pointer + "/" + key;
  if (!value.is_string()) return invalid(where, where + " must be a string");
  out.version = value.get<std::string>();
  if (out.version.empty() || out.version.size() > kMaxVersionTextLength) {
    return invalid(where, where + " must be a version of 1 to " + std::to_string(kMaxVersionTextLength) + " bytes");
  }
  const bool from_start = out.kind == RangeEvent::Kind::introduced && out.version == "0";
  if (type != RangeType::git && !from_start && !parse_semver(out.version, kMaxNpmVersionLength)) {
    return invalid(where, where + " is not a SemVer version: \"" + out.version.substr(0, 64) + "\"");
  }
  return out;
}

Result<AffectedRange> parse_range(const json& r, const std::string& pointer) {
  if (!r.is_object()) return invalid(pointer, pointer + " must be an object");
  WEFT_TRY_ASSIGN(std::string type, optional_string(r, "type", 16, pointer + "/type"));
  AffectedRange out;
  if (type == "SEMVER") out.type = RangeType::semver;
  else if (type == "ECOSYSTEM") out.type = RangeType::ecosystem;
  else if (type == "GIT") out.type = RangeType::git;
  else return invalid(pointer + "/type", pointer + "/type must be SEMVER, ECOSYSTEM or GIT");
  WEFT_TRY_ASSIGN(const json* events, optional_array(r, "events", kMaxEventsPerRange, pointer + "/events"));
  if (events == nullptr || events->empty()) return invalid(pointer + "/events", pointer + "/events must not be empty");
  for (std::size_t i = 0; i < events->size(); ++i) {
    WEFT_TRY_ASSIGN(RangeEvent e, parse_event((*events)[i], out.type, pointer + "/events/" + std::to_string(i)));
    out.events.push_back(std::move(e));
  }
  return out;
}

// The affected entry at `pointer`, or nullopt when it is not an npm one (skipped).
Result<std::optional<AffectedPackage>> parse_affected(const json& a, const std::string& pointer) {
  if (!a.is_object()) return invalid(pointer, pointer + " must be an object");
  auto pkg = a.find("package");
  if (pkg == a.end() || pkg->is_null()) return std::optional<AffectedPackage>();  // GIT-only entries
  if (!pkg->is_object()) return invalid(pointer + "/package", pointer + "/package must be an object");
  WEFT_TRY_ASSIGN(std::string ecosystem, optional_string(*pkg, "ecosystem", 256, pointer + "/package/ecosystem"));
  if (ecosystem != "npm") return std::optional<AffectedPackage>();
  AffectedPackage out;
  WEFT_TRY_ASSIGN(out.name, optional_string(*pkg, "name", kMaxPackageNameLength, pointer + "/package/name"));
  if (out.name.empty() || has_control(out.name)) {
    return invalid(pointer + "/package/name", pointer + "/package/name must be an npm package name");
  }
  WEFT_TRY_ASSIGN(out.purl, optional_string(*pkg, "purl", 1024, pointer + "/package/purl"));
  WEFT_TRY_ASSIGN(const json* ranges, optional_array(a, "ranges", kMaxRangesPerAffected, pointer + "/ranges"));
  if (ranges != nullptr) {
    for (std::size_t i = 0; i < ranges->size(); ++i) {
      WEFT_TRY_ASSIGN(AffectedRange r, parse_range((*ranges)[i], pointer + "/ranges/" + std::to_string(i)));
      out.ranges.push_back(std::move(r));
    }
  }
  WEFT_TRY_ASSIGN(const json* versions, optional_array(a, "versions", kMaxVersionsPerAffected, pointer + "/versions"));
  if (versions != nullptr) {
    for (std::size_t i = 0; i < versions->size(); ++i) {
      const json& v = (*versions)[i];
      const std::string where = pointer + "/versions/" + std::to_string(i);
      if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
          v.get_ref<const std::string&>().size() > kMaxVersionTextLength) {
        return invalid(where, where + " must be a version string of 1 to " + std::to_string(kMaxVersionTextLength) + " bytes");
      }
      out.versions.push_back(v.get<std::string>());
    }
  }
  return std::optional<AffectedPackage>(std::move(out));
}

// "0" (from the start) sorts first; otherwise SemVer order. Both sides parse (parse_event checked).
bool event_before(const RangeEvent& a, const RangeEvent& b) {
  const bool a0 = a.kind == RangeEvent::Kind::introduced && a.version == "0";
  const bool b0 = b.kind == RangeEvent::Kind::introduced && b.version == "0";
  if (a0 || b0) return a0 && !b0;
  auto va = parse_semver(a.version, kMaxNpmVersionLength);
  auto vb = parse_semver(b.version, kMaxNpmVersionLength);
  if (!va || !vb) return false;
  return compare(*va, *vb) < 0;
}

std::vector<RangeEvent> sorted_events(const AffectedRange& range) {
  std::vector<RangeEvent> events = range.events;
  std::stable_sort(events.begin(), events.end(), event_before);
  return events;
}

// OSV's evaluation: walk the sorted events; introduced opens, fixed/limit close before, and
// last_affected closes after the version they name.
bool in_range(const AffectedRange& range, const SemVer& v) {
  if (range.type == RangeType::git) return false;
  bool affected = false;
  for (const RangeEvent& e : sorted_events(range)) {
    if (e.kind == RangeEvent::Kind::introduced && e.version == "0") {
      affected = true;
      continue;
    }
    auto bound = parse_semver(e.version, kMaxNpmVersionLength);
    if (!bound) continue;
    const int c = compare(v, *bound);
    switch (e.kind) {
      case RangeEvent::Kind::introduced: if (c >= 0) affected = true; break;
      case RangeEvent::Kind::fixed:
      case RangeEvent::Kind::limit: if (c >= 0) affected = false; break;
      case RangeEvent::Kind::last_affected: if (c > 0) affected = false; break;
    }
  }
  return affected;
}

bool package_affected(const AffectedPackage& p, std::string_view npm_version) {
  if (std::find(p.versions.begin(), p.versions.end(), npm_version) != p.versions.end()) return true;
  auto v = parse_semver(npm_version, kMaxNpmVersionLength);
  if (!v) return false;
  return std::any_of(p.ranges.begin(), p.ranges.end(), [&](const AffectedRange& r) { return in_range(r, *v); });
}

// Intervals of one range as text: ">= 1.0.0, < 1.2.3", "< 4.17.21", ">= 2.0.0".
void describe_range(const AffectedRange& range, std::vector<std::string>& out) {
  if (range.type == RangeType::git) return;
  std::optional<std::string> open;  // lower bound text of an open interval ("" = from the start)
  for (const RangeEvent& e : sorted_events(range)) {
    if (e.kind == RangeEvent::Kind::introduced) {
      if (!open) open = e.version == "0" ? std::string() : ">= " + e.version;
      continue;
    }
    if (!open) continue;
    const char* op = e.kind == RangeEvent::Kind::last_affected ? "<= " : "< ";
    out.push_back(open->empty() ? op + e.version : *open + ", " + op + e.version);
    open.reset();
  }
  if (open) out.push_back(open->empty() ? ">= 0" : *open);
}

constexpr int kCvssRoundScale = 100000;

// CVSS v3.1 "Roundup": the smallest number with one decimal ≥ the input, computed on integers
// so 4.000000001 stays 4.0 (specification, Appendix A).
double roundup(double value) {
  const long long scaled = std::llround(value * kCvssRoundScale);
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / kCvssRoundScale;
  return (std::floor(static_cast<double>(scaled) / 10000) + 1) / 10.0;
}

}  // namespace

std::optional<double> cvss3_base_score(std::string_view vector) {
  if (vector.size() > kMaxSeverityTextLength) return std::nullopt;
  if (vector.rfind("CVSS:3.0/", 0) != 0 && vector.rfind("CVSS:3.1/", 0) != 0) return std::nullopt;
  vector.remove_prefix(9);
  std::string av, ac, pr, ui, s, c, i, a;
  while (!vector.empty()) {
    const std::size_t slash = vector.find('/');
    const std::string_view part = vector.substr(0, slash);
    const std::size_t colon = part.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view key = part.substr(0, colon);
    const std::string value(part.substr(colon + 1));
    std::string* slot = key == "AV" ? &av : key == "AC" ? &ac : key == "PR" ? &pr : key == "UI" ? &ui
                      : key == "S" ? &s : key == "C" ? &c : key == "I" ? &i : key == "A" ? &a : nullptr;
    if (slot != nullptr) {
      if (!slot->empty()) return std::nullopt;  // a metric given twice
      *slot = value;
    }  // temporal and environmental metrics do not change the base score
    if (slash == std::string_view::npos) break;
    vector.remove_prefix(slash + 1);
  }
  const bool changed = s == "C";
  if (s != "U" && s != "C") return std::nullopt;
  auto pick = [](const std::string& v, std::initializer_list<std::pair<const char*, double>> table) -> std::optional<double> {
    for (const auto& [k, w] : table) {
      if (v == k) return w;
    }
    return std::nullopt;
  };
  auto w_av = pick(av, {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}});
  auto w_ac = pick(ac, {{"L", 0.77}, {"H", 0.44}});
  auto w_pr = pick(pr, {{"N", 0.85}, {"L", changed ? 0.68 : 0.62}, {"H", changed ? 0.5 : 0.27}});
  auto w_ui = pick(ui, {{"N", 0.85}, {"R", 0.62}});
  auto w_c = pick(c, {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  auto w_i = pick(i, {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  auto w_a = pick(a, {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  if (!w_av || !w_ac || !w_pr || !w_ui || !w_c || !w_i || !w_a) return std::nullopt;
  const double iss = 1 - (1 - *w_c) * (1 - *w_i) * (1 - *w_a);
  const double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability = 8.22 * *w_av * *w_ac * *w_pr * *w_ui;
  if (impact <= 0) return 0.0;
  return changed ? roundup(std::min(1.08 * (impact + exploitability), 10.0))
                 : roundup(std::min(impact + exploitability, 10.0));
}

Risk risk_of_score(double score) {
  if (score <= 0) return Risk::none;
  if (score < 4.0) return Risk::low;
  if (score < 7.0) return Risk::medium;
  if (score < 9.0) return Risk::high;
  return Risk::critical;
}

Result<Advisory> parse_advisory(const json& document) {
  if (!document.is_object()) return invalid("", "an OSV document must be a JSON object");
  Advisory out;
  WEFT_TRY_ASSIGN(out.id, optional_string(document, "id", kMaxAdvisoryIdLength, "/id"));
  if (out.id.empty() || has_control(out.id)) return invalid("/id", "/id must be a non-empty advisory id");
  WEFT_TRY_ASSIGN(out.modified, optional_string(document, "modified", 64, "/modified"));
  auto modified = parse_rfc3339(out.modified);
  if (!modified) return invalid("/modified", "/modified must be an RFC 3339 timestamp (" + out.id + ")");
  out.modified_ms = *modified;
  WEFT_TRY_ASSIGN(out.withdrawn, optional_string(document, "withdrawn", 64, "/withdrawn"));
  WEFT_TRY_ASSIGN(out.summary, optional_string(document, "summary", kMaxAdvisorySummaryLength, "/summary"));
  WEFT_TRY_ASSIGN(out.details, optional_string(document, "details", kMaxAdvisoryDetailsLength, "/details"));
  WEFT_TRY_ASSIGN(const json* aliases, optional_array(document, "aliases", kMaxAdvisoryAliases, "/aliases"));
  if (aliases != nullptr) {
    for (std::size_t i = 0; i < aliases->size(); ++i) {
      const json& alias = (*aliases)[i];
      if (!alias.is_string() || alias.get_ref<const std::string&>().size() > kMaxAdvisoryIdLength) {
        return invalid("/aliases/" + std::to_string(i), "/aliases/" + std::to_string(i) + " must be an id string");
      }
      out.aliases.push_back(alias.get<std::string>());
    }
  }

  // Severity: the database's word, else a CVSS v3 vector's score, else medium.
  WEFT_TRY_ASSIGN(std::optional<Risk> specific, specific_severity(document, ""));
  WEFT_TRY_ASSIGN(const json* severities, optional_array(document, "severity", 16, "/severity"));
  if (specific) {
    out.severity = *specific;
    out.severity_source = "database_specific";
  } else if (severities != nullptr) {
    for (std::size_t k = 0; k < severities->size(); ++k) {
      const json& s = (*severities)[k];
      const std::string where = "/severity/" + std::to_string(k);
      if (!s.is_object()) return invalid(where, where + " must be an object");
      WEFT_TRY_ASSIGN(std::string type, optional_string(s, "type", 32, where + "/type"));
      WEFT_TRY_ASSIGN(std::string score, optional_string(s, "score", kMaxSeverityTextLength, where + "/score"));
      if (type != "CVSS_V3") continue;
      if (auto base = cvss3_base_score(score)) {
        out.severity = risk_of_score(*base);
        out.severity_source = "cvss_v3";
        out.cvss_score = *base;
        break;
      }
    }
  }

  WEFT_TRY_ASSIGN(const json* affected, optional_array(document, "affected", kMaxAffectedEntries, "/affected"));
  if (affected != nullptr) {
    for (std::size_t k = 0; k < affected->size(); ++k) {
      const std::string where = "/affected/" + std::to_string(k);
      WEFT_TRY_ASSIGN(std::optional<AffectedPackage> entry, parse_affected((*affected)[k], where));
      if (!entry) continue;
      WEFT_TRY_ASSIGN(std::optional<Risk> own, specific_severity((*affected)[k], where));
      entry->severity = own.value_or(out.severity);
      out.affected.push_back(std::move(*entry));
    }
  }
  if (out.affected.empty()) {
    return Error::make(kAdvisoryNotNpm, "advisory " + out.id + " names no npm package", {{"id", out.id}});
  }
  out.document = document;
  return out;
}

bool affects(const Advisory& advisory, std::string_view package, std::string_view npm_version) {
  if (!advisory.withdrawn.empty()) return false;
  return std::any_of(advisory.affected.begin(), advisory.affected.end(), [&](const AffectedPackage& p) {
    return p.name == package && package_affected(p, npm_version);
  });
}

bool affects(const Advisory& advisory, std::string_view npm_version) {
  if (!advisory.withdrawn.empty()) return false;
  return std::any_of(advisory.affected.begin(), advisory.affected.end(),
                     [&](const AffectedPackage& p) { return package_affected(p, npm_version); });
}

std::string range_text(const Advisory& advisory, std::string_view package) {
  constexpr std::size_t kListedShown = 3;
  std::vector<std::string> parts;
  std::vector<std::string> listed;
  for (const AffectedPackage& p : advisory.affected) {
    if (p.name != package) continue;
    for (const AffectedRange& r : p.ranges) describe_range(r, parts);
    listed.insert(listed.end(), p.versions.begin(), p.versions.end());
  }
  // Listed versions only matter for the message when no range describes them.
  if (parts.empty()) {
    for (std::size_t i = 0; i < listed.size() && i < kListedShown; ++i) parts.push_back("= " + listed[i]);
    if (listed.size() > kListedShown) {
      parts.push_back("… (" + std::to_string(listed.size() - kListedShown) + " more versions)");
    }
  }
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += " || ";
    out += part;
  }
  return out;
}

Risk severity_for(const Advisory& advisory, std::string_view package) {
  for (const AffectedPackage& p : advisory.affected) {
    if (p.name == package) return p.severity;
  }
  return advisory.severity;
}

}  // namespace weft::policy
