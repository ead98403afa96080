// api/route_table.h — owns finding a request's route: the table of routes.h compiled once into
// RoutePatterns and searched in registration order by path, then method. Pure (no access
// levels, authentication or I/O): ApiServer answers what it finds; tests and fuzz/ call it alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/context.h"
#include "api/route_pattern.h"

namespace weft::api {

class RouteTable {
 public:
  // `routes` (usually all_routes()) must outlive the table.
  explicit RouteTable(const std::vector<Route>& routes);

  struct Found {
    const Route* route = nullptr;       // the first route with this path and method; null if none
    bool path_known = false;            // some route has this path (with another method: 405)
    std::vector<std::string> captures;  // [path, id1, id2, …] when `route` is set
  };
  // `path` is the percent-decoded path without its query.
  Found find(std::string_view method, std::string_view path) const;

 private:
  struct Compiled {
    const Route* route;
    RoutePattern pattern;
  };
  std::vector<Compiled> routes_;
};

}  // namespace weft::api
