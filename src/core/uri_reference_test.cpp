#include "core/uri_reference.h"

#include <gtest/gtest.h>

namespace weft {
namespace {

// RFC 3986 §5.4.1 and §5.4.2.
TEST(UriReference, ResolvesTheRfcExamples) {
  const std::string base = "http://a/b/c/d;p?q";
  const std::pair<const char*, const char*> cases[] = {
      {"g:h", "g:h"},           {"g", "http://a/b/c/g"},       {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},          {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"}, {";x", "http://a/b/c/;x"},   {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},    {"..", "http://a/b/"},         {"../g", "http://a/b/g"},
      {"../..", "http://a/"},    {"../../g", "http://a/g"},     {"../../../g", "http://a/g"},
      {"/./g", "http://a/g"},    {"/../g", "http://a/g"},       {"g.", "http://a/b/c/g."},
      {"./../g", "http://a/b/g"}, {"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"},
  };
  for (const auto& [ref, want] : cases) EXPECT_EQ(resolve_uri_reference(base, ref), want) << ref;
  EXPECT_EQ(resolve_uri_reference("http://localhost:1234/", "folder/"), "http://localhost:1234/folder/");
  EXPECT_EQ(resolve_uri_reference("http://localhost:1234/folder/", "folderInteger.json"),
            "http://localhost:1234/folder/folderInteger.json");
  EXPECT_EQ(resolve_uri_reference("", "item.json#/a"), "item.json#/a");  // no base: as written
  EXPECT_EQ(strip_fragment("http://a/b#c"), "http://a/b");
}

}  // namespace
}  // namespace weft
