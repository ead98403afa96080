// SemVer 2.0.0: what parses (semver.org's own valid and invalid examples and the edges we add:
// length, 64-bit overflow, hostile bytes) and precedence (§11, including the spec's example).
#include "core/semver.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace weft {
namespace {

SemVer must_parse(const std::string& text) {
  auto v = parse_semver(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v.value_or(SemVer{});
}

TEST(SemVer, ParsesTheParts) {
  const SemVer v = must_parse("1.22.333-alpha.1.x-y+build.007.sha-5");
  EXPECT_EQ(v.major, 1u);
  EXPECT_EQ(v.minor, 22u);
  EXPECT_EQ(v.patch, 333u);
  EXPECT_EQ(v.pre_release, (std::vector<std::string>{"alpha", "1", "x-y"}));
  EXPECT_EQ(v.build, (std::vector<std::string>{"build", "007", "sha-5"}));  // §10: leading zeros ok here
  EXPECT_EQ(to_string(v), "1.22.333-alpha.1.x-y+build.007.sha-5");
}

TEST(SemVer, AcceptsTheSpecsValidForms) {
  for (const char* text : {"0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta", "1.1.2+meta-valid",
                           "1.0.0-alpha", "1.0.0-beta", "1.0.0-alpha.beta", "1.0.0-alpha.beta.1", "1.0.0-alpha.1",
                           "1.0.0-alpha0.valid", "1.0.0-alpha.0valid", "1.0.0-rc.1+build.1", "2.0.0-rc.1+build.123",
                           "1.2.3-beta", "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123", "2.0.0+build.1848",
                           "2.0.1-alpha.1227", "1.0.0-alpha+beta", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
                           "1.2.3----R-S.12.9.1--.12+meta", "1.0.0+0.build.1-rc.10000aaa-kk-0.1", "1.0.0-0A.is.legal",
                           "18446744073709551615.0.0"}) {
    auto v = parse_semver(text);
    ASSERT_TRUE(v.has_value()) << text;
    EXPECT_EQ(to_string(*v), text);
  }
}

TEST(SemVer, RefusesTheSpecsInvalidFormsAndOurs) {
  const std::string nul("1.0.0\0", 6);
  for (const std::string& text :
       {std::string("1"), std::string("1.2"), std::string("1.2.3-0123"), std::string("1.2.3-0123.0123"),
        std::string("1.1.2+.123"), std::string("+invalid"), std::string("-invalid"), std::string("-invalid+invalid"),
        std::string("-invalid.01"), std::string("alpha"), std::string("alpha.beta"), std::string("alpha.beta.1"),
        std::string("alpha.1"), std::string("alpha+beta"), std::string("alpha_beta"), std::string("alpha."),
        std::string("alpha.."), std::string("beta"), std::string("1.0.0-alpha_beta"), std::string("-alpha."),
        std::string("1.0.0-alpha.."), std::string("1.0.0-alpha..1"), std::string("1.0.0-alpha...1"),
        std::string("01.1.1"), std::string("1.01.1"), std::string("1.1.01"), std::string("1.2.3.DEV"),
        std::string("1.2-SNAPSHOT"), std::string("1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788"),
        std::string("1.2-RC-SNAPSHOT"), std::string("-1.0.3-gamma+b7718"), std::string("+justmeta"),
        std::string("9.8.7+meta+meta"), std::string("9.8.7-whatever+meta+meta"),
        // ours: a leading v, empty parts, whitespace, 64-bit overflow, NUL, non-ASCII, length
        std::string("v1.0.0"), std::string(""), std::string("1..0"), std::string(" 1.0.0"), std::string("1.0.0 "),
        std::string("1.0.0-"), std::string("1.0.0+"), std::string("18446744073709551616.0.0"),
        std::string("1.0.99999999999999999999999"), nul, std::string("1.0.0-\xc3\xa9"), std::string("1.0.0-a\n"),
        std::string("1.0.0-") + std::string(59, 'a')}) {
    EXPECT_FALSE(parse_semver(text).has_value()) << text;
  }
  EXPECT_TRUE(parse_semver("1.0.0-" + std::string(58, 'a')).has_value());  // exactly 64 bytes
}

TEST(SemVer, PrecedenceFollowsTheSpecsExample) {
  // semver.org §11.4: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta <
  // 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0.
  const std::vector<std::string> ordered = {"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                            "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0"};
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    for (std::size_t j = 0; j < ordered.size(); ++j) {
      const int c = compare(must_parse(ordered[i]), must_parse(ordered[j]));
      const int want = i < j ? -1 : (i == j ? 0 : 1);
      EXPECT_EQ((c > 0) - (c < 0), want) << ordered[i] << " vs " << ordered[j];
    }
  }
}

TEST(SemVer, PrecedenceOfTheNumericParts) {
  // §11.2: 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1, compared numerically, not as text.
  EXPECT_LT(compare(must_parse("1.0.0"), must_parse("2.0.0")), 0);
  EXPECT_LT(compare(must_parse("2.0.0"), must_parse("2.1.0")), 0);
  EXPECT_LT(compare(must_parse("2.1.0"), must_parse("2.1.1")), 0);
  EXPECT_LT(compare(must_parse("1.9.0"), must_parse("1.10.0")), 0);
  EXPECT_LT(compare(must_parse("1.0.9"), must_parse("1.0.10")), 0);
  EXPECT_GT(compare(must_parse("18446744073709551615.0.0"), must_parse("18446744073709551614.9.9")), 0);
  // A release of a lower version still comes before any pre-release of a higher one.
  EXPECT_LT(compare(must_parse("1.0.0"), must_parse("1.0.1-alpha")), 0);
}

TEST(SemVer, PreReleaseIdentifiers) {
  // Numeric identifiers compare as numbers however long (no 64-bit limit on them)...
  EXPECT_LT(compare(must_parse("1.0.0-9"), must_parse("1.0.0-10")), 0);
  EXPECT_LT(compare(must_parse("1.0.0-99999999999999999999998"), must_parse("1.0.0-99999999999999999999999")), 0);
  EXPECT_LT(compare(must_parse("1.0.0-9999999999999999999999"), must_parse("1.0.0-10000000000000000000000")), 0);
  // ...come before alphanumeric ones, which compare in ASCII order (upper case first).
  EXPECT_LT(compare(must_parse("1.0.0-999"), must_parse("1.0.0-a")), 0);
  EXPECT_LT(compare(must_parse("1.0.0-1"), must_parse("1.0.0-1a")), 0);
  EXPECT_LT(compare(must_parse("1.0.0-Z"), must_parse("1.0.0-a")), 0);
  EXPECT_LT(compare(must_parse("1.0.0--"), must_parse("1.0.0-0a")), 0);  // '-' (0x2d) < '0' (0x30)
  EXPECT_LT(compare(must_parse("1.0.0-a.b"), must_parse("1.0.0-a.b.c")), 0);
}

TEST(SemVer, BuildMetadataIsIgnored) {
  EXPECT_EQ(compare(must_parse("1.0.0+a"), must_parse("1.0.0+b")), 0);
  EXPECT_EQ(compare(must_parse("1.0.0-rc.1+x.y"), must_parse("1.0.0-rc.1")), 0);
  EXPECT_LT(compare(must_parse("1.0.0-rc.1+zzz"), must_parse("1.0.0+aaa")), 0);
}

}  // namespace
}  // namespace weft
