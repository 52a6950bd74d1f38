// Break-glass: emergency access to a child's account by a practitioner or manager who is not on
// the team (issue 14; docs/access.md, ADR 0012, which replaces the shield override of ADR 0009).
// It is granted at once — safeguarding cannot wait — after the caller states a reason category
// and an explanation and re-authenticates; it lasts a limited time (the authority's default,
// at most its maximum), shows the whole account read-only (a shielded child's address and
// carers included) and is alerted at once to the lead professional and the authority's
// managers, one of whom reviews every use as justified or not.
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

// Why the glass may be broken: the allowed reason categories, each with a stated explanation.
enum class BreakGlassReason {
  kImmediateRisk,            // the child is at immediate risk of significant harm
  kChildProtectionEnquiry,   // a child protection (section 47) enquiry needs the record now
  kMissingChild,             // the child is missing and must be found
  kMedicalEmergency,         // urgent medical care needs the record or the family's details
  kCourtOrPoliceRequirement  // a court order or police protection needs the record
};
std::string_view ToString(BreakGlassReason reason);
// The reason in words, for alerts and pages ("missing child").
std::string_view Label(BreakGlassReason reason);
std::optional<BreakGlassReason> ParseBreakGlassReason(std::string_view text);

// How long break-glass lasts: the default when none is asked for, and the most that may be.
struct BreakGlassLimits {
  std::chrono::hours default_duration{4};
  std::chrono::hours max_duration{12};
};

struct BreakGlass {
  std::string id;  // "G" + 16 base-32 characters ("O…" for shield overrides made before it)
  std::string child_id;
  std::string authority_id;  // the child's authority, whose managers review it
  std::string user_id;       // who broke the glass
  BreakGlassReason reason_code = BreakGlassReason::kImmediateRisk;
  std::string reason;  // the stated explanation, 10..500 characters
  TimePoint starts_at;
  TimePoint ends_at;  // the time limit set when it was granted
  // Ended before its time limit by a manager reviewing it.
  std::optional<TimePoint> ended_early_at;
  std::string ended_by;
  // A manager's review: who, when, the verdict and what they noted.
  std::optional<TimePoint> reviewed_at;
  std::string reviewed_by;
  std::string review_note;
  std::optional<bool> justified;  // set by the review

  // In force: started, not past its time limit and not ended early.
  bool IsActive(TimePoint now) const { return !ended_early_at && starts_at <= now && now < ends_at; }
  // When it stopped (or will stop) giving access.
  TimePoint EndsAt() const { return ended_early_at ? *ended_early_at : ends_at; }
};

// A new break-glass of `child_id` by `user_id` starting at `now`, with the reason checked
// (10..500 characters) and the duration in hours (default `limits.default_duration`, at most
// `limits.max_duration`). The id is left empty. Errors: kInvalidInput naming "reason_code",
// "reason" or "duration_hours".
Result<BreakGlass> NewBreakGlass(const std::string& child_id, const std::string& authority_id,
                                 const std::string& user_id, std::string_view reason_code, std::string_view reason,
                                 std::optional<int64_t> duration_hours, const BreakGlassLimits& limits, TimePoint now);

// Records a manager's review of `g`: whether it was justified, a note (10..500 characters), and
// ends it at `now` if `end_now`. A review already made cannot be changed, but a reviewed
// break-glass still in force can be ended. Errors: kInvalidInput ("note"; "justified" when a
// first review gives no verdict), kForbidden (the reviewer broke the glass: someone else must
// review it), kConflict (already reviewed; ending one no longer in force). Nothing is changed on
// error.
Status ReviewBreakGlass(BreakGlass& g, const std::string& reviewer_id, std::optional<bool> justified,
                        std::string_view note, bool end_now, TimePoint now);

}  // namespace kith::domain
