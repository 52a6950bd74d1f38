#include "domain/access_policy.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace kith::domain {
namespace {

struct Persona {
  std::string name;
  Actor actor;
  ChildRelation relation;
};

// The child belongs to authority "la1"; its team has a lead.
std::vector<Persona> Personas() {
  auto actor = [](Role role, std::string la, std::string agency, bool active = true) {
    return Actor{"u", role, std::move(la), std::move(agency), active};
  };
  auto rel = [](bool member, bool lead, bool own_agency_on_team) {
    return ChildRelation{"la1", member, lead, true, own_agency_on_team};
  };
  return {
      {"team member", actor(Role::kPractitioner, "la1", "school"), rel(true, false, true)},
      {"lead professional", actor(Role::kPractitioner, "la1", "csc"), rel(true, true, true)},
      {"practitioner same authority", actor(Role::kPractitioner, "la1", "gp"), rel(false, false, false)},
      {"practitioner elsewhere", actor(Role::kPractitioner, "la2", "gp2"), rel(false, false, false)},
      {"manager of a member", actor(Role::kManager, "la1", "school"), rel(false, false, true)},
      {"manager elsewhere", actor(Role::kManager, "la2", "school2"), rel(false, false, false)},
      {"authority admin", actor(Role::kAuthorityAdmin, "la1", "csc"), rel(false, false, true)},
      {"auditor", actor(Role::kAuditor, "la1", "csc"), rel(false, false, true)},
      {"auditor elsewhere", actor(Role::kAuditor, "la2", "x"), rel(false, false, false)},
      {"national admin", actor(Role::kNationalAdmin, "", ""), rel(false, false, false)},
      {"inactive lead", actor(Role::kPractitioner, "la1", "csc", false), rel(true, true, true)},
      {"family member", actor(Role::kFamily, "la1", ""), rel(true, true, true)},
  };
}

// Expected outcome of every child action for every persona: S signposting, A account,
// E edit, J join, L leave, H hand over lead, U audit view. '.' means denied.
const std::map<std::string, std::string> kExpected = {
    {"team member", "SAE.L.."},
    {"lead professional", "SAE.LHU"},
    {"practitioner same authority", "S..J..."},
    {"practitioner elsewhere", "S..J..."},
    {"manager of a member", "SA.J..."},
    {"manager elsewhere", "S..J..."},
    {"authority admin", "......."},
    {"auditor", "......U"},
    {"auditor elsewhere", "......."},
    {"national admin", "......."},
    {"inactive lead", "......."},
    {"family member", "......."},
};

constexpr ChildAction kActions[] = {ChildAction::kViewSignposting, ChildAction::kViewAccount, ChildAction::kEditRecord,
                                    ChildAction::kJoinTeam,        ChildAction::kLeaveTeam,   ChildAction::kChangeLead,
                                    ChildAction::kViewAudit};

TEST(AccessPolicyTest, ChildActionMatrix) {
  for (const auto& p : Personas()) {
    const std::string& expected = kExpected.at(p.name);
    for (size_t i = 0; i < std::size(kActions); ++i) {
      const Decision d = Decide(p.actor, kActions[i], p.relation);
      EXPECT_EQ(d.allowed, expected[i] != '.') << p.name << " / " << ToString(kActions[i]) << " (" << d.why << ")";
      EXPECT_FALSE(d.why.empty());
    }
  }
}

TEST(AccessPolicyTest, NoNonPractitionerEverSeesCaseContent) {
  // Exhaustive over every relation a caller could describe.
  for (Role role : {Role::kAuthorityAdmin, Role::kAuditor, Role::kNationalAdmin, Role::kFamily}) {
    for (int bits = 0; bits < 16; ++bits) {
      ChildRelation rel{"la1", (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0};
      Actor actor{"u", role, "la1", "a", true};
      EXPECT_FALSE(Decide(actor, ChildAction::kViewAccount, rel).allowed) << ToString(role) << bits;
      EXPECT_FALSE(Decide(actor, ChildAction::kEditRecord, rel).allowed) << ToString(role) << bits;
      EXPECT_FALSE(Decide(actor, ChildAction::kViewSignposting, rel).allowed) << ToString(role) << bits;
    }
  }
}

TEST(AccessPolicyTest, InactiveUsersAreDeniedEverything) {
  for (Role role : {Role::kPractitioner, Role::kManager, Role::kAuthorityAdmin, Role::kAuditor, Role::kNationalAdmin}) {
    Actor actor{"u", role, "la1", "a", false};
    ChildRelation rel{"la1", true, true, true, true};
    for (ChildAction a : kActions) EXPECT_FALSE(Decide(actor, a, rel).allowed);
    for (AuthorityAction a :
         {AuthorityAction::kCreateChild, AuthorityAction::kManageUsers, AuthorityAction::kManageAgencies,
          AuthorityAction::kViewAuthorityAudit, AuthorityAction::kReviewIndex, AuthorityAction::kImportIndex,
          AuthorityAction::kMergeIndex}) {
      EXPECT_FALSE(Decide(actor, a, "la1").allowed);
      actor.index_steward = true;
      EXPECT_FALSE(Decide(actor, a, "la1").allowed) << "an inactive steward";
      actor.index_steward = false;
    }
  }
}

TEST(AccessPolicyTest, MemberMayTakeLeadOnlyWhenTeamHasNone) {
  Actor actor{"u", Role::kPractitioner, "la1", "a", true};
  EXPECT_TRUE(Decide(actor, ChildAction::kChangeLead, {"la1", true, false, false, true}).allowed);
  EXPECT_FALSE(Decide(actor, ChildAction::kChangeLead, {"la1", true, false, true, true}).allowed);
}

TEST(AccessPolicyTest, AuthorityActionMatrix) {
  struct Row {
    Role role;
    std::string authority;
    bool steward;  // the index steward grant (counts only for roles that work with children)
    // C create child, U users, G agencies, A authority audit, R index review, I import feeds,
    // M merge and un-merge
    std::string expected;
  };
  const std::vector<Row> rows = {
      {Role::kPractitioner, "la1", false, "C......"},   {Role::kPractitioner, "la2", false, "......."},
      {Role::kPractitioner, "la1", true, "C...RIM"},    {Role::kPractitioner, "la2", true, "......."},
      {Role::kManager, "la1", false, "C...R.."},        {Role::kManager, "la2", false, "......."},
      {Role::kManager, "la1", true, "C...RIM"},         {Role::kManager, "la2", true, "......."},
      {Role::kAuthorityAdmin, "la1", false, ".UG...."}, {Role::kAuthorityAdmin, "la1", true, ".UG...."},
      {Role::kAuthorityAdmin, "la2", false, "......."}, {Role::kAuditor, "la1", false, "...A..."},
      {Role::kAuditor, "la1", true, "...A..."},         {Role::kAuditor, "la2", false, "......."},
      {Role::kNationalAdmin, "", false, ".UG...."},     {Role::kNationalAdmin, "", true, ".UG...."},
      {Role::kFamily, "la1", false, "......."},         {Role::kFamily, "la1", true, "......."},
  };
  const AuthorityAction actions[] = {AuthorityAction::kCreateChild,    AuthorityAction::kManageUsers,
                                     AuthorityAction::kManageAgencies, AuthorityAction::kViewAuthorityAudit,
                                     AuthorityAction::kReviewIndex,    AuthorityAction::kImportIndex,
                                     AuthorityAction::kMergeIndex};
  for (const auto& row : rows) {
    Actor actor{"u", row.role, row.authority, "a", true, row.steward};
    for (size_t i = 0; i < std::size(actions); ++i) {
      EXPECT_EQ(Decide(actor, actions[i], "la1").allowed, row.expected[i] != '.')
          << ToString(row.role) << "@" << row.authority << (row.steward ? " steward" : "") << " / "
          << ToString(actions[i]);
    }
  }
}

}  // namespace
}  // namespace kith::domain
