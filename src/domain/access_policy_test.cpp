#include "domain/access_policy.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace kith::domain {
namespace {

// A relation to a child of authority "la1".
struct Rel {
  bool member = false;
  bool lead = false;
  bool team_has_lead = true;
  bool own_agency_on_team = false;
  bool shielded = false;
  bool agency_involved = false;
  bool duty_team = false;
  bool break_glass = false;

  ChildRelation operator()() const {
    return ChildRelation{"la1",    member,          lead,      team_has_lead, own_agency_on_team,
                         shielded, agency_involved, duty_team, break_glass};
  }
};

struct Persona {
  std::string name;
  Actor actor;
  ChildRelation relation;
};

Actor MakeActor(Role role, std::string la, bool active = true) {
  return Actor{"u", role, std::move(la), "agency", active};
}

// Every kind of caller, including the rules in combination: a shield with supervision, with
// break-glass, with team membership; administrators and auditors whatever relation they claim.
std::vector<Persona> Personas() {
  Actor ig = MakeActor(Role::kAuditor, "la1");
  ig.information_governance = true;
  Actor admin_ig = MakeActor(Role::kAuthorityAdmin, "la1");
  admin_ig.information_governance = true;  // a row that should never exist: still no case content
  Actor practitioner_ig = MakeActor(Role::kPractitioner, "la1");
  practitioner_ig.information_governance = true;
  return {
      {"team member", MakeActor(Role::kPractitioner, "la1"), Rel{.member = true, .own_agency_on_team = true}()},
      {"lead professional", MakeActor(Role::kPractitioner, "la1"),
       Rel{.member = true, .lead = true, .own_agency_on_team = true}()},
      {"lead of a shielded child", MakeActor(Role::kPractitioner, "la1"),
       Rel{.member = true, .lead = true, .own_agency_on_team = true, .shielded = true}()},
      {"practitioner same authority", MakeActor(Role::kPractitioner, "la1"), Rel{}()},
      {"practitioner elsewhere", MakeActor(Role::kPractitioner, "la2"), Rel{}()},
      {"practitioner of an involved agency", MakeActor(Role::kPractitioner, "la1"), Rel{.agency_involved = true}()},
      {"duty team, child has a lead", MakeActor(Role::kPractitioner, "la1"), Rel{.duty_team = true}()},
      {"duty team, no lead", MakeActor(Role::kPractitioner, "la1"), Rel{.team_has_lead = false, .duty_team = true}()},
      {"break-glass in force", MakeActor(Role::kPractitioner, "la2"), Rel{.break_glass = true}()},
      {"break-glass on a shielded child", MakeActor(Role::kPractitioner, "la2"),
       Rel{.shielded = true, .break_glass = true}()},
      {"manager of a member", MakeActor(Role::kManager, "la1"), Rel{.own_agency_on_team = true}()},
      {"manager of a member, shielded child", MakeActor(Role::kManager, "la1"),
       Rel{.own_agency_on_team = true, .shielded = true}()},
      {"manager of a member, shielded, break-glass", MakeActor(Role::kManager, "la1"),
       Rel{.own_agency_on_team = true, .shielded = true, .break_glass = true}()},
      {"manager elsewhere", MakeActor(Role::kManager, "la2"), Rel{}()},
      {"authority admin", MakeActor(Role::kAuthorityAdmin, "la1"), Rel{.own_agency_on_team = true}()},
      {"admin claiming every relation", MakeActor(Role::kAuthorityAdmin, "la1"),
       Rel{true, true, true, true, false, true, true, true}()},
      {"admin with a governance row", admin_ig, Rel{}()},
      {"auditor", MakeActor(Role::kAuditor, "la1"), Rel{.own_agency_on_team = true}()},
      {"information governance", ig, Rel{}()},
      {"practitioner with governance", practitioner_ig, Rel{}()},
      {"auditor elsewhere", MakeActor(Role::kAuditor, "la2"), Rel{}()},
      {"national admin", MakeActor(Role::kNationalAdmin, ""), Rel{}()},
      {"inactive lead", MakeActor(Role::kPractitioner, "la1", false), Rel{.member = true, .lead = true}()},
      {"family member", MakeActor(Role::kFamily, "la1"), Rel{true, true, true, true, false, true, true, true}()},
  };
}

constexpr ChildAction kActions[] = {
    ChildAction::kViewSignposting, ChildAction::kViewAccount,  ChildAction::kViewEarlyHelp, ChildAction::kContribute,
    ChildAction::kEditRecord,      ChildAction::kChangeShield, ChildAction::kLeadAct,       ChildAction::kRequestJoin,
    ChildAction::kDecideJoin,      ChildAction::kLeaveTeam,    ChildAction::kChangeLead,    ChildAction::kBreakGlass,
    ChildAction::kViewAudit,       ChildAction::kSubjectAccess};

// Expected outcome of every child action for every persona, in kActions' order:
// S signposting, A account, E early help, C contribute, R edit record, Z change shield,
// L lead act, J request to join, D decide a request, V leave, H hand over lead, G break the
// glass, U audit trail, X subject access. '.' means denied.
const std::map<std::string, std::string> kExpected = {
    {"team member", "SAECRZ...V...."},
    {"lead professional", "SAECRZL.DVH.U."},
    {"lead of a shielded child", "SAECRZL.DVH.U."},
    {"practitioner same authority", "S......J...G.."},
    {"practitioner elsewhere", "S......J...G.."},
    {"practitioner of an involved agency", "S......J...G.."},
    {"duty team, child has a lead", "S......J...G.."},
    {"duty team, no lead", "S......JD..G.."},
    {"break-glass in force", "SAE....J...G.."},
    {"break-glass on a shielded child", "SAE....J...G.."},
    {"manager of a member", "SA.....JD..G.."},
    {"manager of a member, shielded child", "S......JD..G.."},
    {"manager of a member, shielded, break-glass", "SAE....JD..G.."},
    {"manager elsewhere", "S......J...G.."},
    {"authority admin", ".............."},
    {"admin claiming every relation", ".........V...."},
    {"admin with a governance row", ".............."},
    {"auditor", "............U."},
    {"information governance", "............UX"},
    {"practitioner with governance", "S......J...G.X"},
    {"auditor elsewhere", ".............."},
    {"national admin", ".............."},
    {"inactive lead", ".............."},
    {"family member", ".............."},
};

TEST(AccessPolicyTest, ChildActionMatrix) {
  for (const auto& p : Personas()) {
    const std::string& expected = kExpected.at(p.name);
    ASSERT_EQ(expected.size(), std::size(kActions)) << p.name;
    for (size_t i = 0; i < std::size(kActions); ++i) {
      const Decision d = Decide(p.actor, kActions[i], p.relation);
      EXPECT_EQ(d.allowed, expected[i] != '.') << p.name << " / " << ToString(kActions[i]) << " (" << d.why << ")";
      EXPECT_FALSE(d.why.empty());
    }
  }
}

TEST(AccessPolicyTest, NoNonPractitionerEverSeesCaseContent) {
  // Exhaustive over every relation a caller could describe, with and without permissions.
  const ChildAction content[] = {ChildAction::kViewAccount, ChildAction::kViewEarlyHelp, ChildAction::kContribute,
                                 ChildAction::kEditRecord, ChildAction::kViewSignposting};
  for (Role role : {Role::kAuthorityAdmin, Role::kAuditor, Role::kNationalAdmin, Role::kFamily}) {
    for (int bits = 0; bits < 256; ++bits) {
      auto b = [&](int i) { return (bits & (1 << i)) != 0; };
      ChildRelation rel{"la1", b(0), b(1), b(2), b(3), b(4), b(5), b(6), b(7)};
      Actor actor{"u", role, "la1", "a", true, true, true};
      for (ChildAction a : content) EXPECT_FALSE(Decide(actor, a, rel).allowed) << ToString(role) << bits;
      // Administrators never export a child's record, whatever permission a stored row claims.
      if (IsAdministrator(role)) EXPECT_FALSE(Decide(actor, ChildAction::kSubjectAccess, rel).allowed);
    }
  }
}

TEST(AccessPolicyTest, ShieldIsNeverLiftedBySupervisionAlone) {
  for (int bits = 0; bits < 64; ++bits) {
    auto b = [&](int i) { return (bits & (1 << i)) != 0; };
    ChildRelation rel{"la1", false, false, b(0), b(1), true, b(2), b(3), false};
    rel.lead = false;
    Actor manager{"u", Role::kManager, b(4) ? "la1" : "la2", "a", true, b(5)};
    EXPECT_FALSE(Decide(manager, ChildAction::kViewAccount, rel).allowed) << bits;
    EXPECT_FALSE(Decide(manager, ChildAction::kViewEarlyHelp, rel).allowed) << bits;
  }
}

TEST(AccessPolicyTest, BreakGlassReadsButNeverChanges) {
  for (Role role : {Role::kPractitioner, Role::kManager}) {
    const Actor actor = MakeActor(role, "la2");
    const ChildRelation rel = Rel{.shielded = true, .break_glass = true}();
    EXPECT_TRUE(Decide(actor, ChildAction::kViewAccount, rel).allowed);
    for (ChildAction a : {ChildAction::kContribute, ChildAction::kEditRecord, ChildAction::kChangeShield,
                          ChildAction::kLeadAct, ChildAction::kChangeLead, ChildAction::kLeaveTeam}) {
      EXPECT_FALSE(Decide(actor, a, rel).allowed) << ToString(a);
    }
  }
}

TEST(AccessPolicyTest, JoinIsApprovedAtOnceOnlyForAnInvolvedAgencyAndAnUnshieldedChild) {
  EXPECT_TRUE(JoinApprovedAtOnce(Rel{.agency_involved = true}()));
  EXPECT_FALSE(JoinApprovedAtOnce(Rel{.shielded = true, .agency_involved = true}()));
  EXPECT_FALSE(JoinApprovedAtOnce(Rel{}()));
  EXPECT_FALSE(JoinApprovedAtOnce(Rel{.own_agency_on_team = true}()));  // a colleague on the team is not involvement
  EXPECT_FALSE(JoinApprovedAtOnce(Rel{.duty_team = true}()));
}

TEST(AccessPolicyTest, InactiveUsersAreDeniedEverything) {
  for (Role role : {Role::kPractitioner, Role::kManager, Role::kAuthorityAdmin, Role::kAuditor, Role::kNationalAdmin}) {
    Actor actor{"u", role, "la1", "a", false, false, true};
    const ChildRelation rel{"la1", true, true, true, true, false, true, true, true};
    for (ChildAction a : kActions) EXPECT_FALSE(Decide(actor, a, rel).allowed);
    for (AuthorityAction a :
         {AuthorityAction::kCreateChild, AuthorityAction::kManageUsers, AuthorityAction::kManageAgencies,
          AuthorityAction::kViewAuthorityAudit, AuthorityAction::kReviewIndex, AuthorityAction::kImportIndex,
          AuthorityAction::kMergeIndex, AuthorityAction::kReviewBreakGlass}) {
      EXPECT_FALSE(Decide(actor, a, "la1").allowed);
      actor.index_steward = true;
      EXPECT_FALSE(Decide(actor, a, "la1").allowed) << "an inactive steward";
      actor.index_steward = false;
    }
  }
}

TEST(AccessPolicyTest, MemberMayTakeLeadOnlyWhenTeamHasNone) {
  const Actor actor = MakeActor(Role::kPractitioner, "la1");
  EXPECT_TRUE(Decide(actor, ChildAction::kChangeLead, Rel{.member = true, .team_has_lead = false}()).allowed);
  EXPECT_FALSE(Decide(actor, ChildAction::kChangeLead, Rel{.member = true}()).allowed);
}

TEST(AccessPolicyTest, AuthorityActionMatrix) {
  struct Row {
    Role role;
    std::string authority;
    bool steward;  // the index steward grant (counts only for roles that work with children)
    // C create child, U users, G agencies, A authority audit, R index review, I import feeds,
    // M merge and un-merge, B review break-glass
    std::string expected;
  };
  const std::vector<Row> rows = {
      {Role::kPractitioner, "la1", false, "C......."},   {Role::kPractitioner, "la2", false, "........"},
      {Role::kPractitioner, "la1", true, "C...RIM."},    {Role::kPractitioner, "la2", true, "........"},
      {Role::kManager, "la1", false, "C...R..B"},        {Role::kManager, "la2", false, "........"},
      {Role::kManager, "la1", true, "C...RIMB"},         {Role::kManager, "la2", true, "........"},
      {Role::kAuthorityAdmin, "la1", false, ".UG....."}, {Role::kAuthorityAdmin, "la1", true, ".UG....."},
      {Role::kAuthorityAdmin, "la2", false, "........"}, {Role::kAuditor, "la1", false, "...A...."},
      {Role::kAuditor, "la1", true, "...A...."},         {Role::kAuditor, "la2", false, "........"},
      {Role::kNationalAdmin, "", false, ".UG....."},     {Role::kNationalAdmin, "", true, ".UG....."},
      {Role::kFamily, "la1", false, "........"},         {Role::kFamily, "la1", true, "........"},
  };
  const AuthorityAction actions[] = {AuthorityAction::kCreateChild,    AuthorityAction::kManageUsers,
                                     AuthorityAction::kManageAgencies, AuthorityAction::kViewAuthorityAudit,
                                     AuthorityAction::kReviewIndex,    AuthorityAction::kImportIndex,
                                     AuthorityAction::kMergeIndex,     AuthorityAction::kReviewBreakGlass};
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
