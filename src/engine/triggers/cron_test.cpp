// Cron parsing and next-slot search against known instants, DST changes included.
#include "engine/triggers/cron.h"

#include <gtest/gtest.h>

#include <chrono>

namespace weft::engine {
namespace {

// Milliseconds since the epoch of a UTC civil time.
TimeMs utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  using namespace std::chrono;
  const sys_days day = year_month_day{year{y}, month{mo}, std::chrono::day{d}};
  return duration_cast<milliseconds>(day.time_since_epoch() + hours{h} + minutes{mi} + seconds{s}).count();
}

CronSchedule parse_ok(const std::string& expression, const std::string& zone = "UTC") {
  auto parsed = CronSchedule::parse(expression, zone);
  EXPECT_TRUE(parsed.ok()) << expression << ": " << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? parsed.value() : CronSchedule::parse("* * * * *", "UTC").value();
}

Error parse_error(const std::string& expression, const std::string& zone = "UTC") {
  auto parsed = CronSchedule::parse(expression, zone);
  EXPECT_FALSE(parsed.ok()) << expression << " should not parse";
  return parsed.ok() ? Error{} : parsed.error();
}

TEST(Cron, EveryMinuteIsStrictlyAfter) {
  auto cron = parse_ok("* * * * *");
  EXPECT_EQ(cron.next_after(utc(2024, 1, 1, 0, 0, 0)), utc(2024, 1, 1, 0, 1));
  EXPECT_EQ(cron.next_after(utc(2024, 1, 1, 0, 0, 59) + 999), utc(2024, 1, 1, 0, 1));
  EXPECT_EQ(cron.next_after(utc(2024, 12, 31, 23, 59)), utc(2025, 1, 1, 0, 0));
}

TEST(Cron, Steps) {
  auto cron = parse_ok("*/15 * * * *");
  EXPECT_EQ(cron.next_after(utc(2024, 1, 1, 0, 7, 30)), utc(2024, 1, 1, 0, 15));
  EXPECT_EQ(cron.next_after(utc(2024, 1, 1, 0, 15)), utc(2024, 1, 1, 0, 30));
  EXPECT_EQ(cron.next_after(utc(2024, 1, 1, 0, 45)), utc(2024, 1, 1, 1, 0));

  auto ranged = parse_ok("10-40/10 8-9 * * *");
  EXPECT_EQ(ranged.next_after(utc(2024, 1, 1, 8, 40)), utc(2024, 1, 1, 9, 10));
  EXPECT_EQ(ranged.next_after(utc(2024, 1, 1, 9, 40)), utc(2024, 1, 2, 8, 10));

  auto from = parse_ok("50/5 * * * *");  // "a/n": a to the maximum
  EXPECT_EQ(from.next_after(utc(2024, 1, 1, 0, 56)), utc(2024, 1, 1, 1, 50));
}

TEST(Cron, ListsAndNames) {
  auto cron = parse_ok("30 8 1,15 * *");
  EXPECT_EQ(cron.next_after(utc(2024, 1, 1, 9, 0)), utc(2024, 1, 15, 8, 30));
  EXPECT_EQ(cron.next_after(utc(2024, 1, 15, 8, 30)), utc(2024, 2, 1, 8, 30));

  auto named = parse_ok("0 12 * jun-Aug sun");  // names are case-insensitive
  EXPECT_EQ(named.next_after(utc(2024, 1, 1)), utc(2024, 6, 2, 12, 0));  // first June Sunday
  EXPECT_EQ(named.next_after(utc(2024, 8, 25, 12, 0)), utc(2025, 6, 1, 12, 0));
}

TEST(Cron, SevenIsSunday) {
  auto seven = parse_ok("0 0 * * 7");
  auto zero = parse_ok("0 0 * * 0");
  EXPECT_EQ(seven.next_after(utc(2024, 1, 1)), utc(2024, 1, 7));  // 2024-01-07 is a Sunday
  EXPECT_EQ(zero.next_after(utc(2024, 1, 1)), utc(2024, 1, 7));
  auto weekend = parse_ok("0 0 * * 6-7");
  EXPECT_EQ(weekend.next_after(utc(2024, 1, 6)), utc(2024, 1, 7));
}

TEST(Cron, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  auto cron = parse_ok("0 0 13 * FRI");  // every 13th and every Friday
  EXPECT_EQ(cron.next_after(utc(2024, 1, 1)), utc(2024, 1, 5));   // Friday
  EXPECT_EQ(cron.next_after(utc(2024, 1, 12)), utc(2024, 1, 13));  // Saturday the 13th
  EXPECT_EQ(cron.next_after(utc(2024, 1, 13)), utc(2024, 1, 19));  // Friday

  auto star_dom = parse_ok("0 0 * * FRI");  // day-of-month unrestricted: Fridays only
  EXPECT_EQ(star_dom.next_after(utc(2024, 1, 12)), utc(2024, 1, 19));
  auto stepped = parse_ok("0 0 */2 * FRI");  // "*/2" starts with '*': both must match
  EXPECT_EQ(stepped.next_after(utc(2024, 1, 1)), utc(2024, 1, 5));   // 5th, odd, Friday
  EXPECT_EQ(stepped.next_after(utc(2024, 1, 5)), utc(2024, 1, 19));  // 12th is even
}

TEST(Cron, LeapDay) {
  auto cron = parse_ok("0 0 29 2 *");
  EXPECT_EQ(cron.next_after(utc(2023, 1, 1)), utc(2024, 2, 29));
  EXPECT_EQ(cron.next_after(utc(2024, 2, 29)), utc(2028, 2, 29));
}

TEST(Cron, NeverMatchingGivesUp) {
  EXPECT_EQ(parse_ok("0 0 31 2 *").next_after(utc(2024, 1, 1)), -1);
  EXPECT_EQ(parse_ok("0 0 30 2 *").next_after(utc(2024, 1, 1)), -1);
}

TEST(Cron, WeekdaysInParisAcrossSpringForward) {
  auto cron = parse_ok("0 9 * * MON-FRI", "Europe/Paris");
  // Friday 2024-03-29 09:00 CET = 08:00Z; DST starts Sunday 31 March.
  EXPECT_EQ(cron.next_after(utc(2024, 3, 29, 7, 0)), utc(2024, 3, 29, 8, 0));
  // Monday 2024-04-01 09:00 CEST = 07:00Z.
  EXPECT_EQ(cron.next_after(utc(2024, 3, 29, 8, 0)), utc(2024, 4, 1, 7, 0));
}

TEST(Cron, TimeSkippedBySpringForwardDoesNotFireThatDay) {
  auto cron = parse_ok("30 2 * * *", "Europe/Paris");
  EXPECT_EQ(cron.next_after(utc(2024, 3, 29, 12, 0)), utc(2024, 3, 30, 1, 30));  // 02:30 CET
  // 2024-03-31 02:30 does not exist in Paris: next is 1 April 02:30 CEST.
  EXPECT_EQ(cron.next_after(utc(2024, 3, 30, 1, 30)), utc(2024, 4, 1, 0, 30));
}

TEST(Cron, AmbiguousFallBackTimeFiresOnceAtFirstOccurrence) {
  auto cron = parse_ok("30 2 * * *", "Europe/Paris");
  // 2024-10-27 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
  EXPECT_EQ(cron.next_after(utc(2024, 10, 27, 0, 0)), utc(2024, 10, 27, 0, 30));
  EXPECT_EQ(cron.next_after(utc(2024, 10, 27, 0, 30)), utc(2024, 10, 28, 1, 30));
  // From inside the second 02:xx hour, the repeat is not a new slot either.
  EXPECT_EQ(cron.next_after(utc(2024, 10, 27, 1, 10)), utc(2024, 10, 28, 1, 30));

  auto hourly = parse_ok("0 3 * * *", "Europe/Paris");
  EXPECT_EQ(hourly.next_after(utc(2024, 10, 27, 0, 30)), utc(2024, 10, 27, 2, 0));  // 03:00 CET
}

TEST(Cron, KeepsExpressionAndZone) {
  auto cron = parse_ok("*/5 * * * *", "America/New_York");
  EXPECT_EQ(cron.expression(), "*/5 * * * *");
  EXPECT_EQ(cron.timezone(), "America/New_York");
  EXPECT_EQ(parse_ok("* * * * *", "").timezone(), "UTC");
  // 2024-01-01 00:00 EST = 05:00Z.
  EXPECT_EQ(parse_ok("0 0 * * *", "America/New_York").next_after(utc(2024, 1, 1)), utc(2024, 1, 1, 5, 0));
}

TEST(Cron, ErrorsNameTheField) {
  struct Case {
    const char* expression;
    const char* message;
  };
  const Case cases[] = {
      {"61 * * * *", "minute field '61' is out of range 0-59"},
      {"* 24 * * *", "hour field '24' is out of range 0-23"},
      {"* * 0 * *", "day-of-month field '0' is out of range 1-31"},
      {"* * * 13 *", "month field '13' is out of range 1-12"},
      {"* * * * 8", "day-of-week field '8' is out of range 0-7"},
      {"* * * FOO *", "month field 'FOO' is not a valid value"},
      {"* * * * MON-FOO", "day-of-week field 'MON-FOO' is not a valid value"},
      {"*/0 * * * *", "minute field '*/0' has an invalid step"},
      {"*/x * * * *", "minute field '*/x' has an invalid step"},
      {"5-1 * * * *", "minute field '5-1' is a backwards range"},
      {"1,,2 * * * *", "minute field '1,,2' has an empty list item"},
      {"-1 * * * *", "minute field '-1' is not a valid value"},
  };
  for (const auto& c : cases) {
    auto error = parse_error(c.expression);
    EXPECT_EQ(error.code, "invalid_cron") << c.expression;
    EXPECT_EQ(error.message, c.message) << c.expression;
    EXPECT_TRUE(error.is_public);
  }
  EXPECT_EQ(parse_error("* * * *").code, "invalid_cron");
  EXPECT_EQ(parse_error("* * * * * *").code, "invalid_cron");
  EXPECT_EQ(parse_error("").code, "invalid_cron");
  EXPECT_EQ(parse_error("61 * * * *").details["field"], "minute");
}

TEST(Cron, UnknownTimezone) {
  EXPECT_EQ(parse_error("* * * * *", "Mars/Olympus_Mons").code, "unknown_timezone");
  EXPECT_EQ(parse_error("* * * * *", "../../etc/passwd").code, "unknown_timezone");
  EXPECT_EQ(parse_error("* * * * *", "/usr/share/zoneinfo/UTC").code, "unknown_timezone");
  EXPECT_EQ(parse_error("* * * * *", "file:/etc/localtime").code, "unknown_timezone");
}

}  // namespace
}  // namespace weft::engine
