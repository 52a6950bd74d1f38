#include "domain/break_glass.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace kith::domain {
namespace {

const TimePoint kNow = FromMicros(1'790'000'000'000'000);

TEST(BreakGlassTest, ReasonCodesRoundTrip) {
  for (const char* code : {"immediate_risk", "child_protection_enquiry", "missing_child", "medical_emergency",
                           "court_or_police_requirement"}) {
    auto parsed = ParseBreakGlassReason(code);
    ASSERT_TRUE(parsed) << code;
    EXPECT_EQ(ToString(*parsed), code);
  }
  EXPECT_FALSE(ParseBreakGlassReason("curiosity"));
}

TEST(BreakGlassTest, NewBreakGlassDefaultsToFourHours) {
  auto o = NewBreakGlass("K1", "la1", "u1", "missing_child", "  Child reported missing by school today  ", std::nullopt,
                         {}, kNow);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->reason_code, BreakGlassReason::kMissingChild);
  EXPECT_EQ(o->reason, "Child reported missing by school today");
  EXPECT_EQ(o->starts_at, kNow);
  EXPECT_EQ(o->ends_at, kNow + std::chrono::hours(4));
  EXPECT_TRUE(o->IsActive(kNow));
  EXPECT_TRUE(o->IsActive(kNow + std::chrono::hours(4) - std::chrono::microseconds(1)));
  EXPECT_FALSE(o->IsActive(kNow + std::chrono::hours(4)));
  EXPECT_FALSE(o->justified);
  EXPECT_FALSE(o->IsActive(kNow - std::chrono::seconds(1)));
}

TEST(BreakGlassTest, NewOverrideRefusesBadInputNamingTheField) {
  const BreakGlassLimits limits{std::chrono::hours(4), std::chrono::hours(72)};
  auto field = [&](const char* code, const char* reason, std::optional<int64_t> hours) {
    auto o = NewBreakGlass("K1", "la1", "u1", code, reason, hours, limits, kNow);
    return o ? std::string("ok") : o.error().field;
  };
  EXPECT_EQ(field("nosy", "Child reported missing by school", 2), "reason_code");
  EXPECT_EQ(field("missing_child", "short", 2), "reason");
  EXPECT_EQ(field("missing_child", "Child reported missing by school", 0), "duration_hours");
  EXPECT_EQ(field("missing_child", "Child reported missing by school", 73), "duration_hours");
  EXPECT_EQ(field("missing_child", "Child reported missing by school", 72), "ok");
  EXPECT_EQ(field("missing_child", "Child reported missing by school", 1), "ok");
}

TEST(BreakGlassTest, AFirstReviewNeedsAVerdictAndKeepsIt) {
  auto o = NewBreakGlass("K1", "la1", "u1", "immediate_risk", "Police report a threat at the address", 4, {}, kNow);
  ASSERT_TRUE(o);
  EXPECT_EQ(ReviewBreakGlass(*o, "m1", std::nullopt, "Looked into this with the police", false, kNow).error().field,
            "justified");
  ASSERT_TRUE(ReviewBreakGlass(*o, "m1", false, "No emergency: the family was known to be safe", false, kNow));
  EXPECT_EQ(o->justified, false);
  // Ending it later keeps the first verdict and note.
  ASSERT_TRUE(ReviewBreakGlass(*o, "m2", std::nullopt, "Ending it now, as the review found", true, kNow));
  EXPECT_EQ(o->justified, false);
  EXPECT_EQ(o->review_note, "No emergency: the family was known to be safe");
  EXPECT_EQ(o->ended_by, "m2");
}

TEST(BreakGlassTest, ReviewRecordsTheNoteOnceAndCanEndItEarly) {
  auto o = NewBreakGlass("K1", "la1", "u1", "immediate_risk", "Police report a threat at the address", 4, {}, kNow);
  ASSERT_TRUE(o);
  EXPECT_EQ(ReviewBreakGlass(*o, "m1", true, "too short", false, kNow).error().field, "note");
  EXPECT_EQ(ReviewBreakGlass(*o, "u1", true, "Reviewing my own break-glass", false, kNow).error().code,
            ErrorCode::kForbidden);
  EXPECT_FALSE(o->reviewed_at);

  const TimePoint later = kNow + std::chrono::hours(1);
  ASSERT_TRUE(ReviewBreakGlass(*o, "m1", true, "Checked with the police: justified", false, later));
  EXPECT_EQ(o->reviewed_by, "m1");
  EXPECT_EQ(o->reviewed_at, later);
  EXPECT_TRUE(o->IsActive(later));
  EXPECT_EQ(ReviewBreakGlass(*o, "m2", true, "Second look at the same override", false, later).error().code,
            ErrorCode::kConflict);

  // A reviewed override can still be ended while it is active.
  const TimePoint end = kNow + std::chrono::hours(2);
  ASSERT_TRUE(ReviewBreakGlass(*o, "m2", true, "Family moved again: end the access now", true, end));
  EXPECT_EQ(o->ended_by, "m2");
  EXPECT_FALSE(o->IsActive(end));
  EXPECT_EQ(o->EndsAt(), end);
  EXPECT_EQ(ReviewBreakGlass(*o, "m2", true, "Family moved again: end the access now", true, end).error().code,
            ErrorCode::kConflict);
}

TEST(BreakGlassTest, AnExpiredOverrideCannotBeEndedButCanBeReviewed) {
  auto o = NewBreakGlass("K1", "la1", "u1", "medical_emergency", "A&E needs the carers' phone numbers", 1, {}, kNow);
  ASSERT_TRUE(o);
  const TimePoint after = kNow + std::chrono::hours(2);
  EXPECT_EQ(ReviewBreakGlass(*o, "m1", true, "Ending it after it expired", true, after).error().code,
            ErrorCode::kConflict);
  EXPECT_TRUE(ReviewBreakGlass(*o, "m1", true, "Justified: the hospital confirmed", false, after));
  EXPECT_FALSE(o->ended_early_at);
  EXPECT_EQ(o->EndsAt(), kNow + std::chrono::hours(1));
}

}  // namespace
}  // namespace kith::domain
