#include "domain/account/family.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/utf8.h"

namespace kith::domain {
namespace {

template <typename E>
struct Code {
  E value;
  std::string_view code;
};

template <typename E, size_t N>
std::string_view CodeOf(const std::array<Code<E>, N>& table, E value) {
  for (const auto& c : table) {
    if (c.value == value) return c.code;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> ParseCode(const std::array<Code<E>, N>& table, std::string_view code) {
  for (const auto& c : table) {
    if (c.code == code) return c.value;
  }
  return std::nullopt;
}

constexpr std::array kVisibilities = {Code<Visibility>{Visibility::kTeam, "team"},
                                      Code<Visibility>{Visibility::kTeamAndFamily, "team_and_family"}};
constexpr std::array kReasons = {
    Code<RestrictionReason>{RestrictionReason::kRiskOfHarm, "risk_of_harm"},
    Code<RestrictionReason>{RestrictionReason::kThirdParty, "third_party"},
    Code<RestrictionReason>{RestrictionReason::kPoliceInvestigation, "police_investigation"},
    Code<RestrictionReason>{RestrictionReason::kOther, "other"},
};
constexpr std::array kAllReasons = {RestrictionReason::kRiskOfHarm, RestrictionReason::kThirdParty,
                                    RestrictionReason::kPoliceInvestigation, RestrictionReason::kOther};
constexpr std::array kReviews = {
    Code<RestrictionReview>{RestrictionReview::kNone, "none"},
    Code<RestrictionReview>{RestrictionReview::kPending, "pending"},
    Code<RestrictionReview>{RestrictionReview::kConfirmed, "confirmed"},
    Code<RestrictionReview>{RestrictionReview::kLifted, "lifted"},
};
constexpr std::array kRelations = {Code<FamilyRelation>{FamilyRelation::kParentCarer, "parent_carer"},
                                   Code<FamilyRelation>{FamilyRelation::kYoungPerson, "young_person"}};
constexpr std::array kEntryKinds = {
    Code<FamilyEntryKind>{FamilyEntryKind::kThoughts, "thoughts"},
    Code<FamilyEntryKind>{FamilyEntryKind::kResponse, "response"},
    Code<FamilyEntryKind>{FamilyEntryKind::kDisagreement, "disagreement"},
};

constexpr std::array kReleaseStatuses = {
    Code<ReleaseStatus>{ReleaseStatus::kPending, "pending"},
    Code<ReleaseStatus>{ReleaseStatus::kAgreed, "agreed"},
    Code<ReleaseStatus>{ReleaseStatus::kDeclined, "declined"},
};

// What these record is what a family cannot safely be told by default: who said what to whom
// (a neighbour's report, a referrer), what an injury looked like to a clinician, what the
// police found, what a strategy discussion or conference agreed before the family is told.
constexpr std::array<std::string_view, 7> kSensitive = {
    "incident", "hospital_attendance", "police_call_out", "strategy_discussion", "case_conference",
    "referral", kForumThreadSubject};

std::string CompactPostcode(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

constexpr Decision Allow(std::string_view why) { return {true, why}; }
constexpr Decision Deny(std::string_view why) { return {false, why}; }

}  // namespace

std::string_view ToString(Visibility v) { return CodeOf(kVisibilities, v); }
std::string_view ToString(RestrictionReason r) { return CodeOf(kReasons, r); }
std::string_view ToString(RestrictionReview r) { return CodeOf(kReviews, r); }
std::string_view ToString(FamilyRelation r) { return CodeOf(kRelations, r); }
std::string_view ToString(FamilyEntryKind k) { return CodeOf(kEntryKinds, k); }
std::string_view ToString(ReleaseStatus s) { return CodeOf(kReleaseStatuses, s); }
std::optional<ReleaseStatus> ParseReleaseStatus(std::string_view code) { return ParseCode(kReleaseStatuses, code); }
std::optional<Visibility> ParseVisibility(std::string_view code) { return ParseCode(kVisibilities, code); }
std::optional<RestrictionReason> ParseRestrictionReason(std::string_view code) { return ParseCode(kReasons, code); }
std::optional<RestrictionReview> ParseRestrictionReview(std::string_view code) { return ParseCode(kReviews, code); }
std::optional<FamilyRelation> ParseFamilyRelation(std::string_view code) { return ParseCode(kRelations, code); }
std::optional<FamilyEntryKind> ParseFamilyEntryKind(std::string_view code) { return ParseCode(kEntryKinds, code); }
std::span<const RestrictionReason> AllRestrictionReasons() { return kAllReasons; }

std::string_view Describe(RestrictionReason r) {
  switch (r) {
    case RestrictionReason::kRiskOfHarm:
      return "Would put a child or adult at risk";
    case RestrictionReason::kThirdParty:
      return "Third-party information";
    case RestrictionReason::kPoliceInvestigation:
      return "Police investigation";
    case RestrictionReason::kOther:
      return "Other";
  }
  return "Other";
}

std::string_view ToString(FamilyAction action) {
  switch (action) {
    case FamilyAction::kViewChild:
      return "view_child";
    case FamilyAction::kAddEntry:
      return "add_entry";
    case FamilyAction::kExport:
      return "export";
  }
  return "unknown";
}

bool IsSensitiveSubject(std::string_view subject_type) {
  return std::find(kSensitive.begin(), kSensitive.end(), subject_type) != kSensitive.end();
}

std::span<const std::string_view> SensitiveSubjectTypes() { return kSensitive; }

bool OnTheFloor(std::string_view subject_type, bool serious) { return serious || IsSensitiveSubject(subject_type); }

Visibility DefaultVisibility(std::string_view subject_type, bool serious, std::optional<Visibility> authority_setting) {
  if (OnTheFloor(subject_type, serious)) return Visibility::kTeam;
  return authority_setting.value_or(Visibility::kTeam);
}

Status CheckAuthorityDefault(std::string_view subject_type, Visibility v) {
  if (v == Visibility::kTeamAndFamily && IsSensitiveSubject(subject_type)) {
    return Error::Invalid("defaults." + std::string(subject_type),
                          "This type is safeguarding-sensitive: it is always kept within the team unless a "
                          "practitioner shares an entry deliberately, so it cannot be shared by default.");
  }
  return Ok{};
}

Result<VisibilityRecord> ResolveVisibility(const std::optional<VisibilityChoice>& choice,
                                           Visibility default_visibility) {
  if (!choice) return VisibilityRecord{default_visibility, std::nullopt, "", RestrictionReview::kNone};
  if (choice->visibility == Visibility::kTeamAndFamily || !choice->reason) {
    if (choice->reason || !choice->reason_text.empty()) {
      return Error::Invalid("restriction_reason", choice->visibility == Visibility::kTeamAndFamily
                                                      ? "A reason is given only when keeping something from the family."
                                                      : "Choose why this is kept from the family, or give no text.");
    }
    return VisibilityRecord{choice->visibility, std::nullopt, "", RestrictionReview::kNone};
  }
  if (!utf8::IsValid(choice->reason_text) || utf8::Length(choice->reason_text) > kMaxRestrictionTextChars) {
    return Error::Invalid("restriction_text", "Describe the reason in at most 1000 characters.");
  }
  if (*choice->reason == RestrictionReason::kOther &&
      choice->reason_text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::Invalid("restriction_text", "Describe why this is kept from the family.");
  }
  return VisibilityRecord{Visibility::kTeam, choice->reason, choice->reason_text, RestrictionReview::kPending};
}

Result<VisibilityRecord> ConfirmRestriction(const VisibilityRecord& current) {
  if (current.review != RestrictionReview::kPending) {
    return Error::Conflict("There is no restriction waiting for review here.");
  }
  VisibilityRecord out = current;
  out.review = RestrictionReview::kConfirmed;
  return out;
}

std::vector<std::string> AgreementNeeded(const Holders& holders, std::string_view actor_agency_id) {
  std::vector<std::string> out;
  for (const auto* agency : {&holders.recording_agency_id, &holders.restricting_agency_id}) {
    if (agency->empty() || *agency == actor_agency_id) continue;
    if (std::find(out.begin(), out.end(), *agency) == out.end()) out.push_back(*agency);
  }
  return out;
}

Status CheckRestrict(const VisibilityRecord& current, const Holders& holders, std::string_view actor_agency_id) {
  if (current.visibility != Visibility::kTeam || holders.restricting_agency_id.empty() ||
      holders.restricting_agency_id == actor_agency_id) {
    return Ok{};
  }
  // Held back by another agency. The recording agency stays a holder whoever sets the row, so
  // only a hold by a third agency would be lost by replacing it.
  if (current.reason) {
    return Error::Conflict(
        "Another agency has kept this from the family with a reason; only that agency can change it. Add what you "
        "know to the entry or the forum instead.");
  }
  if (holders.restricting_agency_id != holders.recording_agency_id) {
    return Error::Conflict(
        "Another agency has kept this within the team; only that agency can change it. Add what you know to the "
        "entry or the forum instead.");
  }
  return Ok{};
}

Result<VisibilityRecord> Release(const VisibilityRecord& current) {
  if (current.visibility == Visibility::kTeamAndFamily) {
    return Error::Conflict("This is already shared with the family.");
  }
  VisibilityRecord out = current;
  out.visibility = Visibility::kTeamAndFamily;
  if (out.reason) out.review = RestrictionReview::kLifted;
  return out;
}

Status ValidateReleaseReason(std::string_view text, std::string_view field) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Error::Invalid(std::string(field), "Say why, for the record.");
  }
  if (!utf8::IsValid(text) || utf8::Length(text) > kMaxReleaseReasonChars) {
    return Error::Invalid(std::string(field), "Give the reason in at most 1000 characters.");
  }
  return Ok{};
}

bool FamilyMaySee(const VisibilityRecord* record) {
  return record != nullptr && record->visibility == Visibility::kTeamAndFamily;
}

Decision DecideFamily(const FamilyActor& actor, FamilyAction, const std::string& child_id) {
  if (!actor.active) return Deny("family account suspended");
  for (const auto& link : actor.links) {
    if (link.child_id == child_id) {
      return link.relation == FamilyRelation::kYoungPerson ? Allow("the young person")
                                                           : Allow("parent or carer of the child");
    }
  }
  return Deny("family member not linked to the child");
}

Status CheckNewLink(std::span<const FamilyLink> existing, const std::string& child_id, FamilyRelation relation) {
  for (const auto& l : existing) {
    if (l.child_id == child_id) return Error::Conflict("This account is already linked to the child.");
    if (l.relation == FamilyRelation::kYoungPerson) {
      return Error::Conflict("A young person's account is linked to themselves only.");
    }
  }
  if (relation == FamilyRelation::kYoungPerson && !existing.empty()) {
    return Error::Conflict("A young person needs an account of their own; sign out and create one with this code.");
  }
  return Ok{};
}

Status CheckYoungPersonAge(int age, int min_age) {
  if (age < min_age) {
    return Error::Invalid("relation", "A young person can have an account from the age of " + std::to_string(min_age) +
                                          " in this local authority.");
  }
  return Ok{};
}

bool IdentityMatches(const std::optional<Date>& child_dob, std::string_view child_postcode, const Date& given_dob,
                     std::string_view given_postcode) {
  if (!child_dob || child_postcode.empty()) return false;
  return *child_dob == given_dob && CompactPostcode(child_postcode) == CompactPostcode(given_postcode);
}

Status ValidateFamilyEntry(FamilyEntryKind kind, std::string_view about_entry_id, std::string_view text) {
  if (kind == FamilyEntryKind::kThoughts && !about_entry_id.empty()) {
    return Error::Invalid("about_entry_id",
                          "Thoughts and feelings are not about one entry; choose a response instead.");
  }
  if (kind != FamilyEntryKind::kThoughts && about_entry_id.empty()) {
    return Error::Invalid("about_entry_id", "Say which entry this is about.");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Error::Invalid("text", "Write what you want the team to know.");
  }
  if (!utf8::IsValid(text)) return Error::Invalid("text", "The text is not valid UTF-8.");
  if (utf8::Length(text) > kMaxFamilyEntryChars) return Error::Invalid("text", "At most 10000 characters.");
  return Ok{};
}

}  // namespace kith::domain
