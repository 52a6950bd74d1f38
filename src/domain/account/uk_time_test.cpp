#include "domain/account/uk_time.h"

#include <gtest/gtest.h>

namespace kith::domain {
namespace {

TimePoint Utc(int y, int mo, int d, int h, int mi = 0) {
  return FromMicros((Date{y, mo, d}.ToDays() * 86400 + h * 3600 + mi * 60) * 1'000'000LL);
}

TEST(UkTimeTest, DayOfWeekKnownDates) {
  EXPECT_EQ(DayOfWeek(Date{1970, 1, 1}), 3);   // Thursday
  EXPECT_EQ(DayOfWeek(Date{2024, 3, 31}), 6);  // Sunday
  EXPECT_EQ(DayOfWeek(Date{2025, 3, 24}), 0);  // Monday
  EXPECT_EQ(DayOfWeek(Date{1969, 12, 29}), 0);
}

TEST(UkTimeTest, SummerTimeStartsAndEndsOnLastSundaysAtOneUtc) {
  EXPECT_EQ(BstStart(2024), Utc(2024, 3, 31, 1));
  EXPECT_EQ(BstEnd(2024), Utc(2024, 10, 27, 1));
  EXPECT_EQ(BstStart(2025), Utc(2025, 3, 30, 1));
  EXPECT_EQ(BstEnd(2025), Utc(2025, 10, 26, 1));
  EXPECT_EQ(BstStart(2026), Utc(2026, 3, 29, 1));
  EXPECT_EQ(BstEnd(2026), Utc(2026, 10, 25, 1));
}

TEST(UkTimeTest, ToUkCivilAcrossTheSpringChange) {
  auto before = ToUkCivil(Utc(2025, 3, 30, 0, 59));
  EXPECT_FALSE(before.summer_time);
  EXPECT_EQ(before.time, (TimeOfDay{0, 59, 0}));
  auto after = ToUkCivil(Utc(2025, 3, 30, 1, 0));
  EXPECT_TRUE(after.summer_time);
  EXPECT_EQ(after.time, (TimeOfDay{2, 0, 0}));  // clocks jump from 01:00 to 02:00
}

TEST(UkTimeTest, HalfPastMidnightBstIsTheUkDateNotTheUtcDate) {
  // 23:30 UTC on 14 July is 00:30 BST on 15 July.
  const TimePoint t = Utc(2025, 7, 14, 23, 30);
  EXPECT_EQ(Date::FromTime(t), (Date{2025, 7, 14}));
  EXPECT_EQ(UkDate(t), (Date{2025, 7, 15}));
  EXPECT_EQ(ToUkCivil(t).time, (TimeOfDay{0, 30, 0}));
  // In winter the two agree.
  EXPECT_EQ(UkDate(Utc(2025, 1, 14, 23, 30)), (Date{2025, 1, 14}));
}

TEST(UkTimeTest, FromUkCivilRoundTripsOrdinaryTimes) {
  EXPECT_EQ(FromUkCivil(Date{2025, 7, 15}, {0, 30, 0}), Utc(2025, 7, 14, 23, 30));
  EXPECT_EQ(FromUkCivil(Date{2025, 1, 15}, {0, 30, 0}), Utc(2025, 1, 15, 0, 30));
  EXPECT_EQ(UkStartOfDay(Date{2025, 6, 2}), Utc(2025, 6, 1, 23));
}

TEST(UkTimeTest, NonexistentSpringTimeIsReadAsGmt) {
  // 01:30 on 30 March 2025 never appears on UK clocks; it is taken as 01:30 GMT = 02:30 BST.
  const TimePoint t = FromUkCivil(Date{2025, 3, 30}, {1, 30, 0});
  EXPECT_EQ(t, Utc(2025, 3, 30, 1, 30));
  EXPECT_EQ(ToUkCivil(t).time, (TimeOfDay{2, 30, 0}));
}

TEST(UkTimeTest, RepeatedAutumnTimeResolvesToFirstOccurrence) {
  // 01:30 on 26 October 2025 happens twice; the first is 00:30 UTC (BST).
  EXPECT_EQ(FromUkCivil(Date{2025, 10, 26}, {1, 30, 0}), Utc(2025, 10, 26, 0, 30));
  EXPECT_EQ(FromUkCivil(Date{2025, 10, 26}, {2, 0, 0}), Utc(2025, 10, 26, 2, 0));
}

TEST(UkTimeTest, DaysContainingAChangeAreShortOrLong) {
  auto hours = [](const Date& d) {
    const Date next = Date::FromDays(d.ToDays() + 1);
    return (ToMicros(UkStartOfDay(next)) - ToMicros(UkStartOfDay(d))) / 3'600'000'000LL;
  };
  EXPECT_EQ(hours(Date{2025, 3, 30}), 23);
  EXPECT_EQ(hours(Date{2025, 10, 26}), 25);
  EXPECT_EQ(hours(Date{2025, 10, 27}), 24);
}

}  // namespace
TEST(UkTimeTest, InstantsReadAsTheUkReadsThem) {
  EXPECT_EQ(LongDate(Date{2026, 10, 5}), "5 October 2026");
  // 13:03 UTC in October (BST) is 14:03 on UK clocks; in December (GMT) it is 13:03.
  EXPECT_EQ(UkDateTimeText(FromUkCivil(Date{2026, 10, 5}, TimeOfDay{14, 3, 0})), "5 October 2026 at 14:03 (BST)");
  EXPECT_EQ(UkDateTimeText(FromUkCivil(Date{2026, 12, 6}, TimeOfDay{9, 5, 59})), "6 December 2026 at 09:05 (GMT)");
  // 23:30 UTC on a summer day is the next day in the UK.
  EXPECT_EQ(UkDateTimeText(FromUkCivil(Date{2026, 7, 1}, TimeOfDay{0, 30, 0})), "1 July 2026 at 00:30 (BST)");
}

}  // namespace kith::domain
