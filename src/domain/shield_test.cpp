#include "domain/shield.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace kith::domain {
namespace {

const TimePoint kNow = FromMicros(1'790'000'000'000'000);

Actor MakeActor(Role role, std::string la, bool active = true) { return Actor{"u", role, std::move(la), "ag", active}; }

// Who may override a shield, for a shielded child of la1 (column 1) and an unshielded one
// (column 2), on and off its team; and who may review la1's overrides (column 3).
TEST(ShieldPolicyTest, MatrixOfCallers) {
  struct Row {
    std::string name;
    Actor actor;
    bool team_member;
    std::string expected;  // O: may override shielded, o: may override unshielded, R: may review
  };
  const std::vector<Row> rows = {
      {"practitioner same authority", MakeActor(Role::kPractitioner, "la1"), false, "O.."},
      {"practitioner elsewhere", MakeActor(Role::kPractitioner, "la2"), false, "O.."},
      {"team member", MakeActor(Role::kPractitioner, "la1"), true, "..."},
      {"manager of the authority", MakeActor(Role::kManager, "la1"), false, "O.R"},
      {"manager on the team", MakeActor(Role::kManager, "la1"), true, "..R"},
      {"manager elsewhere", MakeActor(Role::kManager, "la2"), false, "O.."},
      {"inactive manager", MakeActor(Role::kManager, "la1", false), false, "..."},
      {"authority admin", MakeActor(Role::kAuthorityAdmin, "la1"), false, "..."},
      {"auditor", MakeActor(Role::kAuditor, "la1"), false, "..."},
      {"national admin", MakeActor(Role::kNationalAdmin, ""), false, "..."},
      {"family member", MakeActor(Role::kFamily, "la1"), false, "..."},
  };
  for (const auto& row : rows) {
    const ChildRelation rel{"la1", row.team_member, false, true, false};
    std::string got;
    got += DecideShieldOverride(row.actor, rel, true).allowed ? 'O' : '.';
    got += DecideShieldOverride(row.actor, rel, false).allowed ? 'o' : '.';
    got += DecideOverrideReview(row.actor, "la1").allowed ? 'R' : '.';
    EXPECT_EQ(got, row.expected) << row.name;
  }
}

TEST(ShieldPolicyTest, RefusalsSayWhy) {
  const ChildRelation rel{"la1", false, false, true, false};
  EXPECT_EQ(DecideShieldOverride(MakeActor(Role::kAuditor, "la1"), rel, true).why, "role does not work with children");
  EXPECT_EQ(DecideShieldOverride(MakeActor(Role::kPractitioner, "la1"), rel, false).why, "the child is not shielded");
  EXPECT_EQ(DecideOverrideReview(MakeActor(Role::kManager, "la2"), "la1").why,
            "not a manager of the child's authority");
}

TEST(ShieldOverrideTest, ReasonCodesRoundTrip) {
  for (const char* code : {"immediate_risk", "child_protection_enquiry", "missing_child", "medical_emergency",
                           "court_or_police_requirement"}) {
    auto parsed = ParseOverrideReason(code);
    ASSERT_TRUE(parsed) << code;
    EXPECT_EQ(ToString(*parsed), code);
  }
  EXPECT_FALSE(ParseOverrideReason("curiosity"));
}

TEST(ShieldOverrideTest, NewOverrideDefaultsToTheDefaultDuration) {
  auto o = NewShieldOverride("K1", "la1", "u1", "missing_child", "  Child reported missing by school today  ",
                             std::nullopt, {}, kNow);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->reason_code, OverrideReason::kMissingChild);
  EXPECT_EQ(o->reason, "Child reported missing by school today");
  EXPECT_EQ(o->starts_at, kNow);
  EXPECT_EQ(o->ends_at, kNow + std::chrono::hours(24));
  EXPECT_TRUE(o->IsActive(kNow));
  EXPECT_TRUE(o->IsActive(kNow + std::chrono::hours(24) - std::chrono::microseconds(1)));
  EXPECT_FALSE(o->IsActive(kNow + std::chrono::hours(24)));
  EXPECT_FALSE(o->IsActive(kNow - std::chrono::seconds(1)));
}

TEST(ShieldOverrideTest, NewOverrideRefusesBadInputNamingTheField) {
  const OverrideLimits limits{std::chrono::hours(24), std::chrono::hours(72)};
  auto field = [&](const char* code, const char* reason, std::optional<int64_t> hours) {
    auto o = NewShieldOverride("K1", "la1", "u1", code, reason, hours, limits, kNow);
    return o ? std::string("ok") : o.error().field;
  };
  EXPECT_EQ(field("nosy", "Child reported missing by school", 2), "reason_code");
  EXPECT_EQ(field("missing_child", "short", 2), "reason");
  EXPECT_EQ(field("missing_child", "Child reported missing by school", 0), "duration_hours");
  EXPECT_EQ(field("missing_child", "Child reported missing by school", 73), "duration_hours");
  EXPECT_EQ(field("missing_child", "Child reported missing by school", 72), "ok");
  EXPECT_EQ(field("missing_child", "Child reported missing by school", 1), "ok");
}

TEST(ShieldOverrideTest, ReviewRecordsTheNoteOnceAndCanEndItEarly) {
  auto o =
      NewShieldOverride("K1", "la1", "u1", "immediate_risk", "Police report a threat at the address", 24, {}, kNow);
  ASSERT_TRUE(o);
  EXPECT_EQ(ReviewShieldOverride(*o, "m1", "too short", false, kNow).error().field, "note");
  EXPECT_EQ(ReviewShieldOverride(*o, "u1", "Reviewing my own override", false, kNow).error().code,
            ErrorCode::kForbidden);
  EXPECT_FALSE(o->reviewed_at);

  const TimePoint later = kNow + std::chrono::hours(1);
  ASSERT_TRUE(ReviewShieldOverride(*o, "m1", "Checked with the police: justified", false, later));
  EXPECT_EQ(o->reviewed_by, "m1");
  EXPECT_EQ(o->reviewed_at, later);
  EXPECT_TRUE(o->IsActive(later));
  EXPECT_EQ(ReviewShieldOverride(*o, "m2", "Second look at the same override", false, later).error().code,
            ErrorCode::kConflict);

  // A reviewed override can still be ended while it is active.
  const TimePoint end = kNow + std::chrono::hours(2);
  ASSERT_TRUE(ReviewShieldOverride(*o, "m2", "Family moved again: end the access now", true, end));
  EXPECT_EQ(o->ended_by, "m2");
  EXPECT_FALSE(o->IsActive(end));
  EXPECT_EQ(o->EndsAt(), end);
  EXPECT_EQ(ReviewShieldOverride(*o, "m2", "Family moved again: end the access now", true, end).error().code,
            ErrorCode::kConflict);
}

TEST(ShieldOverrideTest, AnExpiredOverrideCannotBeEndedButCanBeReviewed) {
  auto o =
      NewShieldOverride("K1", "la1", "u1", "medical_emergency", "A&E needs the carers' phone numbers", 1, {}, kNow);
  ASSERT_TRUE(o);
  const TimePoint after = kNow + std::chrono::hours(2);
  EXPECT_EQ(ReviewShieldOverride(*o, "m1", "Ending it after it expired", true, after).error().code,
            ErrorCode::kConflict);
  EXPECT_TRUE(ReviewShieldOverride(*o, "m1", "Justified: the hospital confirmed", false, after));
  EXPECT_FALSE(o->ended_early_at);
  EXPECT_EQ(o->EndsAt(), kNow + std::chrono::hours(1));
}

}  // namespace
}  // namespace kith::domain
