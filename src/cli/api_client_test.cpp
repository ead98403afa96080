// cli/api_client.h's multipart body, read back by the server's own parser (http/multipart.h):
// every byte value and delimiter-like content arrive unchanged, the boundary never occurs in
// the content, and a filename is reduced to characters that need no quoting.
#include "cli/api_client.h"

#include <gtest/gtest.h>

#include <set>

#include "http/multipart.h"

namespace weft::cli {
namespace {

TEST(ApiClientMultipart, TheServersParserReadsTheFileBackByteForByte) {
  std::string content;
  for (int i = 0; i < 256; ++i) content += static_cast<char>(i);
  content += "\r\n--weft-\r\n--\r\n\r\n\r\nContent-Disposition: form-data; name=\"x\"\r\n";
  for (const std::string& file : {content, std::string(), std::string(3 << 20, '\0') + content}) {
    const std::string boundary = multipart_boundary_for(file);
    EXPECT_EQ(file.find(boundary), std::string::npos);
    const std::string body = multipart_file_body(boundary, "bundle", "weather-1.0.0.bundle.tar.gz", file);
    auto parsed_boundary = http::multipart_boundary("multipart/form-data; boundary=" + boundary);
    ASSERT_TRUE(parsed_boundary.ok()) << parsed_boundary.error().message;
    EXPECT_EQ(*parsed_boundary, boundary);
    auto parts = http::parse_multipart(body, boundary);
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].name, "bundle");
    EXPECT_EQ((*parts)[0].filename, "weather-1.0.0.bundle.tar.gz");
    EXPECT_EQ((*parts)[0].content_type, "application/gzip");
    EXPECT_EQ(std::string((*parts)[0].body), file);
  }
}

TEST(ApiClientMultipart, HostileFilenamesAreReducedAndBoundariesDiffer) {
  const std::string body = multipart_file_body("b0", "bundle", "a\"b\\c\r\nX: y;é/../z.tgz", "data");
  auto parts = http::parse_multipart(body, "b0");
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  EXPECT_EQ((*parts)[0].filename, "a_b_c__X__y____.._z.tgz");
  EXPECT_EQ(std::string((*parts)[0].body), "data");

  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string b = multipart_boundary_for("");
    EXPECT_LE(b.size(), 70u);
    EXPECT_EQ(b.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"), std::string::npos);
    seen.insert(b);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace weft::cli
