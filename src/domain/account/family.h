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
// - Restricting an entry from the family needs a reason from a fixed list; such restrictions go
//   to the lead professional for review (confirm or lift).
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

// The built-in default for a subject type (an entry type code or kForumThreadSubject), used
// when the authority has set none: team only for strategy discussions, police call-outs,
// referrals, incidents and forum threads (where practitioners share what they cannot yet say
// to the family); team and family for everything else.
Visibility BuiltInDefault(std::string_view subject_type);

// The visibility to record. Without a choice the authority's default applies (a team-only
// default needs no reason: it is the authority's policy, not a restriction of this entry).
// A choice of kTeam is a restriction: it needs a reason (and a text for kOther) and goes to
// review (kPending). A choice of kTeamAndFamily must carry no reason. Errors: kInvalidInput
// naming the field ("visibility", "restriction_reason", "restriction_text").
Result<VisibilityRecord> ResolveVisibility(const std::optional<VisibilityChoice>& choice,
                                           Visibility default_visibility);

// The lead professional's decision on a pending restriction: kConfirmed keeps it from the
// family; kLifted makes it visible to the family. kConflict if there is nothing pending.
Result<VisibilityRecord> ReviewRestriction(const VisibilityRecord& current, bool lift);

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
