#include "core/ecma_regex.h"

#include <gtest/gtest.h>

namespace weft {
namespace {

bool matches(const std::string& pattern, const std::string& text) {
  auto re = EcmaRegex::compile(pattern);
  EXPECT_TRUE(re.ok()) << pattern << ": " << (re.ok() ? "" : re.error().message);
  return re.ok() && re->search(text);
}

TEST(EcmaRegex, TranslatesEcmaSpellings) {
  EXPECT_EQ(ecma_to_re2_syntax("\\u0041\\u{1F600}").value(), "\\x{41}\\x{1f600}");
  EXPECT_EQ(ecma_to_re2_syntax("\\uD83D\\uDE00").value(), "\\x{1f600}");  // a surrogate pair
  EXPECT_EQ(ecma_to_re2_syntax("\\cJ").value(), "\\x{a}");
  EXPECT_EQ(ecma_to_re2_syntax("(?<year>\\d{4})").value(), "(?P<year>\\d{4})");
  EXPECT_TRUE(matches("^\\u0041$", "A"));
  EXPECT_TRUE(matches("^[\\s]$", "\xe2\x80\xa8"));  // U+2028 is \s
  EXPECT_FALSE(matches("^\\S$", "\xef\xbb\xbf"));    // U+FEFF is \s too
  EXPECT_FALSE(matches("^.$", "\n"));
  EXPECT_FALSE(matches("^.$", "\xe2\x80\xa9"));       // U+2029 ends a line
  EXPECT_FALSE(matches("[]", "anything"));            // ECMA: an empty class matches nothing
  EXPECT_TRUE(matches("^[^]$", "\n"));                // and [^] matches anything
  EXPECT_TRUE(matches("^[[:a]+$", "[:a"));            // '[' is literal inside a class
  EXPECT_TRUE(matches("^a\\/b\\.c$", "a/b.c"));
  EXPECT_TRUE(matches("^\\p{L}+$", "\xc3\xa9t\xc3\xa9"));
  EXPECT_TRUE(matches("b", "abc"));                   // searched, not anchored
  EXPECT_FALSE(matches("^b", "abc"));
}

TEST(EcmaRegex, RefusesWhatRe2CannotRunInLinearTime) {
  for (const char* pattern : {"(?=a)", "(?!a)", "(?<=a)b", "(a)\\1", "\\k<x>", "\\u12", "\\c1", "[a", "\\q", "\\"}) {
    auto re = EcmaRegex::compile(pattern);
    ASSERT_FALSE(re.ok()) << pattern;
    EXPECT_EQ(re.error().code, "invalid_regex");
  }
  EXPECT_FALSE(EcmaRegex::compile(std::string(EcmaRegex::kMaxPatternBytes + 1, 'a')).ok());
}

TEST(EcmaRegex, LongInputsTakeLinearTimeAndNoStack) {
  // The shape that made std::regex recurse once per character, and a classic exponential case.
  const std::string text = "http://" + std::string(4 << 20, 'a');
  EXPECT_TRUE(matches("^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+", text));
  EXPECT_FALSE(matches("^(a+)+$", std::string(100000, 'a') + "b"));
}

}  // namespace
}  // namespace weft
