#include "domain/account/wheel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace kith::domain {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr Date kToday{2025, 6, 10};
Date DaysAgo(int n) { return Date::FromDays(kToday.ToDays() - n); }

WheelPerson Verified(std::string id, RelationshipType type, bool lives_with) {
  WheelPerson p;
  p.id = std::move(id);
  p.relationship = type;
  p.lives_with_child = lives_with;
  p.identity_verified = true;
  p.role_verified = true;
  p.verified_by_agency_id = "csc-1";
  return p;
}

WheelPerson Practitioner(std::string id, RelationshipType type, std::string agency) {
  WheelPerson p = Verified(std::move(id), type, false);
  p.agency_id = std::move(agency);
  return p;
}

// An eight-year-old at school, registered with a GP, living with a verified mother, known to
// one agency that saw them last week: nothing to raise.
WheelInput Settled() {
  WheelInput in;
  in.child.id = "c1";
  in.child.date_of_birth = Date{2017, 3, 1};
  in.child.gp_practice_id = "gp-1";
  in.child.school_id = "school-1";
  in.people.push_back(Verified("mum", RelationshipType::kMother, true));
  in.people.push_back(Practitioner("teacher", RelationshipType::kTeacher, "school-1"));
  in.involved_agency_ids = {"school-1"};
  in.last_agency_contact = DaysAgo(7);
  return in;
}

std::vector<WheelFinding> Analyse(const WheelInput& in, const WheelOptions& options = {}) {
  auto result = AnalyseWheel(in, kToday, options);
  EXPECT_TRUE(result) << result.error().message;
  return result ? *result : std::vector<WheelFinding>{};
}

std::vector<FindingKind> Kinds(const std::vector<WheelFinding>& findings) {
  std::vector<FindingKind> kinds;
  for (const auto& f : findings) kinds.push_back(f.kind);
  return kinds;
}

const WheelFinding& Only(const std::vector<WheelFinding>& findings, FindingKind kind) {
  static const WheelFinding kNone{};
  const auto it =
      std::find_if(findings.begin(), findings.end(), [kind](const WheelFinding& f) { return f.kind == kind; });
  EXPECT_NE(it, findings.end()) << ToString(kind);
  return it == findings.end() ? kNone : *it;
}

TEST(WheelTaxonomyTest, TypesRoundTripAndFallIntoFiveCategories) {
  EXPECT_EQ(AllRelationshipTypes().size(), 35u);
  for (const RelationshipType type : AllRelationshipTypes()) {
    EXPECT_EQ(ParseRelationshipType(ToString(type)), type) << ToString(type);
  }
  EXPECT_EQ(CategoryOf(RelationshipType::kStepFather), RelationshipCategory::kFamily);
  EXPECT_EQ(CategoryOf(RelationshipType::kParentsPartner), RelationshipCategory::kHousehold);
  EXPECT_EQ(CategoryOf(RelationshipType::kSpecialGuardian), RelationshipCategory::kCarer);
  EXPECT_EQ(CategoryOf(RelationshipType::kNeighbour), RelationshipCategory::kCommunity);
  EXPECT_EQ(CategoryOf(RelationshipType::kDesignatedSafeguardingLead), RelationshipCategory::kProfessional);
  EXPECT_EQ(ToString(RelationshipType::kDesignatedSafeguardingLead), "designated_safeguarding_lead");
  EXPECT_EQ(ParseRelationshipCategory("carer"), RelationshipCategory::kCarer);
  EXPECT_FALSE(ParseRelationshipType("boyfriend"));
}

TEST(WheelTest, SettledChildHasNoFindings) { EXPECT_THAT(Analyse(Settled()), IsEmpty()); }

TEST(WheelTest, RejectsMalformedInput) {
  auto in = Settled();
  in.child.date_of_birth = Date{2026, 1, 1};
  EXPECT_EQ(AnalyseWheel(in, kToday).error().field, "child.date_of_birth");
  in = Settled();
  in.people.push_back(Verified("mum", RelationshipType::kFather, true));
  EXPECT_EQ(AnalyseWheel(in, kToday).error().field, "people.id");
  in = Settled();
  in.people.push_back(Verified("", RelationshipType::kFather, true));
  EXPECT_EQ(AnalyseWheel(in, kToday).error().field, "people.id");
}

// --- Gaps ----------------------------------------------------------------------------------

TEST(WheelGapTest, NoGpRegistration) {
  auto in = Settled();
  in.child.gp_practice_id.clear();
  const auto findings = Analyse(in);
  EXPECT_THAT(Kinds(findings), ElementsAre(FindingKind::kNoGpRegistration));
  EXPECT_EQ(ToString(findings[0].kind), "no_gp_registration");
  EXPECT_EQ(GroupOf(findings[0].kind), FindingGroup::kGap);
  EXPECT_THAT(findings[0].facts, ElementsAre("gp_practice_id"));

  in.people.push_back(Practitioner("dr", RelationshipType::kGp, "school-1"));
  EXPECT_THAT(Analyse(in), IsEmpty());
}

TEST(WheelGapTest, SchoolAgeChildWithoutSchool) {
  auto in = Settled();
  in.child.school_id.clear();
  in.people.pop_back();  // the teacher
  const auto findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kSchoolAgeWithoutSchool));
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_THAT(findings[0].explanation, HasSubstr("compulsory school age (since 2022-04-01)"));

  auto home_educated = in;
  home_educated.child.elective_home_education = true;
  EXPECT_THAT(Analyse(home_educated), IsEmpty());
  auto with_teacher = in;
  with_teacher.people.push_back(Practitioner("dsl", RelationshipType::kDesignatedSafeguardingLead, "school-1"));
  EXPECT_THAT(Analyse(with_teacher), IsEmpty());
  // Seventeen: past compulsory school age.
  auto older = in;
  older.child.date_of_birth = Date{2008, 1, 1};
  EXPECT_THAT(Kinds(Analyse(older)), Not(Contains(FindingKind::kSchoolAgeWithoutSchool)));
  // Five since May, compulsory only from September.
  auto young = in;
  young.child.date_of_birth = Date{2020, 5, 1};
  young.people.push_back(Practitioner("hv", RelationshipType::kHealthVisitor, "health-1"));
  young.involved_agency_ids.clear();
  young.last_agency_contact.reset();
  EXPECT_THAT(Analyse(young), IsEmpty());
}

TEST(WheelGapTest, CompulsorySchoolAgeBoundaries) {
  EXPECT_EQ(CompulsorySchoolAgeStart(Date{2020, 8, 31}), (Date{2025, 9, 1}));
  EXPECT_EQ(CompulsorySchoolAgeStart(Date{2020, 9, 1}), (Date{2026, 1, 1}));
  EXPECT_EQ(CompulsorySchoolAgeStart(Date{2020, 12, 31}), (Date{2026, 1, 1}));
  EXPECT_EQ(CompulsorySchoolAgeStart(Date{2020, 1, 15}), (Date{2025, 4, 1}));
  EXPECT_EQ(CompulsorySchoolAgeStart(Date{2020, 3, 31}), (Date{2025, 4, 1}));
  EXPECT_EQ(CompulsorySchoolAgeStart(Date{2020, 4, 1}), (Date{2025, 9, 1}));
  EXPECT_EQ(CompulsorySchoolAgeStart(Date{2016, 2, 29}), (Date{2021, 4, 1}));
  EXPECT_EQ(CompulsorySchoolAgeEnd(Date{2009, 3, 1}), (Date{2025, 6, 30}));
  EXPECT_EQ(CompulsorySchoolAgeEnd(Date{2009, 10, 1}), (Date{2026, 6, 30}));
  EXPECT_TRUE(IsCompulsorySchoolAge(Date{2009, 3, 1}, Date{2025, 6, 30}));
  EXPECT_FALSE(IsCompulsorySchoolAge(Date{2009, 3, 1}, Date{2025, 7, 1}));
  EXPECT_FALSE(IsCompulsorySchoolAge(Date{2020, 8, 31}, Date{2025, 8, 31}));
  EXPECT_TRUE(IsCompulsorySchoolAge(Date{2020, 8, 31}, Date{2025, 9, 1}));
}

TEST(WheelGapTest, UnderFiveWithoutHealthVisitor) {
  auto in = Settled();
  in.child.date_of_birth = Date{2023, 1, 1};
  in.child.school_id.clear();
  in.people.pop_back();
  const auto findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kUnderFiveWithoutHealthVisitor));
  EXPECT_THAT(findings[0].explanation, HasSubstr("age 2"));

  auto with_hv = in;
  with_hv.people.push_back(Practitioner("hv", RelationshipType::kHealthVisitor, "school-1"));
  EXPECT_THAT(Analyse(with_hv), IsEmpty());
  // A four-year-old in reception has moved to school nursing.
  auto in_reception = Settled();
  in_reception.child.date_of_birth = Date{2020, 10, 1};
  EXPECT_THAT(Analyse(in_reception), IsEmpty());
}

TEST(WheelGapTest, SeveralAgenciesButNoLeadProfessional) {
  auto in = Settled();
  in.involved_agency_ids = {"school-1", "police-1"};
  const auto findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kNoLeadProfessional));
  EXPECT_THAT(findings[0].explanation, HasSubstr("2 agencies"));

  auto with_lead = in;
  with_lead.people[1].lead_professional = true;
  EXPECT_THAT(Analyse(with_lead), IsEmpty());
  // A practitioner's own agency counts as involved.
  auto via_practitioner = Settled();
  via_practitioner.people.push_back(Practitioner("pc", RelationshipType::kPoliceOfficer, "police-1"));
  EXPECT_THAT(Kinds(Analyse(via_practitioner)), ElementsAre(FindingKind::kNoLeadProfessional));
  // One agency needs no coordinator.
  EXPECT_THAT(Analyse(Settled()), IsEmpty());
}

TEST(WheelGapTest, ProtectionPlanWithoutSocialWorker) {
  auto in = Settled();
  in.child.child_protection_plan = true;
  const auto findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kProtectionPlanWithoutSocialWorker));
  EXPECT_EQ(findings[0].severity, Severity::kHigh);

  auto with_sw = in;
  auto sw = Practitioner("sw", RelationshipType::kSocialWorker, "school-1");
  sw.lead_professional = true;
  with_sw.people.push_back(sw);
  EXPECT_THAT(Analyse(with_sw), IsEmpty());
}

TEST(WheelGapTest, NoRecentAgencyContact) {
  auto in = Settled();
  in.last_agency_contact = DaysAgo(7 * 7);
  auto findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kNoRecentAgencyContact));
  EXPECT_EQ(findings[0].severity, Severity::kMedium);
  EXPECT_THAT(findings[0].explanation, HasSubstr("for 7 weeks"));

  in.last_agency_contact = DaysAgo(7 * 5);
  EXPECT_THAT(Analyse(in), IsEmpty());
  WheelOptions strict;
  strict.no_contact_weeks = 4;
  EXPECT_THAT(Kinds(Analyse(in, strict)), ElementsAre(FindingKind::kNoRecentAgencyContact));

  in.last_agency_contact.reset();
  findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kNoRecentAgencyContact));
  EXPECT_THAT(findings[0].explanation, HasSubstr("no contact has been recorded"));

  // Proportionality: no agency involved, no contact expected.
  in.involved_agency_ids.clear();
  in.people.pop_back();
  EXPECT_THAT(Analyse(in), IsEmpty());
}

TEST(WheelGapTest, NoRecentContactIsHighOnAProtectionPlan) {
  auto in = Settled();
  in.child.child_protection_plan = true;
  in.people.push_back(Practitioner("sw", RelationshipType::kSocialWorker, "school-1"));
  in.people.back().lead_professional = true;
  in.last_agency_contact = DaysAgo(60);
  const auto findings = Analyse(in);
  EXPECT_EQ(Only(findings, FindingKind::kNoRecentAgencyContact).severity, Severity::kHigh);
}

// --- Unexplained roles -----------------------------------------------------------------------

TEST(WheelRoleTest, AdultInHouseholdWithNoStatedRelationship) {
  auto in = Settled();
  auto man = Verified("man", RelationshipType::kUnknown, true);
  man.adult = true;
  in.people.push_back(man);
  auto findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kUnexplainedAdultInHousehold));
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_EQ(GroupOf(findings[0].kind), FindingGroup::kUnexplainedRole);
  EXPECT_THAT(findings[0].person_ids, ElementsAre("man"));

  in.people.back().relationship = RelationshipType::kOtherAdultInHousehold;
  EXPECT_THAT(Kinds(Analyse(in)), ElementsAre(FindingKind::kUnexplainedAdultInHousehold));

  // Unknown age: treated as possibly adult, and the explanation says so.
  in.people.back().relationship = RelationshipType::kUnknown;
  in.people.back().adult.reset();
  findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kUnexplainedAdultInHousehold));
  EXPECT_THAT(findings[0].explanation, HasSubstr("unrecorded age"));
}

TEST(WheelRoleTest, NoFindingForAStatedRelationshipAChildOrSomeoneLivingElsewhere) {
  auto stated = Settled();
  stated.people.push_back(Verified("stepdad", RelationshipType::kStepFather, true));
  EXPECT_THAT(Analyse(stated), IsEmpty());

  auto child = Settled();
  auto kid = Verified("kid", RelationshipType::kUnknown, true);
  kid.date_of_birth = Date{2015, 1, 1};
  child.people.push_back(kid);
  EXPECT_THAT(Analyse(child), IsEmpty());

  auto elsewhere = Settled();
  auto visitor = Verified("visitor", RelationshipType::kUnknown, false);
  visitor.adult = true;
  elsewhere.people.push_back(visitor);
  EXPECT_THAT(Analyse(elsewhere), IsEmpty());
}

TEST(WheelRoleTest, AdultNoAgencyHasChecked) {
  auto in = Settled();
  WheelPerson partner;
  partner.id = "partner";
  partner.relationship = RelationshipType::kParentsPartner;
  partner.lives_with_child = true;
  in.people.push_back(partner);
  auto findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kUnverifiedAdult));
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_THAT(findings[0].explanation, HasSubstr("identity and role"));
  EXPECT_THAT(findings[0].explanation, HasSubstr("linked to the child as parent's partner, living"));
  EXPECT_THAT(findings[0].person_ids, ElementsAre("partner"));

  in.people.back().identity_verified = true;
  findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kUnverifiedAdult));
  EXPECT_THAT(findings[0].explanation, HasSubstr("their role checked"));

  in.people.back().lives_with_child = false;
  EXPECT_EQ(Analyse(in)[0].severity, Severity::kMedium);

  in.people.back().role_verified = true;
  EXPECT_THAT(Analyse(in), IsEmpty());
}

TEST(WheelRoleTest, UnverifiedAdultOfUnknownRelationshipIsDescribedAsSuch) {
  auto in = Settled();
  WheelPerson visitor;
  visitor.id = "visitor";
  visitor.relationship = RelationshipType::kUnknown;
  visitor.adult = true;
  in.people.push_back(visitor);
  auto findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kUnverifiedAdult));
  EXPECT_EQ(findings[0].explanation,
            "An adult with no stated relationship to the child has not had their identity and role checked by "
            "any agency.");
}

TEST(WheelRoleTest, UnverifiedChildrenAndPractitionersAreNotRaised) {
  auto in = Settled();
  WheelPerson sister;
  sister.id = "sister";
  sister.relationship = RelationshipType::kSibling;
  sister.lives_with_child = true;
  sister.date_of_birth = Date{2014, 5, 5};
  in.people.push_back(sister);
  WheelPerson youth_worker;
  youth_worker.id = "yw";
  youth_worker.relationship = RelationshipType::kYouthWorker;
  youth_worker.agency_id = "school-1";
  in.people.push_back(youth_worker);
  EXPECT_THAT(Analyse(in), IsEmpty());
}

TEST(WheelRoleTest, AdultMovedIntoHouseholdRecently) {
  auto in = Settled();
  auto partner = Verified("partner", RelationshipType::kParentsPartner, true);
  partner.living_with_since = DaysAgo(30);
  in.people.push_back(partner);
  const auto findings = Analyse(in);
  ASSERT_THAT(Kinds(findings), ElementsAre(FindingKind::kRecentHouseholdChange));
  EXPECT_THAT(findings[0].explanation, HasSubstr("30 days ago"));
  EXPECT_THAT(findings[0].person_ids, ElementsAre("partner"));

  in.people.back().living_with_since = DaysAgo(90);
  EXPECT_THAT(Kinds(Analyse(in)), ElementsAre(FindingKind::kRecentHouseholdChange));
  in.people.back().living_with_since = DaysAgo(91);
  EXPECT_THAT(Analyse(in), IsEmpty());
  WheelOptions longer;
  longer.recent_move_days = 180;
  EXPECT_THAT(Kinds(Analyse(in, longer)), ElementsAre(FindingKind::kRecentHouseholdChange));
}

TEST(WheelRoleTest, ABabyBornIntoTheHouseholdIsNotARecentChange) {
  auto in = Settled();
  auto baby = Verified("baby", RelationshipType::kHalfSibling, true);
  baby.date_of_birth = DaysAgo(20);
  baby.living_with_since = DaysAgo(20);
  in.people.push_back(baby);
  EXPECT_THAT(Analyse(in), IsEmpty());
}

TEST(WheelTest, FindingsAreOrderedGapsFirstThenBySeverity) {
  auto in = Settled();
  in.child.gp_practice_id.clear();        // gap, medium
  in.child.child_protection_plan = true;  // gap, high
  WheelPerson man;
  man.id = "man";
  man.lives_with_child = true;  // unexplained + unverified, high
  in.people.push_back(man);
  EXPECT_THAT(Kinds(Analyse(in)),
              ElementsAre(FindingKind::kProtectionPlanWithoutSocialWorker, FindingKind::kNoGpRegistration,
                          FindingKind::kUnexplainedAdultInHousehold, FindingKind::kUnverifiedAdult));
}

}  // namespace
}  // namespace kith::domain
