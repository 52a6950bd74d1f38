// Shield overrides ("break the glass" on a shielded child, issue 6): a practitioner who has
// found a shielded child may see the child's address and carers' contacts for a limited time,
// with a stated reason, at once (safeguarding cannot wait), while the authority's managers are
// alerted and review every override afterwards (docs/shielding.md).
// These functions check the rules and describe the change; storing it, auditing it and alerting
// are the app layer's job. Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "domain/access_policy.h"

namespace kith::domain {

// Why a shield may be overridden: the allowed reasons, each with a stated explanation.
enum class OverrideReason {
  kImmediateRisk,            // the child is at immediate risk of significant harm
  kChildProtectionEnquiry,   // a child protection (section 47) enquiry needs to reach the family
  kMissingChild,             // the child is missing and must be found
  kMedicalEmergency,         // urgent medical care needs the family's details
  kCourtOrPoliceRequirement  // a court order or police protection needs the address
};
std::string_view ToString(OverrideReason reason);
std::optional<OverrideReason> ParseOverrideReason(std::string_view text);

// The authority's limits on an override's duration.
struct OverrideLimits {
  std::chrono::hours default_duration{24};
  std::chrono::hours max_duration{72};
};

struct ShieldOverride {
  std::string id;  // "O" + 16 base-32 characters
  std::string child_id;
  std::string authority_id;  // the child's authority, whose managers review it
  std::string user_id;       // who overrode the shield
  OverrideReason reason_code = OverrideReason::kImmediateRisk;
  std::string reason;  // the stated explanation, 10..500 characters
  TimePoint starts_at;
  TimePoint ends_at;  // the time limit set when it was granted
  // Ended before its time limit by a manager reviewing it.
  std::optional<TimePoint> ended_early_at;
  std::string ended_by;
  // A manager's review: who, when and what they noted.
  std::optional<TimePoint> reviewed_at;
  std::string reviewed_by;
  std::string review_note;

  // In force: started, not past its time limit and not ended early.
  bool IsActive(TimePoint now) const { return !ended_early_at && starts_at <= now && now < ends_at; }
  // When it stopped (or will stop) giving access.
  TimePoint EndsAt() const { return ended_early_at ? *ended_early_at : ends_at; }
};

// Whether `actor` may override the shield of a child with relation `rel`. Allowed to active
// practitioners and managers anywhere (as signposting is) for a shielded child whose team they
// are not on (the team already sees everything). `why` is a fixed phrase for the audit trail.
Decision DecideShieldOverride(const Actor& actor, const ChildRelation& rel, bool child_shielded);

// Whether `actor` may list, review and end the shield overrides of children of `authority_id`:
// active managers of that authority.
Decision DecideOverrideReview(const Actor& actor, const std::string& authority_id);

// A new override of `child_id`'s shield by `user_id` starting at `now`, with the reason checked
// (10..500 characters) and the duration in hours (default `limits.default_duration`, at most
// `limits.max_duration`). The id is left empty. Errors: kInvalidInput naming "reason_code",
// "reason" or "duration_hours".
Result<ShieldOverride> NewShieldOverride(const std::string& child_id, const std::string& authority_id,
                                         const std::string& user_id, std::string_view reason_code,
                                         std::string_view reason, std::optional<int64_t> duration_hours,
                                         const OverrideLimits& limits, TimePoint now);

// Records a manager's review of `o` with a note (10..500 characters), and ends it at `now` if
// `end_now`. Errors: kInvalidInput ("note"), kForbidden (the reviewer made the override: someone
// else must review it), kConflict (already reviewed; ending one that is no longer active).
// Nothing is changed on error.
Status ReviewShieldOverride(ShieldOverride& o, const std::string& reviewer_id, std::string_view note, bool end_now,
                            TimePoint now);

}  // namespace kith::domain
