// Property-based test of the access policy (issue 17): random actors, relations, flags and
// actions, each decision of domain::Decide checked against the documentation's reference table
// (domain/test_access_reference.h), written apart from the policy's code. The rules are each
// tested alone in access_policy_test.cpp; holes live where they meet, so every fact is drawn
// independently and every combination can come up. The seed is printed; KITH_PROPTEST_SEED
// replays a run, KITH_PROPTEST_CASES changes its size.
#include <gtest/gtest.h>

#include <string>

#include "common/test_seed.h"
#include "domain/access_policy.h"
#include "domain/test_access_reference.h"

namespace kith::domain {
namespace {

using reference::Act;
using reference::AuthorityAct;
using reference::Facts;
using reference::Kind;

constexpr Kind kKinds[] = {Kind::kPractitioner, Kind::kPractitioner, Kind::kManager,  Kind::kManager,
                           Kind::kAuthorityAdmin, Kind::kAuditor,    Kind::kNationalAdmin, Kind::kFamily};

// Facts that can hold together: a lead is on the team and the team then has a lead; the duty
// team is of the child's authority; a family member has no agency. Break-glass in force is drawn
// freely (even for someone on the team, or an administrator): the policy must hold whatever its
// caller says.
Facts DrawFacts(testing::Draw& d) {
  Facts f;
  f.kind = d.Pick(kKinds);
  f.active = d.Chance(85);
  f.same_authority = d.Chance(70);
  f.steward_grant = d.Chance(25);
  f.ig_grant = d.Chance(25);
  f.on_team = d.Chance(35);
  f.is_lead = f.on_team && d.Chance(40);
  f.team_has_lead = f.is_lead || d.Chance(50);
  f.shielded = d.Chance(40);
  f.break_glass_in_force = d.Chance(25);
  if (f.kind != Kind::kFamily) {
    f.colleague_on_team = d.Chance(35);
    f.agency_involved = d.Chance(35);
    f.duty_team = f.same_authority && d.Chance(30);
  }
  f.family_linked = f.kind == Kind::kFamily && d.Chance(70);
  return f;
}

Role RoleOf(Kind k) {
  switch (k) {
    case Kind::kPractitioner:
      return Role::kPractitioner;
    case Kind::kManager:
      return Role::kManager;
    case Kind::kAuthorityAdmin:
      return Role::kAuthorityAdmin;
    case Kind::kAuditor:
      return Role::kAuditor;
    case Kind::kNationalAdmin:
      return Role::kNationalAdmin;
    case Kind::kFamily:
      return Role::kFamily;
  }
  return Role::kPractitioner;
}

// The policy's inputs for the facts: the child is of "la1", the actor of "la1" or "la2".
Actor ActorFor(const Facts& f) {
  Actor a;
  a.user_id = "u1";
  a.role = RoleOf(f.kind);
  a.authority_id = f.same_authority ? "la1" : "la2";
  a.agency_id = f.kind == Kind::kFamily ? "" : (f.duty_team ? "ag-csc" : "ag-other");
  a.active = f.active;
  a.index_steward = f.steward_grant;
  a.information_governance = f.ig_grant;
  return a;
}

ChildRelation RelationFor(const Facts& f) {
  ChildRelation r;
  r.child_authority_id = "la1";
  r.team_member = f.on_team;
  r.lead = f.is_lead;
  r.team_has_lead = f.team_has_lead;
  r.team_includes_actors_agency = f.colleague_on_team;
  r.shielded = f.shielded;
  r.agency_involved = f.agency_involved;
  r.duty_team = f.duty_team;
  r.break_glass = f.break_glass_in_force;
  return r;
}

std::optional<ChildAction> PolicyAction(Act a) {
  switch (a) {
    case Act::kSignposting:
      return ChildAction::kViewSignposting;
    case Act::kAccount:
      return ChildAction::kViewAccount;
    case Act::kEarlyHelp:
      return ChildAction::kViewEarlyHelp;
    case Act::kContribute:
      return ChildAction::kContribute;
    case Act::kEditRecord:
      return ChildAction::kEditRecord;
    case Act::kShield:
      return ChildAction::kChangeShield;
    case Act::kLeadAct:
      return ChildAction::kLeadAct;
    case Act::kAskToJoin:
      return ChildAction::kRequestJoin;
    case Act::kDecideJoin:
      return ChildAction::kDecideJoin;
    case Act::kLeave:
      return ChildAction::kLeaveTeam;
    case Act::kChangeLead:
      return ChildAction::kChangeLead;
    case Act::kBreakGlass:
      return ChildAction::kBreakGlass;
    case Act::kAuditTrail:
      return ChildAction::kViewAudit;
    case Act::kSubjectAccess:
      return ChildAction::kSubjectAccess;
    case Act::kFamilyPortal:
      return std::nullopt;  // family.h's DecideFamily, checked by the app-level property test
  }
  return std::nullopt;
}

AuthorityAction PolicyAction(AuthorityAct a) {
  switch (a) {
    case AuthorityAct::kCreateChild:
      return AuthorityAction::kCreateChild;
    case AuthorityAct::kManageUsers:
      return AuthorityAction::kManageUsers;
    case AuthorityAct::kManageAgencies:
      return AuthorityAction::kManageAgencies;
    case AuthorityAct::kAuthorityAudit:
      return AuthorityAction::kViewAuthorityAudit;
    case AuthorityAct::kReviewIndex:
      return AuthorityAction::kReviewIndex;
    case AuthorityAct::kImportIndex:
      return AuthorityAction::kImportIndex;
    case AuthorityAct::kMergeIndex:
      return AuthorityAction::kMergeIndex;
    case AuthorityAct::kReviewBreakGlass:
      return AuthorityAction::kReviewBreakGlass;
  }
  return AuthorityAction::kCreateChild;
}

constexpr int kMaxReported = 10;

TEST(AccessPolicyProperty, EveryDecisionMatchesTheDocumentedTable) {
  const uint64_t seed = testing::PropertySeed("AccessPolicyProperty.EveryDecisionMatchesTheDocumentedTable");
  SCOPED_TRACE("seed " + std::to_string(seed) + " (KITH_PROPTEST_SEED replays it)");
  testing::Draw d(seed);
  const int cases = testing::PropertyCases(200'000);
  int failures = 0;
  int allowed = 0;
  for (int i = 0; i < cases && failures < kMaxReported; ++i) {
    const Facts f = DrawFacts(d);
    const Actor actor = ActorFor(f);
    const ChildRelation rel = RelationFor(f);
    if (d.Chance(80)) {
      const Act act = d.Pick(reference::kAllActs);
      const auto action = PolicyAction(act);
      if (!action) continue;
      const auto want = reference::Expect(f, act);
      const auto got = Decide(actor, *action, rel);
      allowed += got.allowed;
      if (got.allowed != want.allowed) {
        ++failures;
        ADD_FAILURE() << "case " << i << ": " << f.Describe() << " — " << reference::Name(act) << ": the policy "
                      << (got.allowed ? "allows" : "refuses") << " (" << got.why << "), the documentation "
                      << (want.allowed ? "allows" : "refuses") << " (" << want.rule << ")";
      }
      if (act == Act::kAskToJoin && want.allowed && JoinApprovedAtOnce(rel) != reference::JoinsAtOnce(f)) {
        ++failures;
        ADD_FAILURE() << "case " << i << ": " << f.Describe() << " — joining at once: the policy says "
                      << JoinApprovedAtOnce(rel) << ", the documentation " << reference::JoinsAtOnce(f);
      }
    } else {
      const AuthorityAct act = d.Pick(reference::kAllAuthorityActs);
      const auto want = reference::Expect(f, act);
      const auto got = Decide(actor, PolicyAction(act), "la1");
      allowed += got.allowed;
      if (got.allowed != want.allowed) {
        ++failures;
        ADD_FAILURE() << "case " << i << ": " << f.Describe() << " — " << reference::Name(act) << " of la1: the policy "
                      << (got.allowed ? "allows" : "refuses") << " (" << got.why << "), the documentation "
                      << (want.allowed ? "allows" : "refuses") << " (" << want.rule << ")";
      }
    }
  }
  // A generator that never reached an allowed decision would check nothing.
  EXPECT_GT(allowed, cases / 20) << "too few allowed decisions to mean anything";
}

}  // namespace
}  // namespace kith::domain
