// GET /api/catalog — the one catalog, as the builder's chooser and node icons read it.
#include "api/http_json.h"
#include "api/routes.h"

namespace weft::api {

void add_catalog_routes(std::vector<Route>& r) {
  r.push_back({"GET", "/api/catalog", Access::member, 0, [](Call& call) {
                 send_json(call.res, 200, call.services.catalog.view(call.org())->to_json());
               }});
}

}  // namespace weft::api
