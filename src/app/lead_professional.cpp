#include "app/lead_professional.h"

namespace kith::app {

Result<domain::LeadChange> ChangeLeadProfessional(storage::Repositories& r, const std::string& child_id,
                                                  const domain::Team& team, const std::string& actor_id,
                                                  const std::string& to_user_id, const std::string& reason,
                                                  TimePoint now) {
  auto change = domain::Handover(team, actor_id, to_user_id);
  if (!change) return change.error();
  if (change->from_user_id) {
    r.Teams().SetLead(child_id, *change->from_user_id, false);
    r.Teams().AppendEvent({child_id, *change->from_user_id, "lead_released",
                           domain::FindMember(team, *change->from_user_id)->role, reason, actor_id, now});
  }
  r.Teams().SetLead(child_id, change->to_user_id, true);
  r.Teams().AppendEvent({child_id, change->to_user_id, "lead_assigned",
                         domain::FindMember(team, change->to_user_id)->role, reason, actor_id, now});
  for (auto& a : r.EarlyHelp().ForChild(child_id)) {
    if (!a.IsOpen() || a.lead_id == change->to_user_id) continue;
    if (auto s = domain::early_help::HandOver(a, change->to_user_id, actor_id, reason, now); !s) return s.error();
    if (auto s = r.EarlyHelp().Update(a); !s) return s.error();
  }
  return change;
}

}  // namespace kith::app
