// Cron parsing (Vixie syntax) and next-slot search over civil minutes in an IANA zone.
#include "engine/triggers/cron.h"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <charconv>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

namespace weft::engine {
namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const std::array<const char*, 13>* names;  // index = value; nullptr entries are unnamed
};

constexpr std::array<const char*, 13> kMonthNames = {nullptr, "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                     "JUL",   "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<const char*, 13> kDayNames = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT",
                                                   nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

constexpr FieldSpec kMinute{"minute", 0, 59, nullptr};
constexpr FieldSpec kHour{"hour", 0, 23, nullptr};
constexpr FieldSpec kDayOfMonth{"day-of-month", 1, 31, nullptr};
constexpr FieldSpec kMonth{"month", 1, 12, &kMonthNames};
constexpr FieldSpec kDayOfWeek{"day-of-week", 0, 7, &kDayNames};

constexpr int kLookaheadYears = 5;

Error cron_error(const FieldSpec& field, const std::string& message) {
  return Error::make("invalid_cron", std::string(field.name) + " field " + message,
                     {{"field", field.name}});
}

// A number or (for month / day-of-week) a three-letter name, case-insensitive.
std::optional<int> parse_value(std::string_view text, const FieldSpec& field) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return value;
  if (field.names == nullptr || text.size() != 3) return std::nullopt;
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i < field.names->size(); ++i) {
    const char* name = (*field.names)[i];
    if (name != nullptr && upper == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

Result<int> parse_bound(std::string_view text, std::string_view item, const FieldSpec& field) {
  auto value = parse_value(text, field);
  if (!value) return cron_error(field, "'" + std::string(item) + "' is not a valid value");
  if (*value < field.min || *value > field.max) {
    return cron_error(field, "'" + std::string(text) + "' is out of range " + std::to_string(field.min) +
                                 "-" + std::to_string(field.max));
  }
  return *value;
}

// Parses one comma-separated field into the values it allows (within field.min..field.max).
Result<std::vector<int>> parse_field(std::string_view text, const FieldSpec& field) {
  if (text.empty()) return cron_error(field, "is empty");
  std::vector<int> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string_view item = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    if (item.empty()) return cron_error(field, "'" + std::string(text) + "' has an empty list item");

    std::string_view range = item;
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      std::string_view step_text = item.substr(slash + 1);
      auto [end, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (ec != std::errc() || end != step_text.data() + step_text.size() || step_text.empty() || step < 1 ||
          step > field.max) {
        return cron_error(field, "'" + std::string(item) + "' has an invalid step");
      }
    }
    int lo = field.min;
    int hi = field.max;
    if (range != "*") {
      auto dash = range.find('-');
      WEFT_TRY_ASSIGN(lo, parse_bound(range.substr(0, dash), item, field));
      if (dash != std::string_view::npos) {
        WEFT_TRY_ASSIGN(hi, parse_bound(range.substr(dash + 1), item, field));
        if (hi < lo) return cron_error(field, "'" + std::string(item) + "' is a backwards range");
      } else if (range.size() == item.size()) {
        hi = lo;  // a single value
      }
      // "a/n" (no range): from a to the field's maximum.
    }
    for (int v = lo; v <= hi; v += step) values.push_back(v);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return values;
}

template <std::size_t N>
Status fill(std::string_view text, const FieldSpec& field, std::bitset<N>& bits) {
  WEFT_TRY_ASSIGN(auto values, parse_field(text, field));
  for (int v : values) bits.set(static_cast<std::size_t>(v));
  return {};
}

bool is_safe_zone_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '/') return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' && c != '+') return false;
  }
  return name.find("..") == std::string::npos;
}

// 0 = Sunday, as in cron.
int cron_weekday(const cctz::civil_day& day) {
  switch (cctz::get_weekday(day)) {
    case cctz::weekday::sunday: return 0;
    case cctz::weekday::monday: return 1;
    case cctz::weekday::tuesday: return 2;
    case cctz::weekday::wednesday: return 3;
    case cctz::weekday::thursday: return 4;
    case cctz::weekday::friday: return 5;
    case cctz::weekday::saturday: return 6;
  }
  return 0;
}

}  // namespace

Result<CronSchedule> CronSchedule::parse(const std::string& expression, const std::string& timezone) {
  std::istringstream in(expression);
  std::vector<std::string> fields;
  for (std::string f; in >> f;) fields.push_back(f);
  if (fields.size() != 5) {
    return Error::make("invalid_cron",
                       "a cron expression has 5 fields (minute hour day-of-month month day-of-week), got " +
                           std::to_string(fields.size()),
                       {{"field", "expression"}});
  }
  const std::string zone = timezone.empty() ? "UTC" : timezone;
  cctz::time_zone tz;
  if (!is_safe_zone_name(zone) || !cctz::load_time_zone(zone, &tz)) {
    return Error::make("unknown_timezone", "unknown time zone '" + zone + "'", {{"timezone", zone}});
  }

  CronSchedule s;
  s.expression_ = expression;
  s.timezone_ = zone;
  WEFT_TRY(fill(fields[0], kMinute, s.minutes_));
  WEFT_TRY(fill(fields[1], kHour, s.hours_));
  WEFT_TRY(fill(fields[2], kDayOfMonth, s.days_));
  WEFT_TRY(fill(fields[3], kMonth, s.months_));
  std::bitset<8> weekdays;
  WEFT_TRY(fill(fields[4], kDayOfWeek, weekdays));
  for (int d = 0; d < 7; ++d) s.weekdays_[d] = weekdays[d];
  if (weekdays[7]) s.weekdays_.set(0);  // 7 is Sunday too
  // Vixie cron: a field starting with '*' (including "*/n") does not restrict the day.
  s.days_restricted_ = fields[2].front() != '*';
  s.weekdays_restricted_ = fields[4].front() != '*';
  return s;
}

TimeMs CronSchedule::next_after(TimeMs after) const {
  cctz::time_zone tz;
  if (!cctz::load_time_zone(timezone_, &tz)) return -1;  // parse() checked it; cannot happen
  using cctz::civil_day, cctz::civil_hour, cctz::civil_minute, cctz::civil_month;

  // Floor to the second (towards -infinity) so civil time never runs ahead of `after`.
  std::int64_t after_s = after / 1000 - (after % 1000 < 0 ? 1 : 0);
  const auto after_tp = std::chrono::time_point_cast<cctz::seconds>(
      std::chrono::system_clock::time_point(std::chrono::seconds(after_s)));
  const civil_minute start = civil_minute(cctz::convert(after_tp, tz)) + 1;
  const civil_day last_day = civil_day(start) + 366 * kLookaheadYears + 1;

  auto day_matches = [&](const civil_day& d) {
    bool dom = days_[static_cast<std::size_t>(d.day())];
    bool dow = weekdays_[static_cast<std::size_t>(cron_weekday(d))];
    // Vixie cron: OR when both fields are restricted, else AND ("*" sets every bit, "*/2" not).
    return days_restricted_ && weekdays_restricted_ ? dom || dow : dom && dow;
  };

  for (civil_day day = civil_day(start); day <= last_day; ++day) {
    if (!months_[static_cast<std::size_t>(day.month())]) {
      day = civil_day(civil_month(day) + 1) - 1;  // ++day lands on the next month's first day
      continue;
    }
    if (!day_matches(day)) continue;
    const bool first_day = day == civil_day(start);
    for (int h = first_day ? start.hour() : 0; h < 24; ++h) {
      if (!hours_[static_cast<std::size_t>(h)]) continue;
      const bool first_hour = first_day && h == start.hour();
      for (int m = first_hour ? start.minute() : 0; m < 60; ++m) {
        if (!minutes_[static_cast<std::size_t>(m)]) continue;
        const civil_minute slot(day.year(), day.month(), day.day(), h, m);
        const auto lookup = tz.lookup(cctz::civil_second(slot));
        // A local time skipped by a spring-forward gap does not exist: no slot that day.
        if (lookup.kind == cctz::time_zone::civil_lookup::SKIPPED) continue;
        // An ambiguous (fall-back) time fires once, at its first occurrence; if that is already
        // past, the repeated occurrence is not a new slot.
        const TimeMs at = static_cast<TimeMs>(lookup.pre.time_since_epoch().count()) * 1000;
        if (at > after) return at;
      }
    }
  }
  return -1;
}

}  // namespace weft::engine
