#include "app/child_access.h"

namespace kith::app {

std::optional<ChildAccess> LoadChildAccess(storage::Repositories& r, const std::string& child_id,
                                           const domain::Actor& actor) {
  auto child = r.Children().Get(child_id);
  if (!child) return std::nullopt;
  ChildAccess a{std::move(*child), r.Teams().Members(child_id), {}, {}, false};
  a.relation.child_authority_id = a.child.authority_id;
  for (const auto& m : a.team) {
    a.relation.team_has_lead |= m.lead;
    if (m.user_id == actor.user_id) {
      a.relation.team_member = true;
      a.relation.lead = m.lead;
    }
    if (!actor.agency_id.empty() && !a.relation.team_includes_actors_agency) {
      auto u = r.Users().Get(m.user_id);
      a.relation.team_includes_actors_agency = u && u->agency_id == actor.agency_id;
    }
  }
  a.decision = Decide(actor, domain::ChildAction::kViewAccount, a.relation);
  a.may_write = a.decision.allowed && a.relation.team_member;
  return a;
}

}  // namespace kith::app
