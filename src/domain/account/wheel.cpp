#include "domain/account/wheel.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <tuple>

namespace kith::domain {
namespace {

struct TypeInfo {
  RelationshipType type;
  std::string_view code;
  RelationshipCategory category;
  bool implies_adult;
  std::string_view label;
};

using C = RelationshipCategory;
using R = RelationshipType;
constexpr std::array<TypeInfo, 35> kTypes{{
    {R::kMother, "mother", C::kFamily, true, "Mother"},
    {R::kFather, "father", C::kFamily, true, "Father"},
    {R::kStepMother, "step_mother", C::kFamily, true, "Step-mother"},
    {R::kStepFather, "step_father", C::kFamily, true, "Step-father"},
    {R::kSibling, "sibling", C::kFamily, false, "Brother or sister"},
    {R::kHalfSibling, "half_sibling", C::kFamily, false, "Half-brother or half-sister"},
    {R::kStepSibling, "step_sibling", C::kFamily, false, "Step-brother or step-sister"},
    {R::kGrandparent, "grandparent", C::kFamily, true, "Grandparent"},
    {R::kAuntUncle, "aunt_uncle", C::kFamily, false, "Aunt or uncle"},
    {R::kCousin, "cousin", C::kFamily, false, "Cousin"},
    {R::kOtherRelative, "other_relative", C::kFamily, false, "Other relative"},
    {R::kParentsPartner, "parents_partner", C::kHousehold, true, "Parent's partner"},
    {R::kLodger, "lodger", C::kHousehold, true, "Lodger"},
    {R::kOtherAdultInHousehold, "other_adult_in_household", C::kHousehold, true, "Other adult in the household"},
    {R::kUnknown, "unknown", C::kHousehold, false, "Relationship not known"},
    {R::kFosterCarer, "foster_carer", C::kCarer, true, "Foster carer"},
    {R::kKinshipCarer, "kinship_carer", C::kCarer, true, "Kinship carer"},
    {R::kAdoptiveParent, "adoptive_parent", C::kCarer, true, "Adoptive parent"},
    {R::kSpecialGuardian, "special_guardian", C::kCarer, true, "Special guardian"},
    {R::kResidentialWorker, "residential_worker", C::kCarer, true, "Residential care worker"},
    {R::kFamilyFriend, "family_friend", C::kCommunity, false, "Family friend"},
    {R::kNeighbour, "neighbour", C::kCommunity, false, "Neighbour"},
    {R::kFriend, "friend", C::kCommunity, false, "Friend"},
    {R::kPartner, "partner", C::kCommunity, false, "Boyfriend or girlfriend"},
    {R::kSocialWorker, "social_worker", C::kProfessional, true, "Social worker"},
    {R::kTeacher, "teacher", C::kProfessional, true, "Teacher"},
    {R::kDesignatedSafeguardingLead, "designated_safeguarding_lead", C::kProfessional, true,
     "Designated safeguarding lead"},
    {R::kGp, "gp", C::kProfessional, true, "GP"},
    {R::kHealthVisitor, "health_visitor", C::kProfessional, true, "Health visitor"},
    {R::kSchoolNurse, "school_nurse", C::kProfessional, true, "School nurse"},
    {R::kPoliceOfficer, "police_officer", C::kProfessional, true, "Police officer"},
    {R::kYouthWorker, "youth_worker", C::kProfessional, true, "Youth worker"},
    {R::kHousingOfficer, "housing_officer", C::kProfessional, true, "Housing officer"},
    {R::kEarlyYearsWorker, "early_years_worker", C::kProfessional, true, "Early years practitioner"},
    {R::kVoluntarySectorWorker, "voluntary_sector_worker", C::kProfessional, true, "Voluntary-sector worker"},
}};

constexpr std::array<RelationshipType, kTypes.size()> kAllTypes = [] {
  std::array<RelationshipType, kTypes.size()> all{};
  for (size_t i = 0; i < kTypes.size(); ++i) all[i] = kTypes[i].type;
  return all;
}();

constexpr std::array<std::string_view, 5> kCategoryCodes{"family", "household", "carer", "community", "professional"};

constexpr std::array<std::pair<FindingKind, std::string_view>, 9> kFindingCodes{{
    {FindingKind::kNoGpRegistration, "no_gp_registration"},
    {FindingKind::kSchoolAgeWithoutSchool, "school_age_without_school"},
    {FindingKind::kUnderFiveWithoutHealthVisitor, "under_five_without_health_visitor"},
    {FindingKind::kNoLeadProfessional, "no_lead_professional"},
    {FindingKind::kProtectionPlanWithoutSocialWorker, "protection_plan_without_social_worker"},
    {FindingKind::kNoRecentAgencyContact, "no_recent_agency_contact"},
    {FindingKind::kUnexplainedAdultInHousehold, "unexplained_adult_in_household"},
    {FindingKind::kUnverifiedAdult, "unverified_adult"},
    {FindingKind::kRecentHouseholdChange, "recent_household_change"},
}};

const TypeInfo& InfoOf(RelationshipType type) {
  return *std::find_if(kTypes.begin(), kTypes.end(), [type](const TypeInfo& t) { return t.type == type; });
}

// The label as it reads inside a sentence: "parent's partner", but "GP" stays as it is.
std::string InSentence(RelationshipType type) {
  std::string label(InfoOf(type).label);
  if (label.size() > 1 && std::islower(static_cast<unsigned char>(label[1]))) {
    label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(label[0])));
  }
  return label;
}

bool Has(const WheelInput& input, std::initializer_list<RelationshipType> types) {
  return std::any_of(input.people.begin(), input.people.end(), [&](const WheelPerson& p) {
    return std::find(types.begin(), types.end(), p.relationship) != types.end();
  });
}

// Unknown age counts as adult for people in the household: the rules exist to catch the adult
// nobody asked about, and "we don't know how old he is" is part of that.
bool PossiblyAdult(const WheelPerson& person, const Date& today) {
  return IsAdult(person, today)
      .value_or(person.lives_with_child || CategoryOf(person.relationship) == RelationshipCategory::kHousehold);
}

// The first of 1 January, 1 April or 1 September strictly after `date`.
Date NextTermStart(const Date& date) {
  for (const Date candidate :
       {Date{date.year, 1, 1}, Date{date.year, 4, 1}, Date{date.year, 9, 1}, Date{date.year + 1, 1, 1}}) {
    if (candidate > date) return candidate;
  }
  return Date{date.year + 1, 1, 1};
}

// The birthday in `year`; 29 February falls on 1 March in other years (as in English law).
Date BirthdayIn(const Date& dob, int year) {
  if (dob.month == 2 && dob.day == 29 && !IsLeapYear(year)) return Date{year, 3, 1};
  return Date{year, dob.month, dob.day};
}

class Analysis {
 public:
  Analysis(const WheelInput& input, const Date& today, const WheelOptions& options)
      : in_(input), today_(today), options_(options) {}

  std::vector<WheelFinding> Run() {
    NoGp();
    NoSchool();
    NoHealthVisitor();
    NoLeadProfessional();
    PlanWithoutSocialWorker();
    NoRecentContact();
    for (const WheelPerson& person : in_.people) {
      if (CategoryOf(person.relationship) == RelationshipCategory::kProfessional) continue;
      if (!PossiblyAdult(person, today_)) continue;
      UnexplainedInHousehold(person);
      Unverified(person);
      RecentlyMovedIn(person);
    }
    std::stable_sort(findings_.begin(), findings_.end(), [](const WheelFinding& a, const WheelFinding& b) {
      return std::tuple(GroupOf(a.kind), -static_cast<int>(a.severity), a.kind) <
             std::tuple(GroupOf(b.kind), -static_cast<int>(b.severity), b.kind);
    });
    return std::move(findings_);
  }

 private:
  void Raise(FindingKind kind, Severity severity, std::string explanation, std::vector<std::string> person_ids,
             std::vector<std::string> facts) {
    findings_.push_back({kind, severity, std::move(explanation), std::move(person_ids), std::move(facts)});
  }

  int ChildAge() const { return in_.child.date_of_birth.AgeOn(today_); }

  void NoGp() {
    if (!in_.child.gp_practice_id.empty() || Has(in_, {R::kGp})) return;
    Raise(FindingKind::kNoGpRegistration, Severity::kMedium,
          "No GP registration is recorded for the child, and no GP is on the wheel.", {}, {"gp_practice_id"});
  }

  void NoSchool() {
    const Date& dob = in_.child.date_of_birth;
    if (!IsCompulsorySchoolAge(dob, today_)) return;
    if (!in_.child.school_id.empty() || in_.child.elective_home_education) return;
    if (Has(in_, {R::kTeacher, R::kDesignatedSafeguardingLead})) return;
    Raise(FindingKind::kSchoolAgeWithoutSchool, Severity::kHigh,
          fmt::format("The child is {} and of compulsory school age (since {}), but no school "
                      "place, elective home education or teacher is recorded.",
                      ChildAge(), CompulsorySchoolAgeStart(dob).ToString()),
          {}, {"school_id", "date_of_birth", "elective_home_education"});
  }

  void NoHealthVisitor() {
    // Health visiting hands over to school nursing when the child starts school.
    if (ChildAge() >= 5 || !in_.child.school_id.empty() || Has(in_, {R::kHealthVisitor})) return;
    Raise(FindingKind::kUnderFiveWithoutHealthVisitor, Severity::kMedium,
          fmt::format("The child is under 5 (age {}) and not at school, but no health visitor "
                      "is on the wheel.",
                      ChildAge()),
          {}, {"date_of_birth", "school_id"});
  }

  void NoLeadProfessional() {
    std::set<std::string> agencies(in_.involved_agency_ids.begin(), in_.involved_agency_ids.end());
    for (const WheelPerson& p : in_.people) {
      if (CategoryOf(p.relationship) == C::kProfessional && !p.agency_id.empty()) {
        agencies.insert(p.agency_id);
      }
    }
    if (agencies.size() < 2) return;
    if (std::any_of(in_.people.begin(), in_.people.end(), [](const WheelPerson& p) { return p.lead_professional; })) {
      return;
    }
    Raise(FindingKind::kNoLeadProfessional, Severity::kMedium,
          fmt::format("{} agencies are involved with the child but no one is lead "
                      "professional.",
                      agencies.size()),
          {}, {"involved_agency_ids", "lead_professional"});
  }

  void PlanWithoutSocialWorker() {
    if (!in_.child.child_protection_plan || Has(in_, {R::kSocialWorker})) return;
    Raise(FindingKind::kProtectionPlanWithoutSocialWorker, Severity::kHigh,
          "The child is on a child protection plan but no social worker is on the wheel.", {},
          {"child_protection_plan"});
  }

  void NoRecentContact() {
    // Proportionality: a child no agency is involved with is not expected to have contact.
    if (in_.involved_agency_ids.empty() && !in_.child.child_protection_plan) return;
    const Severity severity = in_.child.child_protection_plan ? Severity::kHigh : Severity::kMedium;
    if (!in_.last_agency_contact) {
      Raise(FindingKind::kNoRecentAgencyContact, severity,
            "Agencies are involved with the child but no contact has been recorded.", {},
            {"last_agency_contact", "involved_agency_ids"});
      return;
    }
    const int64_t days = today_.ToDays() - in_.last_agency_contact->ToDays();
    if (days < int64_t{7} * options_.no_contact_weeks) return;
    Raise(FindingKind::kNoRecentAgencyContact, severity,
          fmt::format("No agency has recorded contact with the child for {} weeks (last on {}); "
                      "the threshold is {} weeks.",
                      days / 7, in_.last_agency_contact->ToString(), options_.no_contact_weeks),
          {}, {"last_agency_contact"});
  }

  void UnexplainedInHousehold(const WheelPerson& p) {
    if (!p.lives_with_child || (p.relationship != R::kUnknown && p.relationship != R::kOtherAdultInHousehold)) {
      return;
    }
    const bool age_known = IsAdult(p, today_).has_value();
    Raise(FindingKind::kUnexplainedAdultInHousehold, Severity::kHigh,
          fmt::format("{} lives with the child with no stated relationship to them ({}){}.",
                      age_known ? "An adult" : "A person of unrecorded age", InSentence(p.relationship),
                      age_known ? "" : "; treated as an adult until their age is known"),
          {p.id}, {"relationship", "lives_with_child"});
  }

  void Unverified(const WheelPerson& p) {
    if (p.identity_verified && p.role_verified) return;
    std::string_view what = !p.identity_verified && !p.role_verified ? "identity and role"
                            : !p.identity_verified                   ? "identity"
                                                                     : "role";
    // "linked to the child as relationship not known" does not read: say the link is unknown.
    const std::string link = p.relationship == RelationshipType::kUnknown
                                 ? std::string("with no stated relationship to the child")
                                 : fmt::format("linked to the child as {}", InSentence(p.relationship));
    Raise(FindingKind::kUnverifiedAdult, p.lives_with_child ? Severity::kHigh : Severity::kMedium,
          fmt::format("An adult {}{} has not had their {} checked by any agency.", link,
                      p.lives_with_child ? ", living with the child," : "", what),
          {p.id}, {"identity_verified", "role_verified"});
  }

  void RecentlyMovedIn(const WheelPerson& p) {
    if (!p.lives_with_child || !p.living_with_since) return;
    const int64_t days = today_.ToDays() - p.living_with_since->ToDays();
    if (days < 0 || days > options_.recent_move_days) return;
    Raise(FindingKind::kRecentHouseholdChange, Severity::kMedium,
          fmt::format("An adult ({}) moved into the child's household on {}, {} days ago "
                      "(within {} days).",
                      ToString(p.relationship), p.living_with_since->ToString(), days, options_.recent_move_days),
          {p.id}, {"living_with_since"});
  }

  const WheelInput& in_;
  Date today_;
  WheelOptions options_;
  std::vector<WheelFinding> findings_;
};

}  // namespace

std::string_view ToString(RelationshipType type) { return InfoOf(type).code; }
std::string_view Label(RelationshipType type) { return InfoOf(type).label; }
std::string_view ToString(RelationshipCategory category) { return kCategoryCodes[static_cast<size_t>(category)]; }
RelationshipCategory CategoryOf(RelationshipType type) { return InfoOf(type).category; }
std::span<const RelationshipType> AllRelationshipTypes() { return kAllTypes; }

std::optional<RelationshipType> ParseRelationshipType(std::string_view code) {
  for (const auto& t : kTypes) {
    if (t.code == code) return t.type;
  }
  return std::nullopt;
}

std::optional<RelationshipCategory> ParseRelationshipCategory(std::string_view code) {
  for (size_t i = 0; i < kCategoryCodes.size(); ++i) {
    if (kCategoryCodes[i] == code) return static_cast<RelationshipCategory>(i);
  }
  return std::nullopt;
}

std::string_view ToString(FindingKind kind) {
  for (const auto& [k, code] : kFindingCodes) {
    if (k == kind) return code;
  }
  return "unknown";
}

std::string_view ToString(FindingGroup group) { return group == FindingGroup::kGap ? "gap" : "unexplained_role"; }

std::string_view ToString(Severity severity) {
  switch (severity) {
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
  }
  return "unknown";
}

FindingGroup GroupOf(FindingKind kind) {
  switch (kind) {
    case FindingKind::kUnexplainedAdultInHousehold:
    case FindingKind::kUnverifiedAdult:
    case FindingKind::kRecentHouseholdChange:
      return FindingGroup::kUnexplainedRole;
    default:
      return FindingGroup::kGap;
  }
}

Date CompulsorySchoolAgeStart(const Date& date_of_birth) {
  return NextTermStart(BirthdayIn(date_of_birth, date_of_birth.year + 5));
}

Date CompulsorySchoolAgeEnd(const Date& date_of_birth) {
  const Date sixteenth = BirthdayIn(date_of_birth, date_of_birth.year + 16);
  // The school year runs September to August: a birthday from September on is in the school
  // year that ends the following summer.
  return Date{sixteenth.month >= 9 ? sixteenth.year + 1 : sixteenth.year, 6, 30};
}

bool IsCompulsorySchoolAge(const Date& date_of_birth, const Date& on) {
  return on >= CompulsorySchoolAgeStart(date_of_birth) && on <= CompulsorySchoolAgeEnd(date_of_birth);
}

std::optional<bool> IsAdult(const WheelPerson& person, const Date& today) {
  if (person.date_of_birth) return person.date_of_birth->AgeOn(today) >= 18;
  if (person.adult) return person.adult;
  if (InfoOf(person.relationship).implies_adult) return true;
  return std::nullopt;
}

Result<std::vector<WheelFinding>> AnalyseWheel(const WheelInput& input, const Date& today,
                                               const WheelOptions& options) {
  const Date& dob = input.child.date_of_birth;
  if (!dob.IsValid()) return Error::Invalid("child.date_of_birth", "is not a valid date");
  if (dob > today) return Error::Invalid("child.date_of_birth", "is in the future");
  std::set<std::string_view> ids;
  for (const WheelPerson& p : input.people) {
    if (p.id.empty()) return Error::Invalid("people.id", "is required");
    if (!ids.insert(p.id).second) {
      return Error::Invalid("people.id", fmt::format("\"{}\" appears twice", p.id));
    }
    if (p.date_of_birth && !p.date_of_birth->IsValid()) {
      return Error::Invalid("people.date_of_birth", "is not a valid date");
    }
  }
  return Analysis(input, today, options).Run();
}

}  // namespace kith::domain
