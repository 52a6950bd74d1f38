#include "app/child_gate.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace kith::app {

using domain::AuditOutcome;
using storage::Repositories;

ChildAccess AccessOf(domain::Child child, std::vector<MemberView> people, const domain::Actor& actor,
                     domain::ChildAction action, std::optional<domain::BreakGlass> break_glass, bool duty_team,
                     TimePoint now) {
  ChildAccess a{std::move(child), std::move(people), {}, {}, {}, std::move(break_glass)};
  auto& rel = a.relation;
  rel.child_authority_id = a.child.authority_id;
  rel.shielded = a.child.shielded;
  rel.break_glass = a.break_glass.has_value();
  rel.duty_team = duty_team;
  for (const auto& m : a.people) {
    a.team.push_back(m.member);
    rel.team_has_lead |= m.member.lead;
    if (m.member.user_id == actor.user_id) {
      rel.team_member = true;
      rel.lead = m.member.lead;
    }
    if (m.agency && !actor.agency_id.empty() && m.agency->id == actor.agency_id) {
      rel.team_includes_actors_agency = true;
    }
  }
  if (!actor.agency_id.empty()) {
    const Date today = Date::FromTime(now);
    const auto& c = a.child;
    // Named as involved by whoever decides joins, or by the agency itself (domain/child.h).
    const bool unconfirmed = std::binary_search(c.unconfirmed_agencies.begin(), c.unconfirmed_agencies.end(),
                                                actor.agency_id);
    rel.agency_involved = !unconfirmed && (c.school_agency_id == actor.agency_id || c.gp_agency_id == actor.agency_id ||
                                           std::any_of(c.services.begin(), c.services.end(), [&](const auto& s) {
                                             return s.agency_id == actor.agency_id && s.IsCurrent(today);
                                           }));
  }
  a.decision = Decide(actor, action, rel);
  return a;
}

std::optional<domain::BreakGlass> BreakGlassOf(Repositories& r, const std::string& child_id,
                                               const std::vector<MemberView>& people, const domain::Actor& actor,
                                               TimePoint now) {
  const bool member =
      std::any_of(people.begin(), people.end(), [&](const MemberView& m) { return m.member.user_id == actor.user_id; });
  if (member || !domain::WorksWithChildren(actor.role)) return std::nullopt;
  return r.BreakGlass().ActiveFor(actor.user_id, child_id, now);
}

bool IsDutyTeam(Repositories& r, const domain::Actor& actor, const std::string& authority_id) {
  if (actor.agency_id.empty()) return false;
  auto agency = r.Agencies().Get(actor.agency_id);
  return agency && agency->kind == domain::AgencyKind::kChildrensSocialCare && agency->authority_id == authority_id;
}

std::optional<ChildAccess> LoadChildAccess(Repositories& r, const std::string& child_id, const domain::Actor& actor,
                                           domain::ChildAction action, TimePoint now, bool even_if_merged) {
  auto child = r.Children().Get(child_id);
  if (!child || (!even_if_merged && r.Merges().MergedAway(child_id))) return std::nullopt;
  auto people = r.Teams().MembersWithPeople(child_id);
  auto glass = BreakGlassOf(r, child_id, people, actor, now);
  // Whether the actor is the duty team matters to deciding joins, and to naming agencies as
  // involved (which lets their staff join at once).
  const bool duty_team = (action == domain::ChildAction::kDecideJoin || action == domain::ChildAction::kEditRecord) &&
                         IsDutyTeam(r, actor, child->authority_id);
  return AccessOf(std::move(*child), std::move(people), actor, action, std::move(glass), duty_team, now);
}

std::optional<Error> ChildGate::Decided(const Principal& p, const std::string& child_id, const ChildAct& act,
                                        const std::optional<ChildAccess>& access) {
  auto audit = AuditFor(p, std::string(act.audit_action), ctx_.clock.Now());
  audit.child_id = child_id;
  if (auto refused = Refusal(access, act, audit)) return refused;
  Allowed(*access, audit);
  Append(audit);
  return std::nullopt;
}

void ChildGate::Append(const domain::AuditRecord& record) {
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(record);
    return true;
  });
}

domain::FamilyActor ChildGate::FamilyActorOf(Repositories& r, const domain::User& user) {
  domain::FamilyActor actor{user.id, user.active && user.role == domain::Role::kFamily, {}};
  if (user.role != domain::Role::kFamily) return actor;
  for (const auto& l : r.Family().LinksOf(user.id)) actor.links.push_back({l.child_id, l.relation});
  return actor;
}

std::optional<std::pair<domain::Child, domain::FamilyLink>> ChildGate::LoadFamilyAccess(Repositories& r,
                                                                                        const domain::User& user,
                                                                                        const std::string& child_id,
                                                                                        domain::FamilyAction action,
                                                                                        domain::AuditRecord& audit) {
  if (user.role != domain::Role::kFamily) {
    audit.why = "not a family account";
    return std::nullopt;
  }
  const auto actor = FamilyActorOf(r, user);
  const auto decision = domain::DecideFamily(actor, action, child_id);
  audit.why = std::string(decision.why);
  auto child = r.Children().Get(child_id);
  if (!decision.allowed || !child) return std::nullopt;
  if (r.Merges().MergedAway(child_id)) {
    // Hidden from everyone, as for staff (docs/linkage.md); merging refuses a child with family
    // accounts linked, so only a link older than that rule reaches here.
    audit.why = "no such child";
    return std::nullopt;
  }
  for (const auto& link : actor.links) {
    if (link.child_id == child_id) return std::make_pair(std::move(*child), link);
  }
  return std::nullopt;
}

void ChildGate::Allowed(const ChildAccess& access, domain::AuditRecord& audit) {
  audit.outcome = AuditOutcome::kAllowed;
  // "break-glass" when that is what allowed it: a review finds what was done under it by the
  // user, the child and the time.
  audit.why = std::string(access.decision.why);
}

void ChildGate::Failed(const ChildAccess& access, domain::AuditRecord audit, const Error& error) {
  Allowed(access, audit);
  audit.outcome = AuditOutcome::kFailed;
  // Replacing what is not UTF-8: an error may quote what the caller sent.
  audit.detail =
      nlohmann::json{{"error", error.message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  Append(audit);
}

std::optional<Error> ChildGate::Refusal(const std::optional<ChildAccess>& access, const ChildAct& act,
                                        domain::AuditRecord audit) {
  if (access && access->decision.allowed) return std::nullopt;
  audit.outcome = AuditOutcome::kDenied;
  audit.why = access ? std::string(access->decision.why) : "no such child";
  Append(audit);
  if (!access) return Error::NotFound("There is no child with that Kith id.");
  return Error::Forbidden(std::string(act.refused) + " (" + audit.why + ").");
}

}  // namespace kith::app
