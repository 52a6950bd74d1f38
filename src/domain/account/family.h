// The family portal's rules (issue 5), pure: who in a family may see what of a child's
// account, the visibility of each chronology entry and forum thread, the fixed reasons for
// restricting something from the family, the local authority's defaults, and the checks made
// when a family member is invited and redeems an invitation.
//
// The rules, in short:
// - A family member is a distinct kind of principal (Role::kFamily): never on a team, never
//   granted anything by the practitioners' policy (access_policy.h). What a family member may
//   do is decided here, from the links between that account and children.
// - A parent or carer may be linked to several children (siblings); a young person only to
//   themselves. Links are made only by redeeming an invitation with an identity check.
// - A family member sees, of a linked child only: the team (names, roles, agencies), the
//   chronology entries and forum threads whose visibility is team_and_family, and the entries
//   they wrote themselves. Anything without a recorded visibility counts as team only (fail
//   closed).
// - Nothing is shared with the family unless someone decides to share it (issue 15): every
//   default is team only, except types an authority chose to share by default; safeguarding-
//   sensitive types and serious entries stay team only whatever the authority chose (the floor).
// - Restricting an entry from the family with a reason from a fixed list sends it to the lead
//   professional for review (confirm). Releasing anything the team holds back to the family
//   needs a recorded reason and the agreement of the agencies that hold it back: the agency
//   that recorded it and the agency that restricted it (police above all).
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/result.h"
#include "domain/access_policy.h"

namespace kith::domain {

// Who may read a chronology entry or forum thread. Stable codes: "team", "team_and_family".
enum class Visibility { kTeam, kTeamAndFamily };

// Why something is kept from the family. Stable codes: "risk_of_harm" (would put a child or
// adult at risk), "third_party" (third-party information), "police_investigation", "other"
// (needs a text).
enum class RestrictionReason { kRiskOfHarm, kThirdParty, kPoliceInvestigation, kOther };

// The lead professional's review of a restriction. Stable codes: "none" (nothing to review:
// visible to the family, or team only by the authority's default), "pending", "confirmed",
// "lifted".
enum class RestrictionReview { kNone, kPending, kConfirmed, kLifted };

// How a family member is related to a child. Stable codes: "parent_carer", "young_person".
enum class FamilyRelation { kParentCarer, kYoungPerson };

std::string_view ToString(Visibility v);
std::string_view ToString(RestrictionReason r);
std::string_view ToString(RestrictionReview r);
std::string_view ToString(FamilyRelation r);
std::optional<Visibility> ParseVisibility(std::string_view code);
std::optional<RestrictionReason> ParseRestrictionReason(std::string_view code);
std::optional<RestrictionReview> ParseRestrictionReview(std::string_view code);
std::optional<FamilyRelation> ParseFamilyRelation(std::string_view code);
// A short phrase for people ("Would put a child or adult at risk").
std::string_view Describe(RestrictionReason r);
std::span<const RestrictionReason> AllRestrictionReasons();

inline constexpr size_t kMaxRestrictionTextChars = 1'000;
// The subject type of forum threads in the defaults (entry types use their own codes).
inline constexpr std::string_view kForumThreadSubject = "forum_thread";
inline constexpr int kDefaultYoungPersonMinAge = 13;

// The visibility of one entry lineage or forum thread.
struct VisibilityRecord {
  Visibility visibility = Visibility::kTeam;
  std::optional<RestrictionReason> reason;  // set when a practitioner restricted it
  std::string reason_text;                  // required with kOther, optional otherwise
  RestrictionReview review = RestrictionReview::kNone;
};

// What a practitioner asked for.
struct VisibilityChoice {
  Visibility visibility = Visibility::kTeam;
  std::optional<RestrictionReason> reason;
  std::string reason_text;
};

// Safeguarding-sensitive subject types: incidents, hospital attendances (injuries), police
// call-outs, strategy discussions, case conferences, referrals, and forum threads (where
// practitioners share what they cannot yet say to the family). What they record is kept from
// the family unless someone shares it deliberately, whatever the authority's settings.
bool IsSensitiveSubject(std::string_view subject_type);
std::span<const std::string_view> SensitiveSubjectTypes();

// Whether the floor holds a subject back from the family by default: a sensitive type, or a
// serious entry.
bool OnTheFloor(std::string_view subject_type, bool serious);

// The visibility a new subject gets when nobody chooses. Team only, unless the authority chose
// to share this type with families by default (`authority_setting` kTeamAndFamily) and the
// subject is neither sensitive nor serious: an authority can make defaults stricter, never
// looser than that floor. A setting that would loosen the floor is ignored.
Visibility DefaultVisibility(std::string_view subject_type, bool serious, std::optional<Visibility> authority_setting);

// Whether an authority may set `v` as its default for `subject_type`: never kTeamAndFamily for
// a sensitive type. kInvalidInput naming the field "defaults.<type>".
Status CheckAuthorityDefault(std::string_view subject_type, Visibility v);

// The visibility to record. Without a choice, `default_visibility` applies (no reason: team
// only by default is policy, not a restriction of this entry). A choice of kTeam without a
// reason keeps it within the team; with a reason (and a text for kOther) it is a restriction
// and goes to the lead professional's review (kPending). A choice of kTeamAndFamily carries no
// reason. Errors: kInvalidInput naming the field ("restriction_reason", "restriction_text").
Result<VisibilityRecord> ResolveVisibility(const std::optional<VisibilityChoice>& choice,
                                           Visibility default_visibility);

// The lead professional keeps a pending restriction (kConfirmed). kConflict if nothing is
// pending. Sharing it instead is a release (below), never a one-click review.
Result<VisibilityRecord> ConfirmRestriction(const VisibilityRecord& current);

// --- Releasing to the family what the team holds back ----------------------------------------

// The agencies involved in a subject's visibility: the agency that recorded it (an entry's
// agency, a thread's author's; an early help assessment's lead professional's) and the agency
// of whoever last set its visibility (the restricting agency of a restriction).
struct Holders {
  std::string recording_agency_id;
  std::string restricting_agency_id;
};

// The agencies whose agreement a practitioner of `actor_agency_id` needs to release a subject
// the team holds back: the holders other than the actor's own, each once. Empty: the actor may
// release it themselves (with a reason).
std::vector<std::string> AgreementNeeded(const Holders& holders, std::string_view actor_agency_id);

// Whether a practitioner of `actor_agency_id` may set the visibility of a subject to kTeam (with
// or without a reason), replacing its row. Anyone may hold back what is shared, or what is held
// back only by the agency that recorded it (which stays a holder); a hold by another agency is
// theirs — a restriction with a reason always, a hold without one unless that agency recorded
// it — since replacing it would let the replacing agency release it without them. kConflict.
Status CheckRestrict(const VisibilityRecord& current, const Holders& holders, std::string_view actor_agency_id);

// The record once released: visible to the family; a pending or confirmed restriction's review
// becomes kLifted (its reason kept, for the history). kConflict if it is already visible.
Result<VisibilityRecord> Release(const VisibilityRecord& current);

inline constexpr size_t kMaxReleaseReasonChars = 1'000;
// Every release and every agreement or refusal carries a reason: required, valid UTF-8, at
// most kMaxReleaseReasonChars. kInvalidInput naming `field`.
Status ValidateReleaseReason(std::string_view text, std::string_view field = "reason");

// A request to an agency to agree to release a subject. Stable codes: "pending", "agreed",
// "declined".
enum class ReleaseStatus { kPending, kAgreed, kDeclined };
std::string_view ToString(ReleaseStatus s);
std::optional<ReleaseStatus> ParseReleaseStatus(std::string_view code);

// May a family member linked to the child see a subject with this visibility (null: none
// recorded)? Only kTeamAndFamily is visible.
bool FamilyMaySee(const VisibilityRecord* record);

// --- Family principals ---------------------------------------------------------------------

struct FamilyLink {
  std::string child_id;
  FamilyRelation relation = FamilyRelation::kParentCarer;
};

struct FamilyActor {
  std::string user_id;
  bool active = false;
  std::vector<FamilyLink> links;
};

enum class FamilyAction {
  kViewChild,  // the team, family-visible entries and threads, their own entries
  kAddEntry,   // add their own view
  kExport,     // download what they may see
};

std::string_view ToString(FamilyAction action);

// Allowed only for an active family member linked to the child.
Decision DecideFamily(const FamilyActor& actor, FamilyAction action, const std::string& child_id);

// Whether an account with `existing` links may be linked to one more child as `relation`:
// a young person has one link only (themselves); a parent or carer any number, but not the
// same child twice and never mixed with a young person's link. kConflict with a message.
Status CheckNewLink(std::span<const FamilyLink> existing, const std::string& child_id, FamilyRelation relation);

// Whether a young person of `age` may be invited (age >= min_age). kInvalidInput otherwise.
Status CheckYoungPersonAge(int age, int min_age);

// The identity check at redemption: the child's date of birth and postcode as the family
// member typed them (postcode compared without spaces or case). False when the child's record
// lacks either.
bool IdentityMatches(const std::optional<Date>& child_dob, std::string_view child_postcode, const Date& given_dob,
                     std::string_view given_postcode);

// A family member's own kinds of entry. Stable codes: "thoughts" (my thoughts and feelings),
// "response" (a response to an entry), "disagreement" (I disagree with this and here is why).
enum class FamilyEntryKind { kThoughts, kResponse, kDisagreement };
std::string_view ToString(FamilyEntryKind kind);
std::optional<FamilyEntryKind> ParseFamilyEntryKind(std::string_view code);
inline constexpr size_t kMaxFamilyEntryChars = 10'000;

// A response or disagreement is about an entry; thoughts are about none. The text is required,
// valid UTF-8, at most kMaxFamilyEntryChars. kInvalidInput naming the field.
Status ValidateFamilyEntry(FamilyEntryKind kind, std::string_view about_entry_id, std::string_view text);

}  // namespace kith::domain
