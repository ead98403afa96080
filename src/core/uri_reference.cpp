#include "core/uri_reference.h"

#include <optional>

namespace weft {

namespace {

struct Parts {
  std::optional<std::string_view> scheme, authority, query, fragment;
  std::string_view path;
};

bool scheme_char(char c, bool first) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return alpha || (!first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
}

// RFC 3986 Appendix B, without its regex.
Parts split(std::string_view s) {
  Parts p;
  if (const auto hash = s.find('#'); hash != std::string_view::npos) {
    p.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  if (const auto question = s.find('?'); question != std::string_view::npos) {
    p.query = s.substr(question + 1);
    s = s.substr(0, question);
  }
  if (const auto colon = s.find(':'); colon != std::string_view::npos && colon > 0 && colon < s.find('/')) {
    bool ok = true;
    for (std::size_t i = 0; i < colon; ++i) ok = ok && scheme_char(s[i], i == 0);
    if (ok) {
      p.scheme = s.substr(0, colon);
      s = s.substr(colon + 1);
    }
  }
  if (s.substr(0, 2) == "//") {
    const auto slash = s.find('/', 2);
    p.authority = s.substr(2, slash == std::string_view::npos ? std::string_view::npos : slash - 2);
    s = slash == std::string_view::npos ? std::string_view{} : s.substr(slash);
  }
  p.path = s;
  return p;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      const auto last = out.rfind('/');
      out.erase(last == std::string::npos ? 0 : last);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const auto next = in.find('/', in[0] == '/' ? 1 : 0);
      const auto segment = in.substr(0, next);
      out += segment;
      in.remove_prefix(segment.size());
    }
  }
  return out;
}

}  // namespace

std::string resolve_uri_reference(std::string_view base_text, std::string_view ref_text) {
  const Parts base = split(base_text);
  if (!base.scheme) return std::string(ref_text);
  const Parts ref = split(ref_text);
  std::optional<std::string_view> scheme, authority, query;
  std::string path;
  if (ref.scheme) {
    scheme = ref.scheme;
    authority = ref.authority;
    path = remove_dot_segments(ref.path);
    query = ref.query;
  } else {
    scheme = base.scheme;
    if (ref.authority) {
      authority = ref.authority;
      path = remove_dot_segments(ref.path);
      query = ref.query;
    } else {
      authority = base.authority;
      if (ref.path.empty()) {
        path = std::string(base.path);
        query = ref.query ? ref.query : base.query;
      } else {
        if (ref.path[0] == '/') {
          path = remove_dot_segments(ref.path);
        } else if (base.authority && base.path.empty()) {
          path = remove_dot_segments("/" + std::string(ref.path));
        } else {
          const auto slash = base.path.rfind('/');
          const std::string merged =
              (slash == std::string_view::npos ? std::string() : std::string(base.path.substr(0, slash + 1))) +
              std::string(ref.path);
          path = remove_dot_segments(merged);
        }
        query = ref.query;
      }
    }
  }
  std::string out = std::string(*scheme) + ":";
  if (authority) out += "//" + std::string(*authority);
  out += path;
  if (query) out += "?" + std::string(*query);
  if (ref.fragment) out += "#" + std::string(*ref.fragment);
  return out;
}

std::string_view strip_fragment(std::string_view uri) { return uri.substr(0, uri.find('#')); }

}  // namespace weft
