// The manifest's rules, one test per rule: the schema (manifest.schema.json, embedded) and the
// rules it cannot say, each asserted by its Problem code and manifest.json#/pointer path; every
// problem of a broken manifest reported at once; hostile documents refused within bounds.
#include "bundles/manifest.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "bundles/manifest_schema.h"
#include "testing/temp_dir.h"

namespace weft::bundles {
namespace {

// A manifest as `weft-bundle build` writes it (sdk/lib/manifest.mjs), valid.
json valid_manifest() {
  return json::parse(R"({
    "id": "acme", "name": "Acme", "version": "1.2.0", "icon": "assets/icon.svg",
    "auth": { "type": "oauth2", "authorizeUrl": "https://acme.example/oauth/authorize",
              "tokenUrl": "https://acme.example/oauth/token", "scopes": ["read", "write"] },
    "capabilities": ["tools", "llm"],
    "network": { "allowedHosts": ["api.acme.example", "*.acme.example", "api.acme.example:8443"] },
    "products": [
      { "id": "acme-core", "name": "Acme", "category": "Developer tools",
        "dependencies": [ { "name": "zod", "version": "3.24.0", "reason": "input validation" } ],
        "blocks": [
          { "id": "acme.ping", "name": "Ping", "description": "Pings.", "category": "tools",
            "inputSchema": { "type": "object", "properties": { "to": { "type": "string" } } },
            "outputSchema": { "type": "object" } },
          { "id": "acme.table", "name": "Table", "description": "", "category": "blocks",
            "inputSchema": { "type": "object" }, "outputSchema": { "type": "object" } } ] },
      { "id": "acme-events", "name": "Acme events", "category": "Other", "dependencies": [],
        "blocks": [
          { "id": "acme.on_push", "name": "On push", "description": "A push happened.", "category": "triggers",
            "inputSchema": { "type": "object" }, "outputSchema": { "type": "object" } } ] } ]
  })");
}

std::vector<Problem> problems_for(const json& manifest) {
  BundleManifest out;
  return check_manifest(manifest, out);
}

std::string dump(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) s += p.path + " [" + p.code + "] " + p.message + "\n";
  return s;
}

// Exactly one problem, with this code and path.
void expect_one(const json& manifest, const std::string& code, const std::string& pointer) {
  const auto problems = problems_for(manifest);
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].code, code) << dump(problems);
  EXPECT_EQ(problems[0].path, "manifest.json#" + pointer) << dump(problems);
  EXPECT_FALSE(problems[0].message.empty());
}

TEST(ManifestSchema, IsTheRepositoryFileAndCompiles) {
  EXPECT_EQ(manifest_schema_text(), testing::read_file(std::string(WEFT_SOURCE_DIR) + "/src/bundles/manifest.schema.json"));
  auto document = parse_json(manifest_schema_text());
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ((*document)["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_EQ((*document)["$id"], "https://weft.dev/schemas/manifest.json");
  auto compiled = JsonSchema::compile(*document);
  ASSERT_TRUE(compiled.ok()) << compiled.error().message;
  EXPECT_TRUE(manifest_schema().validate(valid_manifest()).empty());
}

TEST(Manifest, AValidManifestIsReadIntoTheModel) {
  auto m = parse_bundle_manifest(valid_manifest());
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->id, "acme");
  EXPECT_EQ(m->name, "Acme");
  EXPECT_EQ(m->version, "1.2.0");
  EXPECT_EQ(to_string(m->semver), "1.2.0");
  EXPECT_EQ(m->icon, "assets/icon.svg");
  EXPECT_EQ(m->auth_type, vault::AuthType::oauth2);
  EXPECT_EQ(m->auth.authorize_url, "https://acme.example/oauth/authorize");
  EXPECT_EQ(m->auth.token_url, "https://acme.example/oauth/token");
  EXPECT_EQ(m->auth.scopes, (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(m->capabilities, (std::vector<std::string>{"tools", "llm"}));
  EXPECT_EQ(m->allowed_hosts.size(), 3u);
  EXPECT_EQ(m->category, "Developer tools");
  ASSERT_EQ(m->products.size(), 2u);
  EXPECT_EQ(m->products[0].id, "acme-core");
  ASSERT_EQ(m->products[0].dependencies.size(), 1u);
  EXPECT_EQ(m->products[0].dependencies[0].name, "zod");
  EXPECT_EQ(m->products[0].dependencies[0].version, "3.24.0");
  EXPECT_EQ(m->products[0].dependencies[0].reason, "input validation");
  EXPECT_EQ(m->products[0].block_ids, (std::vector<std::string>{"acme.ping", "acme.table"}));
  ASSERT_EQ(m->blocks.size(), 3u);
  EXPECT_EQ(m->blocks[0].kind, BlockKind::tool);
  EXPECT_EQ(m->blocks[1].kind, BlockKind::block);
  EXPECT_EQ(m->blocks[2].kind, BlockKind::trigger);
  EXPECT_EQ(m->blocks[2].product, "acme-events");
  EXPECT_EQ(to_string(m->blocks[2].kind), "trigger");
  EXPECT_FALSE(m->blocks[0].input_schema.validate(json{{"to", 1}}).empty());  // the compiled schema is live
  EXPECT_EQ(m->raw, valid_manifest());
}

TEST(Manifest, DefaultsWhenOptionalFieldsAreAbsent) {
  json m = valid_manifest();
  m.erase("icon");
  m.erase("capabilities");
  m.erase("network");
  m["auth"] = {{"type", "none"}};
  m["products"][0].erase("dependencies");
  m["products"][0].erase("category");
  m["products"][0]["blocks"][0].erase("category");
  m["products"][0]["blocks"][0].erase("description");
  auto r = parse_bundle_manifest(m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->icon, "");
  EXPECT_EQ(r->capabilities, (std::vector<std::string>{"tools"}));
  EXPECT_TRUE(r->allowed_hosts.empty());
  EXPECT_EQ(r->auth_type, vault::AuthType::none);
  EXPECT_TRUE(r->products[0].dependencies.empty());
  EXPECT_EQ(r->category, "");
  EXPECT_EQ(r->blocks[0].category, "tools");
  EXPECT_EQ(r->blocks[0].kind, BlockKind::tool);
}

TEST(Manifest, AuthTypesWithoutRequiredFieldsAndExtraFieldsAreKept) {
  for (const char* type : {"api_key", "bearer_token", "bot_token", "none"}) {
    json m = valid_manifest();
    m["auth"] = {{"type", type}, {"headerName", "X-Api-Key"}};  // the SDK lets other fields through
    auto r = parse_bundle_manifest(m);
    ASSERT_TRUE(r.ok()) << type << ": " << r.error().message;
    EXPECT_EQ(vault::to_string(r->auth_type), type);
    EXPECT_TRUE(r->auth.scopes.empty());
  }
}

TEST(ManifestRules, VendorIdPattern) {
  for (const char* bad : {"Acme", "1acme", "-acme", "acme_crm", "acme.crm", "ac me", ""}) {
    json m = valid_manifest();
    m["id"] = bad;
    const auto problems = problems_for(m);
    // Only the schema speaks: the block-prefix rule is not applied against a refused vendor id.
    ASSERT_EQ(problems.size(), 1u) << bad << "\n" << dump(problems);
    EXPECT_EQ(problems[0].code, kManifestSchema);
    EXPECT_EQ(problems[0].path, "manifest.json#/id");
  }
  json m = valid_manifest();
  m["id"] = std::string(65, 'a');
  expect_one(m, kManifestSchema, "/id");
}

TEST(ManifestRules, BlockIdMustStartWithTheVendorId) {
  json m = valid_manifest();
  m["products"][0]["blocks"][1]["id"] = "other.table";
  expect_one(m, kBlockIdPrefix, "/products/0/blocks/1/id");
  m = valid_manifest();
  m["products"][0]["blocks"][1]["id"] = "acmex.table";  // a longer vendor id is not the vendor's
  expect_one(m, kBlockIdPrefix, "/products/0/blocks/1/id");
}

TEST(ManifestRules, BlockIdShape) {
  for (const char* bad : {"acme.", "acme", "acme.1ping", "acme.pi ng", "acme.ping.pong", "acme.pin\xc3\xa9"}) {
    json m = valid_manifest();
    m["products"][0]["blocks"][0]["id"] = bad;
    expect_one(m, kManifestSchema, "/products/0/blocks/0/id");
  }
  json m = valid_manifest();
  m["products"][0]["blocks"][0]["id"] = "acme." + std::string(123, 'a');  // 128: the limit
  EXPECT_TRUE(problems_for(m).empty()) << dump(problems_for(m));
  m["products"][0]["blocks"][0]["id"] = "acme." + std::string(124, 'a');
  expect_one(m, kManifestSchema, "/products/0/blocks/0/id");
}

TEST(ManifestRules, NoDuplicateProductIds) {
  json m = valid_manifest();
  m["products"][1]["id"] = "acme-core";
  expect_one(m, kDuplicateProductId, "/products/1/id");
}

TEST(ManifestRules, NoDuplicateBlockIdsWithinOrAcrossProducts) {
  json m = valid_manifest();
  m["products"][0]["blocks"][1]["id"] = "acme.ping";
  expect_one(m, kDuplicateBlockId, "/products/0/blocks/1/id");
  m = valid_manifest();
  m["products"][1]["blocks"][0]["id"] = "acme.ping";
  expect_one(m, kDuplicateBlockId, "/products/1/blocks/0/id");
}

TEST(ManifestRules, AuthTypeInTheAllowedSet) {
  json m = valid_manifest();
  m["auth"] = {{"type", "password"}};
  expect_one(m, kManifestSchema, "/auth/type");
  m["auth"] = json::object();
  expect_one(m, kManifestSchema, "/auth");
  m.erase("auth");
  expect_one(m, kManifestSchema, "");
}

TEST(ManifestRules, OAuth2NeedsHttpsEndpointsAndScopes) {
  for (const char* missing : {"authorizeUrl", "tokenUrl", "scopes"}) {
    json m = valid_manifest();
    m["auth"].erase(missing);
    const auto problems = problems_for(m);
    ASSERT_EQ(problems.size(), 1u) << missing << "\n" << dump(problems);
    EXPECT_EQ(problems[0].code, kManifestSchema);
    EXPECT_EQ(problems[0].path, "manifest.json#/auth");
    EXPECT_NE(problems[0].message.find(missing), std::string::npos) << problems[0].message;
  }
  for (const char* url : {"http://acme.example/token", "ftp://acme.example", "https://", "not a url", "javascript:x"}) {
    json m = valid_manifest();
    m["auth"]["tokenUrl"] = url;
    const auto problems = problems_for(m);
    ASSERT_GE(problems.size(), 1u) << url;
    for (const auto& p : problems) {
      EXPECT_EQ(p.code, kManifestSchema);
      EXPECT_EQ(p.path, "manifest.json#/auth/tokenUrl") << url;
    }
  }
  json m = valid_manifest();
  m["auth"]["scopes"] = {"read", 7};
  expect_one(m, kManifestSchema, "/auth/scopes/1");
  m["auth"]["scopes"] = "read write";
  expect_one(m, kManifestSchema, "/auth/scopes");
  m["auth"]["scopes"] = json::array();  // an empty list of scopes is a list
  EXPECT_TRUE(problems_for(m).empty()) << dump(problems_for(m));
}

TEST(ManifestRules, BlockCategory) {
  json m = valid_manifest();
  m["products"][0]["blocks"][0]["category"] = "actions";
  expect_one(m, kManifestSchema, "/products/0/blocks/0/category");
  m["products"][0]["blocks"][0]["category"] = "Tools";
  expect_one(m, kManifestSchema, "/products/0/blocks/0/category");
}

TEST(ManifestRules, BlockSchemasMustCompile) {
  json m = valid_manifest();
  m["products"][0]["blocks"][0]["inputSchema"] = {{"type", 12}};
  expect_one(m, kBlockSchemaInvalid, "/products/0/blocks/0/inputSchema");
  m = valid_manifest();
  m["products"][1]["blocks"][0]["outputSchema"] = {{"$ref", "https://elsewhere.example/schema.json"}};
  expect_one(m, kBlockSchemaInvalid, "/products/1/blocks/0/outputSchema");
  m = valid_manifest();
  m["products"][0]["blocks"][0]["inputSchema"] = {{"type", "string"}, {"pattern", "(?=lookahead)"}};
  expect_one(m, kBlockSchemaInvalid, "/products/0/blocks/0/inputSchema");
  m = valid_manifest();
  m["products"][0]["blocks"][0]["inputSchema"] = "object";  // not an object: the schema says so, once
  expect_one(m, kManifestSchema, "/products/0/blocks/0/inputSchema");
  m = valid_manifest();
  m["products"][0]["blocks"][0].erase("outputSchema");
  expect_one(m, kManifestSchema, "/products/0/blocks/0");
}

TEST(ManifestRules, VersionIsASemVer) {
  for (const char* bad : {"1.0", "v1.0.0", "1.0.0.0", "01.0.0", "1.0.0-", "latest", ""}) {
    json m = valid_manifest();
    m["version"] = bad;
    expect_one(m, kManifestSchema, "/version");
  }
  // What the schema's pattern lets through and SemVer still refuses.
  json m = valid_manifest();
  m["version"] = "1.0.0-01";
  expect_one(m, kVersionNotSemver, "/version");
  m["version"] = "1.0.0-rc.1+build.5";
  EXPECT_TRUE(problems_for(m).empty());
  m["version"] = "1.0.0-" + std::string(59, 'a');  // 65 bytes
  expect_one(m, kManifestSchema, "/version");
}

TEST(ManifestRules, CapabilitiesAreKnownStrings) {
  json m = valid_manifest();
  m["capabilities"] = {"tools", "filesystem"};
  expect_one(m, kManifestSchema, "/capabilities/1");
  m["capabilities"] = "tools";
  expect_one(m, kManifestSchema, "/capabilities");
  m["capabilities"] = {"tools", "llm", "stt", "tts", "embedding"};
  EXPECT_TRUE(problems_for(m).empty());
}

TEST(ManifestRules, AllowedHostsAreHostPatterns) {
  for (const char* bad : {"API.example.com", "https://api.example.com", "api.example.com/path", "*", "*.", "a..b",
                          "-a.example", "api.example.com:", "api.example.com:123456", "10.0.0.1 evil", ""}) {
    json m = valid_manifest();
    m["network"]["allowedHosts"] = {"ok.example", bad};
    expect_one(m, kManifestSchema, "/network/allowedHosts/1");
  }
  json m = valid_manifest();
  m["network"]["allowedHosts"] = {"[2001:db8::1]:443", "localhost", "127.0.0.1:8080"};
  auto r = parse_bundle_manifest(m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->allowed_hosts, (std::vector<std::string>{"[2001:db8::1]:443", "localhost", "127.0.0.1:8080"}));
  m["network"] = {{"allowedHosts", "api.example.com"}};
  expect_one(m, kManifestSchema, "/network/allowedHosts");
}

TEST(ManifestRules, DeclaredDependenciesHaveNameVersionReason) {
  json m = valid_manifest();
  m["products"][0]["dependencies"][0].erase("reason");
  expect_one(m, kManifestSchema, "/products/0/dependencies/0");
  m = valid_manifest();
  m["products"][0]["dependencies"][0]["version"] = 3;
  expect_one(m, kManifestSchema, "/products/0/dependencies/0/version");
}

TEST(ManifestRules, RequiredFieldsAndShapes) {
  json m = valid_manifest();
  m["products"] = json::array();
  expect_one(m, kManifestSchema, "/products");
  m = valid_manifest();
  m["products"][1]["blocks"] = json::array();
  expect_one(m, kManifestSchema, "/products/1/blocks");
  m = valid_manifest();
  m["name"] = "";
  expect_one(m, kManifestSchema, "/name");
  m = valid_manifest();
  m["products"][0]["blocks"][0]["name"] = 5;
  expect_one(m, kManifestSchema, "/products/0/blocks/0/name");
  for (const json& root : {json::array(), json("acme"), json(nullptr), json(3)}) {
    expect_one(root, kManifestSchema, "");
  }
}

TEST(Manifest, TenProblemsAreAllReported) {
  json m = valid_manifest();
  m["version"] = "1.0.0-01";                                          // 1 version_not_semver
  m["auth"].erase("tokenUrl");                                        // 2 schema /auth
  m["capabilities"] = {"tools", "telepathy"};                         // 3 schema /capabilities/1
  m["network"]["allowedHosts"][1] = "HTTP://x";                       // 4 schema /network/allowedHosts/1
  m["products"][1]["id"] = "acme-core";                               // 5 duplicate_product_id
  m["products"][0]["blocks"][0]["id"] = "other.ping";                 // 6 block_id_prefix
  m["products"][1]["blocks"][0]["id"] = "acme.table";                 // 7 duplicate_block_id
  m["products"][0]["blocks"][1]["category"] = "widgets";              // 8 schema category
  m["products"][0]["blocks"][1]["inputSchema"] = {{"minLength", -1}}; // 9 block_schema_invalid
  m["products"][1]["blocks"][0].erase("name");                        // 10 schema /products/1/blocks/0
  auto r = parse_bundle_manifest(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kBundleInvalid);
  const auto problems = problems_of(r.error());
  ASSERT_EQ(problems.size(), 10u) << dump(problems);
  std::multiset<std::pair<std::string, std::string>> got;
  for (const auto& p : problems) got.insert({p.path, p.code});
  const std::multiset<std::pair<std::string, std::string>> want = {
      {"manifest.json#/version", kVersionNotSemver},
      {"manifest.json#/auth", kManifestSchema},
      {"manifest.json#/capabilities/1", kManifestSchema},
      {"manifest.json#/network/allowedHosts/1", kManifestSchema},
      {"manifest.json#/products/1/id", kDuplicateProductId},
      {"manifest.json#/products/0/blocks/0/id", kBlockIdPrefix},
      {"manifest.json#/products/1/blocks/0/id", kDuplicateBlockId},
      {"manifest.json#/products/0/blocks/1/category", kManifestSchema},
      {"manifest.json#/products/0/blocks/1/inputSchema", kBlockSchemaInvalid},
      {"manifest.json#/products/1/blocks/0", kManifestSchema}};
  EXPECT_EQ(got, want) << dump(problems);
}

// Hostile documents: everything wrong in every place, at size; answered quickly and bounded.
TEST(ManifestHostile, EveryFieldTheWrongType) {
  json m = {{"id", 1}, {"name", json::array()}, {"version", 1.5}, {"icon", false}, {"auth", "oauth2"},
            {"capabilities", json::object()}, {"network", 3}, {"products", {1, "x", nullptr, json::array()}}};
  const auto problems = problems_for(m);
  EXPECT_GE(problems.size(), 8u) << dump(problems);
  for (const auto& p : problems) EXPECT_EQ(p.code, kManifestSchema) << dump(problems);
}

TEST(ManifestHostile, ManyViolationsAreCappedAndStayFast) {
  json m = valid_manifest();
  json hosts = json::array();
  for (int i = 0; i < 200000; ++i) hosts.push_back(i);  // ~1.3 MB of text: every item wrong
  m["network"]["allowedHosts"] = hosts;
  const auto start = std::chrono::steady_clock::now();
  const auto problems = problems_for(m);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(problems.size(), 101u);
  EXPECT_EQ(problems.back().path, "manifest.json#");
  EXPECT_NE(problems.back().message.find("more schema violations"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(ManifestHostile, ManyBlocksWithHeavySchemasStayBounded) {
  json m = valid_manifest();
  json blocks = json::array();
  json schema = {{"type", "object"}};
  for (int d = 0; d < 15; ++d) schema = {{"type", "object"}, {"properties", {{"a", schema}, {"b", schema}}}};
  for (int i = 0; i < 10; ++i) {
    blocks.push_back({{"id", "acme.b" + std::to_string(i)}, {"name", "B"}, {"inputSchema", schema}, {"outputSchema", schema}});
  }
  m["products"][0]["blocks"] = blocks;
  const auto start = std::chrono::steady_clock::now();
  const auto problems = problems_for(m);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  ASSERT_FALSE(problems.empty());  // 2^16 subschemas each: over the 20,000 compile limit
  for (const auto& p : problems) EXPECT_EQ(p.code, kBlockSchemaInvalid) << dump(problems);
}

TEST(ManifestHostile, KeysThatNeedPointerEscapesAndUnicode) {
  json m = valid_manifest();
  m["a/b~c"] = "extra fields are ignored";
  m["name"] = "Acme \xe2\x9c\x93";
  EXPECT_TRUE(problems_for(m).empty()) << dump(problems_for(m));
}

}  // namespace
}  // namespace weft::bundles
