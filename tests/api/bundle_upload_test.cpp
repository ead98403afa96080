// POST /api/bundle-upload against the real `weft serve`: the hostile-archive suite (one archive,
// generated here, per extraction and validation rule of issue 9, each refused 400 bundle_invalid
// with that rule's own Problem code and path, and afterwards the blob folder and the bundles
// table exactly as before) and the refusals around it: 401, 403, 409, 413 while streaming (by
// Content-Length and chunked), a missing field, a broken multipart body, bad query parameters.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <set>

#include "bundle_upload_helpers.h"
#include "testing/raw_connection.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;
using testing::ArchiveEntry;
using testing::EntryType;
using Entries = std::vector<ArchiveEntry>;

// The vendor every hostile archive claims (already installed in the org before the suite runs,
// as version 1.0.0, so a refused upload that overwrote its blob or record would show).
constexpr const char* kVendor = "zorp";

std::string with_extra(const Entries& extra) {
  Entries entries = bundle_entries(kVendor);
  entries.insert(entries.end(), extra.begin(), extra.end());
  return testing::build_tar_gz(entries);
}

std::string with(const std::function<void(Entries&)>& edit) {
  Entries entries = bundle_entries(kVendor);
  edit(entries);
  return testing::build_tar_gz(entries);
}

std::string with_manifest(const std::function<void(json&)>& edit) {
  return with([&](Entries& e) { edit_manifest(e, edit); });
}

std::string with_code(const std::string& source) {
  return with([&](Entries& e) { entry_at(e, "dist/index.js").content = source; });
}

// The valid bundle as hand-built ustar bytes plus one entry libarchive's writer would refuse.
std::string raw_with(const std::string& name, const std::string& content) {
  std::string tar;
  for (const auto& e : bundle_entries(kVendor)) {
    if (e.type == EntryType::file) tar += testing::ustar_file(e.path, e.content);
  }
  return testing::gzip(tar + testing::ustar_file(name, content) + testing::tar_end());
}

json second_block(const std::string& id) {
  return {{"id", id},
          {"name", "Pong"},
          {"category", "tools"},
          {"inputSchema", {{"type", "object"}}},
          {"outputSchema", {{"type", "object"}}}};
}

struct HostileCase {
  std::string name;  // the test's parameter name
  std::function<std::string()> archive;
  std::string code;  // the Problem.code the refusal must carry…
  std::string path;  // …at this Problem.path
  std::string message_has = "";  // …and a message holding this (the sandbox's words), if set
};

void PrintTo(const HostileCase& c, std::ostream* os) { *os << c.name; }

const std::vector<HostileCase>& hostile_cases() {
  static const std::vector<HostileCase> cases = {
      // --- extraction (bundles/archive_reader.h) ---
      {"Symlink", [] { return with_extra({{"dist/evil.js", "", EntryType::symlink, "/etc/passwd"}}); }, "symlink",
       "dist/evil.js"},
      {"HardLink", [] { return with_extra({{"dist/copy.js", "", EntryType::hardlink, "dist/index.js"}}); }, "hardlink",
       "dist/copy.js"},
      {"CharacterDevice", [] { return with_extra({{"dist/null.js", "", EntryType::char_device, ""}}); }, "device_file",
       "dist/null.js"},
      {"Fifo", [] { return with_extra({{"dist/pipe.js", "", EntryType::fifo, ""}}); }, "fifo", "dist/pipe.js"},
      {"AbsolutePath", [] { return with_extra({{"/etc/cron.d/x.js", "x", EntryType::file, ""}}); }, "absolute_path",
       "/etc/cron.d/x.js"},
      {"DotDotSegment", [] { return with_extra({{"dist/../../x.js", "x", EntryType::file, ""}}); }, "path_traversal",
       "dist/../../x.js"},
      {"Backslash", [] { return raw_with("dist\\x.js", "x"); }, "name_backslash", "dist\\x5cx.js"},
      {"ControlCharacter", [] { return raw_with("dist/\x1b[2Jx.js", "x"); }, "name_control", "dist/\\x1b[2Jx.js"},
      {"DuplicateEntry", [] { return with_extra({{"./dist//index.js", "other", EntryType::file, ""}}); },
       "duplicate_entry", "./dist//index.js"},
      {"BadExtension", [] { return with_extra({{"dist/run.sh", "#!/bin/sh", EntryType::file, ""}}); },
       "file_extension", "dist/run.sh"},
      {"Over100MBExtracted",
       [] {
         std::string bomb = testing::gzip_bomb(200ull << 20);  // 200 MiB of zeros in one file
         if (bomb.size() >= (50u << 20)) throw std::logic_error("the bomb is not under 50 MB compressed");
         return bomb;
       },
       "extracted_too_large", "dist/bomb0.js"},
      {"Over10000Entries",
       [] {
         Entries entries;
         for (int i = 0; i < 10'001; ++i) entries.push_back({"dist/f" + std::to_string(i) + ".js", "", EntryType::file, ""});
         return testing::build_tar_gz(entries);
       },
       "too_many_entries", "dist/f10000.js"},
      {"NotGzip", [] { return testing::zip_like_stream(); }, "not_gzip", ""},
      {"Truncated",
       [] {
         const std::string archive = bundle_archive(kVendor);
         return testing::truncated(archive, archive.size() / 2);
       },
       "archive_corrupt", ""},
      {"Empty", [] { return testing::build_tar_gz({}); }, "archive_empty", ""},

      // --- validation (bundles/bundle_check.h, manifest.h, sbom.h, validate.h) ---
      {"ManifestMissing", [] { return with([](Entries& e) { remove_entry(e, "manifest.json"); }); },
       "manifest_missing", "manifest.json"},
      {"ManifestNotJson", [] { return with([](Entries& e) { entry_at(e, "manifest.json").content = "{\"id\": "; }); },
       "manifest_not_json", "manifest.json"},
      {"ManifestSchemaViolation", [] { return with_manifest([](json& m) { m["name"] = 42; }); }, "manifest_schema",
       "manifest.json#/name"},
      {"VendorIdBad", [] { return with_manifest([](json& m) { m["id"] = "Zorp_CRM"; }); }, "manifest_schema",
       "manifest.json#/id"},
      {"BlockIdWithoutVendorPrefix",
       [] { return with_manifest([](json& m) { m["products"][0]["blocks"][0]["id"] = "other.ping"; }); },
       "block_id_prefix", "manifest.json#/products/0/blocks/0/id"},
      {"DuplicateProductId",
       [] {
         return with_manifest([](json& m) {
           json second = m["products"][0];
           second["blocks"] = json::array({second_block("zorp.pong")});
           m["products"].push_back(second);
         });
       },
       "duplicate_product_id", "manifest.json#/products/1/id"},
      {"DuplicateBlockId",
       [] { return with_manifest([](json& m) { m["products"][0]["blocks"].push_back(second_block("zorp.ping")); }); },
       "duplicate_block_id", "manifest.json#/products/0/blocks/1/id"},
      {"BadAuthType", [] { return with_manifest([](json& m) { m["auth"] = {{"type", "password"}}; }); },
       "manifest_schema", "manifest.json#/auth/type"},
      {"OAuth2WithoutItsUrls",
       [] { return with_manifest([](json& m) { m["auth"] = {{"type", "oauth2"}, {"scopes", {"read"}}}; }); },
       "manifest_schema", "manifest.json#/auth"},
      {"BadBlockCategory",
       [] { return with_manifest([](json& m) { m["products"][0]["blocks"][0]["category"] = "actions"; }); },
       "manifest_schema", "manifest.json#/products/0/blocks/0/category"},
      {"InputSchemaDoesNotCompile",
       [] { return with_manifest([](json& m) { m["products"][0]["blocks"][0]["inputSchema"] = {{"type", 12}}; }); },
       "block_schema_invalid", "manifest.json#/products/0/blocks/0/inputSchema"},
      {"VersionNotSemver", [] { return with_manifest([](json& m) { m["version"] = "1.0.0-01"; }); },
       "version_not_semver", "manifest.json#/version"},
      {"CodeMissing", [] { return with([](Entries& e) { remove_entry(e, "dist/index.js"); }); }, "code_missing",
       "dist/index.js"},
      {"IconNotInTheArchive", [] { return with_manifest([](json& m) { m["icon"] = "assets/missing.svg"; }); },
       "icon_missing", "manifest.json#/icon"},
      {"SbomMissing", [] { return with([](Entries& e) { remove_entry(e, "meta/sbom.cdx.json"); }); }, "sbom_missing",
       "meta/sbom.cdx.json"},
      {"SbomNotCycloneDx16",
       [] {
         return with([](Entries& e) {
           auto& sbom = entry_at(e, "meta/sbom.cdx.json");
           json d = json::parse(sbom.content);
           d["specVersion"] = "1.5";
           sbom.content = d.dump();
         });
       },
       "sbom_spec_version", "meta/sbom.cdx.json#/specVersion"},
      {"VendorIdOfABuiltIn",
       [] {
         Entries entries = bundle_entries("http");
         return testing::build_tar_gz(entries);
       },
       "vendor_reserved", "manifest.json#/id"},
      // --- the code, loaded once in a jailed sandbox process ---
      {"CodeSyntaxError", [] { return with_code("export default defineVendor({ id: \"zorp\", tools: {\n"); },
       "code_load", "dist/index.js", "cannot compile"},
      {"CodeWithoutDefaultExport",
       [] { return with_code("export const vendor = defineVendor({ id: \"zorp\", tools: {} });\n"); }, "code_load",
       "dist/index.js", "default export"},
      {"CodeExportNotFromDefineVendor",
       [] {
         return with_code("export default { id: \"zorp\", tools: { \"zorp.ping\": async () => ({ status: \"ok\" }) } };\n");
       },
       "code_load", "dist/index.js", "defineVendor"},
      {"CodeVendorIdDiffers",
       [] {
         return with_code(
             "export default defineVendor({ id: \"other\", tools: { \"zorp.ping\": async () => ({ status: \"ok\" }) } });\n");
       },
       "code_vendor", "dist/index.js", "'other'"},
      {"ManifestBlockWithoutTool",
       [] {
         return with_code(
             "export default defineVendor({ id: \"zorp\", tools: { \"zorp.other\": async () => ({ status: \"ok\" }) } });\n");
       },
       "code_missing_tool", "dist/index.js", "zorp.ping"},
  };
  return cases;
}

std::string dump_details(const Reply& r) {
  if (!r.body.is_object() || !r.body.contains("error")) return r.text.substr(0, 500);
  return r.body["error"].value("details", json::array()).dump(1);
}

// What a refused upload must leave as it was.
struct StoredState {
  std::map<std::string, std::string> blobs;
  std::vector<std::string> temp;
  long long rows = 0;
  std::vector<std::string> row_text;

  static StoredState of(const WeftServer& s) {
    return {blob_files(s), blob_temp_files(s.data_dir()), bundle_row_count(s),
            bundle_rows(s)};
  }
};

void expect_same(const StoredState& before, const StoredState& after) {
  EXPECT_EQ(after.blobs, before.blobs) << "the blob store changed";
  EXPECT_TRUE(after.temp.empty()) << "a temp file was left under blobs/.weft-tmp: " << after.temp.front();
  EXPECT_EQ(after.rows, before.rows) << "the bundles table changed";
  EXPECT_EQ(after.row_text, before.row_text);
}

// Uploads `c`'s archive and checks the refusal names its rule.
void expect_refused(WeftServer& s, const As& admin, const HostileCase& c) {
  const std::string archive = c.archive();
  ASSERT_LT(archive.size(), 50u << 20) << "every hostile archive is under the upload limit";
  const Reply r = upload_bundle(s, admin, archive);
  ASSERT_EQ(r.status, 400) << r.text.substr(0, 500);
  ASSERT_EQ(r.error_code(), "bundle_invalid") << r.text.substr(0, 500);
  const json details = r.body["error"].value("details", json::array());
  ASSERT_TRUE(details.is_array() && !details.empty()) << r.text.substr(0, 500);
  bool found = false;
  for (const auto& p : details) {
    EXPECT_FALSE(p.value("message", "").empty()) << p.dump();
    found |= p.value("code", "") == c.code && p.value("path", "") == c.path &&
             p.value("message", "").find(c.message_has) != std::string::npos;
  }
  EXPECT_TRUE(found) << "no problem {code: " << c.code << ", path: " << c.path << ", message ∋ '" << c.message_has
                     << "'} in\n"
                     << dump_details(r);
}

class HostileBundleUpload : public ::testing::TestWithParam<HostileCase> {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<WeftServer>();
    tenants_ = std::make_unique<Tenants>(*server_);
    // Something installed already: the refusals must leave it untouched, byte for byte.
    const Reply installed = upload_bundle(*server_, tenants_->admin_a, bundle_archive(kVendor));
    ASSERT_EQ(installed.status, 201) << installed.text;
  }
  static void TearDownTestSuite() {
    tenants_.reset();
    server_.reset();
  }

  static std::unique_ptr<WeftServer> server_;
  static std::unique_ptr<Tenants> tenants_;
};
std::unique_ptr<WeftServer> HostileBundleUpload::server_;
std::unique_ptr<Tenants> HostileBundleUpload::tenants_;

TEST_P(HostileBundleUpload, IsRefusedWithItsOwnReason) {
  ASSERT_TRUE(tenants_) << "the shared server did not start";
  const StoredState before = StoredState::of(*server_);
  ASSERT_EQ(before.rows, 1);
  ASSERT_EQ(before.blobs.size(), 1u);
  expect_refused(*server_, tenants_->admin_a, GetParam());
  expect_same(before, StoredState::of(*server_));
}

INSTANTIATE_TEST_SUITE_P(Rules, HostileBundleUpload, ::testing::ValuesIn(hostile_cases()),
                         [](const ::testing::TestParamInfo<HostileCase>& info) { return info.param.name; });

// ctest runs each rule in its own process; this runs them all against one server, one after the
// other, and compares the store once at the end.
TEST(HostileBundleUploadSuite, AfterEveryRuleTheBlobStoreAndTheBundleTableAreAsBefore) {
  WeftServer s;
  Tenants t(s);
  ASSERT_EQ(upload_bundle(s, t.admin_a, bundle_archive(kVendor)).status, 201);
  const StoredState before = StoredState::of(s);
  for (const auto& c : hostile_cases()) {
    SCOPED_TRACE(c.name);
    expect_refused(s, t.admin_a, c);
  }
  expect_same(before, StoredState::of(s));
  EXPECT_EQ(s.request("GET", "/api/health").status, 200);
}

TEST(HostileBundleUploadSuite, EveryRuleHasItsOwnCase) {
  std::set<std::string> names;
  for (const auto& c : hostile_cases()) EXPECT_TRUE(names.insert(c.name).second) << "two cases named " << c.name;
  EXPECT_EQ(names.size(), 37u);  // 15 extraction rules, 22 validation rules (issue 9)
}

// --- The refusals around an upload --------------------------------------------------------------

class BundleUploadRefusal : public ::testing::Test {
 protected:
  void SetUp() override { tenants_ = std::make_unique<Tenants>(server_); }
  WeftServer server_;
  std::unique_ptr<Tenants> tenants_;
};

TEST_F(BundleUploadRefusal, WithoutASessionIs401) {
  const Reply r = upload_bundle(server_, As::anonymous(), bundle_archive("zorp"));
  EXPECT_EQ(r.status, 401) << r.text;
  EXPECT_EQ(r.error_code(), "unauthorized");
  EXPECT_TRUE(blob_files(server_).empty());
  EXPECT_EQ(bundle_row_count(server_), 0);
}

TEST_F(BundleUploadRefusal, AMemberIs403AndAnOrgAdminAskingForThePlatformScopeIs403) {
  const Reply member = upload_bundle(server_, tenants_->member_a, bundle_archive("zorp"));
  EXPECT_EQ(member.status, 403) << member.text;
  EXPECT_EQ(member.error_code(), "forbidden");
  const Reply member_platform = upload_bundle(server_, tenants_->member_a, bundle_archive("zorp"), "?scope=platform");
  EXPECT_EQ(member_platform.status, 403) << member_platform.text;
  const Reply admin = upload_bundle(server_, tenants_->admin_a, bundle_archive("zorp"), "?scope=platform");
  EXPECT_EQ(admin.status, 403) << admin.text;
  EXPECT_EQ(admin.error_code(), "forbidden");
  EXPECT_TRUE(blob_files(server_).empty());
  EXPECT_EQ(bundle_row_count(server_), 0);
  // The same org admin may upload into the org.
  EXPECT_EQ(upload_bundle(server_, tenants_->admin_a, bundle_archive("zorp")).status, 201);
}

TEST_F(BundleUploadRefusal, TheSameVendorAndVersionTwiceInOneScopeIs409) {
  Tenants& t = *tenants_;
  const Reply first = upload_bundle(server_, t.admin_a, bundle_archive("zorp", "2.1.0"));
  ASSERT_EQ(first.status, 201) << first.text;
  EXPECT_EQ(first.body["vendorId"], "zorp");
  EXPECT_EQ(first.body["version"], "2.1.0");
  EXPECT_EQ(first.body["scope"], "organization");
  EXPECT_EQ(first.body["status"], "active");
  EXPECT_EQ(first.body["toolCount"], 1);
  EXPECT_EQ(first.body["productCount"], 1);
  const auto blobs = blob_files(server_);
  const Reply again = upload_bundle(server_, t.admin_a, bundle_archive("zorp", "2.1.0"));
  EXPECT_EQ(again.status, 409) << again.text;
  EXPECT_EQ(again.error_code(), "bundle_exists");
  EXPECT_EQ(blob_files(server_), blobs) << "the 409 changed the stored archive";
  EXPECT_EQ(bundle_row_count(server_), 1);
  // Another org, and the platform scope, are other places.
  EXPECT_EQ(upload_bundle(server_, t.admin_b, bundle_archive("zorp", "2.1.0")).status, 201);
  EXPECT_EQ(upload_bundle(server_, t.platform, bundle_archive("zorp", "2.1.0"), "?scope=platform").status, 201);
  EXPECT_EQ(upload_bundle(server_, t.platform, bundle_archive("zorp", "2.1.0"), "?scope=platform").status, 409);
  // A newer version in the same org is fine.
  EXPECT_EQ(upload_bundle(server_, t.admin_a, bundle_archive("zorp", "2.2.0")).status, 201);
  EXPECT_EQ(bundle_row_count(server_), 4);
  EXPECT_EQ(blob_files(server_).size(), 4u);
  EXPECT_TRUE(blob_temp_files(server_.data_dir()).empty());
}

std::string upload_head(const WeftServer& s, const As& as, const std::string& framing) {
  return "POST /api/bundle-upload HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(s.port()) +
         "\r\nCookie: weft_session=" + as.cookie + "\r\nOrigin: " + s.base_url() +
         "\r\nContent-Type: multipart/form-data; boundary=xyz\r\n" + framing + "\r\n";
}

TEST_F(BundleUploadRefusal, ABodyOver50MBIsRefusedBeforeItIsSent) {
  testing::RawConnection c(server_.port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send(upload_head(server_, tenants_->admin_a, "Content-Length: 62914560\r\n")));  // 60 MB
  ASSERT_TRUE(c.send("--xyz\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"b.tar.gz\"\r\n\r\n" +
                     std::string(4096, 'a')));
  // Only the head and 4 KB were sent: an answer now means the server did not wait for the rest.
  const std::string& got = c.read_until("}}", 10s);
  EXPECT_EQ(testing::http_status_of(got), 413) << got.substr(0, 400);
  EXPECT_NE(got.find("payload_too_large"), std::string::npos) << got.substr(0, 400);
  EXPECT_EQ(server_.request("GET", "/api/health").status, 200);
  EXPECT_TRUE(blob_files(server_).empty());
  EXPECT_EQ(bundle_row_count(server_), 0);
}

TEST_F(BundleUploadRefusal, AChunkedBodyOver50MBIsRefusedWhileStreaming) {
  testing::RawConnection c(server_.port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send(upload_head(server_, tenants_->admin_a, "Transfer-Encoding: chunked\r\n")));
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";  // 64 KiB each
  std::size_t sent = 0;
  while (sent < (80u << 20) && c.send(chunk)) {
    sent += 0x10000;
    if (c.read_until("}}", 0ms).find("}}") != std::string::npos) break;
  }
  const std::string& got = c.read_until("}}", 10s);
  EXPECT_EQ(testing::http_status_of(got), 413) << got.substr(0, 400);
  EXPECT_NE(got.find("payload_too_large"), std::string::npos);
  EXPECT_GE(sent, 50u << 20) << "refused before the limit";
  EXPECT_LT(sent, 60u << 20) << "the server kept reading far past the 50 MB limit";
  EXPECT_EQ(server_.request("GET", "/api/health").status, 200);
  EXPECT_TRUE(blob_files(server_).empty());
}

TEST_F(BundleUploadRefusal, AMultipartBodyWithoutTheBundleFieldIsBundleMissing) {
  const MultipartBody mp = multipart_file("file", "b.bundle.tar.gz", bundle_archive("zorp"));
  const Reply r = server_.request_raw("POST", "/api/bundle-upload", tenants_->admin_a, mp.body, mp.content_type);
  EXPECT_EQ(r.status, 400) << r.text;
  EXPECT_EQ(r.error_code(), "bundle_missing") << r.text;
  EXPECT_EQ(bundle_row_count(server_), 0);
}

TEST_F(BundleUploadRefusal, ABrokenMultipartBodyIsInvalidMultipart) {
  const MultipartBody mp = multipart_file("bundle", "b.bundle.tar.gz", bundle_archive("zorp"));
  struct Broken {
    std::string name, body, content_type;
  };
  const std::vector<Broken> broken = {
      {"no closing delimiter", mp.body.substr(0, mp.body.size() - 10), mp.content_type},
      {"not multipart at all", "just some text", mp.content_type},
      {"bare LF line ends", "--b\nContent-Disposition: form-data; name=\"bundle\"\n\nx\n--b--\n",
       "multipart/form-data; boundary=b"},
      {"no boundary parameter", mp.body, "multipart/form-data"},
  };
  for (const auto& b : broken) {
    SCOPED_TRACE(b.name);
    const Reply r = server_.request_raw("POST", "/api/bundle-upload", tenants_->admin_a, b.body, b.content_type);
    EXPECT_EQ(r.status, 400) << r.text;
    EXPECT_EQ(r.error_code(), "invalid_multipart") << r.text;
  }
  EXPECT_EQ(bundle_row_count(server_), 0);
  EXPECT_TRUE(blob_files(server_).empty());
}

TEST_F(BundleUploadRefusal, UnknownScopeOrActivateValuesAre400) {
  for (const std::string query : {"?scope=nonsense", "?scope=PLATFORM", "?activate=maybe", "?activate=1"}) {
    SCOPED_TRACE(query);
    const Reply r = upload_bundle(server_, tenants_->admin_a, bundle_archive("zorp"), query);
    EXPECT_EQ(r.status, 400) << r.text;
    EXPECT_EQ(r.error_code(), "invalid_input") << r.text;
  }
  EXPECT_EQ(bundle_row_count(server_), 0);
  EXPECT_EQ(upload_bundle(server_, tenants_->admin_a, bundle_archive("zorp"), "?scope=organization&activate=true").status,
            201);
}

}  // namespace
}  // namespace weft::apitest
