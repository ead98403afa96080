#include "core/ecma_regex.h"

#include <re2/re2.h>

#include <cstdint>

namespace weft {

namespace {

// ECMA-262 WhiteSpace and LineTerminator (\s), as RE2 class items. RE2's own \s is ASCII only.
constexpr std::string_view kSpaceItems =
    "\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}"
    "\\x{3000}\\x{feff}";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at p[at…], or -1.
long hex4(std::string_view p, std::size_t at) {
  if (at + 4 > p.size()) return -1;
  long v = 0;
  for (std::size_t k = at; k < at + 4; ++k) {
    const int h = hex_value(p[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

std::string code_point(long v) {
  static const char* digits = "0123456789abcdef";
  std::string hex;
  do {
    hex.insert(hex.begin(), digits[v % 16]);
    v /= 16;
  } while (v > 0);
  return "\\x{" + hex + "}";
}

bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

Error bad(std::string_view why) { return Error::make("invalid_regex", std::string(why)); }

}  // namespace

Result<std::string> ecma_to_re2_syntax(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 16);
  bool in_class = false;
  std::size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) return bad("the pattern ends with a lone backslash");
      const char d = p[i + 1];
      std::size_t used = 2;
      switch (d) {
        case 'u': {
          if (i + 2 < p.size() && p[i + 2] == '{') {  // \u{1F600}
            long v = 0;
            std::size_t k = i + 3;
            while (k < p.size() && p[k] != '}' && k - (i + 3) < 7) {
              const int h = hex_value(p[k]);
              if (h < 0) return bad("invalid \\u{…} escape");
              v = v * 16 + h;
              ++k;
            }
            if (k >= p.size() || p[k] != '}' || k == i + 3 || v > 0x10FFFF) return bad("invalid \\u{…} escape");
            if (v >= 0xD800 && v <= 0xDFFF) return bad("a lone surrogate escape is not supported");
            out += code_point(v);
            used = k + 1 - i;
            break;
          }
          long v = hex4(p, i + 2);
          if (v < 0) return bad("invalid \\u escape (four hex digits expected)");
          used = 6;
          if (v >= 0xD800 && v <= 0xDBFF && p.substr(i + 6, 2) == "\\u") {  // a surrogate pair
            const long low = hex4(p, i + 8);
            if (low >= 0xDC00 && low <= 0xDFFF) {
              v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00);
              used = 12;
            }
          }
          if (v >= 0xD800 && v <= 0xDFFF) return bad("a lone surrogate escape is not supported");
          out += code_point(v);
          break;
        }
        case 'c': {
          if (i + 2 >= p.size() || !((p[i + 2] >= 'a' && p[i + 2] <= 'z') || (p[i + 2] >= 'A' && p[i + 2] <= 'Z'))) {
            return bad("invalid \\c escape");
          }
          out += code_point(p[i + 2] % 32);
          used = 3;
          break;
        }
        case '0':
          if (i + 2 < p.size() && p[i + 2] >= '0' && p[i + 2] <= '9') return bad("octal escapes are not supported");
          out += "\\x00";
          break;
        case 's':
          out += in_class ? std::string(kSpaceItems) : "[" + std::string(kSpaceItems) + "]";
          break;
        case 'S':
          out += in_class ? "\\S" : "[^" + std::string(kSpaceItems) + "]";
          break;
        case 'b':
          out += in_class ? "\\x08" : "\\b";
          break;
        case 'd': case 'D': case 'w': case 'W': case 'B': case 't': case 'n': case 'v':
        case 'f': case 'r': case 'x': case 'p': case 'P':
          out += '\\';
          out += d;
          break;
        case 'k':
          return bad("backreferences are not supported (RE2 runs in linear time)");
        default:
          if (d >= '1' && d <= '9') return bad("backreferences are not supported (RE2 runs in linear time)");
          if (is_ascii_alnum(d)) return bad(std::string("invalid escape \\") + d);
          out += '\\';
          out += d;
      }
      i += used;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      if (c == '[') out += '\\';  // literal in ECMA; RE2 would read "[:alpha:]" as a POSIX class
      out += c;
      ++i;
      continue;
    }
    if (c == '[') {
      if (p.substr(i, 2) == "[]") {  // ECMA: an empty class matches nothing
        out += "[^\\x00-\\x{10FFFF}]";
        i += 2;
        continue;
      }
      if (p.substr(i, 3) == "[^]") {  // ECMA: matches any character
        out += "[\\x00-\\x{10FFFF}]";
        i += 3;
        continue;
      }
      in_class = true;
      out += '[';
      ++i;
      if (i < p.size() && p[i] == '^') {
        out += '^';
        ++i;
      }
      continue;
    }
    if (c == '.') {  // ECMA's dot excludes every line terminator, RE2's only \n
      out += "[^\\n\\r\\x{2028}\\x{2029}]";
      ++i;
      continue;
    }
    if (c == '(' && p.substr(i, 3) == "(?<" && i + 3 < p.size() && p[i + 3] != '=' && p[i + 3] != '!') {
      out += "(?P<";  // a named group; lookbehind is left for RE2 to refuse
      i += 3;
      continue;
    }
    out += c;
    ++i;
  }
  if (in_class) return bad("unterminated character class");
  return out;
}

Result<EcmaRegex> EcmaRegex::compile(std::string_view pattern) {
  if (pattern.size() > kMaxPatternBytes) {
    return bad("the pattern is " + std::to_string(pattern.size()) + " bytes long; the limit is " +
               std::to_string(kMaxPatternBytes));
  }
  WEFT_TRY_ASSIGN(std::string syntax, ecma_to_re2_syntax(pattern));
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kMaxMemoryBytes);
  options.set_encoding(RE2::Options::EncodingUTF8);
  auto re = std::make_shared<const RE2>(syntax, options);
  if (!re->ok()) {
    if (re->error_code() == RE2::ErrorPatternTooLarge) {
      return bad("the pattern needs more than " + std::to_string(kMaxMemoryBytes / 1024) + " KiB once compiled");
    }
    return bad(re->error());
  }
  EcmaRegex out;
  out.re_ = std::move(re);
  out.source_ = std::make_shared<const std::string>(pattern);
  return out;
}

bool EcmaRegex::search(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace weft
