#include "api/route_table.h"

namespace weft::api {

RouteTable::RouteTable(const std::vector<Route>& routes) {
  routes_.reserve(routes.size());
  for (const Route& r : routes) routes_.push_back({&r, RoutePattern(r.pattern)});
}

RouteTable::Found RouteTable::find(std::string_view method, std::string_view path) const {
  Found found;
  for (const auto& compiled : routes_) {
    std::vector<std::string> captures;
    if (!compiled.pattern.match(path, captures)) continue;
    found.path_known = true;
    if (compiled.route->method != method) continue;
    found.route = compiled.route;
    found.captures = std::move(captures);
    return found;
  }
  return found;
}

}  // namespace weft::api
