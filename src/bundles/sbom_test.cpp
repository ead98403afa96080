// meta/sbom.cdx.json: what sdk/lib/sbom.mjs writes is read into the model (licenses in each of
// CycloneDX's three forms, evidence, properties), and each rule refuses with its code and
// meta/sbom.cdx.json#/pointer path; hostile documents stay bounded.
#include "bundles/sbom.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace weft::bundles {
namespace {

// The shape sdk/lib/sbom.mjs writes (metadata, tools, bom-ref, description included).
json sdk_sbom() {
  return json::parse(R"({
    "bomFormat": "CycloneDX", "specVersion": "1.6",
    "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1,
    "metadata": { "timestamp": "2024-01-01T00:00:00Z",
      "tools": { "components": [ { "type": "application", "name": "weft-bundle", "version": "0.1.0" } ] },
      "component": { "type": "application", "bom-ref": "weft-bundle:acme@1.0.0", "name": "acme", "version": "1.0.0",
                     "description": "Weft custom integration \"Acme\"" } },
    "components": [
      { "type": "library", "bom-ref": "pkg:npm/%40weft/sdk@0.1.0", "name": "@weft/sdk", "version": "0.1.0",
        "description": "SDK", "purl": "pkg:npm/%40weft/sdk@0.1.0",
        "evidence": { "occurrences": [ { "location": "../../sdk/index.js" } ] } },
      { "type": "library", "name": "zod", "version": "3.24.0", "licenses": [ { "license": { "id": "MIT" } } ],
        "purl": "pkg:npm/zod@3.24.0",
        "evidence": { "occurrences": [ { "location": "node_modules/zod/lib/index.mjs" },
                                       { "location": "node_modules/zod/lib/types.mjs" } ] },
        "properties": [ { "name": "weft:installScripts", "value": "postinstall" }, { "name": "flag" } ] },
      { "type": "library", "name": "dual", "version": "1.0.0", "licenses": [ { "expression": "MIT OR Apache-2.0" } ] },
      { "type": "library", "name": "odd", "licenses": [ { "license": { "name": "SEE LICENSE IN LICENSE.md" } } ] } ]
  })");
}

std::vector<Problem> problems_for(const json& d) {
  Sbom out;
  return check_sbom(d, out);
}

std::string dump(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) s += p.path + " [" + p.code + "] " + p.message + "\n";
  return s;
}

void expect_one(const json& d, const std::string& code, const std::string& pointer) {
  const auto problems = problems_for(d);
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].code, code) << dump(problems);
  EXPECT_EQ(problems[0].path, "meta/sbom.cdx.json#" + pointer) << dump(problems);
}

TEST(Sbom, TheSdksShapeIsReadIntoTheModel) {
  auto r = parse_sbom(sdk_sbom());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->spec_version, "1.6");
  EXPECT_EQ(r->serial_number, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
  ASSERT_EQ(r->components.size(), 4u);
  const auto& sdk = r->components[0];
  EXPECT_EQ(sdk.type, "library");
  EXPECT_EQ(sdk.name, "@weft/sdk");
  EXPECT_EQ(sdk.version, "0.1.0");
  EXPECT_EQ(sdk.purl, "pkg:npm/%40weft/sdk@0.1.0");
  EXPECT_EQ(sdk.license, "");
  EXPECT_EQ(sdk.evidence, (std::vector<std::string>{"../../sdk/index.js"}));
  const auto& zod = r->components[1];
  EXPECT_EQ(zod.license, "MIT");
  EXPECT_EQ(zod.evidence.size(), 2u);
  ASSERT_EQ(zod.properties.size(), 2u);
  EXPECT_EQ(zod.properties[0], (std::pair<std::string, std::string>{"weft:installScripts", "postinstall"}));
  EXPECT_EQ(zod.properties[1], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(r->components[2].license, "MIT OR Apache-2.0");
  EXPECT_EQ(r->components[3].license, "SEE LICENSE IN LICENSE.md");
  EXPECT_EQ(r->components[3].version, "");
}

TEST(Sbom, ComponentsAndSerialNumberAreOptional) {
  json d = {{"bomFormat", "CycloneDX"}, {"specVersion", "1.6"}};
  auto r = parse_sbom(d);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->components.empty());
  EXPECT_EQ(r->serial_number, "");
}

TEST(SbomRules, MustBeCycloneDx) {
  json d = sdk_sbom();
  d["bomFormat"] = "SPDX";
  expect_one(d, kSbomFormat, "/bomFormat");
  d.erase("bomFormat");
  expect_one(d, kSbomFormat, "/bomFormat");
  for (const json& root : {json::array(), json("CycloneDX"), json(nullptr)}) expect_one(root, kSbomFormat, "");
}

TEST(SbomRules, MustBeSpecVersion16) {
  for (const json& v : {json("1.5"), json("1.7"), json(1.6), json("")}) {
    json d = sdk_sbom();
    d["specVersion"] = v;
    expect_one(d, kSbomSpecVersion, "/specVersion");
  }
  json d = sdk_sbom();
  d.erase("specVersion");
  expect_one(d, kSbomSpecVersion, "/specVersion");
}

TEST(SbomRules, SerialNumberIsAnUrnUuid) {
  for (const json& v : {json("3e671687-395b-41f5-a30f-a58921a69b79"), json("urn:uuid:3E671687-395B-41F5-A30F-A58921A69B79"),
                        json("urn:uuid:3e671687395b41f5a30fa58921a69b79"), json("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b7"),
                        json(7)}) {
    json d = sdk_sbom();
    d["serialNumber"] = v;
    expect_one(d, kSbomSerialNumber, "/serialNumber");
  }
}

TEST(SbomRules, ComponentShape) {
  json d = sdk_sbom();
  d["components"] = json::object();
  expect_one(d, kSbomComponent, "/components");
  d = sdk_sbom();
  d["components"][1] = "zod";
  expect_one(d, kSbomComponent, "/components/1");
  d = sdk_sbom();
  d["components"][1]["type"] = "npm-package";
  expect_one(d, kSbomComponent, "/components/1/type");
  d = sdk_sbom();
  d["components"][1].erase("name");
  expect_one(d, kSbomComponent, "/components/1/name");
  d = sdk_sbom();
  d["components"][1]["name"] = 5;
  expect_one(d, kSbomComponent, "/components/1/name");
  d = sdk_sbom();
  d["components"][1]["version"] = 3;
  expect_one(d, kSbomComponent, "/components/1/version");
  d = sdk_sbom();
  d["components"][1]["purl"] = json::array();
  expect_one(d, kSbomComponent, "/components/1/purl");
}

TEST(SbomRules, LicensesEvidenceAndProperties) {
  json d = sdk_sbom();
  d["components"][1]["licenses"] = "MIT";
  expect_one(d, kSbomComponent, "/components/1/licenses");
  d["components"][1]["licenses"] = {{{"license", json::object()}}};
  expect_one(d, kSbomComponent, "/components/1/licenses/0/license");
  d["components"][1]["licenses"] = {{{"spdx", "MIT"}}};
  expect_one(d, kSbomComponent, "/components/1/licenses/0");
  d = sdk_sbom();
  d["components"][1]["evidence"] = {{"occurrences", {{{"location", 1}}}}};
  expect_one(d, kSbomComponent, "/components/1/evidence/occurrences/0");
  d["components"][1]["evidence"] = {{"occurrences", "x"}};
  expect_one(d, kSbomComponent, "/components/1/evidence/occurrences");
  d["components"][1]["evidence"] = "x";
  expect_one(d, kSbomComponent, "/components/1/evidence");
  d = sdk_sbom();
  d["components"][1]["properties"] = {{{"value", "v"}}};
  expect_one(d, kSbomComponent, "/components/1/properties/0");
  d["components"][1]["properties"] = {{{"name", "n"}, {"value", 1}}};
  expect_one(d, kSbomComponent, "/components/1/properties/0/value");
}

TEST(SbomHostile, ThousandsOfBadComponentsAreCapped) {
  json d = sdk_sbom();
  d["components"] = json::array();
  for (int i = 0; i < 50000; ++i) d["components"].push_back(i);
  auto r = parse_sbom(d);
  ASSERT_FALSE(r.ok());
  const auto problems = problems_of(r.error());
  ASSERT_EQ(problems.size(), 101u);
  EXPECT_NE(problems.back().message.find("49900 more"), std::string::npos) << problems.back().message;
}

}  // namespace
}  // namespace weft::bundles
