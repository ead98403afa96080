// Shape rules for emails, passwords and names.
#include "accounts/validation.h"

#include <gtest/gtest.h>

namespace weft::accounts {
namespace {

TEST(Validation, EmailsAreLowerCased) {
  EXPECT_EQ(normalize_email("Ada@Example.COM").value(), "ada@example.com");
  EXPECT_EQ(normalize_email("a@b").value(), "a@b");
  EXPECT_EQ(normalize_email("josé@exämple.org").value(), "josé@exämple.org");
}

TEST(Validation, BadEmails) {
  const std::string cases[] = {"",
                               "no-at-sign",
                               "@example.com",
                               "ada@",
                               "a@b@c",
                               "ada @example.com",
                               "ada@example.com ",
                               "ada\t@example.com",
                               std::string("ada\0@x.com", 10),
                               "ada\x7f@x.com",
                               "ada\xc2\xa0@x.com",  // no-break space
                               "ada\xff@x.com",      // not UTF-8
                               std::string(250, 'a') + "@b.co"};
  for (const auto& email : cases) {
    auto result = normalize_email(email);
    ASSERT_FALSE(result.ok()) << email;
    EXPECT_EQ(result.error().code, "invalid_input") << email;
    EXPECT_EQ(result.error().details["field"], "email");
  }
  EXPECT_TRUE(normalize_email(std::string(249, 'a') + "@b.co").ok());  // exactly 254
}

TEST(Validation, Passwords) {
  EXPECT_TRUE(check_password("0123456789").ok());
  EXPECT_TRUE(check_password(std::string(1024, 'x')).ok());
  EXPECT_FALSE(check_password("012345678").ok());
  EXPECT_FALSE(check_password(std::string(1025, 'x')).ok());
  EXPECT_FALSE(check_password("ééééééééé").ok());  // 9 characters, 18 bytes
  EXPECT_TRUE(check_password("éééééééééé").ok());
  auto error = check_password("short-pw");
  EXPECT_EQ(error.error().code, "invalid_input");
  EXPECT_EQ(error.error().message.find("short-pw"), std::string::npos);
}

TEST(Validation, OrgNames) {
  EXPECT_EQ(normalize_org_name("  Acme  ").value(), "Acme");
  EXPECT_TRUE(normalize_org_name(std::string(100, 'x')).ok());
  EXPECT_FALSE(normalize_org_name(std::string(101, 'x')).ok());
  EXPECT_FALSE(normalize_org_name("").ok());
  EXPECT_FALSE(normalize_org_name("   ").ok());
  EXPECT_FALSE(normalize_org_name("a\x01" "b").ok());
  EXPECT_TRUE(normalize_token_name("ci deploy").ok());
  EXPECT_FALSE(normalize_token_name("").ok());
}

}  // namespace
}  // namespace weft::accounts
