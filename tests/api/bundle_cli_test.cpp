// `weft bundle upload|list|enable|disable|delete` against a real `weft serve`: the weather example
// packed by weft-bundle and uploaded with an API token from WEFT_TOKEN; a hostile archive's every
// problem listed; a wrong or missing token refused without being echoed; a platform upload by an
// org admin who is not a platform admin refused with the server's 403 message.
#include <gtest/gtest.h>

#include <filesystem>

#include "api_harness.h"
#include "testing/bundle_archive.h"
#include "testing/local_http_server.h"

namespace weft::apitest {
namespace {

using testing::ArchiveEntry;
using testing::EntryType;
using testing::ProcessResult;

class BundleCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(server.setup().status, 201);
    owner = As::session(server.login("owner@example.com"));
    org = server.request("GET", "/api/auth/me", owner).body["activeOrg"]["id"];
    token = token_for(owner);
    ASSERT_FALSE(token.empty());
  }

  std::string token_for(const As& who) {
    Reply r = server.request("POST", "/api/auth/tokens", who, json{{"name", "cli"}});
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("token", "");
  }

  // `weft bundle ARGS… --server <this server>` with WEFT_TOKEN=`with_token`.
  ProcessResult bundle(std::vector<std::string> args, const std::string& with_token) {
    args.insert(args.begin(), {WEFT_BINARY, "bundle"});
    args.insert(args.end(), {"--server", server.base_url()});
    return testing::run_process(args, {{"WEFT_TOKEN", with_token}, {"WEFT_LOG_LEVEL", "warn"}});
  }

  // examples/bundles/weather packed by `weft-bundle pack`: the archive's path.
  std::string packed_weather() {
    const std::string out = dir.file("weather-build");
    auto packed = testing::run_process({"/usr/bin/env", "node", std::string(WEFT_SOURCE_DIR) + "/sdk/bin/weft-bundle.mjs",
                                        "pack", std::string(WEFT_SOURCE_DIR) + "/examples/bundles/weather", "--out", out});
    EXPECT_EQ(packed.exit_code, 0) << packed.out << packed.err;
    return out + "/weather-1.0.0.bundle.tar.gz";
  }

  WeftServer server;
  testing::TempDir dir;
  As owner;
  std::string org, token;
};

TEST_F(BundleCli, UploadsTheWeatherExampleAndListsIt) {
  const std::string archive = packed_weather();
  ProcessResult up = bundle({"upload", archive}, token);
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  Reply listed = server.request("GET", "/api/bundles", owner);
  ASSERT_EQ(listed.status, 200) << listed.text;
  ASSERT_EQ(listed.body["bundles"].size(), 1u) << listed.text;
  const std::string id = listed.body["bundles"][0]["id"];
  EXPECT_EQ(up.out, "uploaded weather 1.0.0 (2 tools, active) as " + id + "\n");
  EXPECT_EQ(up.err.find(token), std::string::npos);

  // The tools are in the org's catalog: the upload was the whole file, byte for byte.
  Reply catalog = server.request("GET", "/api/catalog", owner);
  EXPECT_NE(catalog.text.find("weather.describe"), std::string::npos);
  EXPECT_EQ(listed.body["bundles"][0]["size"], std::filesystem::file_size(archive));

  ProcessResult list = bundle({"list"}, token);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("VENDOR"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("weather  1.0.0    organization  active  2      " + id), std::string::npos) << list.out;

  ProcessResult as_json = bundle({"list", "--json"}, token);
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  auto parsed = parse_json(as_json.out);
  ASSERT_TRUE(parsed.ok()) << as_json.out;
  EXPECT_EQ((*parsed)["bundles"][0]["id"], id);

  // The same vendor + version again: the server's 409 message, exit 1.
  ProcessResult again = bundle({"upload", archive}, token);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("weather 1.0.0 is already installed in this scope"), std::string::npos) << again.err;

  // disable → enable → delete, each through the CLI, each seen by the API.
  ProcessResult off = bundle({"disable", id}, token);
  EXPECT_EQ(off.exit_code, 0) << off.err;
  EXPECT_EQ(off.out, "disabled weather 1.0.0: disabled\n");
  EXPECT_EQ(server.request("GET", "/api/bundles/" + id, owner).body["status"], "disabled");
  ProcessResult on = bundle({"enable", id}, token);
  EXPECT_EQ(on.exit_code, 0) << on.err;
  EXPECT_EQ(server.request("GET", "/api/bundles/" + id, owner).body["status"], "active");

  // A workflow uses weather.describe: delete is refused, naming it, until --force.
  Reply credential = server.request("POST", "/api/credentials", owner,
                                    json{{"name", "weather"}, {"provider", "weather"}, {"type", "api_key"},
                                         {"secret", {{"api_key", "k"}}}});
  ASSERT_EQ(credential.status, 201) << credential.text;
  json workflow = {{"name", "Describe"},
                   {"steps", {{{"id", "d"}, {"action", "weather.describe"}, {"credential", credential.body["id"]},
                               {"inputs", {{"temperature", 21}}}}}}};
  ASSERT_EQ(server.request("POST", "/api/workflows", owner, workflow).status, 201);
  ProcessResult refused = bundle({"delete", id}, token);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("Describe (step d)"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_EQ(server.request("GET", "/api/bundles/" + id, owner).status, 200);
  ProcessResult forced = bundle({"delete", id, "--force"}, token);
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(forced.out, "deleted " + id + "\n");
  EXPECT_EQ(server.request("GET", "/api/bundles/" + id, owner).status, 404);

  ProcessResult empty = bundle({"list"}, token);
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_NE(empty.out.find("no bundles uploaded"), std::string::npos) << empty.out;

  // A path-like id never reaches the URL.
  ProcessResult odd = bundle({"enable", "../auth/tokens"}, token);
  EXPECT_EQ(odd.exit_code, 1);
  EXPECT_NE(odd.err.find("a bundle id looks like bun_"), std::string::npos) << odd.err;
}

TEST_F(BundleCli, InactiveUploadStaysDisabledAndWeftServerIsRead) {
  const std::string archive = packed_weather();
  auto up = testing::run_process({WEFT_BINARY, "bundle", "upload", archive, "--inactive"},
                                 {{"WEFT_TOKEN", token}, {"WEFT_SERVER", server.base_url() + "/"}});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(up.out.find("(2 tools, disabled) as bun_"), std::string::npos) << up.out;
  EXPECT_EQ(server.request("GET", "/api/bundles", owner).body["bundles"][0]["status"], "disabled");
  Reply catalog = server.request("GET", "/api/catalog", owner);
  EXPECT_EQ(catalog.text.find("weather.describe"), std::string::npos);
}

TEST_F(BundleCli, AHostileArchiveListsEveryProblemAndExits1) {
  auto entries = testing::valid_bundle_entries();
  entries.push_back({"notes.txt", "not a bundle file", EntryType::file, ""});
  entries.push_back({"dist/link.js", "", EntryType::symlink, "/etc/passwd"});
  const std::string archive = dir.file("hostile.bundle.tar.gz");
  testing::write_file(archive, testing::build_tar_gz(entries));
  ProcessResult up = bundle({"upload", archive}, token);
  EXPECT_EQ(up.exit_code, 1);
  EXPECT_EQ(up.out, "");
  EXPECT_NE(up.err.find("error: bundle is invalid"), std::string::npos) << up.err;
  EXPECT_NE(up.err.find("\n  - notes.txt: is not a .js"), std::string::npos) << up.err;
  EXPECT_NE(up.err.find("\n  - dist/link.js: is a symbolic link"), std::string::npos) << up.err;
  EXPECT_EQ(server.request("GET", "/api/bundles", owner).body["bundles"].size(), 0u);

  // A manifest the rules refuse: its problems name the manifest path.
  auto bad = testing::valid_bundle_entries();
  for (auto& e : bad) {
    if (e.path == "manifest.json") {
      json m = *parse_json(e.content);
      m["version"] = "one";
      e.content = m.dump();
    }
  }
  testing::write_file(archive, testing::build_tar_gz(bad));
  ProcessResult manifest = bundle({"upload", archive}, token);
  EXPECT_EQ(manifest.exit_code, 1);
  EXPECT_NE(manifest.err.find("\n  - manifest.json#/version: "), std::string::npos) << manifest.err;

  // Not gzip at all.
  testing::write_file(archive, "plain text, not an archive");
  ProcessResult text = bundle({"upload", archive}, token);
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.err.find("error: bundle is invalid"), std::string::npos) << text.err;

  ProcessResult missing = bundle({"upload", dir.file("nowhere.tar.gz")}, token);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("cannot read"), std::string::npos) << missing.err;
}

// What the CLI sends, seen by a recording server: the token as a bearer, the file as one
// multipart part byte for byte, the flags as the query; over 50 MB nothing is sent; a redirect
// is not followed (the token would go where the user did not name).
TEST(BundleCliWire, SendsTheFileAsMultipartAndNothingWhenTooBig) {
  testing::TempDir dir;
  testing::LocalHttpServer elsewhere;
  elsewhere.on("POST", "/api/bundle-upload", [](const httplib::Request&, httplib::Response& res) { res.status = 201; });
  elsewhere.start();
  testing::LocalHttpServer fake;
  // The parts as httplib's own multipart parser reads them (the server's parser gets the same
  // body through the real server in the tests above, and multipart_file_body's unit test).
  struct Captured {
    std::string authorization, content_type, query, name, filename, content;
    int uploads = 0, parts = 0;
  } captured;
  fake.server().Post("/api/bundle-upload", [&captured](const httplib::Request& req, httplib::Response& res,
                                                       const httplib::ContentReader& reader) {
    ++captured.uploads;
    captured.authorization = req.get_header_value("Authorization");
    captured.content_type = req.get_header_value("Content-Type");
    for (const auto& [k, v] : req.params) captured.query += (captured.query.empty() ? "" : "&") + k + "=" + v;
    reader(
        [&captured](const httplib::MultipartFormData& part) {
          ++captured.parts;
          captured.name = part.name;
          captured.filename = part.filename;
          return true;
        },
        [&captured](const char* data, std::size_t n) {
          captured.content.append(data, n);
          return true;
        });
    res.status = 201;
    res.set_content(R"({"id":"bun_1","vendorId":"v","version":"2.0.0","toolCount":1,"status":"disabled",)"
                    R"("warnings":["w one"]})", "application/json");
  });
  fake.on("GET", "/api/bundles", [&elsewhere](const httplib::Request&, httplib::Response& res) {
    res.status = 307;
    res.set_header("Location", elsewhere.url("/api/bundles"));
  });
  fake.start();
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {WEFT_BINARY, "bundle"});
    return testing::run_process(args, {{"WEFT_TOKEN", "tok-123"}, {"WEFT_SERVER", fake.url()}});
  };

  // Every byte value, CRLF and what looks like a delimiter: all must arrive unchanged.
  std::string content;
  for (int i = 0; i < 256; ++i) content += static_cast<char>(i);
  content += "\r\n--weft-\r\n--\r\n";
  const std::string file = dir.file("my \"odd\" name.tar.gz");
  testing::write_file(file, content);
  ProcessResult up = run({"upload", file, "--scope", "platform", "--inactive"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(up.out, "uploaded v 2.0.0 (1 tool, disabled) as bun_1\n");
  EXPECT_NE(up.err.find("warning: w one"), std::string::npos) << up.err;
  ASSERT_EQ(captured.uploads, 1);
  EXPECT_EQ(captured.authorization, "Bearer tok-123");
  EXPECT_EQ(captured.query, "activate=false&scope=platform");  // httplib's params are sorted
  EXPECT_EQ(captured.content_type.rfind("multipart/form-data; boundary=weft-", 0), 0u) << captured.content_type;
  EXPECT_EQ(captured.parts, 1);
  EXPECT_EQ(captured.name, "bundle");
  EXPECT_EQ(captured.filename, "my__odd__name.tar.gz");
  EXPECT_EQ(captured.content, content);

  // Over 50 MB: refused before anything is sent.
  const std::string big = dir.file("big.bundle.tar.gz");
  testing::write_file(big, "");
  std::filesystem::resize_file(big, (50ull << 20) + 1);
  ProcessResult too_big = run({"upload", big});
  EXPECT_EQ(too_big.exit_code, 1);
  EXPECT_NE(too_big.err.find("is over 50 MB (52428801 bytes): the server accepts bundles up to 50 MB"),
            std::string::npos) << too_big.err;
  EXPECT_EQ(captured.uploads, 1);

  // A redirect is an error, not a second request carrying the token.
  ProcessResult redirected = run({"list"});
  EXPECT_EQ(redirected.exit_code, 1);
  EXPECT_NE(redirected.err.find("HTTP 307"), std::string::npos) << redirected.err;
  EXPECT_EQ(elsewhere.requests().size(), 0u);
}

TEST_F(BundleCli, AWrongOrMissingTokenExits1WithoutPrintingIt) {
  const std::string archive = packed_weather();
  const std::string wrong = "wft_" + std::string(40, 'x') + "-not-a-real-token";
  ProcessResult up = bundle({"upload", archive}, wrong);
  EXPECT_EQ(up.exit_code, 1);
  EXPECT_NE(up.err.find("error: "), std::string::npos);
  EXPECT_EQ(up.err.find("xxxxxxxx"), std::string::npos) << up.err;
  EXPECT_EQ(up.out.find("xxxxxxxx"), std::string::npos) << up.out;
  ProcessResult list = bundle({"list"}, wrong);
  EXPECT_EQ(list.exit_code, 1);
  EXPECT_EQ((list.out + list.err).find("xxxxxxxx"), std::string::npos);

  // A token with a line break is refused before it is sent, still without being shown.
  ProcessResult injected = bundle({"list"}, "abc\r\nX-Evil: 1");
  EXPECT_EQ(injected.exit_code, 1);
  EXPECT_EQ(injected.err.find("X-Evil"), std::string::npos) << injected.err;

  ProcessResult none = bundle({"upload", archive}, "");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("set WEFT_TOKEN"), std::string::npos) << none.err;
  EXPECT_EQ(server.request("GET", "/api/bundles", owner).body["bundles"].size(), 0u);

  // No server there: a message naming it, exit 1.
  auto nowhere = testing::run_process({WEFT_BINARY, "bundle", "list", "--server", "http://127.0.0.1:1"},
                                      {{"WEFT_TOKEN", token}});
  EXPECT_EQ(nowhere.exit_code, 1);
  EXPECT_NE(nowhere.err.find("cannot reach the Weft server at http://127.0.0.1:1"), std::string::npos) << nowhere.err;
  EXPECT_EQ(nowhere.err.find(token), std::string::npos);
  auto userinfo = testing::run_process({WEFT_BINARY, "bundle", "list", "--server", "http://me:secret@127.0.0.1:1"},
                                       {{"WEFT_TOKEN", token}});
  EXPECT_EQ(userinfo.exit_code, 1);
  EXPECT_EQ(userinfo.err.find("secret"), std::string::npos) << userinfo.err;
}

TEST_F(BundleCli, PlatformScopeNeedsAPlatformAdmin) {
  const std::string archive = packed_weather();
  ASSERT_EQ(server.request("POST", "/api/admin/users", owner,
                           json{{"email", "orgadmin@example.com"}, {"password", "correct horse battery"}})
                .status,
            201);
  ASSERT_EQ(server.request("POST", "/api/admin/orgs/" + org + "/members", owner,
                           json{{"email", "orgadmin@example.com"}, {"role", "admin"}})
                .status,
            201);
  const std::string admin_token = token_for(As::session(server.login("orgadmin@example.com")));
  ASSERT_FALSE(admin_token.empty());

  ProcessResult refused = bundle({"upload", archive, "--scope", "platform"}, admin_token);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("error: only a platform admin may upload a platform bundle"), std::string::npos)
      << refused.err;
  EXPECT_EQ(server.request("GET", "/api/bundles", owner).body["bundles"].size(), 0u);

  // The same org admin may upload into the organization; the platform admin into the platform.
  ProcessResult org_upload = bundle({"upload", archive}, admin_token);
  EXPECT_EQ(org_upload.exit_code, 0) << org_upload.err;
  ProcessResult platform = bundle({"upload", archive, "--scope", "platform"}, token);
  EXPECT_EQ(platform.exit_code, 0) << platform.err;
  ProcessResult list = bundle({"list"}, token);
  EXPECT_NE(list.out.find("organization  active"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("platform      active"), std::string::npos) << list.out;

  ProcessResult bad_scope = bundle({"upload", archive, "--scope", "galaxy"}, token);
  EXPECT_EQ(bad_scope.exit_code, 1);
  EXPECT_NE(bad_scope.err.find("--scope must be organization or platform"), std::string::npos) << bad_scope.err;
}

}  // namespace
}  // namespace weft::apitest
