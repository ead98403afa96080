// api/route_pattern.h — owns matching a request path against a route's pattern: literal
// segments, kId segments that capture one resource id ([A-Za-z0-9_-]{1,128}) and kKey segments
// that capture an action key ([A-Za-z0-9_.-]{1,160}, not "." or ".."). Linear in the
// path, no regex engine: a hostile path costs what its length costs. No routing policy here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace weft::api {

class RoutePattern {
 public:
  // `pattern` as written in the route table ("/api/runs/" + kId + "/cancel").
  explicit RoutePattern(const std::string& pattern);
  // True if `path` matches; `captures` then holds [path, id1, id2, …].
  bool match(std::string_view path, std::vector<std::string>& captures) const;

 private:
  enum class Kind { literal, id, key };
  struct Segment {
    Kind kind;
    std::string literal;
  };
  std::vector<Segment> segments_;
};

}  // namespace weft::api
