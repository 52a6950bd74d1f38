// A calendar date with no time zone (dates of birth, service start and end dates).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace kith {

struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31

  auto operator<=>(const Date&) const = default;

  // Strict ISO 8601 calendar date "YYYY-MM-DD"; nullopt for anything else or an impossible date.
  static std::optional<Date> Parse(std::string_view text);
  // Days since 1970-01-01 (negative before).
  static Date FromDays(int64_t days);
  // The UTC calendar date of an instant.
  static Date FromTime(TimePoint t);

  std::string ToString() const;
  int64_t ToDays() const;
  bool IsValid() const;
  // Whole years of age on `on`; negative if `on` is before this date.
  int AgeOn(const Date& on) const;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

}  // namespace kith
