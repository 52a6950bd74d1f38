#include "domain/account/contact_series.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace kith::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TimePoint Utc(int y, int mo, int d, int h, int mi = 0) {
  return FromMicros((Date{y, mo, d}.ToDays() * 86400 + h * 3600 + mi * 60) * 1'000'000LL);
}
Date AddDays(const Date& d, int64_t n) { return Date::FromDays(d.ToDays() + n); }
ContactEvent At(std::string agency, const Date& uk_date) {
  return {std::move(agency), FromUkCivil(uk_date, TimeOfDay{12, 0, 0})};
}

// Weekly events for agency `a`: counts[i] events in the week starting monday + 7i.
std::vector<ContactEvent> Weekly(const std::string& a, const Date& monday, const std::vector<int>& counts) {
  std::vector<ContactEvent> events;
  for (size_t w = 0; w < counts.size(); ++w) {
    for (int k = 0; k < counts[w]; ++k) {
      events.push_back(At(a, AddDays(monday, static_cast<int64_t>(7 * w) + k % 5)));
    }
  }
  return events;
}

SeriesOptions WeeksFrom(const Date& from, const Date& to) {
  SeriesOptions o;
  o.from = from;
  o.to = to;
  o.granularity = Granularity::kWeek;
  return o;
}

std::vector<ContactFlagKind> Kinds(const ContactSeries& s) {
  std::vector<ContactFlagKind> kinds;
  for (const auto& f : s.flags) kinds.push_back(f.kind);
  return kinds;
}

constexpr Date kMonday{2025, 1, 6};

TEST(ContactSeriesTest, WeeklyBucketsStartOnMondayAndIncludeEmptyWeeks) {
  const std::vector<ContactEvent> events{At("gp", Date{2025, 1, 8}), At("gp", Date{2025, 1, 22}),
                                         At("school", Date{2025, 1, 23})};
  auto s = ComputeContactSeries(events, Date{2025, 1, 26}, {});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->granularity, Granularity::kWeek);
  ASSERT_THAT(s->buckets, SizeIs(3));
  EXPECT_EQ(s->buckets[0].start, kMonday);
  EXPECT_EQ(s->buckets[1].start, (Date{2025, 1, 13}));
  EXPECT_EQ(s->buckets[2].end, (Date{2025, 1, 27}));
  ASSERT_THAT(s->agencies, SizeIs(2));
  EXPECT_EQ(s->agencies[0].agency_id, "gp");
  EXPECT_THAT(s->agencies[0].counts, ElementsAre(1, 0, 1));
  EXPECT_EQ(s->agencies[0].total, 2);
  EXPECT_THAT(s->agencies[1].counts, ElementsAre(0, 0, 1));
}

TEST(ContactSeriesTest, WeekContainingSpringClockChangeIs167HoursAndPlacesEventsByUkDate) {
  const std::vector<ContactEvent> events{
      {"police", Utc(2025, 3, 30, 22, 30)},  // 23:30 BST Sunday 30 March
      {"police", Utc(2025, 3, 30, 23, 30)},  // 00:30 BST Monday 31 March: the next week
  };
  auto s = ComputeContactSeries(events, Date{2025, 4, 6}, WeeksFrom(Date{2025, 3, 24}, Date{2025, 4, 6}));
  ASSERT_TRUE(s);
  ASSERT_THAT(s->buckets, SizeIs(2));
  const Bucket& week = s->buckets[0];
  EXPECT_EQ(week.start, (Date{2025, 3, 24}));
  EXPECT_EQ(week.start_at, Utc(2025, 3, 24, 0));
  EXPECT_EQ(week.end_at, Utc(2025, 3, 30, 23));  // Monday 00:00 BST
  EXPECT_EQ((ToMicros(week.end_at) - ToMicros(week.start_at)) / 3'600'000'000LL, 167);
  EXPECT_THAT(s->agencies[0].counts, ElementsAre(1, 1));
}

TEST(ContactSeriesTest, WeekContainingAutumnClockChangeIs169HoursAndPlacesEventsByUkDate) {
  const std::vector<ContactEvent> events{
      {"police", Utc(2025, 10, 19, 23, 30)},  // 00:30 BST Monday 20 October (UTC says Sunday)
      {"police", Utc(2025, 10, 26, 23, 30)},  // 23:30 GMT Sunday 26 October
      {"police", Utc(2025, 10, 27, 0, 30)},   // 00:30 GMT Monday 27 October
  };
  auto s = ComputeContactSeries(events, Date{2025, 11, 2}, WeeksFrom(Date{2025, 10, 13}, Date{2025, 11, 2}));
  ASSERT_TRUE(s);
  ASSERT_THAT(s->buckets, SizeIs(3));
  const Bucket& week = s->buckets[1];
  EXPECT_EQ(week.start, (Date{2025, 10, 20}));
  EXPECT_EQ(week.start_at, Utc(2025, 10, 19, 23));
  EXPECT_EQ(week.end_at, Utc(2025, 10, 27, 0));
  EXPECT_EQ((ToMicros(week.end_at) - ToMicros(week.start_at)) / 3'600'000'000LL, 169);
  EXPECT_THAT(s->agencies[0].counts, ElementsAre(0, 2, 1));
}

TEST(ContactSeriesTest, MonthlyBucketsUseUkMidnightsAndIncludeEmptyMonths) {
  const std::vector<ContactEvent> events{
      {"gp", Utc(2025, 3, 31, 23, 30)},  // 00:30 BST on 1 April
      At("gp", Date{2025, 6, 15}),
  };
  SeriesOptions o;
  o.from = Date{2025, 3, 10};
  o.to = Date{2025, 6, 30};
  o.granularity = Granularity::kMonth;
  auto s = ComputeContactSeries(events, Date{2025, 6, 30}, o);
  ASSERT_TRUE(s);
  ASSERT_THAT(s->buckets, SizeIs(4));
  EXPECT_EQ(s->buckets[0].start, (Date{2025, 3, 1}));
  EXPECT_EQ(s->buckets[1].start_at, Utc(2025, 3, 31, 23));
  EXPECT_THAT(s->agencies[0].counts, ElementsAre(0, 1, 0, 1));
}

TEST(ContactSeriesTest, AutoChoosesWeeksUpTo26AndMonthsBeyond) {
  const std::vector<ContactEvent> short_range{At("gp", Date{2025, 1, 6})};
  auto weekly = ComputeContactSeries(short_range, AddDays(kMonday, 7 * 25), {});
  ASSERT_TRUE(weekly);
  EXPECT_EQ(weekly->granularity, Granularity::kWeek);
  EXPECT_THAT(weekly->buckets, SizeIs(26));

  auto monthly = ComputeContactSeries(short_range, AddDays(kMonday, 7 * 26), {});
  ASSERT_TRUE(monthly);
  EXPECT_EQ(monthly->granularity, Granularity::kMonth);
  EXPECT_THAT(monthly->buckets, SizeIs(7));  // January to July

  SeriesOptions forced;
  forced.granularity = Granularity::kWeek;
  auto forced_weekly = ComputeContactSeries(short_range, AddDays(kMonday, 7 * 40), forced);
  ASSERT_TRUE(forced_weekly);
  EXPECT_THAT(forced_weekly->buckets, SizeIs(41));
}

TEST(ContactSeriesTest, NoEventsGivesBucketsWithoutAgencies) {
  auto s = ComputeContactSeries({}, Date{2025, 1, 8}, {});
  ASSERT_TRUE(s);
  EXPECT_THAT(s->buckets, SizeIs(1));
  EXPECT_THAT(s->agencies, IsEmpty());
  EXPECT_THAT(s->flags, IsEmpty());
}

TEST(ContactSeriesTest, ReversedRangeIsInvalid) {
  SeriesOptions o;
  o.from = Date{2025, 2, 1};
  o.to = Date{2025, 1, 1};
  auto s = ComputeContactSeries({}, Date{2025, 3, 1}, o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().field, "from");
}

TEST(ContactSeriesTest, AgencySeenOnlyBeforeTheRangeIsListedWithZeros) {
  const std::vector<ContactEvent> events{At("housing", Date{2024, 12, 2})};
  auto s = ComputeContactSeries(events, Date{2025, 1, 19}, WeeksFrom(kMonday, Date{2025, 1, 19}));
  ASSERT_TRUE(s);
  ASSERT_THAT(s->agencies, SizeIs(1));
  EXPECT_THAT(s->agencies[0].counts, ElementsAre(0, 0));
  EXPECT_EQ(s->agencies[0].last_contact, (Date{2024, 12, 2}));
}

TEST(ContactFlagsTest, SuddenRiseIsUnlikelyByChanceGivenTheChildsOwnHistory) {
  const auto events = Weekly("police", kMonday, {1, 1, 1, 1, 5});
  const Date today = AddDays(kMonday, 7 * 4 + 6);
  auto s = ComputeContactSeries(events, today, WeeksFrom(kMonday, today));
  ASSERT_TRUE(s);
  ASSERT_THAT(Kinds(*s), ElementsAre(ContactFlagKind::kSuddenRise));
  const ContactFlag& f = s->flags[0];
  EXPECT_EQ(f.agency_id, "") << "a rise is judged on all agencies together";
  EXPECT_EQ(f.bucket, 4u);
  EXPECT_EQ(f.bucket_start, AddDays(kMonday, 28));
  EXPECT_EQ(f.count, 5);
  EXPECT_DOUBLE_EQ(f.baseline, 1.0);
  EXPECT_NEAR(f.p_value, 0.0036598468, 1e-9);  // P(X >= 5) for X ~ Poisson(1)
  EXPECT_THAT(f.explanation, ::testing::HasSubstr("5 contacts across all agencies in the week beginning "));
  EXPECT_THAT(f.explanation, ::testing::HasSubstr("by chance about 4 times in 1,000"));
  EXPECT_THAT(f.explanation, ::testing::Not(::testing::HasSubstr("police")))
      << "the agency is a field of the flag; the text is for a person";
  EXPECT_EQ(ToString(f.kind), "sudden_rise");
}

// Issue 15: six "sudden rise" flags came from months with three contacts.
TEST(ContactFlagsTest, NoRiseWhereChanceExplainsItOrThereIsTooLittleHistory) {
  const Date today = AddDays(kMonday, 7 * 6 + 6);
  for (const auto& counts : {std::vector<int>{1, 1, 1, 1, 2}, std::vector<int>{2, 2, 2, 2, 3},
                             std::vector<int>{1, 0, 1, 0, 1, 1, 3},  // three after about one in two
                             std::vector<int>{0, 0, 0, 0, 3},        // three after none: the rate floor
                             std::vector<int>{0, 9}}) {              // too little history
    auto s = ComputeContactSeries(Weekly("police", kMonday, counts), today, WeeksFrom(kMonday, today));
    ASSERT_TRUE(s);
    EXPECT_THAT(Kinds(*s), IsEmpty()) << counts.back();
  }
}

TEST(ContactFlagsTest, RisesAreJudgedOnAllAgenciesTogether) {
  // Neither agency alone is remarkable (4 against 1 a week); together 8 against 2 are.
  auto events = Weekly("police", kMonday, {1, 1, 1, 1, 4});
  const auto school = Weekly("school", kMonday, {1, 1, 1, 1, 4});
  events.insert(events.end(), school.begin(), school.end());
  const Date today = AddDays(kMonday, 7 * 4 + 6);
  auto s = ComputeContactSeries(events, today, WeeksFrom(kMonday, today));
  ASSERT_TRUE(s);
  EXPECT_THAT(s->totals, ElementsAre(2, 2, 2, 2, 8));
  ASSERT_THAT(Kinds(*s), ElementsAre(ContactFlagKind::kSuddenRise));
  EXPECT_EQ(s->flags[0].count, 8);
  EXPECT_LT(s->flags[0].p_value, 0.01);
}

TEST(ContactSeriesTest, TheBucketUnderWayIsMarkedPartialNotADrop) {
  // Three weeks of four contacts, then one so far on the Tuesday of the fourth week.
  const auto events = Weekly("hv", kMonday, {4, 4, 4, 1});
  const Date tuesday = AddDays(kMonday, 7 * 3 + 1);
  auto s = ComputeContactSeries(events, tuesday, WeeksFrom(kMonday, tuesday));
  ASSERT_TRUE(s);
  ASSERT_THAT(s->buckets, SizeIs(4));
  EXPECT_FALSE(s->buckets[2].partial);
  EXPECT_TRUE(s->buckets[3].partial);
  EXPECT_THAT(Kinds(*s), IsEmpty());
  // On the Sunday the week is complete.
  auto sunday = ComputeContactSeries(events, AddDays(kMonday, 7 * 3 + 6), WeeksFrom(kMonday, AddDays(kMonday, 27)));
  ASSERT_TRUE(sunday);
  EXPECT_FALSE(sunday->buckets[3].partial);
  // A bucket under way that is already remarkable is flagged, saying "so far".
  auto surge = Weekly("hv", kMonday, {1, 1, 1});
  for (int i = 0; i < 5; ++i) surge.push_back(At("hv", AddDays(kMonday, 21 + i % 2)));
  auto early = ComputeContactSeries(surge, tuesday, WeeksFrom(kMonday, tuesday));
  ASSERT_TRUE(early);
  ASSERT_THAT(Kinds(*early), ElementsAre(ContactFlagKind::kSuddenRise));
  EXPECT_THAT(early->flags[0].explanation, ::testing::HasSubstr("so far"));
}

TEST(PoissonUpperTailTest, KnownValues) {
  EXPECT_DOUBLE_EQ(PoissonUpperTail(0, 3.0), 1.0);
  EXPECT_NEAR(PoissonUpperTail(1, 2.0), 1 - std::exp(-2.0), 1e-12);
  EXPECT_NEAR(PoissonUpperTail(5, 1.0), 0.0036598468273437, 1e-12);
  EXPECT_NEAR(PoissonUpperTail(3, 0.5), 0.0143876780, 1e-9);
  EXPECT_NEAR(PoissonUpperTail(1000, 1000.0), 0.5042052, 1e-6);
}

TEST(ContactFlagsTest, LongGapBetweenContacts) {
  const auto events = Weekly("school", kMonday, {2, 0, 0, 0, 0, 0, 1});
  const Date today = AddDays(kMonday, 7 * 6 + 6);
  auto s = ComputeContactSeries(events, today, WeeksFrom(kMonday, today));
  ASSERT_TRUE(s);
  ASSERT_THAT(Kinds(*s), ElementsAre(ContactFlagKind::kLongGap));
  EXPECT_EQ(s->flags[0].bucket, 1u);
  EXPECT_EQ(s->flags[0].empty_buckets, 5);
  EXPECT_THAT(s->flags[0].explanation, ::testing::HasSubstr("5 weeks"));
}

TEST(ContactFlagsTest, ShortGapOrTrailingSilenceIsNotALongGap) {
  const Date today = AddDays(kMonday, 7 * 4 + 6);
  auto short_gap = ComputeContactSeries(Weekly("school", kMonday, {1, 0, 0, 0, 1}), today, WeeksFrom(kMonday, today));
  ASSERT_TRUE(short_gap);
  EXPECT_THAT(Kinds(*short_gap), IsEmpty());
  auto trailing = ComputeContactSeries(Weekly("school", kMonday, {1}), today, WeeksFrom(kMonday, today));
  ASSERT_TRUE(trailing);
  EXPECT_THAT(Kinds(*trailing), IsEmpty());
}

TEST(ContactFlagsTest, AgencyStoppedSeeingTheChild) {
  // Contact every week for 8 weeks, then nothing for 7 weeks.
  const auto events = Weekly("hv", kMonday, {1, 1, 1, 1, 1, 1, 1, 1});
  const Date last = AddDays(kMonday, 7 * 7);
  const Date today = AddDays(last, 7 * 7);
  auto s = ComputeContactSeries(events, today, WeeksFrom(kMonday, today));
  ASSERT_TRUE(s);
  ASSERT_THAT(Kinds(*s), ElementsAre(ContactFlagKind::kStoppedSeeing));
  const ContactFlag& f = s->flags[0];
  EXPECT_EQ(f.last_contact, last);
  EXPECT_EQ(f.empty_buckets, 7);
  EXPECT_DOUBLE_EQ(f.baseline, 8);
  EXPECT_EQ(f.bucket, 8u);  // the week after the last contact
  EXPECT_THAT(f.explanation, ::testing::HasSubstr("No contact for 7 weeks"));
}

TEST(ContactFlagsTest, NotStoppedWhenSilenceIsShortOrContactWasNeverRegular) {
  const Date last = AddDays(kMonday, 7 * 7);
  auto recent = ComputeContactSeries(Weekly("hv", kMonday, {1, 1, 1, 1, 1, 1, 1, 1}), AddDays(last, 7 * 5), {});
  ASSERT_TRUE(recent);
  EXPECT_THAT(Kinds(*recent), IsEmpty());
  // Two contacts in the eight weeks before the last one is not regular contact.
  auto sparse = ComputeContactSeries(Weekly("hv", kMonday, {0, 0, 0, 0, 0, 1, 0, 1}), AddDays(last, 7 * 10), {});
  ASSERT_TRUE(sparse);
  EXPECT_THAT(Kinds(*sparse), IsEmpty());
}

TEST(ContactSeriesTest, ContactEventsFromEntriesUseUkDates) {
  ChronologyEntry e;
  e.agency_id = "gp";
  e.occurred_on = Date{2025, 7, 15};
  e.occurred_time = TimeOfDay{0, 30, 0};
  const auto events = ContactEventsFrom(std::span(&e, 1));
  ASSERT_THAT(events, SizeIs(1));
  EXPECT_EQ(UkDate(events[0].at), (Date{2025, 7, 15}));
}

}  // namespace
}  // namespace kith::domain
