// Tests of policy/advisory.h: OSV documents shaped like the GitHub advisory database's (written
// here, not fetched), version ranges, severity sources, CVSS v3 scores and hostile documents.
#include "policy/advisory.h"

#include <gtest/gtest.h>

#include "core/semver.h"

namespace weft::policy {
namespace {

// GHSA-jf85-cpcp-j695 (CVE-2019-10744) as the GitHub advisory database exports it, shortened.
json lodash_prototype_pollution() {
  return json::parse(R"({
    "schema_version": "1.4.0",
    "id": "GHSA-jf85-cpcp-j695",
    "modified": "2023-11-01T04:57:33Z",
    "published": "2019-07-10T19:45:23Z",
    "aliases": ["CVE-2019-10744"],
    "summary": "Prototype Pollution in lodash",
    "details": "Versions of `lodash` before 4.17.12 are vulnerable to Prototype Pollution.",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H"}],
    "affected": [
      {"package": {"ecosystem": "npm", "name": "lodash"},
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.12"}]}]},
      {"package": {"ecosystem": "npm", "name": "lodash.mergewith"},
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.6.2"}]}]},
      {"package": {"ecosystem": "PyPI", "name": "lodash"},
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}
    ],
    "references": [{"type": "ADVISORY", "url": "https://nvd.nist.gov/vuln/detail/CVE-2019-10744"}],
    "database_specific": {"cwe_ids": ["CWE-20"], "severity": "CRITICAL", "github_reviewed": true}
  })");
}

json minimal(const std::string& id, json affected) {
  return {{"id", id}, {"modified", "2024-01-02T03:04:05Z"}, {"affected", std::move(affected)}};
}

json npm_entry(const std::string& name, json events) {
  return {{"package", {{"ecosystem", "npm"}, {"name", name}}},
          {"ranges", json::array({{{"type", "SEMVER"}, {"events", std::move(events)}}})}};
}

Advisory parse_ok(const json& doc) {
  auto parsed = parse_advisory(doc);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? std::move(parsed).take() : Advisory{};
}

std::string error_code(const json& doc) {
  auto parsed = parse_advisory(doc);
  return parsed.ok() ? "ok" : parsed.error().code;
}

TEST(NpmVersion, ParsesUpTo256BytesAndOrdersAsSemVer) {
  EXPECT_TRUE(parse_semver("4.17.21", kMaxNpmVersionLength));
  EXPECT_TRUE(parse_semver("1.0.0-rc.1+build.7", kMaxNpmVersionLength));
  EXPECT_FALSE(parse_semver("v1.0.0", kMaxNpmVersionLength));
  EXPECT_FALSE(parse_semver("1.0", kMaxNpmVersionLength));
  EXPECT_FALSE(parse_semver("01.0.0", kMaxNpmVersionLength));
  EXPECT_FALSE(parse_semver("1.0.0-01", kMaxNpmVersionLength));
  EXPECT_FALSE(parse_semver("1.0.0-", kMaxNpmVersionLength));
  EXPECT_FALSE(parse_semver("99999999999999999999.0.0", kMaxNpmVersionLength));
  EXPECT_FALSE(parse_semver(std::string(300, '1'), kMaxNpmVersionLength));
  auto v = [](const char* s) { return *parse_semver(s, kMaxNpmVersionLength); };
  // semver.org §11's example chain.
  const char* chain[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                         "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"};
  for (std::size_t i = 0; i + 1 < std::size(chain); ++i) {
    EXPECT_LT(compare(v(chain[i]), v(chain[i + 1])), 0) << chain[i] << " < " << chain[i + 1];
    EXPECT_GT(compare(v(chain[i + 1]), v(chain[i])), 0);
  }
  EXPECT_EQ(compare(v("1.0.0+a"), v("1.0.0+b")), 0);
}

TEST(Advisory, ParsesTheGitHubShape) {
  Advisory a = parse_ok(lodash_prototype_pollution());
  EXPECT_EQ(a.id, "GHSA-jf85-cpcp-j695");
  EXPECT_EQ(a.summary, "Prototype Pollution in lodash");
  EXPECT_EQ(a.aliases, std::vector<std::string>{"CVE-2019-10744"});
  ASSERT_EQ(a.affected.size(), 2u);  // the PyPI entry is dropped
  EXPECT_EQ(a.affected[0].name, "lodash");
  EXPECT_EQ(a.affected[1].name, "lodash.mergewith");
  EXPECT_EQ(a.severity, Risk::critical);
  EXPECT_EQ(a.severity_source, "database_specific");
  EXPECT_EQ(a.modified_ms, 1698814653000);
  EXPECT_EQ(a.document, lodash_prototype_pollution());

  EXPECT_TRUE(affects(a, "lodash", "4.17.11"));
  EXPECT_TRUE(affects(a, "lodash", "0.1.0"));
  EXPECT_TRUE(affects(a, "lodash", "4.17.12-beta.1"));  // a pre-release of the fix is before it
  EXPECT_FALSE(affects(a, "lodash", "4.17.12"));
  EXPECT_FALSE(affects(a, "lodash", "4.17.21"));
  EXPECT_TRUE(affects(a, "lodash.mergewith", "4.6.1"));
  EXPECT_FALSE(affects(a, "lodash.mergewith", "4.6.2"));
  EXPECT_FALSE(affects(a, "lodash-es", "1.0.0"));  // not named
  EXPECT_FALSE(affects(a, "lodash", "not-a-version"));
  EXPECT_TRUE(affects(a, "4.6.1"));
  EXPECT_EQ(range_text(a, "lodash"), "< 4.17.12");
  EXPECT_EQ(range_text(a, "lodash.mergewith"), "< 4.6.2");
  EXPECT_EQ(range_text(a, "left-pad"), "");
}

TEST(Advisory, SeveralIntervalsLastAffectedLimitAndUnsortedEvents) {
  json doc = minimal("GHSA-many-intervals", json::array({
      npm_entry("pkg", json::array({{{"introduced", "1.0.0"}}, {{"fixed", "1.2.3"}},
                                    {{"introduced", "2.0.0"}}, {{"last_affected", "2.4.0"}}})),
      npm_entry("unsorted", json::array({{{"fixed", "3.0.0"}}, {{"introduced", "2.1.0"}}})),
      npm_entry("limited", json::array({{{"introduced", "0"}}, {{"limit", "5.0.0"}}})),
      npm_entry("open", json::array({{{"introduced", "7.0.0-rc.1"}}}))}));
  Advisory a = parse_ok(doc);
  EXPECT_FALSE(affects(a, "pkg", "0.9.9"));
  EXPECT_TRUE(affects(a, "pkg", "1.0.0"));
  EXPECT_TRUE(affects(a, "pkg", "1.2.2"));
  EXPECT_FALSE(affects(a, "pkg", "1.2.3"));
  EXPECT_FALSE(affects(a, "pkg", "1.9.0"));
  EXPECT_TRUE(affects(a, "pkg", "2.0.0"));
  EXPECT_TRUE(affects(a, "pkg", "2.4.0"));  // last_affected is inclusive
  EXPECT_FALSE(affects(a, "pkg", "2.4.1"));
  EXPECT_FALSE(affects(a, "pkg", "2.4.1-alpha"));  // after 2.4.0
  EXPECT_TRUE(affects(a, "unsorted", "2.5.0"));
  EXPECT_FALSE(affects(a, "unsorted", "2.0.0"));
  EXPECT_TRUE(affects(a, "limited", "4.99.0"));
  EXPECT_FALSE(affects(a, "limited", "5.0.0"));
  EXPECT_TRUE(affects(a, "open", "7.0.0-rc.1"));
  EXPECT_TRUE(affects(a, "open", "99.0.0"));
  EXPECT_FALSE(affects(a, "open", "7.0.0-beta"));
  EXPECT_EQ(range_text(a, "pkg"), ">= 1.0.0, < 1.2.3 || >= 2.0.0, <= 2.4.0");
  EXPECT_EQ(range_text(a, "unsorted"), ">= 2.1.0, < 3.0.0");
  EXPECT_EQ(range_text(a, "open"), ">= 7.0.0-rc.1");
  EXPECT_EQ(severity_for(a, "pkg"), Risk::medium);  // nothing says otherwise
  EXPECT_EQ(a.severity_source, "default");
}

TEST(Advisory, ListedVersionsMatchExactlyEvenWhenNotSemVer) {
  json entry = {{"package", {{"ecosystem", "npm"}, {"name", "@scope/evil"}}},
                {"versions", {"1.0.0", "1.0.1", "2.0.0-weird_tag", "3.0.0", "4.0.0"}}};
  Advisory a = parse_ok(minimal("MAL-2024-1", json::array({entry})));
  EXPECT_TRUE(affects(a, "@scope/evil", "1.0.1"));
  EXPECT_TRUE(affects(a, "@scope/evil", "2.0.0-weird_tag"));
  EXPECT_FALSE(affects(a, "@scope/evil", "1.0.2"));
  EXPECT_EQ(range_text(a, "@scope/evil"), "= 1.0.0 || = 1.0.1 || = 2.0.0-weird_tag || … (2 more versions)");
}

TEST(Advisory, GitRangesNeverMatchNpmVersions) {
  json entry = {{"package", {{"ecosystem", "npm"}, {"name", "g"}}},
                {"ranges", json::array({{{"type", "GIT"}, {"repo", "https://example.com/g"},
                                         {"events", json::array({{{"introduced", "0"}}, {{"fixed", "abc123"}}})}}})}};
  Advisory a = parse_ok(minimal("OSV-GIT", json::array({entry})));
  EXPECT_FALSE(affects(a, "g", "1.0.0"));
}

TEST(Advisory, WithdrawnAffectsNothing) {
  json doc = lodash_prototype_pollution();
  doc["withdrawn"] = "2024-02-02T00:00:00Z";
  Advisory a = parse_ok(doc);
  EXPECT_FALSE(affects(a, "lodash", "4.17.11"));
}

TEST(Advisory, SeveritySources) {
  json doc = lodash_prototype_pollution();
  doc.erase("database_specific");
  Advisory cvss = parse_ok(doc);
  EXPECT_EQ(cvss.severity_source, "cvss_v3");
  ASSERT_TRUE(cvss.cvss_score.has_value());
  EXPECT_DOUBLE_EQ(*cvss.cvss_score, 9.1);
  EXPECT_EQ(cvss.severity, Risk::critical);

  doc["severity"] = json::array({{{"type", "CVSS_V4"}, {"score", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}}});
  EXPECT_EQ(parse_ok(doc).severity, Risk::medium);  // v4 only: the default
  EXPECT_EQ(parse_ok(doc).severity_source, "default");

  doc["database_specific"] = {{"severity", "MODERATE"}};
  EXPECT_EQ(parse_ok(doc).severity, Risk::medium);
  EXPECT_EQ(parse_ok(doc).severity_source, "database_specific");
  doc["database_specific"] = {{"severity", "LOW"}};
  doc["affected"][1]["ecosystem_specific"] = {{"severity", "HIGH"}};
  Advisory per_entry = parse_ok(doc);
  EXPECT_EQ(severity_for(per_entry, "lodash"), Risk::low);
  EXPECT_EQ(severity_for(per_entry, "lodash.mergewith"), Risk::high);
}

TEST(Cvss3, BaseScoresFromTheSpecificationFormulas) {
  EXPECT_DOUBLE_EQ(*cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
  EXPECT_DOUBLE_EQ(*cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"), 7.2);
  EXPECT_DOUBLE_EQ(*cvss3_base_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
  EXPECT_DOUBLE_EQ(*cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
  EXPECT_DOUBLE_EQ(*cvss3_base_score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N"), 3.3);
  EXPECT_DOUBLE_EQ(*cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
  // Temporal metrics do not change the base score.
  EXPECT_DOUBLE_EQ(*cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O"), 9.8);
  EXPECT_FALSE(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"));  // A missing
  EXPECT_FALSE(cvss3_base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
  EXPECT_FALSE(cvss3_base_score("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
  EXPECT_FALSE(cvss3_base_score("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P"));
  EXPECT_FALSE(cvss3_base_score(""));
  EXPECT_EQ(risk_of_score(0.0), Risk::none);
  EXPECT_EQ(risk_of_score(0.1), Risk::low);
  EXPECT_EQ(risk_of_score(3.9), Risk::low);
  EXPECT_EQ(risk_of_score(4.0), Risk::medium);
  EXPECT_EQ(risk_of_score(6.9), Risk::medium);
  EXPECT_EQ(risk_of_score(7.0), Risk::high);
  EXPECT_EQ(risk_of_score(8.9), Risk::high);
  EXPECT_EQ(risk_of_score(9.0), Risk::critical);
}

TEST(Advisory, ModifiedAcceptsOffsetsAndFractions) {
  json doc = lodash_prototype_pollution();
  doc["modified"] = "2023-11-01T06:57:33.250+02:00";
  EXPECT_EQ(parse_ok(doc).modified_ms, 1698814653250);
  doc["modified"] = "2023-11-01";
  EXPECT_EQ(error_code(doc), kAdvisoryInvalid);
  doc["modified"] = "2023-13-01T00:00:00Z";
  EXPECT_EQ(error_code(doc), kAdvisoryInvalid);
}

TEST(Advisory, HostileDocumentsAreRefusedWithTheField) {
  EXPECT_EQ(error_code(json::array()), kAdvisoryInvalid);
  EXPECT_EQ(error_code(json("GHSA")), kAdvisoryInvalid);
  json doc = lodash_prototype_pollution();
  doc.erase("id");
  EXPECT_EQ(error_code(doc), kAdvisoryInvalid);
  doc = lodash_prototype_pollution();
  doc["id"] = 42;
  EXPECT_EQ(error_code(doc), kAdvisoryInvalid);
  doc["id"] = std::string(kMaxAdvisoryIdLength + 1, 'G');
  EXPECT_EQ(error_code(doc), kAdvisoryInvalid);
  doc["id"] = "GHSA\nnewline";
  EXPECT_EQ(error_code(doc), kAdvisoryInvalid);

  doc = lodash_prototype_pollution();
  doc["summary"] = std::string(kMaxAdvisorySummaryLength + 1, 's');
  EXPECT_EQ(error_code(doc), kAdvisoryInvalid);
  doc = lodash_prototype_pollution();
  doc["affected"] = json::object();
  EXPECT_EQ(error_code(doc), kAdvisoryInvalid);
  doc["affected"] = json::array();
  for (std::size_t i = 0; i <= kMaxAffectedEntries; ++i) doc["affected"].push_back(npm_entry("p", json::array({{{"introduced", "0"}}})));
  auto too_many = parse_advisory(doc);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().details["field"], "/affected");

  json events = json::array();
  for (std::size_t i = 0; i <= kMaxEventsPerRange; ++i) events.push_back({{"introduced", "0"}});
  EXPECT_EQ(error_code(minimal("X", json::array({npm_entry("p", events)}))), kAdvisoryInvalid);
  json versions = json::array();
  for (std::size_t i = 0; i <= kMaxVersionsPerAffected; ++i) versions.push_back("1.0." + std::to_string(i));
  EXPECT_EQ(error_code(minimal("X", json::array({{{"package", {{"ecosystem", "npm"}, {"name", "p"}}}, {"versions", versions}}}))),
            kAdvisoryInvalid);

  // Wrong types and shapes inside a range.
  EXPECT_EQ(error_code(minimal("X", json::array({npm_entry("p", json::array({{{"introduced", 1}}}))}))), kAdvisoryInvalid);
  EXPECT_EQ(error_code(minimal("X", json::array({npm_entry("p", json::array({{{"introduced", "0"}, {"fixed", "1.0.0"}}}))}))),
            kAdvisoryInvalid);  // two keys in one event
  EXPECT_EQ(error_code(minimal("X", json::array({npm_entry("p", json::array({{{"patched", "1.0.0"}}}))}))), kAdvisoryInvalid);
  EXPECT_EQ(error_code(minimal("X", json::array({npm_entry("p", json::array({{{"fixed", "1.0"}}}))}))), kAdvisoryInvalid);
  EXPECT_EQ(error_code(minimal("X", json::array({npm_entry("p", json::array())}))), kAdvisoryInvalid);
  EXPECT_EQ(error_code(minimal("X", json::array({npm_entry(std::string(kMaxPackageNameLength + 1, 'n'), json::array({{{"introduced", "0"}}}))}))),
            kAdvisoryInvalid);
  json bad_type = minimal("X", json::array({npm_entry("p", json::array({{{"introduced", "0"}}}))}));
  bad_type["affected"][0]["ranges"][0]["type"] = "CALVER";
  EXPECT_EQ(error_code(bad_type), kAdvisoryInvalid);
  bad_type["affected"][0]["ranges"] = "SEMVER";
  EXPECT_EQ(error_code(bad_type), kAdvisoryInvalid);
  json bad_severity = lodash_prototype_pollution();
  bad_severity["database_specific"]["severity"] = json::array();
  EXPECT_EQ(error_code(bad_severity), kAdvisoryInvalid);

  // Valid OSV, but nothing npm in it.
  json pypi = lodash_prototype_pollution();
  pypi["affected"] = json::array({pypi["affected"][2]});
  EXPECT_EQ(error_code(pypi), kAdvisoryNotNpm);
}

}  // namespace
}  // namespace weft::policy
