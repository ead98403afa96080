#include "http/message.h"

#include <gtest/gtest.h>

namespace weft::http {
namespace {

TEST(PercentDecode, DecodesEscapesAndKeepsPlusInPaths) {
  std::string out;
  percent_decode("/a%20b+c%2F", false, out);
  EXPECT_EQ(out, "/a b+c/");
  percent_decode("a+b", true, out);
  EXPECT_EQ(out, "a b");
}

TEST(PercentDecode, KeepsMalformedEscapesAsWrittenAndDecodesNul) {
  std::string out;
  percent_decode("%", false, out);
  EXPECT_EQ(out, "%");
  percent_decode("a%4", false, out);
  EXPECT_EQ(out, "a%4");
  percent_decode("%zz%41", false, out);
  EXPECT_EQ(out, "%zzA");
  percent_decode("a%00b", false, out);
  EXPECT_EQ(out, std::string("a\0b", 3));
}

TEST(ParseQuery, SplitsPairsAndDecodes) {
  Params p;
  parse_query("a=1&b=x%20y&flag&&c=&a=2", p);
  EXPECT_EQ(p.count("a"), 2u);
  EXPECT_EQ(p.find("b")->second, "x y");
  EXPECT_EQ(p.find("flag")->second, "");
  EXPECT_EQ(p.find("c")->second, "");
  Params odd;
  parse_query("a=%G1", odd);
  EXPECT_EQ(odd.find("a")->second, "%G1");
}

TEST(Headers, NamesCompareCaseInsensitively) {
  Request req;
  req.headers.emplace("Content-Type", "application/json");
  EXPECT_EQ(req.get_header_value("content-type"), "application/json");
  EXPECT_TRUE(req.has_header("CONTENT-TYPE"));
  EXPECT_EQ(req.get_header_value("x-missing", "d"), "d");
}

}  // namespace
}  // namespace weft::http
