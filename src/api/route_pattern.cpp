#include "api/route_pattern.h"

#include "api/routes.h"

namespace weft::api {

namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool is_id(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_key(std::string_view s) {
  if (s.empty() || s.size() > 160 || s == "." || s == "..") return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

RoutePattern::RoutePattern(const std::string& pattern) {
  for (std::string_view part : split(pattern)) {
    if (part == kId) segments_.push_back({Kind::id, ""});
    else if (part == kKey) segments_.push_back({Kind::key, ""});
    else segments_.push_back({Kind::literal, std::string(part)});
  }
}

bool RoutePattern::match(std::string_view path, std::vector<std::string>& captures) const {
  // Count segments first: a path of 100,000 slashes is refused without building a vector.
  std::size_t count = 1;
  for (char c : path) count += c == '/';
  if (count != segments_.size()) return false;
  const auto parts = split(path);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Segment& seg = segments_[i];
    const bool matches = seg.kind == Kind::id    ? is_id(parts[i])
                         : seg.kind == Kind::key ? is_key(parts[i])
                                                 : parts[i] == seg.literal;
    if (!matches) return false;
  }
  captures.assign(1, std::string(path));
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (segments_[i].kind != Kind::literal) captures.emplace_back(parts[i]);
  }
  return true;
}

}  // namespace weft::api
