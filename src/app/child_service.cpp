#include "app/child_service.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "app/lead_professional.h"
#include "app/shield_service.h"

namespace kith::app {
namespace {

using domain::AuditOutcome;
using domain::ChildAction;
using domain::Decision;
using storage::Repositories;

// Everything the access policy and the views need about one child, read in one snapshot.
struct Snapshot {
  domain::Child child;
  std::vector<MemberView> team;
  domain::ChildRelation relation;

  domain::Team Members() const {
    domain::Team members;
    for (const auto& m : team) members.push_back(m.member);
    return members;
  }
};

std::vector<MemberView> LoadTeam(Repositories& r, const std::string& child_id) {
  return r.Teams().MembersWithPeople(child_id);
}

// How `actor` stands to the child whose team is `team`.
domain::ChildRelation Relate(const domain::Child& child, const std::vector<MemberView>& team,
                             const domain::Actor& actor) {
  domain::ChildRelation relation;
  relation.child_authority_id = child.authority_id;
  for (const auto& m : team) {
    relation.team_has_lead |= m.member.lead;
    if (m.member.user_id == actor.user_id) {
      relation.team_member = true;
      relation.lead = m.member.lead;
    }
    if (m.agency && !actor.agency_id.empty() && m.agency->id == actor.agency_id) {
      relation.team_includes_actors_agency = true;
    }
  }
  return relation;
}

// A child merged into another (MergeService) is gone for every act but reading its audit trail.
std::optional<Snapshot> Load(Repositories& r, const std::string& child_id, const domain::Actor& actor,
                             bool even_if_merged = false) {
  auto child = r.Children().Get(child_id);
  if (!child || (!even_if_merged && r.Merges().MergedAway(child_id))) return std::nullopt;
  Snapshot s{std::move(*child), LoadTeam(r, child_id), {}};
  s.relation = Relate(s.child, s.team, actor);
  return s;
}

// The agencies the record refers to; those of the team's members are taken from `team` rather
// than read again (on a typical account most of them are the same agencies).
std::vector<domain::Agency> ReferencedAgencies(Repositories& r, const domain::Child& c,
                                               const std::vector<MemberView>& team) {
  std::set<std::string> ids;
  if (!c.school_agency_id.empty()) ids.insert(c.school_agency_id);
  if (!c.gp_agency_id.empty()) ids.insert(c.gp_agency_id);
  for (const auto& s : c.services) ids.insert(s.agency_id);
  std::vector<domain::Agency> out;
  for (const auto& id : ids) {
    const auto known =
        std::find_if(team.begin(), team.end(), [&](const MemberView& m) { return m.agency && m.agency->id == id; });
    if (known != team.end()) {
      out.push_back(*known->agency);
    } else if (auto a = r.Agencies().Get(id)) {
      out.push_back(std::move(*a));
    }
  }
  return out;
}

// The agency ids a record refers to must exist; the first unknown one is reported.
Status CheckAgencies(Repositories& r, const domain::Child& c) {
  auto check = [&](const std::string& id, const char* field) -> Status {
    if (!id.empty() && !r.Agencies().Get(id)) {
      return Error::Invalid(field, "No agency has the id '" + id + "'.");
    }
    return Ok{};
  };
  if (auto s = check(c.school_agency_id, "school_agency_id"); !s) return s;
  if (auto s = check(c.gp_agency_id, "gp_agency_id"); !s) return s;
  for (const auto& svc : c.services) {
    if (auto s = check(svc.agency_id, "services.agency_id"); !s) return s;
  }
  return Ok{};
}

bool HasOpenAssessment(Repositories& r, const std::string& child_id) {
  auto all = r.EarlyHelp().ForChild(child_id);
  return std::any_of(all.begin(), all.end(), [](const auto& a) { return a.IsOpen(); });
}

Error NotFound() { return Error::NotFound("There is no child with that Kith id."); }

Error Refused(const Decision& d, std::string_view what) {
  return Error::Forbidden(std::string(what) + " (" + std::string(d.why) + ").");
}

// An allowed act on a child, ready for the audit log (callers add target and detail).
domain::AuditRecord ChildAudit(const Principal& p, std::string action, const std::string& child_id,
                               std::string_view why, std::string reason, TimePoint at) {
  auto a = AuditFor(p, std::move(action), at);
  a.child_id = child_id;
  a.why = std::string(why);
  a.reason = std::move(reason);
  return a;
}

void AuditAlone(Context& ctx, const Principal& p, std::string action, const std::string& child_id, AuditOutcome outcome,
                std::string_view why, const std::string& reason = "", const std::string& detail = "") {
  auto a = ChildAudit(p, std::move(action), child_id, why, reason, ctx.clock.Now());
  a.outcome = outcome;
  a.detail = detail;
  ctx.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
}

// Audits an act that was refused — no such child, or the policy said no — and returns the error
// to answer with; nullopt when it was allowed. With `audit_allowed` (reads) the allowed act is
// audited here too; a change audits itself in its own transaction.
std::optional<Error> Refusal(Context& ctx, const Principal& p, std::string action, const std::string& child_id,
                             const std::optional<Decision>& d, std::string_view refused, bool audit_allowed,
                             const std::string& reason = "", const std::string& detail = "") {
  if (!d) {
    AuditAlone(ctx, p, std::move(action), child_id, AuditOutcome::kDenied, "no such child", reason);
    return NotFound();
  }
  if (d->allowed && !audit_allowed) return std::nullopt;
  AuditAlone(ctx, p, std::move(action), child_id, d->allowed ? AuditOutcome::kAllowed : AuditOutcome::kDenied, d->why,
             reason, detail);
  if (!d->allowed) return Refused(*d, refused);
  return std::nullopt;
}

// Writes one audit record about a child on its own (for reads and refusals).

}  // namespace

Result<ChildAccount> ChildService::Create(const Principal& p, domain::Child child, const std::string& reason) {
  const Decision d = Decide(p.Actor(), domain::AuthorityAction::kCreateChild, p.user.authority_id);
  if (!d.allowed) {
    AuditAlone(ctx_, p, "child.create", "", AuditOutcome::kDenied, d.why);
    return Refused(d, "You cannot add children to the index");
  }
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  const TimePoint now = ctx_.clock.Now();
  child.id = ctx_.random.Id("K");
  child.authority_id = p.user.authority_id;
  child.created_at = now;
  child.updated_at = now;
  child.version = 1;
  if (auto s = domain::NormaliseChild(child, Date::FromTime(now)); !s) return s.error();

  if (child.flags.early_help_assessment) {
    return Error::Invalid("flags.early_help_assessment",
                          "A new record has no early help assessment yet: start one on the Early help tab once the "
                          "record is made, and this flag follows it.");
  }
  Status outcome = Ok{};
  ctx_.store.Write([&](Repositories& r) {
    outcome = CheckAgencies(r, child);
    if (!outcome) return false;
    outcome = r.Children().Insert(child);
    if (!outcome) return false;
    const std::string role = p.user.job_title.empty() ? "Practitioner" : p.user.job_title;
    r.Teams().AddMember({child.id, p.user.id, role, *why, now, false});
    r.Teams().AppendEvent({child.id, p.user.id, "joined", role, *why, p.user.id, now});
    r.Audit().Append(ChildAudit(p, "child.create", child.id, d.why, *why, now));
    return true;
  });
  if (!outcome) return outcome.error();
  if (observer_) observer_->ChildStored(child);
  return Account(p, child.id);
}

Result<ChildAccount> ChildService::Account(const Principal& p, const std::string& child_id) {
  const uint64_t version = ctx_.store.RecordsVersion();  // before the read: see AccountCache
  auto cached = accounts_.Find(child_id, version);
  if (!cached) {
    ctx_.store.Read([&](Repositories& r) {
      auto snap = Load(r, child_id, p.Actor());
      if (!snap) return;
      auto agencies = ReferencedAgencies(r, snap->child, snap->team);
      cached = std::make_shared<const CachedAccount>(
          CachedAccount{version, std::move(snap->child), std::move(snap->team), std::move(agencies)});
    });
    if (cached) accounts_.Put(child_id, cached);
  }
  std::optional<Decision> decision;
  if (cached) decision = Decide(p.Actor(), ChildAction::kViewAccount, Relate(cached->child, cached->team, p.Actor()));
  if (auto refused = Refusal(ctx_, p, "child.read", child_id, decision,
                             "Only the team around the child can see the account; join the team with a reason", true)) {
    return *refused;
  }
  return ChildAccount{cached->child, cached->team, cached->agencies, std::string(decision->why)};
}

Result<ChildAccount> ChildService::Update(const Principal& p, const std::string& child_id, domain::Child changes) {
  const TimePoint now = ctx_.clock.Now();
  if (auto s = domain::NormaliseChild(changes, Date::FromTime(now)); !s) return s.error();
  Status outcome = Ok{};
  std::optional<domain::Child> stored;  // as written, for the observer
  std::optional<Decision> decision;
  ctx_.store.Write([&](Repositories& r) {
    auto snap = Load(r, child_id, p.Actor());
    if (!snap) return false;
    decision = Decide(p.Actor(), ChildAction::kEditRecord, snap->relation);
    if (!decision->allowed) return false;
    domain::Child updated = std::move(changes);
    updated.id = snap->child.id;
    updated.authority_id = snap->child.authority_id;
    updated.created_at = snap->child.created_at;
    updated.updated_at = now;
    outcome = CheckAgencies(r, updated);
    // One source of truth (issue 15): the flag says whether Kith holds an open early help
    // assessment, so it follows the Early help tab and is never set or cleared by hand.
    if (outcome && updated.flags.early_help_assessment != HasOpenAssessment(r, child_id)) {
      outcome = Error::Invalid("flags.early_help_assessment",
                               updated.flags.early_help_assessment
                                   ? "There is no open early help assessment for this child: start one on the Early "
                                     "help tab, and this flag follows it."
                                   : "The child has an open early help assessment; close it to clear this flag.");
    }
    if (outcome) outcome = r.Children().Update(updated);
    if (outcome) stored = updated;
    if (!outcome) return false;
    r.Audit().Append(ChildAudit(p, "child.update", child_id, decision->why, "", now));
    return true;
  });
  if (auto refused = Refusal(ctx_, p, "child.update", child_id, decision,
                             "Only the team around the child can change the record", false)) {
    return *refused;
  }
  if (!outcome) return outcome.error();
  if (observer_ && stored) observer_->ChildStored(*stored);
  return Account(p, child_id);
}

Result<Signposting> ChildService::Signpost(const Principal& p, const std::string& child_id, const std::string& reason) {
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  Signposting view;
  std::optional<Decision> decision;
  ctx_.store.Read([&](Repositories& r) {
    auto snap = Load(r, child_id, p.Actor());
    if (!snap) return;
    decision = Decide(p.Actor(), ChildAction::kViewSignposting, snap->relation);
    if (!decision->allowed) return;
    const auto& c = snap->child;
    view.child_id = c.id;
    view.given_names = c.given_names;
    view.family_name = c.family_name;
    view.date_of_birth = c.date_of_birth;
    view.sex = c.sex;
    view.early_help_assessment = c.flags.early_help_assessment;
    // Team members already see everything; the shield hides the location from everyone else
    // but a practitioner with a shield override in force.
    view.shielded = c.shielded && !snap->relation.team_member;
    if (view.shielded) view.shield_override = r.ShieldOverrides().ActiveFor(p.user.id, c.id, ctx_.clock.Now());
    if (!view.shielded || view.shield_override) {
      view.address = c.address;
      view.postcode = c.postcode;
    }
    if (view.shield_override) view.carers = c.carers;
    // Without an override the services' agencies and the lead professional are withheld as well:
    // a school's or a GP practice's address, or the lead's agency, tells where the child is.
    view.withheld = view.shielded && !view.shield_override;
    for (auto& m : snap->team) {
      if (!view.withheld) view.practitioners.push_back(m);
      if (!m.member.lead) continue;
      view.has_lead_professional = true;
      if (!view.withheld) view.lead_professional = m;
    }
    const Date today = Date::FromTime(ctx_.clock.Now());
    for (const auto& s : c.services) {
      if (!s.IsCurrent(today)) continue;
      ServiceView sv{s, r.Agencies().Get(s.agency_id), std::nullopt};
      if (sv.agency) sv.agency_kind = sv.agency->kind;
      if (view.withheld) {
        sv.agency.reset();
        sv.service.agency_id.clear();
      }
      view.services.push_back(std::move(sv));
    }
    if (view.shielded) {
      // The named broker: the authority's children's social care (the first by name if several).
      for (auto& a : r.Agencies().ListByAuthority(c.authority_id)) {
        if (a.kind == domain::AgencyKind::kChildrensSocialCare) {
          view.contact_broker = std::move(a);
          break;
        }
      }
      if (view.contact_broker) {
        view.contact_through = "Contact through " + view.contact_broker->name;
      } else {
        const auto la = r.Authorities().Get(c.authority_id);
        view.contact_through =
            "Contact through the children's social care of " + (la ? la->name : std::string("the local authority"));
      }
    }
  });
  const std::string detail =
      view.shield_override ? nlohmann::json{{"shield_override", view.shield_override->id}}.dump() : "";
  if (auto refused = Refusal(ctx_, p, "child.signposting", child_id, decision, "Your role does not include signposting",
                             true, *why, detail)) {
    return *refused;
  }
  return view;
}

Result<std::vector<ChildSummary>> ChildService::MyChildren(const Principal& p) {
  auto out = ctx_.store.ReadValue([&](Repositories& r) {
    std::vector<ChildSummary> list;
    for (const auto& id : r.Teams().ChildrenOf(p.user.id)) {
      auto c = r.Children().Get(id);
      if (!c) continue;
      ChildSummary s{c->id, c->given_names, c->family_name, c->date_of_birth, "", false, c->flags};
      for (const auto& m : r.Teams().Members(id)) {
        if (m.user_id == p.user.id) {
          s.my_role = m.role;
          s.i_am_lead = m.lead;
        }
      }
      list.push_back(std::move(s));
    }
    return list;
  });
  auto a = AuditFor(p, "children.mine", ctx_.clock.Now());
  a.why = "own caseload";
  a.detail = nlohmann::json{{"count", out.size()}}.dump();
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  return out;
}

Result<ChildAccount> ChildService::Join(const Principal& p, const std::string& child_id, const std::string& role,
                                        const std::string& reason) {
  const TimePoint now = ctx_.clock.Now();
  Status outcome = Ok{};
  std::optional<Decision> decision;
  ctx_.store.Write([&](Repositories& r) {
    auto snap = Load(r, child_id, p.Actor());
    if (!snap) return false;
    decision = Decide(p.Actor(), ChildAction::kJoinTeam, snap->relation);
    if (!decision->allowed) return false;
    auto member = domain::Join(snap->Members(), p.user, child_id, role, reason, now);
    if (!member) {
      outcome = member.error();
      return false;
    }
    r.Teams().AddMember(*member);
    r.Teams().AppendEvent({child_id, p.user.id, "joined", member->role, member->reason, p.user.id, now});
    auto a = ChildAudit(p, "team.join", child_id, decision->why, member->reason, now);
    a.detail = nlohmann::json{{"role", member->role}}.dump();
    r.Audit().Append(a);
    if (snap->child.shielded) {
      // Joining gives the shielded details: the authority and the lead professional are told.
      const auto agency = r.Agencies().Get(p.user.agency_id);
      AlertShieldWatchers(r, ctx_.random, snap->child, p.user.id, "shielded_join",
                          p.user.display_name + " (" + member->role + (agency ? ", " + agency->name : "") +
                              ") joined the team of shielded child " + snap->child.FullName() + ": " + member->reason,
                          p.user.id, now);
    }
    return true;
  });
  if (auto refused = Refusal(ctx_, p, "team.join", child_id, decision, "You cannot join a child's team", false)) {
    if (decision && decision->why == "already a team member") {
      return Error::Conflict("You are already on this child's team.");
    }
    return *refused;
  }
  if (!outcome) return outcome.error();
  return Account(p, child_id);
}

Status ChildService::Leave(const Principal& p, const std::string& child_id, const std::string& reason) {
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  const TimePoint now = ctx_.clock.Now();
  Status outcome = Ok{};
  std::optional<Decision> decision;
  ctx_.store.Write([&](Repositories& r) {
    auto snap = Load(r, child_id, p.Actor());
    if (!snap) return false;
    decision = Decide(p.Actor(), ChildAction::kLeaveTeam, snap->relation);
    if (!decision->allowed) return false;
    const domain::Team team = snap->Members();
    outcome = domain::CheckLeave(team, p.user.id);
    if (!outcome) return false;
    const auto* me = domain::FindMember(team, p.user.id);
    r.Teams().RemoveMember(child_id, p.user.id);
    r.Teams().AppendEvent({child_id, p.user.id, "left", me->role, *why, p.user.id, now});
    r.Audit().Append(ChildAudit(p, "team.leave", child_id, decision->why, *why, now));
    return true;
  });
  if (auto refused = Refusal(ctx_, p, "team.leave", child_id, decision, "", false)) {
    return decision ? Error::NotFound("You are not on this child's team.") : *refused;
  }
  return outcome;
}

Result<ChildAccount> ChildService::ChangeLead(const Principal& p, const std::string& child_id,
                                              const std::string& to_user_id, const std::string& reason) {
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  const TimePoint now = ctx_.clock.Now();
  Status outcome = Ok{};
  std::optional<Decision> decision;
  ctx_.store.Write([&](Repositories& r) {
    auto snap = Load(r, child_id, p.Actor());
    if (!snap) return false;
    decision = Decide(p.Actor(), ChildAction::kChangeLead, snap->relation);
    if (!decision->allowed) return false;
    auto change = ChangeLeadProfessional(r, child_id, snap->Members(), p.user.id, to_user_id, *why, now);
    if (!change) {
      outcome = change.error();
      return false;
    }
    auto a = ChildAudit(p, "team.lead_change", child_id, decision->why, *why, now);
    a.target_id = change->to_user_id;
    a.detail = nlohmann::json{{"from", change->from_user_id.value_or("")}, {"to", change->to_user_id}}.dump();
    r.Audit().Append(a);
    return true;
  });
  if (auto refused =
          Refusal(ctx_, p, "team.lead_change", child_id, decision, "You cannot change the lead professional", false)) {
    return *refused;
  }
  if (!outcome) return outcome.error();
  return Account(p, child_id);
}

Result<std::vector<AuditEntryView>> ChildService::AuditTrail(const Principal& p, const std::string& child_id,
                                                             int limit) {
  std::optional<Decision> decision;
  std::vector<AuditEntryView> records;
  ctx_.store.Read([&](Repositories& r) {
    auto snap = Load(r, child_id, p.Actor(), true);
    if (!snap) return;
    decision = Decide(p.Actor(), ChildAction::kViewAudit, snap->relation);
    if (!decision->allowed) return;
    std::map<std::string, std::string> names;  // each actor read once
    for (auto& record : r.Audit().ForChild(child_id, std::clamp(limit, 1, 1000))) {
      auto [it, added] = names.try_emplace(record.actor_id);
      if (added && !record.actor_id.empty()) {
        if (auto user = r.Users().Get(record.actor_id)) it->second = user->display_name;
      }
      records.push_back({std::move(record), it->second});
    }
  });
  if (auto refused =
          Refusal(ctx_, p, "child.audit_trail", child_id, decision, "You cannot see this child's audit trail", true)) {
    return *refused;
  }
  return records;
}

}  // namespace kith::app
