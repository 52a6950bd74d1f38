#include "domain/account/family.h"

#include <gtest/gtest.h>

#include <algorithm>

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

// Nothing is shared by default; the sensitive types and serious entries stay within the team
// whatever the authority sets; an authority can share other types by default.
TEST(DefaultVisibility, TeamOnlyUnlessTheAuthorityChoseAndNeverBelowTheFloor) {
  const std::vector<std::string_view> sensitive = {
      "incident", "hospital_attendance", "police_call_out", "strategy_discussion", "case_conference",
      "referral", kForumThreadSubject};
  std::vector<std::string> subjects;
  for (auto t : AllEntryTypes()) subjects.emplace_back(ToString(t));
  subjects.emplace_back(kForumThreadSubject);
  for (const auto& type : subjects) {
    const bool floor = std::find(sensitive.begin(), sensitive.end(), type) != sensitive.end();
    EXPECT_EQ(IsSensitiveSubject(type), floor) << type;
    for (bool serious : {false, true}) {
      for (std::optional<Visibility> setting :
           {std::optional<Visibility>{}, std::optional(Visibility::kTeam), std::optional(Visibility::kTeamAndFamily)}) {
        const bool shared = !floor && !serious && setting == Visibility::kTeamAndFamily;
        EXPECT_EQ(DefaultVisibility(type, serious, setting), shared ? Visibility::kTeamAndFamily : Visibility::kTeam)
            << type << " serious=" << serious;
      }
    }
    EXPECT_TRUE(CheckAuthorityDefault(type, Visibility::kTeam));
    auto looser = CheckAuthorityDefault(type, Visibility::kTeamAndFamily);
    EXPECT_EQ(looser.ok(), !floor) << type;
    if (!looser) {
      EXPECT_EQ(looser.error().field, "defaults." + type);
    }
  }
  EXPECT_EQ(SensitiveSubjectTypes().size(), sensitive.size());
}

TEST(ResolveVisibility, DefaultNeedsNoReason) {
  auto r = ResolveVisibility(std::nullopt, Visibility::kTeam);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->visibility, Visibility::kTeam);
  EXPECT_FALSE(r->reason);
  EXPECT_EQ(r->review, RestrictionReview::kNone);
  EXPECT_EQ(ResolveVisibility(std::nullopt, Visibility::kTeamAndFamily)->visibility, Visibility::kTeamAndFamily);
}

TEST(ResolveVisibility, TeamWithoutReasonIsNotARestriction) {
  auto r = ResolveVisibility(VisibilityChoice{Visibility::kTeam, std::nullopt, ""}, Visibility::kTeamAndFamily);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->visibility, Visibility::kTeam);
  EXPECT_FALSE(r->reason);
  EXPECT_EQ(r->review, RestrictionReview::kNone);
  auto text_only = ResolveVisibility(VisibilityChoice{Visibility::kTeam, std::nullopt, "why"}, Visibility::kTeam);
  ASSERT_FALSE(text_only);
  EXPECT_EQ(text_only.error().field, "restriction_reason");
}

TEST(ResolveVisibility, RestrictionNeedsAReasonTextForOtherAndGoesToReview) {
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

TEST(ConfirmRestriction, KeepsItFromTheFamilyOnce) {
  VisibilityRecord pending{Visibility::kTeam, RestrictionReason::kRiskOfHarm, "", RestrictionReview::kPending};
  auto confirmed = ConfirmRestriction(pending);
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->visibility, Visibility::kTeam);
  EXPECT_EQ(confirmed->review, RestrictionReview::kConfirmed);
  EXPECT_EQ(ConfirmRestriction(*confirmed).error().code, ErrorCode::kConflict);
}

// Who must agree to release: each holder other than the releaser's own agency, once.
TEST(AgreementNeeded, TheRecordingAndRestrictingAgenciesOtherThanYourOwn) {
  const Holders police_on_police{"APOL", "APOL"};
  EXPECT_TRUE(AgreementNeeded(police_on_police, "APOL").empty());
  EXPECT_EQ(AgreementNeeded(police_on_police, "ACSC"), std::vector<std::string>{"APOL"});
  const Holders police_restricted_gp{"AGP", "APOL"};
  EXPECT_EQ(AgreementNeeded(police_restricted_gp, "ACSC"), (std::vector<std::string>{"AGP", "APOL"}));
  EXPECT_EQ(AgreementNeeded(police_restricted_gp, "AGP"), std::vector<std::string>{"APOL"});
  EXPECT_EQ(AgreementNeeded(police_restricted_gp, "APOL"), std::vector<std::string>{"AGP"});
  const Holders assessment{"", "ACSC"};
  EXPECT_TRUE(AgreementNeeded(assessment, "ACSC").empty());
  EXPECT_EQ(AgreementNeeded(assessment, "AHV"), std::vector<std::string>{"ACSC"});
  EXPECT_TRUE(AgreementNeeded(Holders{"", ""}, "AHV").empty());
}

// Holding back is open to anyone, except replacing another agency's hold (which would let the
// replacing agency release it alone).
TEST(CheckRestrict, AnotherAgencysHoldIsTheirs) {
  const VisibilityRecord shared{Visibility::kTeamAndFamily, std::nullopt, "", RestrictionReview::kNone};
  const VisibilityRecord held{Visibility::kTeam, std::nullopt, "", RestrictionReview::kNone};
  const VisibilityRecord restricted{Visibility::kTeam, RestrictionReason::kPoliceInvestigation, "",
                                    RestrictionReview::kConfirmed};
  const VisibilityRecord lifted{Visibility::kTeamAndFamily, RestrictionReason::kThirdParty, "",
                                RestrictionReview::kLifted};
  EXPECT_TRUE(CheckRestrict(shared, {"AGP", "AGP"}, "ACSC"));
  EXPECT_TRUE(CheckRestrict(lifted, {"AGP", "APOL"}, "ACSC"));
  EXPECT_TRUE(CheckRestrict(held, {"APOL", "APOL"}, "ACSC")) << "the recorder stays a holder";
  EXPECT_TRUE(CheckRestrict(held, {"APOL", ""}, "ACSC"));
  EXPECT_EQ(CheckRestrict(held, {"ACSC", "APOL"}, "ACSC").error().code, ErrorCode::kConflict);
  EXPECT_TRUE(CheckRestrict(held, {"ACSC", "APOL"}, "APOL"));
  EXPECT_EQ(CheckRestrict(restricted, {"APOL", "APOL"}, "ACSC").error().code, ErrorCode::kConflict);
  EXPECT_EQ(CheckRestrict(restricted, {"ACSC", "APOL"}, "ACSC").error().code, ErrorCode::kConflict);
  EXPECT_TRUE(CheckRestrict(restricted, {"ACSC", "APOL"}, "APOL"));
}

TEST(Release, ShowsTheFamilyAndLiftsARestriction) {
  const VisibilityRecord held{Visibility::kTeam, std::nullopt, "", RestrictionReview::kNone};
  auto shared = Release(held);
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->visibility, Visibility::kTeamAndFamily);
  EXPECT_EQ(shared->review, RestrictionReview::kNone);
  for (auto review : {RestrictionReview::kPending, RestrictionReview::kConfirmed}) {
    auto lifted = Release({Visibility::kTeam, RestrictionReason::kThirdParty, "Names a neighbour", review});
    ASSERT_TRUE(lifted);
    EXPECT_EQ(lifted->visibility, Visibility::kTeamAndFamily);
    EXPECT_EQ(lifted->review, RestrictionReview::kLifted);
    EXPECT_EQ(lifted->reason, RestrictionReason::kThirdParty);
    EXPECT_EQ(lifted->reason_text, "Names a neighbour");
  }
  EXPECT_EQ(Release(*shared).error().code, ErrorCode::kConflict);
}

TEST(ValidateReleaseReason, RequiredAndBounded) {
  EXPECT_EQ(ValidateReleaseReason(" \n").error().field, "reason");
  EXPECT_EQ(ValidateReleaseReason("", "note").error().field, "note");
  EXPECT_FALSE(ValidateReleaseReason(std::string(1001, 'a')));
  EXPECT_FALSE(ValidateReleaseReason("\xff"));
  EXPECT_TRUE(ValidateReleaseReason("The investigation is closed and the officer agrees."));
  for (auto st : {ReleaseStatus::kPending, ReleaseStatus::kAgreed, ReleaseStatus::kDeclined}) {
    EXPECT_EQ(ParseReleaseStatus(ToString(st)), st);
  }
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
