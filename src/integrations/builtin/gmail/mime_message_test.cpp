#include "integrations/builtin/gmail/mime_message.h"

#include <gtest/gtest.h>

#include "integrations/builtin/action_support.h"
#include "integrations/builtin/test_support.h"

namespace weft::integrations {
namespace {

TEST(MimeMessage, AsciiSubjectsStayReadable) {
  EXPECT_EQ(encode_header_text("Weekly report"), "Weekly report");
  EXPECT_EQ(encode_header_text(""), "");
  // Text that looks like an encoded word is encoded so it cannot be misread as one.
  EXPECT_EQ(encode_header_text("=?x?="), "=?UTF-8?B?" + base64_encode("=?x?=") + "?=");
}

TEST(MimeMessage, LongNonAsciiSubjectsFoldWithoutSplittingCharacters) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "é";  // 80 bytes
  const std::string encoded = encode_header_text(subject);
  std::string decoded;
  std::size_t pos = 0;
  while (pos < encoded.size()) {
    const auto start = encoded.find("=?UTF-8?B?", pos);
    ASSERT_NE(start, std::string::npos);
    const auto end = encoded.find("?=", start + 10);
    const std::string word = encoded.substr(start, end + 2 - start);
    EXPECT_LE(word.size(), 75u);
    const std::string piece = testing::base64_decode(word.substr(10, word.size() - 12));
    EXPECT_TRUE(is_valid_utf8(piece));
    decoded += piece;
    pos = end + 2;
    if (pos < encoded.size()) {
      EXPECT_EQ(encoded.substr(pos, 3), "\r\n ");
      pos += 3;
    }
  }
  EXPECT_EQ(decoded, subject);
}

TEST(MimeMessage, DateIsRfc5322InUtc) {
  // 2024-03-05T07:08:09Z
  const auto when = std::chrono::system_clock::from_time_t(1709622489);
  EXPECT_EQ(rfc5322_date(when), "Tue, 05 Mar 2024 07:08:09 +0000");
}

TEST(MimeMessage, LongRecipientListsAreFolded) {
  EmailMessage m;
  for (int i = 0; i < 6; ++i) m.to.push_back("person" + std::to_string(i) + "@example.com");
  m.subject = "s";
  m.text = "t";
  auto out = build_mime_message(m, std::chrono::system_clock::now(), "b");
  ASSERT_TRUE(out.ok());
  std::size_t pos = 0;
  while (pos < out->size()) {
    auto next = out->find("\r\n", pos);
    if (next == std::string::npos) next = out->size();
    EXPECT_LE(next - pos, 78u) << out->substr(pos, next - pos);
    pos = next + 2;
  }
  EXPECT_NE(out->find("To: person0@example.com, person1@example.com"), std::string::npos);
  EXPECT_NE(out->find(",\r\n person"), std::string::npos);
}

TEST(MimeMessage, HtmlOnlyAndEmptyBodies) {
  EmailMessage m;
  m.to = {"a@example.com"};
  m.subject = "s";
  m.html = "<b>x</b>";
  auto out = build_mime_message(m, std::chrono::system_clock::now(), "b");
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("Content-Type: text/html; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_EQ(out->find("multipart"), std::string::npos);

  m.html.reset();
  out = build_mime_message(m, std::chrono::system_clock::now(), "b");
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
}

TEST(MimeMessage, BoundariesAreRandomAndBase64Safe) {
  const std::string a = random_boundary();
  const std::string b = random_boundary();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("weft-", 0), 0u);
  EXPECT_EQ(a.size(), 29u);
}

}  // namespace
}  // namespace weft::integrations
