// RouteTable over the real route table: first match by path then method, 405 vs 404, captures.
#include "api/route_table.h"

#include <gtest/gtest.h>

#include "api/routes.h"

namespace weft::api {
namespace {

TEST(RouteTable, FindsRoutesByPathThenMethod) {
  RouteTable table(all_routes());
  auto health = table.find("GET", "/api/health");
  ASSERT_NE(health.route, nullptr);
  EXPECT_EQ(health.route->pattern, "/api/health");
  EXPECT_EQ(health.captures, (std::vector<std::string>{"/api/health"}));

  auto cancel = table.find("POST", "/api/runs/run_1/cancel");
  ASSERT_NE(cancel.route, nullptr);
  EXPECT_EQ(cancel.captures, (std::vector<std::string>{"/api/runs/run_1/cancel", "run_1"}));

  auto wrong_method = table.find("PATCH", "/api/workflows");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_TRUE(wrong_method.path_known);
  EXPECT_TRUE(wrong_method.captures.empty());

  auto unknown = table.find("GET", "/api/runs/../cancel");
  EXPECT_EQ(unknown.route, nullptr);
  EXPECT_FALSE(unknown.path_known);
}

TEST(RouteTable, MethodsAreCaseSensitive) {
  RouteTable table(all_routes());
  auto lower = table.find("get", "/api/health");
  EXPECT_EQ(lower.route, nullptr);
  EXPECT_TRUE(lower.path_known);
}

}  // namespace
}  // namespace weft::api
