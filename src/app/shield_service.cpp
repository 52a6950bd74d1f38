#include "app/shield_service.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace kith::app {
namespace {

using domain::AuditOutcome;
using domain::ShieldOverride;
using storage::Repositories;

// How far back the review list reaches for overrides already reviewed.
constexpr auto kRecent = std::chrono::hours(24 * 30);
constexpr int kListLimit = 200;

std::string_view Label(domain::OverrideReason reason) {
  switch (reason) {
    case domain::OverrideReason::kImmediateRisk:
      return "immediate risk of significant harm";
    case domain::OverrideReason::kChildProtectionEnquiry:
      return "child protection enquiry";
    case domain::OverrideReason::kMissingChild:
      return "missing child";
    case domain::OverrideReason::kMedicalEmergency:
      return "medical emergency";
    case domain::OverrideReason::kCourtOrPoliceRequirement:
      return "court order or police requirement";
  }
  return "other";
}

OverrideView ViewOf(Repositories& r, ShieldOverride o, TimePoint now) {
  OverrideView v;
  if (auto c = r.Children().Get(o.child_id)) v.child_name = c->FullName();
  if (auto u = r.Users().Get(o.user_id)) {
    v.user_name = u->display_name;
    v.user_job_title = u->job_title;
    if (auto a = r.Agencies().Get(u->agency_id)) v.user_agency = a->name;
  }
  auto name = [&](const std::string& id) {
    auto u = id.empty() ? std::nullopt : r.Users().Get(id);
    return u ? u->display_name : std::string();
  };
  v.reviewed_by_name = name(o.reviewed_by);
  v.ended_by_name = name(o.ended_by);
  v.active = o.IsActive(now);
  v.shield_override = std::move(o);
  return v;
}

void AuditAlone(Context& ctx, domain::AuditRecord a) {
  ctx.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
}

domain::AuditRecord Refusal(const Principal& p, const std::string& action, const std::string& child_id,
                            std::string_view why, TimePoint at) {
  auto a = AuditFor(p, action, at);
  a.child_id = child_id;
  a.outcome = AuditOutcome::kDenied;
  a.why = std::string(why);
  return a;
}

}  // namespace

void AlertShieldWatchers(Repositories& r, Random& random, const domain::Child& child, const std::string& actor_id,
                         const std::string& kind, const std::string& summary, const std::string& subject_id,
                         TimePoint now) {
  std::vector<std::string> to;
  for (const auto& u : r.Users().ListByAuthority(child.authority_id)) {
    if (u.active && u.role == domain::Role::kManager) to.push_back(u.id);
  }
  const domain::Team team = r.Teams().Members(child.id);
  if (const auto* lead = domain::FindLead(team)) to.push_back(lead->user_id);
  std::sort(to.begin(), to.end());
  to.erase(std::unique(to.begin(), to.end()), to.end());
  for (const auto& user_id : to) {
    if (user_id == actor_id) continue;
    r.Feed().InsertAlert({random.Id("A"), user_id, child.id, now, kind, summary, subject_id, std::nullopt});
  }
}

Result<OverrideView> ShieldService::Override(const Principal& p, const std::string& child_id,
                                             const OverrideRequest& request) {
  const TimePoint now = ctx_.clock.Now();
  // The policy's answer for the child as stored now; nullopt if there is no such child.
  std::optional<domain::Child> child;
  auto decide = [&](Repositories& r) -> std::optional<domain::Decision> {
    child = r.Children().Get(child_id);
    if (!child || r.Merges().MergedAway(child_id)) return std::nullopt;
    domain::ChildRelation rel;
    rel.child_authority_id = child->authority_id;
    rel.team_member = domain::FindMember(r.Teams().Members(child_id), p.user.id) != nullptr;
    return domain::DecideShieldOverride(p.Actor(), rel, child->shielded);
  };
  auto decision = ctx_.store.ReadValue(decide);
  if (!decision) {
    AuditAlone(ctx_, Refusal(p, "shield.override", child_id, "no such child", now));
    return Error::NotFound("There is no child with that Kith id.");
  }
  if (!decision->allowed) {
    AuditAlone(ctx_, Refusal(p, "shield.override", child_id, decision->why, now));
    return Error::Forbidden("You cannot override this child's shield (" + std::string(decision->why) + ").");
  }
  auto o = domain::NewShieldOverride(child_id, child->authority_id, p.user.id, request.reason_code, request.reason,
                                     request.duration_hours, limits_, now);
  if (!o) return o.error();
  // Breaking the glass is a sensitive act: a session older than the re-auth window must show the
  // password again (SECURITY.md), and a password given is always checked. The (slow) check runs
  // outside the write.
  const bool stale = now - p.session.created_at > ctx_.policy.reauth_window;
  if ((stale && !request.password) ||
      (request.password && !ctx_.hasher.Verify(p.user.password_hash, *request.password))) {
    AuditAlone(ctx_, Refusal(p, "shield.override", child_id, "re-authentication failed", now));
    return Error{ErrorCode::kUnauthenticated, "Enter your password again to override a shield.", "password",
                 std::nullopt};
  }
  o->id = ctx_.random.Id("O");
  Status outcome = Ok{};
  std::optional<OverrideView> view;
  ctx_.store.Write([&](Repositories& r) {
    // Decided again in the write: the team or the shield may have changed since.
    decision = decide(r);
    if (!decision || !decision->allowed) return false;
    if (outcome = r.ShieldOverrides().Insert(*o); !outcome) return false;
    auto a = AuditFor(p, "shield.override", now);
    a.child_id = child_id;
    a.target_id = o->id;
    a.why = std::string(decision->why);
    a.reason = o->reason;
    a.detail =
        nlohmann::json{{"reason_code", domain::ToString(o->reason_code)}, {"ends_at", FormatUtc(o->ends_at)}}.dump();
    r.Audit().Append(a);
    view = ViewOf(r, *o, now);
    AlertShieldWatchers(r, ctx_.random, *child, p.user.id, "shield_override",
                        "Shield overridden for " + child->FullName() + " by " + view->user_name + " (" +
                            view->user_job_title + ", " + view->user_agency + ") until " + FormatUtc(o->ends_at) +
                            " — " + std::string(Label(o->reason_code)) + ": " + o->reason,
                        o->id, now);
    return true;
  });
  if (!decision || !decision->allowed) return Error::Conflict("The child's record changed meanwhile; try again.");
  if (!outcome) return outcome.error();
  return std::move(*view);
}

Result<std::vector<OverrideView>> ShieldService::ForReview(const Principal& p) {
  const TimePoint now = ctx_.clock.Now();
  const auto d = domain::DecideOverrideReview(p.Actor(), p.user.authority_id);
  if (!d.allowed) {
    AuditAlone(ctx_, Refusal(p, "shield.override.list", "", d.why, now));
    return Error::Forbidden("Only managers of the authority review shield overrides (" + std::string(d.why) + ").");
  }
  auto out = ctx_.store.ReadValue([&](Repositories& r) {
    std::vector<OverrideView> list;
    for (auto& o : r.ShieldOverrides().ForAuthority(p.user.authority_id, now - kRecent, kListLimit)) {
      list.push_back(ViewOf(r, std::move(o), now));
    }
    return list;
  });
  auto a = AuditFor(p, "shield.override.list", now);
  a.why = std::string(d.why);
  a.detail = nlohmann::json{{"count", out.size()}}.dump();
  AuditAlone(ctx_, a);
  return out;
}

Result<OverrideView> ShieldService::Review(const Principal& p, const std::string& override_id, const std::string& note,
                                           bool end_now) {
  const TimePoint now = ctx_.clock.Now();
  std::optional<domain::Decision> decision;
  Status outcome = Ok{};
  std::optional<OverrideView> view;
  std::string child_id;
  ctx_.store.Write([&](Repositories& r) {
    auto o = r.ShieldOverrides().Get(override_id);
    if (!o) return false;
    child_id = o->child_id;
    decision = domain::DecideOverrideReview(p.Actor(), o->authority_id);
    if (!decision->allowed) return false;
    if (outcome = domain::ReviewShieldOverride(*o, p.user.id, note, end_now, now); !outcome) return false;
    if (outcome = r.ShieldOverrides().UpdateReview(*o); !outcome) return false;
    auto a = AuditFor(p, end_now ? "shield.override.end" : "shield.override.review", now);
    a.child_id = o->child_id;
    a.target_id = o->id;
    a.why = std::string(decision->why);
    a.reason = o->review_note;
    r.Audit().Append(a);
    view = ViewOf(r, std::move(*o), now);
    return true;
  });
  // Another authority's override is not found, as for any record the caller may not know of.
  if (!decision || (!decision->allowed && p.user.role == domain::Role::kManager)) {
    AuditAlone(ctx_,
               Refusal(p, "shield.override.review", child_id, decision ? decision->why : "no such override", now));
    return Error::NotFound("There is no shield override with that id.");
  }
  if (!decision->allowed) {
    AuditAlone(ctx_, Refusal(p, "shield.override.review", child_id, decision->why, now));
    return Error::Forbidden("Only managers of the child's authority review shield overrides (" +
                            std::string(decision->why) + ").");
  }
  if (!outcome) {
    if (outcome.error().code == ErrorCode::kForbidden) {
      AuditAlone(ctx_, Refusal(p, "shield.override.review", child_id, "own override", now));
    }
    return outcome.error();
  }
  return std::move(*view);
}

}  // namespace kith::app
