#include "core/string_formats.h"

#include <array>
#include <cstddef>

namespace weft {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// `n` digits at s[at…] as a number, or -1.
int digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (std::size_t k = at; k < at + n; ++k) {
    if (!is_digit(s[k])) return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

bool leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// full-date = YYYY-MM-DD with a day that exists in that month.
bool full_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1) return false;
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int last = (m == 2 && leap_year(y)) ? 29 : kDays[m - 1];
  return d <= last;
}

// full-time = HH:MM:SS[.frac](Z|±HH:MM). A leap second (:60) is valid only at 23:59 UTC.
bool full_time(std::string_view s) {
  if (s.size() < 9 || s[2] != ':' || s[5] != ':') return false;
  const int h = digits(s, 0, 2), m = digits(s, 3, 2), sec = digits(s, 6, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return false;
  std::size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;
  int offset_minutes = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return false;
  } else if (s[i] == '+' || s[i] == '-') {
    if (s.size() - i != 6 || s[i + 3] != ':') return false;
    const int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offset_minutes = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return false;
  }
  if (sec == 60) {
    const int utc = ((h * 60 + m - offset_minutes) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

bool date_time(std::string_view s) {
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return false;
  return full_date(s.substr(0, 10)) && full_time(s.substr(11));
}

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, each 1–63
// characters, 253 in all (one trailing dot allowed).
bool hostname(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.size() > 253) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      if (label == 0 || label > 63 || s[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    const char c = s[i];
    if (!(is_alpha(c) || is_digit(c) || c == '-')) return false;
    if (label == 0 && c == '-') return false;
    ++label;
  }
  return true;
}

// Dotted quad, each part 0–255 without leading zeros.
bool ipv4(std::string_view s) {
  if (s.size() > 15) return false;
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    int v = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < 3) v = v * 10 + (s[i++] - '0');
    const std::size_t len = i - start;
    if (len == 0 || v > 255 || (len > 1 && s[start] == '0')) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
  return parts == 4;
}

// RFC 4291 §2.2: eight groups of 1–4 hex digits, one "::" for a run of zero groups, and the
// last 32 bits optionally as a dotted quad.
bool ipv6(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    const std::size_t start = i;
    while (i < s.size() && is_hex(s[i]) && i - start < 5) ++i;
    if (i < s.size() && s[i] == '.') {  // embedded IPv4: the rest of the string
      if (!ipv4(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    const std::size_t len = i - start;
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // a trailing single colon
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

// RFC 5321 mailbox with a dot-atom local part (no quoted strings) and a host name domain.
bool email(std::string_view s) {
  const std::size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || s.size() > 254) return false;
  const std::string_view local = s.substr(0, at);
  constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~";
  for (std::size_t i = 0; i < local.size(); ++i) {
    const char c = local[i];
    if (c == '.') {
      if (i == 0 || i + 1 == local.size() || local[i + 1] == '.') return false;
      continue;
    }
    if (!(is_alpha(c) || is_digit(c) || kAtext.find(c) != std::string_view::npos)) return false;
  }
  const std::string_view domain = s.substr(at + 1);
  return domain.find('.') != std::string_view::npos && domain.back() != '.' && hostname(domain);
}

// RFC 3986 characters allowed in a URI outside its delimiters: unreserved, sub-delims, ':' and
// '@', plus `extra`; '%' must start a %XX escape.
bool uri_chars(std::string_view s, std::string_view extra) {
  constexpr std::string_view kAllowed = "-._~!$&'()*+,;=:@";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (is_alpha(c) || is_digit(c) || kAllowed.find(c) != std::string_view::npos ||
        extra.find(c) != std::string_view::npos) {
      continue;
    }
    return false;
  }
  return true;
}

// authority = [ userinfo "@" ] host [ ":" port ], host a reg-name or an [IPv6] literal.
bool authority(std::string_view a) {
  const std::size_t at = a.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = a.substr(0, at);
    if (userinfo.find('@') != std::string_view::npos || !uri_chars(userinfo, "")) return false;
    a = a.substr(at + 1);
  }
  std::string_view host = a, port;
  if (!a.empty() && a[0] == '[') {
    const std::size_t close = a.find(']');
    if (close == std::string_view::npos) return false;
    if (!ipv6(a.substr(1, close - 1))) return false;
    host = {};
    port = a.substr(close + 1);
    if (!port.empty()) {
      if (port[0] != ':') return false;
      port.remove_prefix(1);
    }
  } else {
    const std::size_t colon = a.rfind(':');
    if (colon != std::string_view::npos) {
      host = a.substr(0, colon);
      port = a.substr(colon + 1);
    }
  }
  for (char c : port) {
    if (!is_digit(c)) return false;
  }
  return host.find(':') == std::string_view::npos && host.find('@') == std::string_view::npos && uri_chars(host, "");
}

// URI-reference (RFC 3986 §4.1); `absolute` requires a scheme (the "uri" format).
bool uri_reference(std::string_view s, bool absolute) {
  std::string_view rest = s;
  const std::size_t colon = s.find(':');
  const std::size_t delim = s.find_first_of("/?#");
  if (colon != std::string_view::npos && colon < delim) {
    const std::string_view scheme = s.substr(0, colon);
    if (scheme.empty() || !is_alpha(scheme[0])) return false;
    for (char c : scheme) {
      if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.')) return false;
    }
    rest = s.substr(colon + 1);
  } else if (absolute) {
    return false;
  }
  std::string_view fragment;
  const std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
    if (!uri_chars(fragment, "/?")) return false;
  }
  const std::size_t question = rest.find('?');
  if (question != std::string_view::npos) {
    if (!uri_chars(rest.substr(question + 1), "/?")) return false;
    rest = rest.substr(0, question);
  }
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const std::size_t slash = rest.find('/');
    if (!authority(rest.substr(0, slash))) return false;
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  }
  return uri_chars(rest, "/");
}

// RFC 6901: "" or "/"-prefixed tokens where '~' is followed by 0 or 1.
bool json_pointer(std::string_view s) {
  if (s.empty()) return true;
  if (s[0] != '/') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && (i + 1 == s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  }
  return true;
}

}  // namespace

bool is_checked_format(std::string_view f) {
  return f == "date" || f == "time" || f == "date-time" || f == "email" || f == "hostname" || f == "ipv4" ||
         f == "ipv6" || f == "uri" || f == "uri-reference" || f == "json-pointer";
}

bool check_string_format(std::string_view f, std::string_view v) {
  if (f == "date") return full_date(v);
  if (f == "time") return full_time(v);
  if (f == "date-time") return date_time(v);
  if (f == "email") return email(v);
  if (f == "hostname") return hostname(v);
  if (f == "ipv4") return ipv4(v);
  if (f == "ipv6") return ipv6(v);
  if (f == "uri") return uri_reference(v, true);
  if (f == "uri-reference") return uri_reference(v, false);
  if (f == "json-pointer") return json_pointer(v);
  return true;
}

}  // namespace weft
