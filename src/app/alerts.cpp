#include "app/alerts.h"

#include <algorithm>
#include <vector>

namespace kith::app {

int AlertWatchers(storage::Repositories& r, Random& random, const domain::Child& child, Watchers who,
                  const std::string& actor_id, const std::string& kind, const std::string& summary,
                  const std::string& subject_id, TimePoint now) {
  std::vector<std::string> to;
  if (who != Watchers::kLead) {
    for (const auto& u : r.Users().ListByAuthority(child.authority_id)) {
      if (u.active && u.role == domain::Role::kManager) to.push_back(u.id);
    }
  }
  if (who != Watchers::kManagers) {
    const auto team = r.Teams().Members(child.id);
    if (const auto* lead = domain::FindLead(team)) to.push_back(lead->user_id);
  }
  std::sort(to.begin(), to.end());
  to.erase(std::unique(to.begin(), to.end()), to.end());
  int alerted = 0;
  for (const auto& user_id : to) {
    if (user_id == actor_id) continue;
    r.Feed().InsertAlert({random.Id("A"), user_id, child.id, now, kind, summary, subject_id, std::nullopt});
    ++alerted;
  }
  return alerted;
}

}  // namespace kith::app
