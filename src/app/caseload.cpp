#include "app/caseload.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/child_gate.h"

namespace kith::app {

Result<std::vector<WorkerCaseload>> CaseloadService::TeamCaseloads(const Principal& p) {
  const TimePoint now = ctx_.clock.Now();
  if (p.user.role != domain::Role::kManager || p.user.agency_id.empty()) {
    auto a = AuditFor(p, "caseload.read", now);
    a.outcome = domain::AuditOutcome::kDenied;
    a.why = "not a manager of an agency";
    ctx_.store.Write([&](storage::Repositories& r) {
      r.Audit().Append(a);
      return true;
    });
    return Error::Forbidden("Only managers see their workers' caseloads.");
  }
  size_t listed = 0;
  auto out = ctx_.store.ReadValue([&](storage::Repositories& r) {
    std::vector<WorkerCaseload> workers;
    for (const auto& u : r.Users().ListByAuthority(p.user.authority_id)) {
      if (u.id == p.user.id || !u.active || u.agency_id != p.user.agency_id || u.role != domain::Role::kPractitioner) {
        continue;
      }
      WorkerCaseload w{u.id, u.display_name, u.job_title, {}};
      for (const auto& child_id : r.Teams().ChildrenOf(u.id)) {
        auto access = LoadChildAccess(r, child_id, p.Actor(), domain::ChildAction::kViewAccount, now);
        if (!access || !access->decision.allowed) continue;
        const auto& c = access->child;
        ChildSummary s{c.id, c.given_names, c.family_name, c.date_of_birth, "", false, c.flags};
        if (const auto* m = domain::FindMember(access->team, u.id)) {
          s.my_role = m->role;
          s.i_am_lead = m->lead;
        }
        w.children.push_back(std::move(s));
      }
      std::sort(w.children.begin(), w.children.end(), [](const ChildSummary& x, const ChildSummary& y) {
        return std::tie(x.family_name, x.given_names, x.child_id) < std::tie(y.family_name, y.given_names, y.child_id);
      });
      listed += w.children.size();
      workers.push_back(std::move(w));
    }
    std::sort(workers.begin(), workers.end(), [](const WorkerCaseload& x, const WorkerCaseload& y) {
      return std::tie(x.display_name, x.user_id) < std::tie(y.display_name, y.user_id);
    });
    return workers;
  });
  auto a = AuditFor(p, "caseload.read", now);
  a.why = "manager of the workers' agency";
  a.detail = nlohmann::json{{"workers", out.size()}, {"children", listed}}.dump();
  ctx_.store.Write([&](storage::Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  return out;
}

}  // namespace kith::app
