#include "core/string_formats.h"

#include <gtest/gtest.h>

#include <string>

namespace weft {
namespace {

struct Case {
  const char* format;
  std::string value;
  bool valid;
};

TEST(StringFormats, AcceptAndRejectByTheRfc) {
  const Case cases[] = {
      {"date", "2024-02-29", true},          {"date", "2023-02-29", false},
      {"date", "2000-02-29", true},          {"date", "1900-02-29", false},
      {"date", "2024-04-31", false},         {"date", "24-01-01", false},
      {"date", "2024-1-01", false},          {"time", "23:59:60Z", true},
      {"time", "22:59:60Z", false},          {"time", "15:59:60-08:00", true},
      {"time", "08:30:06.283185Z", true},    {"time", "08:30:06", false},
      {"time", "08:30:06.Z", false},         {"time", "24:00:00Z", false},
      {"time", "08:30:06+24:00", false},     {"date-time", "1963-06-19T08:30:06.283185Z", true},
      {"date-time", "1963-06-19t08:30:06z", true},  {"date-time", "1963-06-19 08:30:06Z", false},
      {"date-time", "1990-02-31T15:59:60.123-08:00", false},
      {"email", "joe.bloggs@example.com", true},    {"email", "te~st@example.com", true},
      {"email", ".test@example.com", false},        {"email", "te..st@example.com", false},
      {"email", "2962", false},                     {"email", "a@b", false},
      {"hostname", "www.example.com", true},        {"hostname", "xn--4gbwdl.xn--wgbh1c", true},
      {"hostname", "-a-host-name-that-starts-with--", false},
      {"hostname", std::string(64, 'a') + ".com", false},  {"hostname", "not_a_valid_host_name", false},
      {"ipv4", "192.168.0.1", true},                {"ipv4", "127.0.0.0.1", false},
      {"ipv4", "256.256.256.256", false},           {"ipv4", "087.10.0.1", false},
      {"ipv6", "::1", true},                        {"ipv6", "::", true},
      {"ipv6", "1:2:3:4:5:6:7:8", true},            {"ipv6", "::ffff:192.168.0.1", true},
      {"ipv6", "12345::", false},                   {"ipv6", "1::2::3", false},
      {"ipv6", "1:2:3:4:5:6:7:8:9", false},         {"ipv6", ":1", false},
      {"uri", "http://foo.bar/?baz=qux#quux", true},  {"uri", "urn:oasis:names:specification:docbook:dtd:xml:4.1.2", true},
      {"uri", "http://[2001:db8::7]/c=GB?objectClass?one", true},  {"uri", "//foo.bar/?baz=qux#quux", false},
      {"uri", "http:// shouldfail.com", false},     {"uri", "abc", false},
      {"uri", "http://example.com/%zz", false},     {"uri-reference", "#fragment", true},
      {"uri-reference", "/abc", true},              {"uri-reference", "\\\\WINDOWS\\fileshare", false},
      {"json-pointer", "", true},                   {"json-pointer", "/foo/0/~0~1", true},
      {"json-pointer", "/foo/~2", false},           {"json-pointer", "foo", false},
      {"color", "not checked", true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(check_string_format(c.format, c.value), c.valid) << c.format << " " << c.value;
  }
  EXPECT_TRUE(is_checked_format("date-time"));
  EXPECT_FALSE(is_checked_format("regex"));
}

TEST(StringFormats, HugeValuesAreRejectedInOnePass) {
  const std::string huge(1 << 20, '1');
  for (const char* format : {"date", "time", "date-time", "email", "hostname", "ipv4", "ipv6"}) {
    EXPECT_FALSE(check_string_format(format, huge)) << format;
  }
  EXPECT_TRUE(check_string_format("uri", "http://a/" + huge));
}

}  // namespace
}  // namespace weft
