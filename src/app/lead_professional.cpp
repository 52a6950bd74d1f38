#include "app/lead_professional.h"

#include "app/alerts.h"

namespace kith::app {

Result<domain::LeadChange> ChangeLeadProfessional(storage::Repositories& r, Random& random, const domain::Child& child,
                                                  const domain::Team& team, const std::string& actor_id,
                                                  const std::string& to_user_id, const std::string& reason,
                                                  TimePoint now) {
  const std::string& child_id = child.id;
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
  if (!change->from_user_id) {
    auto lead = r.Users().Get(change->to_user_id);
    auto actor = r.Users().Get(actor_id);
    AlertWatchers(r, random, child, Watchers::kManagers, actor_id, "lead_assigned",
                  "New lead professional, where there was none: " +
                      (lead ? lead->display_name : change->to_user_id) + ", set by " +
                      (actor ? actor->display_name : actor_id) + " — " + reason,
                  child_id, now);
  }
  return change;
}

}  // namespace kith::app
