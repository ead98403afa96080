// engine/triggers/cron.h — owns cron expressions: 5 fields (minute hour day-of-month month
// day-of-week) with *, lists, ranges, steps and names, evaluated in an IANA time zone (cctz).
#pragma once

#include <bitset>
#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace weft::engine {

class CronSchedule {
 public:
  // Parses `expression` ("*/5 * * * *", "0 9 * * MON-FRI", "30 8 1,15 * *") in `timezone`
  // ("UTC", "Europe/Paris"). Errors: invalid_cron naming the bad field, unknown_timezone.
  // Day-of-month and day-of-week follow Vixie cron: when both are restricted, either matches.
  static Result<CronSchedule> parse(const std::string& expression, const std::string& timezone);

  // The first minute strictly after `after` (ms since epoch) that matches, as ms since epoch;
  // looks ahead at most 5 years (returns -1 if nothing matches, e.g. "0 0 31 2 *").
  TimeMs next_after(TimeMs after) const;

  const std::string& expression() const { return expression_; }
  const std::string& timezone() const { return timezone_; }

 private:
  std::string expression_;
  std::string timezone_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1..31
  std::bitset<13> months_;   // 1..12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool days_restricted_ = false;
  bool weekdays_restricted_ = false;
};

}  // namespace weft::engine
