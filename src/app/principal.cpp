#include "app/principal.h"

namespace kith::app {

std::string_view ToString(SessionState state) {
  switch (state) {
    case SessionState::kComplete:
      return "complete";
    case SessionState::kNeedsSecondFactor:
      return "second_factor_required";
    case SessionState::kNeedsEnrolment:
      return "enrolment_required";
  }
  return "complete";
}

domain::AuditRecord AuditFor(const Principal& p, std::string action, TimePoint at) {
  domain::AuditRecord r;
  r.at = at;
  r.actor_id = p.user.id;
  r.actor_role = std::string(domain::ToString(p.user.role));
  r.authority_id = p.user.authority_id;
  r.action = std::move(action);
  r.client = p.client;
  return r;
}

}  // namespace kith::app
