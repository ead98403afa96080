// The web app's files as the server answers them: a file with its type and cache header,
// index.html for app routes (SPA fallback), 404 for a missing file, no way out of the folder,
// and the security headers on every answer.
#include "api/web_assets.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/temp_dir.h"

namespace weft::api {
namespace {

std::string header(const http::Response& res, const std::string& name) {
  auto it = res.headers.find(name);
  return it == res.headers.end() ? "" : it->second;
}

class WebAssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir.file("dist/assets"));
    testing::write_file(dir.file("dist/index.html"), "<!doctype html><script type=module src=/assets/app-1a2b.js></script>");
    testing::write_file(dir.file("dist/assets/app-1a2b.js"), "console.log(1)");
    testing::write_file(dir.file("dist/favicon.svg"), "<svg/>");
    testing::write_file(dir.file("secret.txt"), "outside");
    auto assets = WebAssets::from_dir(dir.file("dist"));
    ASSERT_TRUE(assets.ok()) << assets.error().message;
    web = std::move(assets).take();
  }
  http::Response get(const std::string& path) {
    http::Response res;
    web.serve(path, res);
    return res;
  }
  testing::TempDir dir;
  WebAssets web;
};

TEST_F(WebAssetsTest, ServesFilesWithTheirTypeAndCachePolicy) {
  auto index = get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("app-1a2b.js"), std::string::npos);
  EXPECT_EQ(header(index, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
  auto js = get("/assets/app-1a2b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(header(js, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(header(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(get("/favicon.svg"), "Content-Type"), "image/svg+xml");
  EXPECT_EQ(header(get("/favicon.svg"), "Cache-Control"), "no-cache");
}

TEST_F(WebAssetsTest, AppRoutesGetIndexAndMissingFilesA404) {
  for (const std::string route : {"/workflows", "/workflows/wf_123/builder", "/runs/run_1"}) {
    auto res = get(route);
    EXPECT_EQ(res.status, 200) << route;
    EXPECT_NE(res.body.find("<!doctype html>"), std::string::npos) << route;
    EXPECT_EQ(header(res, "Cache-Control"), "no-cache");
  }
  EXPECT_EQ(get("/assets/gone-9f9f.js").status, 404);
  EXPECT_NE(get("/assets/gone-9f9f.js").body.find("\"not_found\""), std::string::npos);
  EXPECT_EQ(get("/robots.txt").status, 404);
}

TEST_F(WebAssetsTest, NothingOutsideTheFolderIsReachable) {
  for (const std::string path : {"/../secret.txt", "/assets/../../secret.txt", "//secret.txt", "/./index.html"}) {
    auto res = get(path);
    EXPECT_EQ(res.status, 404) << path;
    EXPECT_EQ(res.body.find("outside"), std::string::npos) << path;
  }
}

TEST_F(WebAssetsTest, EveryAnswerCarriesTheSecurityHeaders) {
  for (const std::string path : {"/", "/assets/app-1a2b.js", "/nope.js", "/workflows"}) {
    auto res = get(path);
    const std::string csp = header(res, "Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << path;
    EXPECT_EQ(header(res, "X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(header(res, "Referrer-Policy"), "same-origin") << path;
  }
}

TEST(WebAssets, AFolderWithoutIndexIsRefused) {
  testing::TempDir dir;
  auto assets = WebAssets::from_dir(dir.path());
  ASSERT_FALSE(assets.ok());
  EXPECT_EQ(assets.error().code, "not_found");
}

}  // namespace
}  // namespace weft::api
