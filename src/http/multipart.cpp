#include "http/multipart.h"

#include <cstring>
#include <optional>
#include <utility>

namespace weft::http {
namespace {

Error invalid(std::string message) { return Error::make(kInvalidMultipart, std::move(message)); }

std::string part_label(std::size_t index) { return "part " + std::to_string(index); }

// Sent text inside an error message: at most 40 bytes, printable ASCII only (others become '?'),
// so a message is always valid UTF-8 for the JSON error body and never echoes a large header.
std::string echoed(std::string_view sent) {
  std::string out = "\"";
  for (char c : sent.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (sent.size() > 40) out += "…";
  return out + "\"";
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 9110 tchar.
bool is_tchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

// RFC 2046 bcharsnospace.
bool is_bchar_nospace(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::strchr("'()+_,-./:=?", c) != nullptr && c != '\0';
}

// Well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xC2 && c <= 0xDF) len = 1;
    else if (c == 0xE0) { len = 2; lo = 0xA0; }
    else if (c == 0xED) { len = 2; hi = 0x9F; }
    else if (c >= 0xE1 && c <= 0xEF) len = 2;
    else if (c == 0xF0) { len = 3; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) len = 3;
    else if (c == 0xF4) { len = 3; hi = 0x8F; }
    else return false;
    if (s.size() - i - 1 < len) return false;
    for (std::size_t k = 1; k <= len; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += len + 1;
  }
  return true;
}

struct Param {
  std::string name;  // lower-cased
  std::string value;
};

// `; name=value` pairs after a header's main value (RFC 9110 §5.6.6). Values are tokens or
// quoted-strings; in a quoted-string \" and \\ are escapes and any other backslash is kept.
// Errors are phrases for the caller to prefix ("has an unterminated quoted string").
std::optional<std::string> parse_params(std::string_view s, std::vector<Param>& out) {
  std::size_t i = 0;
  auto skip_ows = [&] { while (i < s.size() && is_ows(s[i])) ++i; };
  while (true) {
    skip_ows();
    if (i == s.size()) return std::nullopt;
    if (s[i] != ';') return "has " + echoed(s.substr(i, 1)) + " where a \";\" should separate parameters";
    ++i;
    skip_ows();
    if (i == s.size()) return std::nullopt;  // a trailing ";"
    if (s[i] == ';') continue;              // an empty parameter
    std::size_t name_start = i;
    while (i < s.size() && is_tchar(s[i])) ++i;
    if (i == name_start) return "has a parameter without a name";
    Param param;
    for (char c : s.substr(name_start, i - name_start)) param.name += lower(c);
    if (param.name.size() > 40) return "has a parameter name longer than 40 characters";
    skip_ows();
    if (i == s.size() || s[i] != '=') return "has parameter " + param.name + " without \"=value\"";
    ++i;
    skip_ows();
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '"') { closed = true; break; }
        if (c == '\\' && i < s.size() && (s[i] == '"' || s[i] == '\\')) c = s[i++];
        param.value += c;
      }
      if (!closed) return "has an unterminated quoted string in parameter " + param.name;
    } else {
      std::size_t value_start = i;
      while (i < s.size() && s[i] != ';' && !is_ows(s[i]) && s[i] != '"') ++i;
      param.value = std::string(s.substr(value_start, i - value_start));
      if (param.value.empty()) return "has an empty value for parameter " + param.name;
    }
    out.push_back(std::move(param));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 8187 ext-value: charset ' [language] ' pct-encoded; UTF-8 only.
std::optional<std::string> decode_ext_value(std::string_view v, std::string& out) {
  std::size_t q1 = v.find('\'');
  std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return "is not of the form UTF-8''percent-encoded-name";
  if (!iequals(v.substr(0, q1), "utf-8")) {
    return "uses charset " + echoed(v.substr(0, q1)) + "; only UTF-8 is supported";
  }
  std::string_view rest = v.substr(q2 + 1);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] != '%') { out += rest[i]; continue; }
    int h = i + 2 < rest.size() ? hex_value(rest[i + 1]) : -1;
    int l = h < 0 ? -1 : hex_value(rest[i + 2]);
    if (l < 0) return "has a \"%\" not followed by two hex digits";
    out += static_cast<char>(h * 16 + l);
    i += 2;
  }
  return std::nullopt;
}

struct Header {
  std::string name;
  std::string value;
};

// The header block of one part (no trailing CRLF), split into fields; folded lines are joined.
Result<std::vector<Header>> split_headers(std::string_view block, const std::string& label) {
  std::vector<Header> headers;
  std::size_t line_no = 0;
  while (!block.empty()) {
    std::size_t end = block.find("\r\n");
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view{} : block.substr(end + 2);
    ++line_no;
    for (char c : line) {
      if (c == '\n') return invalid(label + "'s headers contain a bare LF; line ends must be CRLF");
      if (c == '\r') return invalid(label + "'s headers contain a CR that does not start a CRLF");
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
        return invalid(label + "'s header line " + std::to_string(line_no) + " contains a control character");
      }
    }
    if (!line.empty() && is_ows(line.front())) {  // obs-fold
      if (headers.empty()) return invalid(label + "'s headers begin with a continuation line");
      headers.back().value += ' ';
      headers.back().value += trim_ows(line);
      continue;
    }
    std::size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    bool token = !name.empty();
    for (char c : name) token = token && is_tchar(c);
    if (colon == std::string_view::npos || !token) {
      return invalid(label + "'s header line " + std::to_string(line_no) + " is not \"Name: value\"");
    }
    headers.push_back({std::string(name), std::string(trim_ows(line.substr(colon + 1)))});
  }
  for (auto& h : headers) h.value = std::string(trim_ows(h.value));
  return headers;
}

// One part: `region` runs from after its delimiter line's CRLF to the CRLF of the next delimiter.
Result<MultipartPart> parse_part(std::string_view region, std::size_t index, const MultipartLimits& limits) {
  const std::string label = part_label(index);
  std::string_view block, content;
  if (region.substr(0, 2) == "\r\n") {
    content = region.substr(2);
  } else {
    std::size_t window = limits.max_part_header_bytes + 4;
    std::size_t end = region.substr(0, window).find("\r\n\r\n");
    if (end != std::string_view::npos) {
      block = region.substr(0, end);
      content = region.substr(end + 4);
    } else if (region.size() <= limits.max_part_header_bytes + 2 && region.size() >= 2 &&
               region.substr(region.size() - 2) == "\r\n") {
      block = region.substr(0, region.size() - 2);  // headers, then the next delimiter: no content
      content = region.substr(region.size());
    } else if (region.size() > limits.max_part_header_bytes) {
      return invalid(label + "'s headers are longer than " + std::to_string(limits.max_part_header_bytes) +
                     " bytes (or lack the blank line that ends them)");
    } else {
      return invalid(label + " has no blank line (CRLF CRLF) after its headers");
    }
  }
  if (block.size() > limits.max_part_header_bytes) {
    return invalid(label + "'s headers are longer than " + std::to_string(limits.max_part_header_bytes) + " bytes");
  }
  WEFT_TRY_ASSIGN(std::vector<Header> headers, split_headers(block, label));

  MultipartPart part;
  part.body = content;
  const Header* disposition = nullptr;
  const Header* content_type = nullptr;
  for (const Header& h : headers) {
    if (iequals(h.name, "content-disposition")) {
      if (disposition) return invalid(label + " has more than one Content-Disposition header");
      disposition = &h;
    } else if (iequals(h.name, "content-type")) {
      if (content_type) return invalid(label + " has more than one Content-Type header");
      content_type = &h;
    } else if (iequals(h.name, "content-transfer-encoding")) {
      // RFC 7578 §4.7: senders must not encode; we hand back bytes as sent, so refuse a decoding.
      if (!iequals(h.value, "binary") && !iequals(h.value, "8bit") && !iequals(h.value, "7bit")) {
        return invalid(label + " uses Content-Transfer-Encoding " + echoed(h.value) + ", which is not supported");
      }
    }
  }
  if (!disposition) return invalid(label + " has no Content-Disposition header");
  if (content_type) part.content_type = content_type->value;

  std::string_view cd = disposition->value;
  std::size_t semi = cd.find(';');
  std::string_view type = trim_ows(cd.substr(0, semi));
  if (!iequals(type, "form-data")) {
    return invalid(label + "'s Content-Disposition is " + echoed(type) + ", not form-data");
  }
  std::vector<Param> params;
  if (semi != std::string_view::npos) {
    if (auto problem = parse_params(cd.substr(semi), params)) {
      return invalid(label + "'s Content-Disposition " + *problem);
    }
  }
  const Param* name = nullptr;
  const Param* filename = nullptr;
  const Param* filename_ext = nullptr;
  for (const Param& p : params) {
    const Param** slot = p.name == "name" ? &name : p.name == "filename" ? &filename
                       : p.name == "filename*" ? &filename_ext : nullptr;
    if (!slot) continue;
    if (*slot) return invalid(label + "'s Content-Disposition repeats the " + p.name + " parameter");
    *slot = &p;
  }
  if (!name) return invalid(label + " has no name (Content-Disposition: form-data; name=\"…\")");
  if (name->value.empty()) return invalid(label + " has an empty name");
  if (!valid_utf8(name->value)) return invalid(label + "'s name is not valid UTF-8");
  part.name = name->value;
  if (filename_ext) {
    if (auto problem = decode_ext_value(filename_ext->value, part.filename)) {
      return invalid(label + "'s filename* " + *problem);
    }
  } else if (filename) {
    part.filename = filename->value;
  }
  if (!valid_utf8(part.filename)) return invalid(label + "'s filename is not valid UTF-8");
  return part;
}

// Finds "\r\n--boundary" from `from`. The delimiter holds exactly one CR, its first byte (a
// boundary has no CR), so after a mismatch at offset j no occurrence can start before i + j:
// each byte is compared a bounded number of times and the search is linear, whatever the body.
std::size_t find_delimiter(std::string_view body, std::string_view delimiter, std::size_t from) {
  const std::size_t m = delimiter.size();
  while (from < body.size() && body.size() - from >= m) {
    const void* hit = std::memchr(body.data() + from, '\r', body.size() - from - m + 1);
    if (!hit) return std::string_view::npos;
    std::size_t i = static_cast<std::size_t>(static_cast<const char*>(hit) - body.data());
    std::size_t j = 1;
    while (j < m && body[i + j] == delimiter[j]) ++j;
    if (j == m) return i;
    from = i + j;
  }
  return std::string_view::npos;
}

struct Delimiter {
  std::size_t start = 0;          // where its CRLF begins (0 for "--boundary" opening the body)
  std::size_t content_start = 0;  // after the CRLF ending its line
  bool close = false;             // "--boundary--"
};

enum class LineEnd { part, close, not_a_delimiter };

// Looks at what follows "--boundary" at `after`: "--" closes, padding + CRLF opens a part,
// anything else means the match was content ("--boundaryX"). A bare LF or the body's end is an error.
Result<std::pair<LineEnd, std::size_t>> delimiter_line_end(std::string_view body, std::size_t after,
                                                           std::size_t ordinal) {
  if (body.substr(after, 2) == "--") return std::pair{LineEnd::close, after + 2};
  std::size_t i = after;
  while (i < body.size() && is_ows(body[i])) ++i;
  if (body.substr(i, 2) == "\r\n") return std::pair{LineEnd::part, i + 2};
  if (i < body.size() && body[i] == '\n') {
    return invalid("the line of boundary " + std::to_string(ordinal) +
                   " ends with a bare LF; multipart line ends must be CRLF");
  }
  if (i == body.size() || body.substr(i) == "\r" || body.substr(i) == "-") {
    return invalid("the body ends before the closing boundary (it is cut short after boundary " +
                   std::to_string(ordinal) + ")");
  }
  return std::pair{LineEnd::not_a_delimiter, after};
}

// RFC 2046 §5.1.1: 1–70 bchars, not ending in a space.
Status check_boundary(std::string_view b) {
  if (b.empty() || b.size() > 70) {
    return invalid("the multipart boundary is " + std::to_string(b.size()) +
                   " characters long; RFC 2046 allows 1 to 70");
  }
  for (char c : b) {
    if (c != ' ' && !is_bchar_nospace(c)) {
      return invalid("the multipart boundary contains a character RFC 2046 does not allow (only letters, "
                     "digits, space and '()+_,-./:=?)");
    }
  }
  if (b.back() == ' ') return invalid("the multipart boundary ends with a space, which RFC 2046 does not allow");
  return {};
}

}  // namespace

Result<std::string> multipart_boundary(std::string_view content_type) {
  std::size_t semi = content_type.find(';');
  std::string_view media = trim_ows(content_type.substr(0, semi));
  if (!iequals(media, "multipart/form-data")) {
    return invalid("the Content-Type is " + echoed(media) + ", not multipart/form-data");
  }
  std::vector<Param> params;
  if (semi != std::string_view::npos) {
    if (auto problem = parse_params(content_type.substr(semi), params)) {
      return invalid("the Content-Type " + *problem);
    }
  }
  const Param* boundary = nullptr;
  for (const Param& p : params) {
    if (p.name != "boundary") continue;
    if (boundary) return invalid("the Content-Type has more than one boundary parameter");
    boundary = &p;
  }
  if (!boundary) return invalid("the multipart/form-data Content-Type has no boundary parameter");
  WEFT_TRY(check_boundary(boundary->value));
  return boundary->value;
}

Result<std::vector<MultipartPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                                   const MultipartLimits& limits) {
  WEFT_TRY(check_boundary(boundary));
  const std::string delimiter = "\r\n--" + std::string(boundary);
  std::size_t ordinal = 0;

  // The next real delimiter at or after `from`; matches followed by other bytes are content.
  auto next = [&](std::size_t from, bool may_open_body) -> Result<std::optional<Delimiter>> {
    if (may_open_body && body.substr(0, delimiter.size() - 2) == std::string_view(delimiter).substr(2)) {
      WEFT_TRY_ASSIGN(auto end, delimiter_line_end(body, delimiter.size() - 2, ordinal + 1));
      if (end.first != LineEnd::not_a_delimiter) {
        ++ordinal;
        return std::optional<Delimiter>(Delimiter{0, end.second, end.first == LineEnd::close});
      }
      from = delimiter.size() - 2;
    }
    while (true) {
      std::size_t at = find_delimiter(body, delimiter, from);
      if (at == std::string_view::npos) return std::optional<Delimiter>();
      WEFT_TRY_ASSIGN(auto end, delimiter_line_end(body, at + delimiter.size(), ordinal + 1));
      if (end.first != LineEnd::not_a_delimiter) {
        ++ordinal;
        return std::optional<Delimiter>(Delimiter{at, end.second, end.first == LineEnd::close});
      }
      from = end.second;
    }
  };

  WEFT_TRY_ASSIGN(std::optional<Delimiter> current, next(0, true));
  if (!current) {
    return invalid("the body does not contain the boundary given in its Content-Type (\"--" +
                   std::string(boundary) + "\")");
  }
  std::vector<MultipartPart> parts;
  while (!current->close) {
    if (parts.size() == limits.max_parts) {
      return invalid("the body has more than " + std::to_string(limits.max_parts) + " parts");
    }
    // The next delimiter's CRLF is its own: "--B\r\n\r\n--B" is one empty part, "--B\r\n--B" none.
    std::size_t content_start = current->content_start;
    WEFT_TRY_ASSIGN(std::optional<Delimiter> following, next(content_start, false));
    if (!following) {
      return invalid("the body ends before the closing boundary (\"--" + std::string(boundary) + "--\"); " +
                     part_label(parts.size() + 1) + " is cut short");
    }
    WEFT_TRY_ASSIGN(MultipartPart part, parse_part(body.substr(content_start, following->start - content_start),
                                                   parts.size() + 1, limits));
    parts.push_back(std::move(part));
    current = following;
  }
  return parts;
}

}  // namespace weft::http
