#include "domain/shield.h"

#include "domain/team.h"

namespace kith::domain {
namespace {

constexpr OverrideReason kReasons[] = {OverrideReason::kImmediateRisk, OverrideReason::kChildProtectionEnquiry,
                                       OverrideReason::kMissingChild, OverrideReason::kMedicalEmergency,
                                       OverrideReason::kCourtOrPoliceRequirement};

Decision Allow(std::string_view why) { return {true, why}; }
Decision Deny(std::string_view why) { return {false, why}; }

}  // namespace

std::string_view ToString(OverrideReason reason) {
  switch (reason) {
    case OverrideReason::kImmediateRisk:
      return "immediate_risk";
    case OverrideReason::kChildProtectionEnquiry:
      return "child_protection_enquiry";
    case OverrideReason::kMissingChild:
      return "missing_child";
    case OverrideReason::kMedicalEmergency:
      return "medical_emergency";
    case OverrideReason::kCourtOrPoliceRequirement:
      return "court_or_police_requirement";
  }
  return "unknown";
}

std::optional<OverrideReason> ParseOverrideReason(std::string_view text) {
  for (auto r : kReasons) {
    if (ToString(r) == text) return r;
  }
  return std::nullopt;
}

Decision DecideShieldOverride(const Actor& actor, const ChildRelation& rel, bool child_shielded) {
  if (!actor.active) return Deny("account inactive");
  if (!WorksWithChildren(actor.role)) return Deny("role does not work with children");
  if (!child_shielded) return Deny("the child is not shielded");
  if (rel.team_member) return Deny("team members already see the shielded details");
  return Allow("practitioner overriding a shield");
}

Decision DecideOverrideReview(const Actor& actor, const std::string& authority_id) {
  if (!actor.active) return Deny("account inactive");
  if (actor.role != Role::kManager || actor.authority_id != authority_id) {
    return Deny("not a manager of the child's authority");
  }
  return Allow("manager of the child's authority");
}

Result<ShieldOverride> NewShieldOverride(const std::string& child_id, const std::string& authority_id,
                                         const std::string& user_id, std::string_view reason_code,
                                         std::string_view reason, std::optional<int64_t> duration_hours,
                                         const OverrideLimits& limits, TimePoint now) {
  auto code = ParseOverrideReason(reason_code);
  if (!code) {
    return Error::Invalid("reason_code",
                          "Choose one of the allowed reasons: immediate_risk, child_protection_enquiry, missing_child, "
                          "medical_emergency, court_or_police_requirement.");
  }
  auto why = ValidateReason(reason);
  if (!why) return why.error();
  const int64_t hours = duration_hours.value_or(limits.default_duration.count());
  if (hours < 1 || hours > limits.max_duration.count()) {
    return Error::Invalid("duration_hours", "An override lasts from 1 to " +
                                                std::to_string(limits.max_duration.count()) +
                                                " hours; ask again when it ends if you still need it.");
  }
  ShieldOverride o;
  o.child_id = child_id;
  o.authority_id = authority_id;
  o.user_id = user_id;
  o.reason_code = *code;
  o.reason = std::move(why).value();
  o.starts_at = now;
  o.ends_at = now + std::chrono::hours(hours);
  return o;
}

Status ReviewShieldOverride(ShieldOverride& o, const std::string& reviewer_id, std::string_view note, bool end_now,
                            TimePoint now) {
  auto checked = ValidateReason(note);
  if (!checked) {
    return Error::Invalid("note", "Give a note of 10 to 500 characters: it is kept with the override and audited.");
  }
  if (reviewer_id == o.user_id) return Error::Forbidden("Another manager must review your own override.");
  if (end_now && !o.IsActive(now)) return Error::Conflict("This override has already ended.");
  if (!end_now && o.reviewed_at) return Error::Conflict("This override has already been reviewed.");
  o.reviewed_at = now;
  o.reviewed_by = reviewer_id;
  o.review_note = std::move(checked).value();
  if (end_now) {
    o.ended_early_at = now;
    o.ended_by = reviewer_id;
  }
  return Ok{};
}

}  // namespace kith::domain
