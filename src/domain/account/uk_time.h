// UK civil time (Europe/London) computed from the rule itself, not the system tz database, so
// that bucket boundaries and local dates are identical on every server and in every test.
//
// The rule (the EU summer-time directive, in force in the UK since 1996): British Summer Time
// (UTC+1) starts at 01:00 UTC on the last Sunday of March and ends at 01:00 UTC on the last
// Sunday of October; Greenwich Mean Time (UTC+0) applies otherwise. Earlier years are computed
// with the same rule, which differs from history before 1996 (acceptable: case records of
// living children do not go back that far).
//
// Thread safety: all functions are pure and safe to call from any thread.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/date.h"

namespace kith::domain {

// A wall-clock time of day, 00:00:00 to 23:59:59.
struct TimeOfDay {
  int hour = 0;
  int minute = 0;
  int second = 0;

  auto operator<=>(const TimeOfDay&) const = default;
  bool IsValid() const;
  int SecondsSinceMidnight() const { return hour * 3600 + minute * 60 + second; }
};

struct UkCivilTime {
  Date date;
  TimeOfDay time;
  bool summer_time = false;  // true while British Summer Time (UTC+1) applies
};

// Day of the week, 0 = Monday ... 6 = Sunday.
int DayOfWeek(const Date& date);

// The instants at which BST starts and ends in `year`.
TimePoint BstStart(int year);
TimePoint BstEnd(int year);

bool IsBritishSummerTime(TimePoint t);
UkCivilTime ToUkCivil(TimePoint t);
// The date UK clocks show at instant t (e.g. 23:30 UTC on a summer day is the next UK date).
Date UkDate(TimePoint t);
// UkDate(t) as days since 1970-01-01, for arithmetic without calendar conversion.
int64_t UkDayNumber(TimePoint t);

// The instant at which UK clocks show `date` at `time`. A time that does not exist (01:00 to
// 01:59 on the spring-forward Sunday) is read as GMT, so it lands an hour later on the clock;
// a time that occurs twice (01:00 to 01:59 on the autumn Sunday) resolves to its first (BST)
// occurrence. `date` must be valid.
TimePoint FromUkCivil(const Date& date, const TimeOfDay& time);
// UK midnight at the start of `date` (midnight always exists in the UK: the clocks change at
// 01:00 GMT / 02:00 BST).
TimePoint UkStartOfDay(const Date& date);

// Dates and instants as a person in the UK reads them, for documents and alerts: "5 October
// 2026"; "5 October 2026 at 14:03 (BST)" (UK local time, saying whether BST or GMT applies).
std::string LongDate(const Date& date);
std::string UkDateTimeText(TimePoint t);

}  // namespace kith::domain
