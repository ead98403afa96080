// The static check of a whole bundle, built in memory: one test per file rule (code and path),
// a valid bundle passing, every problem of a broken bundle reported at once, and UTF-8 checked
// byte by byte against RFC 3629's edges.
#include "bundles/bundle_check.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace weft::bundles {
namespace {

json manifest_json() {
  return json::parse(R"({
    "id": "acme", "name": "Acme", "version": "1.0.0", "icon": "assets/icon.svg",
    "auth": { "type": "api_key" }, "capabilities": ["tools"], "network": { "allowedHosts": ["api.acme.example"] },
    "products": [ { "id": "acme-core", "name": "Acme", "category": "Other", "dependencies": [],
      "blocks": [ { "id": "acme.ping", "name": "Ping", "description": "", "category": "tools",
                    "inputSchema": { "type": "object" }, "outputSchema": { "type": "object" } } ] } ]
  })");
}

json sbom_json() {
  return {{"bomFormat", "CycloneDX"},
          {"specVersion", "1.6"},
          {"serialNumber", "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"},
          {"version", 1},
          {"components", json::array()}};
}

const std::string kSource = "export default { id: \"acme\", tools: {} }; // caf\xc3\xa9\n";

void put(BundleFiles& files, const std::string& path, std::string content) {
  files.total_bytes += content.size();
  files.files[path] = std::move(content);
}

BundleFiles valid_bundle() {
  BundleFiles f;
  put(f, "manifest.json", manifest_json().dump(2));
  put(f, "dist/index.js", kSource);
  put(f, "meta/sbom.cdx.json", sbom_json().dump());
  put(f, "meta/metafile.json", "{}");
  put(f, "assets/icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  return f;
}

std::vector<Problem> problems_of_check(const BundleFiles& files) {
  auto r = check_bundle(files);
  if (r.ok()) return {};
  EXPECT_EQ(r.error().code, kBundleInvalid);
  return problems_of(r.error());
}

std::string dump(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) s += p.path + " [" + p.code + "] " + p.message + "\n";
  return s;
}

void expect_one(const BundleFiles& files, const std::string& code, const std::string& path) {
  const auto problems = problems_of_check(files);
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].code, code) << dump(problems);
  EXPECT_EQ(problems[0].path, path) << dump(problems);
}

TEST(BundleCheck, AValidBundlePasses) {
  auto r = check_bundle(valid_bundle());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->manifest.id, "acme");
  EXPECT_EQ(r->manifest.blocks.size(), 1u);
  EXPECT_EQ(r->sbom.spec_version, "1.6");
  EXPECT_EQ(r->source, kSource);
}

TEST(BundleCheck, UrlIconsNeedNoFile) {
  for (const char* icon : {"https://acme.example/icon.svg", "data:image/svg+xml;base64,PHN2Zy8+"}) {
    BundleFiles f = valid_bundle();
    json m = manifest_json();
    m["icon"] = icon;
    f.files["manifest.json"] = m.dump();
    f.files.erase("assets/icon.svg");
    auto r = check_bundle(f);
    EXPECT_TRUE(r.ok()) << icon << ": " << r.error().message;
  }
  BundleFiles f = valid_bundle();
  json m = manifest_json();
  m.erase("icon");
  f.files["manifest.json"] = m.dump();
  EXPECT_TRUE(check_bundle(f).ok());
}

TEST(BundleCheckRules, ManifestMissing) {
  BundleFiles f = valid_bundle();
  f.files.erase("manifest.json");
  expect_one(f, kManifestMissing, "manifest.json");
}

TEST(BundleCheckRules, ManifestTooLarge) {
  BundleFiles f = valid_bundle();
  json m = manifest_json();
  m["padding"] = std::string(kMaxManifestBytes, 'x');  // valid otherwise: the size alone refuses it
  f.files["manifest.json"] = m.dump();
  expect_one(f, kManifestTooLarge, "manifest.json");
  m["padding"] = std::string(kMaxManifestBytes - manifest_json().dump().size() - 32, 'x');
  f.files["manifest.json"] = m.dump();
  ASSERT_LE(f.files["manifest.json"].size(), kMaxManifestBytes);
  EXPECT_TRUE(check_bundle(f).ok());
}

TEST(BundleCheckRules, ManifestNotJson) {
  for (const std::string& text : {std::string("{\"id\": \"acme\""), std::string(""), std::string("\xff{}"),
                                  std::string(600, '[') + std::string(600, ']'), std::string("{} {}"),
                                  std::string("{\"a\":1e400}")}) {
    BundleFiles f = valid_bundle();
    f.files["manifest.json"] = text;
    expect_one(f, kManifestNotJson, "manifest.json");
  }
}

TEST(BundleCheckRules, ManifestRulesAreReportedWithTheirPaths) {
  BundleFiles f = valid_bundle();
  json m = manifest_json();
  m["products"][0]["blocks"][0]["id"] = "other.ping";
  f.files["manifest.json"] = m.dump();
  expect_one(f, kBlockIdPrefix, "manifest.json#/products/0/blocks/0/id");
}

TEST(BundleCheckRules, CodeMissing) {
  BundleFiles f = valid_bundle();
  f.files.erase("dist/index.js");
  f.files["dist/index.js.map"] = "{}";
  f.files["index.js"] = kSource;  // not where the code must be
  expect_one(f, kCodeMissing, "dist/index.js");
}

TEST(BundleCheckRules, CodeEmpty) {
  BundleFiles f = valid_bundle();
  f.files["dist/index.js"] = "";
  expect_one(f, kCodeEmpty, "dist/index.js");
}

TEST(BundleCheckRules, CodeNotUtf8) {
  for (const std::string& bad : {std::string("export default 1; // \xff"), std::string("\xc0\xaf"),
                                 std::string("x\xed\xa0\x80"), std::string("caf\xc3")}) {
    BundleFiles f = valid_bundle();
    f.files["dist/index.js"] = bad;
    expect_one(f, kCodeNotUtf8, "dist/index.js");
  }
}

TEST(BundleCheckRules, IconPathMustBeAFileOfTheBundle) {
  BundleFiles f = valid_bundle();
  f.files.erase("assets/icon.svg");
  expect_one(f, kIconMissing, "manifest.json#/icon");
  for (const char* icon : {"assets/other.svg", "./assets/icon.svg", "/assets/icon.svg", "http://acme.example/icon.svg",
                           "ASSETS/icon.svg"}) {
    BundleFiles g = valid_bundle();
    json m = manifest_json();
    m["icon"] = icon;
    g.files["manifest.json"] = m.dump();
    expect_one(g, kIconMissing, "manifest.json#/icon");
  }
}

TEST(BundleCheckRules, SbomMissing) {
  BundleFiles f = valid_bundle();
  f.files.erase("meta/sbom.cdx.json");
  expect_one(f, kSbomMissing, "meta/sbom.cdx.json");
}

TEST(BundleCheckRules, SbomTooLarge) {
  BundleFiles f = valid_bundle();
  json s = sbom_json();
  s["padding"] = std::string(kMaxSbomBytes, 'x');
  f.files["meta/sbom.cdx.json"] = s.dump();
  expect_one(f, kSbomTooLarge, "meta/sbom.cdx.json");
}

TEST(BundleCheckRules, SbomNotJson) {
  BundleFiles f = valid_bundle();
  f.files["meta/sbom.cdx.json"] = "<bom/>";
  expect_one(f, kSbomNotJson, "meta/sbom.cdx.json");
}

TEST(BundleCheckRules, SbomNotCycloneDx16) {
  BundleFiles f = valid_bundle();
  json s = sbom_json();
  s["specVersion"] = "1.4";
  f.files["meta/sbom.cdx.json"] = s.dump();
  expect_one(f, kSbomSpecVersion, "meta/sbom.cdx.json#/specVersion");
}

TEST(BundleCheck, EveryProblemAtOnce) {
  BundleFiles f;
  json m = manifest_json();
  m["id"] = "Acme";                                            // manifest_schema /id
  m["version"] = "1.0.0-01";                                   // version_not_semver
  m["icon"] = "assets/missing.svg";                            // icon_missing
  m["products"].push_back(m["products"][0]);                   // duplicate product id, duplicate block id
  m["products"][0]["blocks"][0]["inputSchema"] = {{"type", "strin"}};  // block_schema_invalid
  put(f, "manifest.json", m.dump());
  put(f, "dist/index.js", "\xfe");                             // code_not_utf8
  put(f, "meta/sbom.cdx.json", json{{"bomFormat", "cyclonedx"}, {"specVersion", "1.5"}, {"serialNumber", "x"}}.dump());
  const auto problems = problems_of_check(f);
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& p : problems) got.insert({p.path, p.code});
  const std::set<std::pair<std::string, std::string>> want = {
      {"manifest.json#/id", kManifestSchema},
      {"manifest.json#/version", kVersionNotSemver},
      {"manifest.json#/icon", kIconMissing},
      {"manifest.json#/products/1/id", kDuplicateProductId},
      {"manifest.json#/products/1/blocks/0/id", kDuplicateBlockId},
      {"manifest.json#/products/0/blocks/0/inputSchema", kBlockSchemaInvalid},
      {"dist/index.js", kCodeNotUtf8},
      {"meta/sbom.cdx.json#/bomFormat", kSbomFormat},
      {"meta/sbom.cdx.json#/specVersion", kSbomSpecVersion},
      {"meta/sbom.cdx.json#/serialNumber", kSbomSerialNumber}};
  EXPECT_EQ(problems.size(), 10u) << dump(problems);
  EXPECT_EQ(got, want) << dump(problems);
}

TEST(BundleCheck, AnEmptyBundleNamesEachMissingFile) {
  const auto problems = problems_of_check(BundleFiles{});
  std::set<std::string> codes;
  for (const auto& p : problems) codes.insert(p.code);
  EXPECT_EQ(codes, (std::set<std::string>{kManifestMissing, kCodeMissing, kSbomMissing})) << dump(problems);
}

TEST(Utf8, RfcEdges) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));
  EXPECT_TRUE(is_valid_utf8("\x7f"));
  EXPECT_TRUE(is_valid_utf8("\xc2\x80"));           // U+0080
  EXPECT_TRUE(is_valid_utf8("\xdf\xbf"));           // U+07FF
  EXPECT_TRUE(is_valid_utf8("\xe0\xa0\x80"));       // U+0800
  EXPECT_TRUE(is_valid_utf8("\xed\x9f\xbf"));       // U+D7FF
  EXPECT_TRUE(is_valid_utf8("\xee\x80\x80"));       // U+E000
  EXPECT_TRUE(is_valid_utf8("\xef\xbb\xbf"));       // BOM
  EXPECT_TRUE(is_valid_utf8("\xf0\x90\x80\x80"));   // U+10000
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));   // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("\xc1\xbf"));          // overlong U+007F
  EXPECT_FALSE(is_valid_utf8("\xe0\x9f\xbf"));      // overlong U+07FF
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // U+D800 surrogate
  EXPECT_FALSE(is_valid_utf8("\xed\xbf\xbf"));      // U+DFFF surrogate
  EXPECT_FALSE(is_valid_utf8("\xf0\x8f\xbf\xbf"));  // overlong U+FFFF
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xf5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xe2\x28\xa1"));      // bad continuation
  EXPECT_FALSE(is_valid_utf8("\xf0\x90\x80"));      // truncated at the end
}

}  // namespace
}  // namespace weft::bundles
