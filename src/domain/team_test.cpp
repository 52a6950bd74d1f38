#include "domain/team.h"

#include <gtest/gtest.h>

namespace kith::domain {
namespace {

User Practitioner(std::string id) {
  User u;
  u.id = std::move(id);
  u.role = Role::kPractitioner;
  return u;
}

const TimePoint kNow = FromMicros(1'800'000'000'000'000);

TEST(TeamTest, JoinRequiresRoleAndReason) {
  Team team;
  auto ok = Join(team, Practitioner("u1"), "c1", " Class teacher ", "Concerns raised at school today", kNow);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->role, "Class teacher");
  EXPECT_FALSE(ok->lead);
  EXPECT_EQ(Join(team, Practitioner("u1"), "c1", "", "Concerns raised at school", kNow).error().field, "role");
  EXPECT_EQ(Join(team, Practitioner("u1"), "c1", "Teacher", "short", kNow).error().field, "reason");
}

TEST(TeamTest, CannotJoinTwiceOrAsAdministrator) {
  Team team{{"c1", "u1", "GP", "Registered patient", kNow, true}};
  EXPECT_EQ(Join(team, Practitioner("u1"), "c1", "GP", "Registered patient", kNow).error().code, ErrorCode::kConflict);
  User admin = Practitioner("u2");
  admin.role = Role::kAuthorityAdmin;
  EXPECT_EQ(Join(team, admin, "c1", "Admin", "Checking the record", kNow).error().code, ErrorCode::kForbidden);
  User inactive = Practitioner("u3");
  inactive.active = false;
  EXPECT_EQ(Join(team, inactive, "c1", "GP", "Registered patient", kNow).error().code, ErrorCode::kForbidden);
}

TEST(TeamTest, LeadMustHandOverBeforeLeavingColleagues) {
  Team team{{"c1", "lead", "Social worker", "Allocated", kNow, true},
            {"c1", "u2", "Teacher", "Class teacher", kNow, false}};
  EXPECT_EQ(CheckLeave(team, "lead").error().code, ErrorCode::kConflict);
  EXPECT_TRUE(CheckLeave(team, "u2"));
  EXPECT_EQ(CheckLeave(team, "stranger").error().code, ErrorCode::kNotFound);
  Team alone{{"c1", "lead", "Social worker", "Allocated", kNow, true}};
  EXPECT_TRUE(CheckLeave(alone, "lead"));
}

TEST(TeamTest, OnlyTheLeadHandsOverAndOnlyToAMember) {
  Team team{{"c1", "lead", "Social worker", "Allocated", kNow, true},
            {"c1", "u2", "Teacher", "Class teacher", kNow, false},
            {"c1", "u3", "GP", "Registered", kNow, false}};
  auto change = Handover(team, "lead", "u2");
  ASSERT_TRUE(change);
  EXPECT_EQ(change->from_user_id, "lead");
  EXPECT_EQ(change->to_user_id, "u2");
  EXPECT_EQ(Handover(team, "u3", "u2").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(Handover(team, "outsider", "u2").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(Handover(team, "lead", "outsider").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Handover(team, "lead", "lead").error().code, ErrorCode::kConflict);
}

TEST(TeamTest, AnyMemberMayAssignALeadWhenThereIsNone) {
  Team team{{"c1", "u2", "Teacher", "Class teacher", kNow, false}, {"c1", "u3", "GP", "Registered", kNow, false}};
  auto change = Handover(team, "u2", "u3");
  ASSERT_TRUE(change);
  EXPECT_FALSE(change->from_user_id.has_value());
  EXPECT_TRUE(Handover(team, "u3", "u3"));
}

}  // namespace
}  // namespace kith::domain
