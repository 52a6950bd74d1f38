#include "common/date.h"

#include <gtest/gtest.h>

namespace kith {
namespace {

TEST(DateTest, ParsesStrictIsoDates) {
  auto d = Date::Parse("2019-02-28");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year, 2019);
  EXPECT_EQ(d->month, 2);
  EXPECT_EQ(d->day, 28);
  EXPECT_EQ(d->ToString(), "2019-02-28");
}

TEST(DateTest, RejectsImpossibleAndMalformedDates) {
  for (const char* bad : {"2019-02-29", "2019-13-01", "2019-00-10", "2019-1-01", "19-01-01", "2019/01/01", "2019-01-32",
                          "", "abcd-ef-gh", "2019-01-01T00:00"}) {
    EXPECT_FALSE(Date::Parse(bad)) << bad;
  }
  EXPECT_TRUE(Date::Parse("2020-02-29"));
  EXPECT_TRUE(Date::Parse("2000-02-29"));
  EXPECT_FALSE(Date::Parse("1900-02-29"));
}

TEST(DateTest, DayNumbersRoundTrip) {
  EXPECT_EQ((Date{1970, 1, 1}.ToDays()), 0);
  EXPECT_EQ((Date{1969, 12, 31}.ToDays()), -1);
  EXPECT_EQ((Date{2000, 3, 1}.ToDays()), 11017);
  for (int64_t d = -800000; d < 800000; d += 997) {
    EXPECT_EQ(Date::FromDays(d).ToDays(), d);
  }
}

TEST(DateTest, AgeCountsWholeYears) {
  Date dob{2010, 6, 15};
  EXPECT_EQ(dob.AgeOn({2026, 6, 14}), 15);
  EXPECT_EQ(dob.AgeOn({2026, 6, 15}), 16);
  EXPECT_EQ(dob.AgeOn({2010, 6, 15}), 0);
  EXPECT_LT(dob.AgeOn({2009, 1, 1}), 0);
}

TEST(DateTest, DateOfAnInstantIsUtc) {
  EXPECT_EQ(Date::FromTime(FromMicros(0)).ToString(), "1970-01-01");
  EXPECT_EQ(Date::FromTime(FromMicros(-1)).ToString(), "1969-12-31");
  EXPECT_EQ(FormatUtc(FromMicros(1'700'000'000'123'456)), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatUtc(FromMicros(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatUtc(FromMicros(0)), "1970-01-01T00:00:00.000Z");
}

TEST(DateTest, TextIsZeroPaddedAtEveryWidth) {
  EXPECT_EQ((Date{5, 1, 2}).ToString(), "0005-01-02");
  EXPECT_EQ((Date{2026, 12, 31}).ToString(), "2026-12-31");
  EXPECT_EQ((Date{12345, 1, 1}).ToString(), "12345-01-01");  // beyond four digits: as printf would
  EXPECT_EQ(FormatUtc(FromMicros(253'402'300'799'999'999)), "9999-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace kith
