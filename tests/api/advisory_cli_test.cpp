// `weft admin advisories import FILE|DIR` and `list` on a data dir (the cli_test.cpp style): one
// file, a file holding an array, a nested folder laid out like the GitHub advisory database
// (with a bad file, a too-large file and a non-JSON file skipped by path), and what a server
// started on the same data dir then lists.
#include <gtest/gtest.h>

#include <filesystem>

#include "api_harness.h"
#include "core/json.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft::apitest {
namespace {

json advisory(const std::string& id, const std::string& package, const std::string& fixed,
              const std::string& modified = "2024-01-01T00:00:00Z") {
  return {{"id", id},
          {"modified", modified},
          {"summary", "issue in " + package},
          {"affected", json::array({{{"package", {{"ecosystem", "npm"}, {"name", package}}},
                                     {"ranges", json::array({{{"type", "ECOSYSTEM"},
                                                              {"events", json::array({{{"introduced", "0"}}, {{"fixed", fixed}}})}}})}}})},
          {"database_specific", {{"severity", "HIGH"}}}};
}

class AdvisoryCli : public ::testing::Test {
 protected:
  testing::ProcessResult weft(std::vector<std::string> args) {
    args.insert(args.begin(), {WEFT_BINARY, "--data-dir", data});
    // The key of the servers the tests start on the same data (api_harness): the database's key.
    std::map<std::string, std::string> env{{"WEFT_MASTER_KEY", std::string(64, 'e')}, {"WEFT_LOG_LEVEL", "warn"}};
    if (const std::string url = database_url_for(data); !url.empty()) env.emplace("WEFT_DATABASE_URL", url);
    return testing::run_process(args, env);
  }
  void write(const std::string& rel, const std::string& text) {
    const std::filesystem::path p = std::filesystem::path(dir.path()) / rel;
    std::filesystem::create_directories(p.parent_path());
    testing::write_file(p.string(), text);
  }

  testing::TempDir dir;
  std::string data = dir.file("data");
};

TEST_F(AdvisoryCli, OneFileThenTheSameAgainThenANewerOne) {
  write("one.json", advisory("GHSA-aaaa-bbbb-cccc", "lodash", "4.17.21").dump());
  auto r = weft({"admin", "advisories", "import", dir.file("one.json")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 1, updated 0, unchanged 0, skipped 0"), std::string::npos) << r.out;
  auto again = weft({"admin", "advisories", "import", dir.file("one.json")});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("imported 0, updated 0, unchanged 1, skipped 0"), std::string::npos) << again.out;
  write("one.json", advisory("GHSA-aaaa-bbbb-cccc", "lodash", "4.17.22", "2025-01-01T00:00:00Z").dump());
  auto newer = weft({"admin", "advisories", "import", dir.file("one.json")});
  EXPECT_NE(newer.out.find("imported 0, updated 1"), std::string::npos) << newer.out;
  auto list = weft({"admin", "advisories", "list", "--package", "lodash"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, "GHSA-aaaa-bbbb-cccc\thigh\t2025-01-01T00:00:00Z\tlodash\tissue in lodash\n");
}

TEST_F(AdvisoryCli, AnArrayFileWithABadEntry) {
  json bad = advisory("GHSA-bad", "x", "1.0.0");
  bad["affected"][0]["ranges"][0]["type"] = "CALVER";
  write("many.json", json::array({advisory("GHSA-1", "a", "1.0.0"), bad, advisory("GHSA-2", "b", "2.0.0")}).dump());
  auto r = weft({"admin", "advisories", "import", dir.file("many.json")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 2, updated 0, unchanged 0, skipped 1"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("skipped " + dir.file("many.json") + "[1] (GHSA-bad): advisory_invalid"), std::string::npos) << r.err;
}

TEST_F(AdvisoryCli, ANestedFolderLikeTheAdvisoryDatabaseDump) {
  write("advisories/github-reviewed/2019/07/GHSA-jf85-cpcp-j695/GHSA-jf85-cpcp-j695.json",
        advisory("GHSA-jf85-cpcp-j695", "lodash", "4.17.12").dump());
  write("advisories/github-reviewed/2021/02/GHSA-35jh-r3h4-6jhm/GHSA-35jh-r3h4-6jhm.json",
        advisory("GHSA-35jh-r3h4-6jhm", "lodash", "4.17.21").dump());
  write("advisories/unreviewed/2024/01/GHSA-scop-ed00-0001/GHSA-scop-ed00-0001.json",
        advisory("GHSA-scop-ed00-0001", "@acme/utils", "1.0.1").dump());
  write("advisories/unreviewed/2024/01/broken/broken.json", "{ not json");
  write("advisories/README.md", "not an advisory");                // not *.json: not read
  write("advisories/big/huge.json", std::string(16 * 1024 * 1024 + 1, ' '));  // > 16 MB: skipped unread
  auto r = weft({"admin", "advisories", "import", dir.file("advisories")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 3, updated 0, unchanged 0, skipped 2"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("broken.json: invalid_json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("huge.json: too_large"), std::string::npos) << r.err;

  // A server on the same data dir lists what the CLI imported.
  WeftServer server({}, data);
  ASSERT_EQ(server.setup().status, 201);
  const As admin = As::session(server.login("owner@example.com"));
  Reply list = server.request("GET", "/api/admin/advisories?package=lodash", admin);
  ASSERT_EQ(list.status, 200) << list.text;
  ASSERT_EQ(list.body["advisories"].size(), 2u);
  EXPECT_EQ(list.body["advisories"][0]["id"], "GHSA-jf85-cpcp-j695");
  EXPECT_EQ(list.body["advisories"][1]["affected"][0]["range"], "< 4.17.21");
  EXPECT_EQ(server.request("GET", "/api/admin/advisories?package=%40acme%2Futils", admin).body["advisories"].size(), 1u);
}

TEST_F(AdvisoryCli, NothingReadableIsAFailure) {
  write("only-bad/a.json", "[1, 2]");
  write("only-bad/b.json", "");
  auto bad = weft({"admin", "advisories", "import", dir.file("only-bad")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("imported 0, updated 0, unchanged 0, skipped 3"), std::string::npos) << bad.out;
  auto missing = weft({"admin", "advisories", "import", dir.file("nope")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("cannot read"), std::string::npos) << missing.err;
  std::filesystem::create_directories(dir.file("empty"));
  auto empty = weft({"admin", "advisories", "import", dir.file("empty")});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("no .json file"), std::string::npos) << empty.err;
  auto usage = weft({"admin", "advisories", "import"});
  EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
}  // namespace weft::apitest
