#include "api/route_pattern.h"

#include <gtest/gtest.h>

#include "api/routes.h"

namespace weft::api {
namespace {

TEST(RoutePattern, MatchesLiteralsAndCapturesIds) {
  RoutePattern p(std::string("/api/runs/") + kId + "/cancel");
  std::vector<std::string> c;
  ASSERT_TRUE(p.match("/api/runs/run_123-x/cancel", c));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1], "run_123-x");
  EXPECT_FALSE(p.match("/api/runs//cancel", c));
  EXPECT_FALSE(p.match("/api/runs/../cancel", c));
  EXPECT_FALSE(p.match("/api/runs/a.b/cancel", c));
  EXPECT_FALSE(p.match("/api/runs/" + std::string(129, 'a') + "/cancel", c));
  EXPECT_TRUE(p.match("/api/runs/" + std::string(128, 'a') + "/cancel", c));
  EXPECT_FALSE(p.match("/api/runs/a/cancel/", c));
  EXPECT_FALSE(p.match("/api/runs/a", c));
}

TEST(RoutePattern, AHostilePathIsCheapToRefuse) {
  RoutePattern p("/api/health");
  std::vector<std::string> c;
  EXPECT_TRUE(p.match("/api/health", c));
  EXPECT_FALSE(p.match(std::string(100000, '/'), c));
  EXPECT_FALSE(p.match("/api/" + std::string(100000, 'a'), c));
}

}  // namespace
}  // namespace weft::api
