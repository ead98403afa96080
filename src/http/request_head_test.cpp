// prepare_head: what the server refuses or derives from a request head before routing it.
#include "http/request_head.h"

#include <gtest/gtest.h>

namespace weft::http {
namespace {

Request head(const std::string& target, int version = 11) {
  Request req;
  req.method = "GET";
  req.target = target;
  req.version = version;
  if (version == 11) req.headers.emplace("Host", "127.0.0.1");
  return req;
}

TEST(PrepareHead, SplitsAndDecodesPathAndQuery) {
  Request req = head("/api/runs/a%20b?limit=5&q=x+y");
  EXPECT_FALSE(prepare_head(req, ServerOptions{}).has_value());
  EXPECT_EQ(req.path, "/api/runs/a b");
  EXPECT_EQ(req.get_param_value("limit"), "5");
  EXPECT_EQ(req.get_param_value("q"), "x y");
  EXPECT_EQ(req.matches, (std::vector<std::string>{"/api/runs/a b"}));
}

TEST(PrepareHead, RefusesLongTargetsAndTargetsThatAreNotPaths) {
  ServerOptions options;
  options.max_target_bytes = 16;
  Request long_target = head("/" + std::string(16, 'a'));
  auto refusal = prepare_head(long_target, options);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 414);
  EXPECT_EQ(refusal->code, "uri_too_long");
  Request exact = head("/" + std::string(15, 'a'));
  EXPECT_FALSE(prepare_head(exact, options).has_value());
  for (const char* target : {"http://127.0.0.1/api/health", "*", ""}) {
    Request req = head(target);
    auto r = prepare_head(req, ServerOptions{});
    ASSERT_TRUE(r.has_value()) << target;
    EXPECT_EQ(r->status, 400) << target;
  }
}

TEST(PrepareHead, Http11NeedsHostAndHttp10DoesNot) {
  Request v11 = head("/api/health");
  v11.headers.clear();
  auto r = prepare_head(v11, ServerOptions{});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 400);
  Request v10 = head("/api/health", 10);
  EXPECT_FALSE(prepare_head(v10, ServerOptions{}).has_value());
}

TEST(PrepareHead, RefusesCompressedBodiesButNotIdentity) {
  Request gzip = head("/api/auth/login");
  gzip.headers.emplace("content-encoding", "gzip");
  auto r = prepare_head(gzip, ServerOptions{});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 415);
  Request identity = head("/api/auth/login");
  identity.headers.emplace("Content-Encoding", "IDENTITY");
  EXPECT_FALSE(prepare_head(identity, ServerOptions{}).has_value());
  Request almost = head("/api/auth/login");
  almost.headers.emplace("Content-Encoding", std::string("identity\0gzip", 13));
  EXPECT_TRUE(prepare_head(almost, ServerOptions{}).has_value());
}

}  // namespace
}  // namespace weft::http
