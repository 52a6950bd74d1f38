// The relationships wheel: the people in a child's life (family, household, carers, community
// and practitioners) and the analysis that looks for what is missing (gaps) and who is
// unexplained (unexplained roles), each finding saying why it was raised and on what facts.
//
// The rules encode the lessons of serious case reviews: a child nobody is registered with (no
// GP, no school, no health visitor), a team with no one coordinating it, and an adult in the
// household whom no agency has identified or checked (Peter Connelly's mother's partner).
// They raise questions for a practitioner to answer; they do not decide anything.
//
// Thread safety: all functions are pure and safe to call from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/result.h"

namespace kith::domain {

// The fixed taxonomy. String forms (ToString/Parse) are stable snake_case codes; never rename.
enum class RelationshipType {
  // family
  kMother,
  kFather,
  kStepMother,
  kStepFather,
  kSibling,
  kHalfSibling,
  kStepSibling,
  kGrandparent,
  kAuntUncle,
  kCousin,
  kOtherRelative,
  // household
  kParentsPartner,
  kLodger,
  kOtherAdultInHousehold,
  kUnknown,
  // carer
  kFosterCarer,
  kKinshipCarer,
  kAdoptiveParent,
  kSpecialGuardian,
  kResidentialWorker,
  // community
  kFamilyFriend,
  kNeighbour,
  kFriend,
  kPartner,  // the young person's own boyfriend or girlfriend
  // professional
  kSocialWorker,
  kTeacher,
  kDesignatedSafeguardingLead,
  kGp,
  kHealthVisitor,
  kSchoolNurse,
  kPoliceOfficer,
  kYouthWorker,
  kHousingOfficer,
  kEarlyYearsWorker,
  kVoluntarySectorWorker,
};

// The wheel's segments. kUnknown sits in the household segment: the person it most often
// describes is an adult found at the address.
enum class RelationshipCategory { kFamily, kHousehold, kCarer, kCommunity, kProfessional };

std::string_view ToString(RelationshipType type);
// How a person reads the type: "Parent's partner", "Relationship not known".
std::string_view Label(RelationshipType type);
std::string_view ToString(RelationshipCategory category);
std::optional<RelationshipType> ParseRelationshipType(std::string_view code);
std::optional<RelationshipCategory> ParseRelationshipCategory(std::string_view code);
RelationshipCategory CategoryOf(RelationshipType type);
std::span<const RelationshipType> AllRelationshipTypes();

struct WheelPerson {
  std::string id;
  RelationshipType relationship = RelationshipType::kUnknown;
  bool lives_with_child = false;
  std::optional<Date> living_with_since;  // when they moved in, if lives_with_child
  // Adulthood: from the date of birth when known, else the flag, else implied by the
  // relationship (parents, carers, lodgers and practitioners are adults). Absent all three,
  // age is unknown and the rules treat the person as possibly adult.
  std::optional<Date> date_of_birth;
  std::optional<bool> adult;
  bool identity_verified = false;
  bool role_verified = false;
  std::string verified_by_agency_id;  // the agency that checked identity and role
  std::string agency_id;              // practitioners: the agency they work for
  bool lead_professional = false;
};

struct WheelChild {
  std::string id;
  Date date_of_birth;
  std::string gp_practice_id;  // empty: no GP registration recorded
  std::string school_id;       // empty: no school place recorded
  bool elective_home_education = false;
  bool child_protection_plan = false;
};

struct WheelInput {
  WheelChild child;
  std::vector<WheelPerson> people;
  // Agencies with an open involvement (service) with the child.
  std::vector<std::string> involved_agency_ids;
  std::optional<Date> last_agency_contact;  // UK date of the latest contact by any agency
};

struct WheelOptions {
  int no_contact_weeks = 6;
  int recent_move_days = 90;
};

enum class FindingKind {
  kNoGpRegistration,                   // "no_gp_registration"
  kSchoolAgeWithoutSchool,             // "school_age_without_school"
  kUnderFiveWithoutHealthVisitor,      // "under_five_without_health_visitor"
  kNoLeadProfessional,                 // "no_lead_professional"
  kProtectionPlanWithoutSocialWorker,  // "protection_plan_without_social_worker"
  kNoRecentAgencyContact,              // "no_recent_agency_contact"
  kUnexplainedAdultInHousehold,        // "unexplained_adult_in_household"
  kUnverifiedAdult,                    // "unverified_adult"
  kRecentHouseholdChange,              // "recent_household_change"
};
enum class FindingGroup { kGap, kUnexplainedRole };
enum class Severity { kLow, kMedium, kHigh };

std::string_view ToString(FindingKind kind);
std::string_view ToString(FindingGroup group);
std::string_view ToString(Severity severity);
FindingGroup GroupOf(FindingKind kind);

struct WheelFinding {
  FindingKind kind;
  Severity severity = Severity::kMedium;
  std::string explanation;              // why it was raised, for the practitioner
  std::vector<std::string> person_ids;  // the people behind it
  std::vector<std::string> facts;       // the child facts behind it ("school_id", ...)
};

// Compulsory school age, simplified from the Education Act 1996 s.8: it starts on the first
// 1 January, 1 April or 1 September strictly after the 5th birthday (the start of the term after
// the prescribed day that follows it) and ends on 30 June of the school year (September to
// August) in which the child turns 16 (the last Friday of June, rounded to the month's end).
Date CompulsorySchoolAgeStart(const Date& date_of_birth);
Date CompulsorySchoolAgeEnd(const Date& date_of_birth);
bool IsCompulsorySchoolAge(const Date& date_of_birth, const Date& on);
// Whether the person is an adult on `today`; nullopt when nothing says.
std::optional<bool> IsAdult(const WheelPerson& person, const Date& today);

// Runs every rule. Findings come ordered gaps first, then by severity (highest first), then by
// kind. Fails (Error::Invalid) only on malformed input: an invalid or future child date of
// birth, a person without an id, or a repeated person id.
Result<std::vector<WheelFinding>> AnalyseWheel(const WheelInput& input, const Date& today,
                                               const WheelOptions& options = {});

}  // namespace kith::domain
