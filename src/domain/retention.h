// Retention by rule (issue 18, section 1; ADR 0020, docs/retention.md): how long a child's
// record is kept. Each local authority has its rules: a child's account is archived at 18 (25
// for care leavers and young people with special educational needs), purged a number of years
// after archive; the death of a child archives the account and starts its own purge clock; a
// child who never had a team and is involved with no service leaves the index after a period
// without involvement. A legal hold (litigation, an inquiry, a safeguarding review) stops the
// clock of every destructive step (purge, removal from the index) while it is in force.
//
// These functions check rules and holds and say what is due for one child on a given date;
// finding the children, storing rules and holds, archiving and purging are the caller's job.
// Dates are calendar dates (UK law counts ages and periods in days, not instants). Pure
// functions on plain values; safe from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/date.h"
#include "common/result.h"

namespace kith::domain {

// `date` plus whole years (months): a day that does not exist in the target month (29 February
// in a common year, 31 April) becomes the first day of the next month, as a birthday on 29
// February is reached on 1 March (so AddYears(dob, n) is the first day Date::AgeOn says n).
Date AddYears(const Date& date, int years);
Date AddMonths(const Date& date, int months);

// One authority's rules. Every period is whole years or months, counted from the day the clock
// starts; time under a legal hold is not counted (see Assess).
struct RetentionRules {
  int archive_age_years = 18;           // every child's account is archived on this birthday
  int extended_archive_age_years = 25;  // ... or this one for care leavers and young people with SEN
  int purge_after_archive_years = 6;    // the account and index record are purged this long after archive
  int purge_after_death_years = 6;      // after a child's death (the account is archived on that day)
  // A child who never had a team and is involved with no service leaves the index this long after
  // their last involvement (a service ending, or the record being created).
  int remove_unused_after_months = 24;
};

// Checks that rules are whole and consistent; the first problem is returned as kInvalidInput
// naming the field ("archive_age_years", "extended_archive_age_years",
// "purge_after_archive_years", "purge_after_death_years", "remove_unused_after_months") with a
// message saying what contradicts what (a negative period; a purge on or before the archive it
// follows; an extended age below the ordinary one).
Status ValidateRetentionRules(const RetentionRules& rules);

enum class LegalHoldKind { kLitigation, kInquiry, kSafeguardingReview };
std::string_view ToString(LegalHoldKind kind);
std::optional<LegalHoldKind> ParseLegalHoldKind(std::string_view text);

// A legal hold on a child's record. It is in force from `starts_on` to `ends_on` (both included)
// unless released earlier: a release on day R ends it at the start of R.
struct LegalHold {
  std::string id;  // "H" + 16 base-32 characters
  std::string child_id;
  std::string authority_id;
  LegalHoldKind kind = LegalHoldKind::kLitigation;
  std::string reason;  // 10..500 characters
  Date starts_on;
  Date ends_on;
  std::string placed_by;
  TimePoint placed_at;
  std::optional<Date> released_on;
  std::string released_by;
  std::string release_reason;

  // The first day it no longer holds.
  Date EndsBefore() const;
  bool InForceOn(const Date& day) const { return starts_on <= day && day < EndsBefore(); }
};

// How long a hold may be placed for at most; longer needs a new hold when this one ends.
inline constexpr int kMaxLegalHoldYears = 10;

// A new hold of `child_id`, in force from `today` to `ends_on`. The id is left empty. Errors:
// kInvalidInput naming "kind", "reason" (10..500 characters) or "ends_on" (before today, or more
// than kMaxLegalHoldYears ahead).
Result<LegalHold> NewLegalHold(const std::string& child_id, const std::string& authority_id, std::string_view kind,
                               std::string_view reason, const Date& ends_on, const std::string& placed_by,
                               TimePoint now);

// Releases `hold` on `today` with a reason. Errors: kInvalidInput ("reason"), kConflict when it is
// no longer in force. Nothing is changed on error.
Status ReleaseLegalHold(LegalHold& hold, std::string_view reason, const std::string& released_by, const Date& today);

// What retention needs to know about one child.
struct RetentionFacts {
  std::string child_id;
  std::optional<Date> date_of_birth;
  bool care_leaver = false;
  bool special_educational_needs = false;
  std::optional<Date> date_of_death;
  // When the record was created, and the last day any service was involved (none: never).
  Date created_on;
  std::optional<Date> last_service_on;
  bool involved_now = false;  // a service is involved today, or a practitioner is on the team
  bool ever_had_team = false;  // anyone has ever been on the child's team
  std::optional<Date> archived_on;  // the account was archived on this day (none: not yet)
  // Holds on this child AND on every record merged into it (a merged record's hold protects the
  // survivor that now holds its data). Holds starting after the as-of date are not counted.
  std::vector<LegalHold> holds;
};

enum class RetentionStep { kNone, kArchive, kPurge, kRemoveFromIndex };
std::string_view ToString(RetentionStep step);

// The rule behind a step, as recorded with it ("archive_age", "extended_archive_age", "death",
// "purge_after_archive", "purge_after_death", "unused").
enum class RetentionRule {
  kNone,
  kArchiveAge,
  kExtendedArchiveAge,
  kDeath,
  kPurgeAfterArchive,
  kPurgeAfterDeath,
  kUnused
};
std::string_view ToString(RetentionRule rule);

struct RetentionAssessment {
  RetentionStep due = RetentionStep::kNone;   // what is due on the as-of date
  RetentionStep next = RetentionStep::kNone;  // the child's next step, due or not
  std::optional<Date> next_on;                // when `next` falls due (none: no date can be set yet)
  RetentionRule rule = RetentionRule::kNone;  // the rule that sets `next`
  // Holds in force on the as-of date that keep `next` from being due (only destructive steps
  // are held); empty when nothing is held.
  std::vector<std::string> held_by;
};

// What is due for a child on `as_of` under `rules` (which must be valid).
// * Not archived: archive on the archive birthday (the extended one for a care leaver or a young
//   person with SEN), or on the day of death if earlier; a child with no date of birth and no
//   death has no archive date. A child who never had a team and is involved with nothing is
//   removed from the index `remove_unused_after_months` after the later of the record's creation
//   and the last service, if that comes before the archive.
// * Archived: purged `purge_after_archive_years` after the day it was archived, or
//   `purge_after_death_years` after the day of death when one is recorded.
// * A hold stops the clock of purge and removal: each day a hold is in force after the clock
//   starts (before the step falls due) moves the step a day later; a step that fell due before a
//   hold was placed waits while the hold is in force. Archive is never held: it keeps every
//   record and only restricts who may see it.
RetentionAssessment Assess(const RetentionFacts& facts, const RetentionRules& rules, const Date& as_of);

// Refuses a change of rules that would bring the purge or removal of a child under a hold to a
// day within that hold, earlier than the current rules set it (the hold would be all that stands
// between the child and a purge the authority had not planned when it placed the hold):
// kConflict naming the child and the hold. `held` are the facts of the children with a hold in
// force on `today`. Also refuses invalid `proposed` rules (ValidateRetentionRules).
Status CheckRuleChange(const RetentionRules& current, const RetentionRules& proposed,
                       std::span<const RetentionFacts> held, const Date& today);

}  // namespace kith::domain
