// The web app as `weft serve` answers it: with --web-dir, a folder's files, index.html for app
// routes, the security headers, while /api keeps its JSON answers; without one, the embedded
// build (or a plain page saying there is none).
#include <gtest/gtest.h>

#include <filesystem>

#include "api/web_assets.h"
#include "api_harness.h"

namespace weft::apitest {
namespace {

TEST(WebApp, ServesAWebDirWithSpaFallbackAndSecurityHeaders) {
  testing::TempDir dist;
  std::filesystem::create_directories(dist.file("assets"));
  testing::write_file(dist.file("index.html"), "<!doctype html><title>Weft test</title><script type=module src=/assets/a-1.js></script>");
  testing::write_file(dist.file("assets/a-1.js"), "export {}");
  testing::TempDir data;
  WeftServer server({}, data.path(), {"--web-dir", dist.path()});
  Reply index = server.request("GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.text.find("<title>Weft test</title>"), std::string::npos);
  EXPECT_NE(index.header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(index.header("X-Content-Type-Options"), "nosniff");
  Reply route = server.request("GET", "/workflows/wf_1");
  EXPECT_EQ(route.status, 200);
  EXPECT_NE(route.text.find("Weft test"), std::string::npos);
  Reply js = server.request("GET", "/assets/a-1.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(server.request("GET", "/assets/missing-2.js").status, 404);
  // The API is not shadowed: unknown /api paths stay JSON 404s, other methods stay refused.
  Reply api = server.request("GET", "/api/nope");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.error_code(), "not_found");
  EXPECT_EQ(server.request("POST", "/workflows").status, 404);
}

TEST(WebApp, TheEmbeddedBuildOrAPlainPageAnswersTheRoot) {
  WeftServer server;
  Reply root = server.request("GET", "/");
  EXPECT_EQ(root.status, 200);
  EXPECT_NE(root.header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  if (weft::api::embedded_web_files().empty()) {
    EXPECT_NE(root.text.find("built without its web app"), std::string::npos) << root.text;
  } else {
    EXPECT_NE(root.text.find("<!doctype html>"), std::string::npos) << root.text.substr(0, 200);
  }
}

TEST(WebApp, ABadWebDirStopsTheStartWithAMessage) {
  testing::TempDir empty;
  testing::TempDir data;
  auto r = testing::run_process({WEFT_BINARY, "serve", "--data-dir", data.path(), "--listen", "127.0.0.1:0",
                                 "--web-dir", empty.path()},
                                {{"WEFT_MASTER_KEY", std::string(64, 'a')}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("has no index.html"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace weft::apitest
