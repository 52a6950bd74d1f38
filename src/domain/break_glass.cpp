#include "domain/break_glass.h"

#include "domain/team.h"

namespace kith::domain {
namespace {

constexpr BreakGlassReason kReasons[] = {BreakGlassReason::kImmediateRisk, BreakGlassReason::kChildProtectionEnquiry,
                                         BreakGlassReason::kMissingChild, BreakGlassReason::kMedicalEmergency,
                                         BreakGlassReason::kCourtOrPoliceRequirement};

}  // namespace

std::string_view ToString(BreakGlassReason reason) {
  switch (reason) {
    case BreakGlassReason::kImmediateRisk:
      return "immediate_risk";
    case BreakGlassReason::kChildProtectionEnquiry:
      return "child_protection_enquiry";
    case BreakGlassReason::kMissingChild:
      return "missing_child";
    case BreakGlassReason::kMedicalEmergency:
      return "medical_emergency";
    case BreakGlassReason::kCourtOrPoliceRequirement:
      return "court_or_police_requirement";
  }
  return "unknown";
}

std::string_view Label(BreakGlassReason reason) {
  switch (reason) {
    case BreakGlassReason::kImmediateRisk:
      return "immediate risk of significant harm";
    case BreakGlassReason::kChildProtectionEnquiry:
      return "child protection enquiry";
    case BreakGlassReason::kMissingChild:
      return "missing child";
    case BreakGlassReason::kMedicalEmergency:
      return "medical emergency";
    case BreakGlassReason::kCourtOrPoliceRequirement:
      return "court order or police requirement";
  }
  return "other";
}

std::optional<BreakGlassReason> ParseBreakGlassReason(std::string_view text) {
  for (auto r : kReasons) {
    if (ToString(r) == text) return r;
  }
  return std::nullopt;
}

Result<BreakGlass> NewBreakGlass(const std::string& child_id, const std::string& authority_id,
                                 const std::string& user_id, std::string_view reason_code, std::string_view reason,
                                 std::optional<int64_t> duration_hours, const BreakGlassLimits& limits, TimePoint now) {
  auto code = ParseBreakGlassReason(reason_code);
  if (!code) {
    return Error::Invalid("reason_code",
                          "Choose one of the allowed reasons: immediate_risk, child_protection_enquiry, missing_child, "
                          "medical_emergency, court_or_police_requirement.");
  }
  auto why = ValidateReason(reason);
  if (!why) return why.error();
  const int64_t hours = duration_hours.value_or(limits.default_duration.count());
  if (hours < 1 || hours > limits.max_duration.count()) {
    return Error::Invalid("duration_hours", "Break-glass access lasts from 1 to " +
                                                std::to_string(limits.max_duration.count()) +
                                                " hours; break the glass again when it ends if you still need it.");
  }
  BreakGlass g;
  g.child_id = child_id;
  g.authority_id = authority_id;
  g.user_id = user_id;
  g.reason_code = *code;
  g.reason = std::move(why).value();
  g.starts_at = now;
  g.ends_at = now + std::chrono::hours(hours);
  return g;
}

Status ReviewBreakGlass(BreakGlass& g, const std::string& reviewer_id, std::optional<bool> justified,
                        std::string_view note, bool end_now, TimePoint now) {
  auto checked = ValidateReason(note);
  if (!checked) {
    return Error::Invalid("note", "Give a note of 10 to 500 characters: it is kept with the review and audited.");
  }
  if (reviewer_id == g.user_id) return Error::Forbidden("Another manager must review your own break-glass access.");
  if (end_now && !g.IsActive(now)) return Error::Conflict("This break-glass access has already ended.");
  if (!end_now && g.reviewed_at) return Error::Conflict("This break-glass access has already been reviewed.");
  if (!g.reviewed_at && !justified) {
    return Error::Invalid("justified", "Say whether the access was justified.");
  }
  if (!g.reviewed_at) {
    g.reviewed_at = now;
    g.reviewed_by = reviewer_id;
    g.review_note = std::move(checked).value();
    g.justified = justified;
  }
  if (end_now) {
    g.ended_early_at = now;
    g.ended_by = reviewer_id;
  }
  return Ok{};
}

}  // namespace kith::domain
