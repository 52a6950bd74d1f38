#include "app/team_service.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "app/alerts.h"
#include "app/lead_professional.h"

namespace kith::app {
namespace {

using domain::AuditOutcome;
using domain::ChildAction;
using domain::JoinRequest;
using domain::JoinRequestStatus;
using storage::Repositories;

constexpr int kListLimit = 200;

constexpr ChildAct kRequest{"team.join_request", ChildAction::kRequestJoin, "You cannot ask to join this child's team"};
constexpr ChildAct kListRequests{"team.join_requests", ChildAction::kViewAccount,
                                 "Only the team around the child sees its requests to join"};
constexpr ChildAct kWithdraw{"team.join_withdraw", ChildAction::kViewSignposting, "You cannot withdraw this request"};
constexpr ChildAct kLeave{"team.leave", ChildAction::kLeaveTeam, "You are not on this child's team"};
constexpr ChildAct kChangeLead{"team.lead_change", ChildAction::kChangeLead, "You cannot change the lead professional"};

JoinRequestView ViewOf(Repositories& r, JoinRequest q) {
  JoinRequestView v;
  if (auto c = r.Children().Get(q.child_id)) v.child_name = c->FullName();
  if (auto u = r.Users().Get(q.user_id)) {
    v.user_name = u->display_name;
    v.user_job_title = u->job_title;
    if (auto a = r.Agencies().Get(u->agency_id)) v.user_agency = a->name;
  }
  if (!q.decided_by.empty()) {
    if (auto u = r.Users().Get(q.decided_by)) v.decided_by_name = u->display_name;
  }
  v.request = std::move(q);
  return v;
}

// Adds the requester of an approved request to the team, as they asked.
void AddToTeam(Repositories& r, const JoinRequest& q, const std::string& by, TimePoint now) {
  r.Teams().AddMember({q.child_id, q.user_id, q.role, q.reason, now, false});
  r.Teams().AppendEvent({q.child_id, q.user_id, "joined", q.role, q.reason, by, now});
}

// Tells whoever may decide a new request: the lead professional, or without one the duty team
// (the children's social care of the child's authority) and the authority's managers; for a
// shielded child the managers as well as the lead.
void AlertDeciders(Repositories& r, Random& random, const ChildAccess& a, const JoinRequestView& v, TimePoint now) {
  const std::string summary = v.user_name + " (" + v.request.role +
                              (v.user_agency.empty() ? "" : ", " + v.user_agency) + ") asks to join the team: " + v.request.reason;
  if (const auto* lead = a.Lead(); lead && !a.child.shielded) {
    r.Feed().InsertAlert(
        {random.Id("A"), lead->user_id, a.child.id, now, "join_request", summary, v.request.id, std::nullopt});
    return;
  }
  AlertWatchers(r, random, a.child, Watchers::kLeadAndManagers, v.request.user_id, "join_request", summary,
                v.request.id, now);
  if (a.Lead()) return;
  for (const auto& agency : r.Agencies().ListByAuthority(a.child.authority_id)) {
    if (agency.kind != domain::AgencyKind::kChildrensSocialCare) continue;
    for (const auto& u : r.Users().ListByAuthority(a.child.authority_id)) {
      if (u.active && u.agency_id == agency.id && u.role == domain::Role::kPractitioner) {
        r.Feed().InsertAlert(
            {random.Id("A"), u.id, a.child.id, now, "join_request", summary, v.request.id, std::nullopt});
      }
    }
  }
}

}  // namespace

Result<JoinRequestView> TeamService::RequestJoin(const Principal& p, const std::string& child_id,
                                                 const std::string& role, const std::string& reason) {
  return gate_.Write<JoinRequestView>(
      p, child_id, kRequest,
      [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<JoinRequestView> {
        for (const auto& mine : r.JoinRequests().ForUser(p.user.id, kListLimit)) {
          if (mine.child_id == child_id && mine.status == JoinRequestStatus::kPending) {
            return Error::Conflict(
                "You have already asked to join this child's team; the request is waiting for a "
                "decision.");
          }
        }
        auto q = domain::NewJoinRequest(a.team, p.user, child_id, a.child.authority_id, role, reason, audit.at);
        if (!q) return q.error();
        q->id = ctx_.random.Id("J");
        const bool at_once = domain::JoinApprovedAtOnce(a.relation);
        if (at_once) {
          q->status = JoinRequestStatus::kApproved;
          q->automatic = true;
          q->decided_at = audit.at;
          AddToTeam(r, *q, p.user.id, audit.at);
          audit.action = "team.join";
        }
        if (auto s = r.JoinRequests().Insert(*q); !s) return s.error();
        audit.target_id = q->id;
        audit.reason = q->reason;
        audit.detail =
            nlohmann::json{{"role", q->role}, {"status", domain::ToString(q->status)}, {"automatic", q->automatic}}
                .dump();
        auto view = ViewOf(r, *q);
        if (at_once) {
          // Joined without anyone deciding: the lead professional sees who, from where and why,
          // and can remove them (an agency added to the child's services, or a person moved into
          // such an agency, must not open the team unseen).
          AlertWatchers(r, ctx_.random, a.child, Watchers::kLead, p.user.id, "team_joined",
                        view.user_name + " (" + q->role + (view.user_agency.empty() ? "" : ", " + view.user_agency) +
                            ") joined the team as an involved agency: " + q->reason,
                        q->id, audit.at);
        } else {
          AlertDeciders(r, ctx_.random, a, view, audit.at);
        }
        return view;
      });
}

Result<std::vector<JoinRequestView>> TeamService::JoinRequests(const Principal& p, const std::string& child_id) {
  return gate_.Read<std::vector<JoinRequestView>>(p, child_id, kListRequests, [&](Repositories& r, const ChildAccess&) {
    std::vector<JoinRequestView> out;
    for (auto& q : r.JoinRequests().ForChild(child_id, kListLimit)) out.push_back(ViewOf(r, std::move(q)));
    return Result<std::vector<JoinRequestView>>(std::move(out));
  });
}

Result<JoinRequestInbox> TeamService::Inbox(const Principal& p) {
  const TimePoint now = ctx_.clock.Now();
  auto audit = AuditFor(p, "team.join_inbox", now);
  if (!domain::WorksWithChildren(p.user.role) || !p.user.active) {
    audit.outcome = domain::AuditOutcome::kDenied;
    audit.why = "role does not work with children";
    gate_.Append(audit);
    return Error::Forbidden("Requests to join a team are for practitioners and managers.");
  }
  JoinRequestInbox inbox;
  {
    ctx_.store.Read([&](Repositories& r) {
      for (auto& q : r.JoinRequests().ForUser(p.user.id, kListLimit)) inbox.mine.push_back(ViewOf(r, std::move(q)));
      // Requests the caller may decide: every pending request of their authority's children that
      // the policy lets them decide (a child's lead, the duty team, the managers).
      std::map<std::string, bool> decides;  // child id -> may decide
      auto pending = r.JoinRequests().PendingInAuthority(p.user.authority_id, kListLimit);
      // The lead professional of another authority's child decides its requests too (found by
      // the property-based test of access, issue 17: they were alerted but never listed here).
      for (const auto& child_id : r.Teams().ChildrenOf(p.user.id)) {
        for (auto& q : r.JoinRequests().ForChild(child_id, kListLimit)) {
          if (q.status == JoinRequestStatus::kPending && q.authority_id != p.user.authority_id) {
            pending.push_back(std::move(q));
          }
        }
      }
      std::sort(pending.begin(), pending.end(), [](const JoinRequest& a, const JoinRequest& b) {
        return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
      });
      for (auto& q : pending) {
        auto [it, added] = decides.try_emplace(q.child_id, false);
        if (added) {
          auto a = LoadChildAccess(r, q.child_id, p.Actor(), ChildAction::kDecideJoin, now);
          it->second = a && a->decision.allowed;
        }
        if (it->second && q.user_id != p.user.id) inbox.to_decide.push_back(ViewOf(r, std::move(q)));
      }
    });
  }
  audit.why = "own requests and requests to decide";
  audit.detail = nlohmann::json{{"to_decide", inbox.to_decide.size()}, {"mine", inbox.mine.size()}}.dump();
  gate_.Append(audit);
  return inbox;
}

Result<JoinRequestView> TeamService::DecideJoin(const Principal& p, const std::string& child_id,
                                                const std::string& request_id, bool approve,
                                                const std::string& reason) {
  const ChildAct act{approve ? "team.join_approve" : "team.join_decline", ChildAction::kDecideJoin,
                     "Only the lead professional, the duty team or a manager of the authority decides requests to "
                     "join"};
  return gate_.Write<JoinRequestView>(
      p, child_id, act,
      [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<JoinRequestView> {
        auto q = r.JoinRequests().Get(request_id);
        if (!q || q->child_id != child_id)
          return Error::NotFound("There is no such request to join this child's team.");
        if (auto s = domain::DecideJoinRequest(*q, p.user.id, approve, reason, audit.at); !s) return s.error();
        if (approve) {
          auto requester = r.Users().Get(q->user_id);
          if (!requester || !requester->active || !domain::WorksWithChildren(requester->role)) {
            return Error::Conflict(
                "The practitioner who asked can no longer join a team (their account was disabled "
                "or their role changed); decline the request instead.");
          }
          if (domain::FindMember(a.team, q->user_id)) {
            return Error::Conflict("The practitioner who asked is already on the team; decline the request.");
          }
          AddToTeam(r, *q, p.user.id, audit.at);
        }
        if (auto s = r.JoinRequests().Update(*q); !s) return s.error();
        audit.target_id = q->id;
        audit.reason = q->decision_reason;
        audit.detail = nlohmann::json{{"requester", q->user_id}, {"role", q->role}}.dump();
        auto view = ViewOf(r, *q);
        const std::string summary = std::string("Your request to join the team was ") +
                                    (approve ? "approved" : "declined") + " by " + p.user.display_name + ": " +
                                    q->decision_reason;
        r.Feed().InsertAlert({ctx_.random.Id("A"), q->user_id, child_id, audit.at,
                              approve ? "join_approved" : "join_declined", summary, q->id, std::nullopt});
        if (approve && a.child.shielded) {
          // Joining gives the shielded details: the authority and the lead professional are told.
          AlertWatchers(r, ctx_.random, a.child, Watchers::kLeadAndManagers, p.user.id, "shielded_join",
                        view.user_name + " (" + q->role + (view.user_agency.empty() ? "" : ", " + view.user_agency) +
                            ") joined the team of this shielded child, approved by " +
                            p.user.display_name + ": " + q->decision_reason,
                        q->user_id, audit.at);
        }
        return view;
      });
}

Result<JoinRequestView> TeamService::WithdrawJoin(const Principal& p, const std::string& child_id,
                                                  const std::string& request_id) {
  return gate_.Write<JoinRequestView>(
      p, child_id, kWithdraw,
      [&](Repositories& r, const ChildAccess&, domain::AuditRecord& audit) -> Result<JoinRequestView> {
        auto q = r.JoinRequests().Get(request_id);
        if (!q || q->child_id != child_id || q->user_id != p.user.id) {
          return Error::NotFound("You have no such request to join this child's team.");
        }
        if (auto s = domain::WithdrawJoinRequest(*q, p.user.id, audit.at); !s) return s.error();
        if (auto s = r.JoinRequests().Update(*q); !s) return s.error();
        audit.target_id = q->id;
        return ViewOf(r, *q);
      });
}

Status TeamService::Leave(const Principal& p, const std::string& child_id, const std::string& reason) {
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  auto done = gate_.Write<bool>(
      p, child_id, kLeave, [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<bool> {
        if (auto s = domain::CheckLeave(a.team, p.user.id); !s) return s.error();
        const auto* me = domain::FindMember(a.team, p.user.id);
        r.Teams().RemoveMember(child_id, p.user.id);
        r.Teams().AppendEvent({child_id, p.user.id, "left", me->role, *why, p.user.id, audit.at});
        audit.reason = *why;
        return true;
      });
  if (!done && done.error().code == ErrorCode::kForbidden) return Error::NotFound("You are not on this child's team.");
  if (!done) return done.error();
  return Ok{};
}

Status TeamService::ChangeLead(const Principal& p, const std::string& child_id, const std::string& to_user_id,
                               const std::string& reason) {
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  auto done = gate_.Write<bool>(
      p, child_id, kChangeLead, [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<bool> {
        auto change = ChangeLeadProfessional(r, ctx_.random, a.child, a.team, p.user.id, to_user_id, *why, audit.at);
        if (!change) return change.error();
        audit.target_id = change->to_user_id;
        audit.reason = *why;
        audit.detail = nlohmann::json{{"from", change->from_user_id.value_or("")}, {"to", change->to_user_id}}.dump();
        return true;
      });
  if (!done) return done.error();
  return Ok{};
}

int TeamService::SweepEscalations() {
  const TimePoint now = ctx_.clock.Now();
  const auto due = ctx_.store.ReadValue([&](Repositories& r) {
    return r.JoinRequests().DueForEscalation(now - ctx_.policy.join_escalation, kListLimit);
  });
  int escalated = 0;
  for (const auto& candidate : due) {
    bool done = false;  // counted after the commit: the callback may run again (storage/store.h)
    ctx_.store.Write([&](Repositories& r) {
      done = false;
      auto q = r.JoinRequests().Get(candidate.id);
      auto child = r.Children().Get(candidate.child_id);
      // Decided or escalated meanwhile (by another sweep, on another node): nothing to do.
      if (!q || !child || !domain::EscalationDue(*q, now, ctx_.policy.join_escalation)) return false;
      q->escalated_at = now;
      if (!r.JoinRequests().Update(*q)) return false;
      const auto view = ViewOf(r, *q);
      AlertWatchers(r, ctx_.random, *child, Watchers::kManagers, "", "join_request_escalated",
                    "No decision for " + std::to_string(ctx_.policy.join_escalation.count()) + " hours: " +
                        view.user_name + " (" + q->role + (view.user_agency.empty() ? "" : ", " + view.user_agency) +
                        ") asks to join the team: " + q->reason,
                    q->id, now);
      domain::AuditRecord audit;
      audit.at = now;
      audit.actor_role = "system";
      audit.authority_id = child->authority_id;
      audit.action = "team.join_escalate";
      audit.child_id = child->id;
      audit.target_id = q->id;
      audit.why = "no decision within the authority's time";
      r.Audit().Append(audit);
      done = true;
      return true;
    });
    escalated += done ? 1 : 0;
  }
  return escalated;
}

}  // namespace kith::app
