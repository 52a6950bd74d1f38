#include "domain/account/family.h"

#include <gtest/gtest.h>

#include "domain/account/chronology.h"

namespace kith::domain {
namespace {

TEST(FamilyCodes, RoundTrip) {
  for (auto v : {Visibility::kTeam, Visibility::kTeamAndFamily}) EXPECT_EQ(ParseVisibility(ToString(v)), v);
  for (auto r : AllRestrictionReasons()) EXPECT_EQ(ParseRestrictionReason(ToString(r)), r);
  for (auto r : {RestrictionReview::kNone, RestrictionReview::kPending, RestrictionReview::kConfirmed,
                 RestrictionReview::kLifted}) {
    EXPECT_EQ(ParseRestrictionReview(ToString(r)), r);
  }
  for (auto k : {FamilyEntryKind::kThoughts, FamilyEntryKind::kResponse, FamilyEntryKind::kDisagreement}) {
    EXPECT_EQ(ParseFamilyEntryKind(ToString(k)), k);
  }
  EXPECT_EQ(ParseFamilyRelation("young_person"), FamilyRelation::kYoungPerson);
  EXPECT_FALSE(ParseVisibility("family"));
  EXPECT_FALSE(ParseRestrictionReason("because"));
}

TEST(BuiltInDefault, SensitiveTypesAreTeamOnly) {
  int team_only = 0;
  for (auto t : AllEntryTypes()) team_only += BuiltInDefault(ToString(t)) == Visibility::kTeam ? 1 : 0;
  EXPECT_EQ(team_only, 4);
  EXPECT_EQ(BuiltInDefault("police_call_out"), Visibility::kTeam);
  EXPECT_EQ(BuiltInDefault("strategy_discussion"), Visibility::kTeam);
  EXPECT_EQ(BuiltInDefault("home_visit"), Visibility::kTeamAndFamily);
  EXPECT_EQ(BuiltInDefault(kForumThreadSubject), Visibility::kTeam);
}

TEST(ResolveVisibility, DefaultNeedsNoReason) {
  auto r = ResolveVisibility(std::nullopt, Visibility::kTeam);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->visibility, Visibility::kTeam);
  EXPECT_FALSE(r->reason);
  EXPECT_EQ(r->review, RestrictionReview::kNone);
  EXPECT_EQ(ResolveVisibility(std::nullopt, Visibility::kTeamAndFamily)->visibility, Visibility::kTeamAndFamily);
}

TEST(ResolveVisibility, RestrictionNeedsReasonAndGoesToReview) {
  auto missing = ResolveVisibility(VisibilityChoice{Visibility::kTeam, std::nullopt, ""}, Visibility::kTeamAndFamily);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "restriction_reason");
  auto other = ResolveVisibility(VisibilityChoice{Visibility::kTeam, RestrictionReason::kOther, "  "},
                                 Visibility::kTeamAndFamily);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().field, "restriction_text");
  auto ok = ResolveVisibility(VisibilityChoice{Visibility::kTeam, RestrictionReason::kThirdParty, ""},
                              Visibility::kTeamAndFamily);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->review, RestrictionReview::kPending);
  EXPECT_EQ(ok->reason, RestrictionReason::kThirdParty);
}

TEST(ResolveVisibility, VisibleWithReasonIsRefused) {
  auto r = ResolveVisibility(VisibilityChoice{Visibility::kTeamAndFamily, RestrictionReason::kOther, "x"},
                             Visibility::kTeam);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "restriction_reason");
}

TEST(ReviewRestriction, ConfirmKeepsLiftShows) {
  VisibilityRecord pending{Visibility::kTeam, RestrictionReason::kRiskOfHarm, "", RestrictionReview::kPending};
  auto confirmed = ReviewRestriction(pending, false);
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->visibility, Visibility::kTeam);
  EXPECT_EQ(confirmed->review, RestrictionReview::kConfirmed);
  auto lifted = ReviewRestriction(pending, true);
  ASSERT_TRUE(lifted);
  EXPECT_EQ(lifted->visibility, Visibility::kTeamAndFamily);
  EXPECT_EQ(lifted->review, RestrictionReview::kLifted);
  EXPECT_FALSE(ReviewRestriction(*confirmed, true));
}

// Entry visibility × restriction × viewer: what a family member linked (or not) sees.
TEST(FamilyVisibilityMatrix, OnlyLinkedActiveFamilySeesFamilyVisible) {
  struct Cell {
    std::optional<VisibilityRecord> record;
    const char* name;
    bool visible;
  };
  const std::vector<Cell> subjects = {
      {std::nullopt, "no record (fail closed)", false},
      {VisibilityRecord{Visibility::kTeam, std::nullopt, "", RestrictionReview::kNone}, "team by default", false},
      {VisibilityRecord{Visibility::kTeam, RestrictionReason::kRiskOfHarm, "", RestrictionReview::kPending},
       "restricted, pending", false},
      {VisibilityRecord{Visibility::kTeam, RestrictionReason::kPoliceInvestigation, "", RestrictionReview::kConfirmed},
       "restricted, confirmed", false},
      {VisibilityRecord{Visibility::kTeamAndFamily, RestrictionReason::kThirdParty, "", RestrictionReview::kLifted},
       "restriction lifted", true},
      {VisibilityRecord{Visibility::kTeamAndFamily, std::nullopt, "", RestrictionReview::kNone}, "family-visible",
       true},
  };
  const FamilyActor parent{"U1", true, {{"C1", FamilyRelation::kParentCarer}, {"C2", FamilyRelation::kParentCarer}}};
  const FamilyActor sibling_only{"U2", true, {{"C2", FamilyRelation::kParentCarer}}};
  const FamilyActor young{"U3", true, {{"C1", FamilyRelation::kYoungPerson}}};
  const FamilyActor other{"U4", true, {{"C9", FamilyRelation::kParentCarer}}};
  const FamilyActor suspended{"U5", false, {{"C1", FamilyRelation::kParentCarer}}};
  struct Viewer {
    const FamilyActor& actor;
    bool linked_to_c1;
  };
  const std::vector<Viewer> viewers = {
      {parent, true}, {sibling_only, false}, {young, true}, {other, false}, {suspended, false}};
  for (const auto& s : subjects) {
    for (const auto& v : viewers) {
      for (auto action : {FamilyAction::kViewChild, FamilyAction::kAddEntry, FamilyAction::kExport}) {
        const bool allowed = DecideFamily(v.actor, action, "C1").allowed;
        EXPECT_EQ(allowed, v.linked_to_c1) << v.actor.user_id << " " << ToString(action);
        const bool sees = allowed && FamilyMaySee(s.record ? &*s.record : nullptr);
        EXPECT_EQ(sees, v.linked_to_c1 && s.visible) << v.actor.user_id << " " << s.name;
      }
    }
  }
  EXPECT_TRUE(DecideFamily(parent, FamilyAction::kViewChild, "C2").allowed);
  EXPECT_FALSE(DecideFamily(young, FamilyAction::kViewChild, "C2").allowed);
}

TEST(CheckNewLink, ParentsLinkSiblingsYoungPeopleOnlyThemselves) {
  std::vector<FamilyLink> parent = {{"C1", FamilyRelation::kParentCarer}};
  EXPECT_TRUE(CheckNewLink(parent, "C2", FamilyRelation::kParentCarer));
  EXPECT_FALSE(CheckNewLink(parent, "C1", FamilyRelation::kParentCarer));
  EXPECT_FALSE(CheckNewLink(parent, "C2", FamilyRelation::kYoungPerson));
  std::vector<FamilyLink> young = {{"C1", FamilyRelation::kYoungPerson}};
  EXPECT_FALSE(CheckNewLink(young, "C2", FamilyRelation::kParentCarer));
  EXPECT_TRUE(CheckNewLink({}, "C1", FamilyRelation::kYoungPerson));
}

TEST(CheckYoungPersonAge, FromTheThreshold) {
  EXPECT_FALSE(CheckYoungPersonAge(12, kDefaultYoungPersonMinAge));
  EXPECT_TRUE(CheckYoungPersonAge(13, kDefaultYoungPersonMinAge));
  EXPECT_TRUE(CheckYoungPersonAge(12, 12));
}

TEST(IdentityMatches, DateAndPostcodeIgnoringSpacesAndCase) {
  const Date dob{2019, 3, 14};
  EXPECT_TRUE(IdentityMatches(dob, "NB1 4QT", dob, "nb14qt"));
  EXPECT_FALSE(IdentityMatches(dob, "NB1 4QT", Date{2019, 3, 15}, "NB1 4QT"));
  EXPECT_FALSE(IdentityMatches(dob, "NB1 4QT", dob, "NB1 4QU"));
  EXPECT_FALSE(IdentityMatches(std::nullopt, "NB1 4QT", dob, "NB1 4QT"));
  EXPECT_FALSE(IdentityMatches(dob, "", dob, ""));
}

TEST(ValidateFamilyEntry, KindsAndText) {
  EXPECT_TRUE(ValidateFamilyEntry(FamilyEntryKind::kThoughts, "", "We are trying our best."));
  EXPECT_EQ(ValidateFamilyEntry(FamilyEntryKind::kThoughts, "E1", "x").error().field, "about_entry_id");
  EXPECT_EQ(ValidateFamilyEntry(FamilyEntryKind::kDisagreement, "", "x").error().field, "about_entry_id");
  EXPECT_EQ(ValidateFamilyEntry(FamilyEntryKind::kResponse, "E1", " \n").error().field, "text");
  EXPECT_TRUE(ValidateFamilyEntry(FamilyEntryKind::kResponse, "E1", "That is not what happened."));
}

}  // namespace
}  // namespace kith::domain
