#include "domain/account/uk_time.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>

namespace kith::domain {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : (a - b + 1) / b; }

int64_t LastSundayOf(int year, int month) {
  const int64_t last = Date{year, month, DaysInMonth(year, month)}.ToDays();
  const int64_t back = ((last + 3) % 7 + 7 + 1) % 7;  // days back from the last day to Sunday
  return last - back;
}

int64_t OneAmUtcOn(int64_t day) { return day * kMicrosPerDay + kMicrosPerHour; }

int64_t StartMicros(int year) { return OneAmUtcOn(LastSundayOf(year, 3)); }
int64_t EndMicros(int year) { return OneAmUtcOn(LastSundayOf(year, 10)); }

// Every series converts thousands of instants, so the changeovers of the years that matter are
// computed once; instants outside the table take the direct route.
constexpr int kFirstTableYear = 1970;
constexpr int kTableYears = 230;
struct Changeovers {
  std::array<int64_t, kTableYears> start{};
  std::array<int64_t, kTableYears> end{};
};

const Changeovers& Table() {
  static const Changeovers table = [] {
    Changeovers t;
    for (int i = 0; i < kTableYears; ++i) {
      t.start[i] = StartMicros(kFirstTableYear + i);
      t.end[i] = EndMicros(kFirstTableYear + i);
    }
    return t;
  }();
  return table;
}

}  // namespace

bool TimeOfDay::IsValid() const {
  return hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60;
}

int DayOfWeek(const Date& date) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  return static_cast<int>(((date.ToDays() + 3) % 7 + 7) % 7);
}

TimePoint BstStart(int year) { return FromMicros(StartMicros(year)); }
TimePoint BstEnd(int year) { return FromMicros(EndMicros(year)); }

bool IsBritishSummerTime(TimePoint t) {
  const int64_t us = ToMicros(t);
  const Changeovers& table = Table();
  if (us >= table.start.front() && us < table.start.back()) {
    // Summer time iff t falls before the end that pairs with the latest start at or before t
    // (in January to March that is last year's, whose end has passed).
    const auto next = std::upper_bound(table.start.begin(), table.start.end(), us);
    return us < table.end[static_cast<size_t>(next - table.start.begin()) - 1];
  }
  const int year = Date::FromTime(t).year;
  return us >= StartMicros(year) && us < EndMicros(year);
}

UkCivilTime ToUkCivil(TimePoint t) {
  const bool summer = IsBritishSummerTime(t);
  const int64_t local_us = ToMicros(t) + (summer ? kMicrosPerHour : 0);
  const int64_t days = FloorDiv(local_us, kMicrosPerDay);
  const int64_t second_of_day = (local_us - days * kMicrosPerDay) / kMicrosPerSecond;
  const TimeOfDay time{static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                       static_cast<int>(second_of_day % 60)};
  return UkCivilTime{Date::FromDays(days), time, summer};
}

Date UkDate(TimePoint t) { return Date::FromDays(UkDayNumber(t)); }

int64_t UkDayNumber(TimePoint t) {
  return FloorDiv(ToMicros(t) + (IsBritishSummerTime(t) ? kMicrosPerHour : 0), kMicrosPerDay);
}

TimePoint FromUkCivil(const Date& date, const TimeOfDay& time) {
  const int64_t local_us = date.ToDays() * kMicrosPerDay + int64_t{time.SecondsSinceMidnight()} * kMicrosPerSecond;
  // Try BST first so that a repeated autumn hour resolves to its first occurrence; a
  // spring-gap time fails the BST test and falls through to GMT, an hour later on the clock.
  const TimePoint as_summer = FromMicros(local_us - kMicrosPerHour);
  if (IsBritishSummerTime(as_summer)) return as_summer;
  return FromMicros(local_us);
}

TimePoint UkStartOfDay(const Date& date) { return FromUkCivil(date, TimeOfDay{}); }

std::string LongDate(const Date& date) {
  static constexpr std::array<const char*, 12> kMonths = {"January", "February", "March",     "April",
                                                         "May",     "June",     "July",      "August",
                                                         "September", "October", "November", "December"};
  return std::to_string(date.day) + " " + kMonths[static_cast<size_t>(date.month - 1)] + " " + std::to_string(date.year);
}

std::string UkDateTimeText(TimePoint t) {
  const auto uk = ToUkCivil(t);
  const auto two = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  return LongDate(uk.date) + " at " + two(uk.time.hour) + ":" + two(uk.time.minute) +
         (uk.summer_time ? " (BST)" : " (GMT)");
}

}  // namespace kith::domain
