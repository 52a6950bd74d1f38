#include "app/break_glass_service.h"

#include <limits>

#include <nlohmann/json.hpp>

#include "app/alerts.h"
#include "app/credentials.h"
#include "domain/account/uk_time.h"

namespace kith::app {
namespace {

using domain::AuditOutcome;
using domain::BreakGlass;
using storage::Repositories;

// How far back the review list reaches for uses already reviewed.
constexpr auto kRecent = std::chrono::hours(24 * 30);
constexpr int kListLimit = 200;

constexpr ChildAct kBreak{"break_glass.start", domain::ChildAction::kBreakGlass,
                          "You cannot break the glass on this child"};

BreakGlassView ViewOf(Repositories& r, BreakGlass g, TimePoint now) {
  BreakGlassView v;
  if (auto c = r.Children().Get(g.child_id)) v.child_name = c->FullName();
  if (auto u = r.Users().Get(g.user_id)) {
    v.user_name = u->display_name;
    v.user_job_title = u->job_title;
    if (auto a = r.Agencies().Get(u->agency_id)) v.user_agency = a->name;
  }
  auto name = [&](const std::string& id) {
    auto u = id.empty() ? std::nullopt : r.Users().Get(id);
    return u ? u->display_name : std::string();
  };
  v.reviewed_by_name = name(g.reviewed_by);
  v.ended_by_name = name(g.ended_by);
  v.active = g.IsActive(now);
  v.break_glass = std::move(g);
  return v;
}

}  // namespace

Result<int64_t> BreakGlassService::Reauthenticate(const Principal& p, const BreakGlassRequest& request) {
  const Error wrong{ErrorCode::kUnauthenticated,
                    "Enter your password, or a code from your authenticator app, to break the glass.", "password",
                    std::nullopt};
  if (request.password) return ctx_.hasher.Verify(p.user.password_hash, *request.password) ? Result<int64_t>(0) : wrong;
  if (request.code && p.user.totp_enrolled) {
    // A code is accepted once: its time step must be newer than the last one accepted.
    const auto step = Totp::Match(p.user.totp_secret, *request.code, ctx_.clock.Now());
    if (step && *step > p.user.totp_last_step) return *step;
  }
  return wrong;
}

Result<BreakGlassView> BreakGlassService::Break(const Principal& p, const std::string& child_id,
                                                const BreakGlassRequest& request) {
  const TimePoint now = ctx_.clock.Now();
  auto g = domain::NewBreakGlass(child_id, "", p.user.id, request.reason_code, request.reason, request.duration_hours,
                                 ctx_.policy.break_glass, now);
  if (!g) return g.error();
  // The (slow) password check runs before and outside the write; a refusal of the act itself is
  // audited by the gate, a failed re-authentication here.
  auto step = Reauthenticate(p, request);
  if (!step) {
    // Repeated wrong re-entries are someone else at the practitioner's screen, or guessing: at
    // the sign-in lockout threshold the session ends (the person signs in again), so the
    // password cannot be guessed through break-glass.
    bool signed_out = false;
    ctx_.store.Write([&](Repositories& r) {
      signed_out = false;
      auto user = r.Users().Get(p.user.id);
      if (!user) return false;
      if (++user->failed_logins >= ctx_.policy.lockout_threshold) {
        user->failed_logins = 0;
        signed_out = true;
        r.Sessions().DeleteForUser(user->id);
      }
      if (auto s = r.Users().RecordSignIn(*user); !s) return false;
      auto a = AuditFor(p, std::string(kBreak.audit_action), now);
      a.child_id = child_id;
      a.outcome = AuditOutcome::kDenied;
      a.why = signed_out ? "re-authentication failed; signed out after repeated failures" : "re-authentication failed";
      r.Audit().Append(a);
      return true;
    });
    if (signed_out) {
      return Error::Unauthenticated(
          "Too many wrong passwords or codes: you have been signed out. Sign in again to continue.");
    }
    return step.error();
  }
  return gate_.Write<BreakGlassView>(
      p, child_id, kBreak,
      [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<BreakGlassView> {
        g->id = ctx_.random.Id("G");
        g->authority_id = a.child.authority_id;
        if (auto s = r.BreakGlass().Insert(*g); !s) return s.error();
        auto user = r.Users().Get(p.user.id);
        if (!user || (*step > 0 && *step <= user->totp_last_step)) {
          return Error{ErrorCode::kUnauthenticated, "That code has been used; wait for the next one.", "password",
                       std::nullopt};
        }
        if (*step > 0 || user->failed_logins > 0) {
          if (*step > 0) user->totp_last_step = *step;
          user->failed_logins = 0;  // re-authenticated: earlier wrong entries no longer count
          if (auto s = r.Users().RecordSignIn(*user); !s) return s.error();
        }
        // Emergency access is not a way round a manager's verdict: after a use judged
        // unjustified (in the last 30 days) the person asks to join instead. Every use of the
        // authority is looked at, not the newest kListLimit: in a busy authority, or one behind
        // with its reviews, the verdict was otherwise pushed out of the list and not seen (found
        // by the property-based test of access, issue 17). Break-glass is rare; a query by user
        // and child would read less.
        for (const auto& earlier :
             r.BreakGlass().ForAuthority(a.child.authority_id, now - kRecent, std::numeric_limits<int>::max())) {
          if (earlier.user_id == p.user.id && earlier.child_id == child_id && earlier.justified == false) {
            return Error::Forbidden(
                "A manager judged your last emergency access to this child unjustified: ask to join the child's "
                "team, or ask a manager of the child's authority.");
          }
        }
        audit.target_id = g->id;
        audit.reason = g->reason;
        audit.detail = nlohmann::json{{"reason_code", domain::ToString(g->reason_code)},
                                      {"ends_at", FormatUtc(g->ends_at)},
                                      {"shielded", a.child.shielded}}
                           .dump();
        auto view = ViewOf(r, *g, now);
        AlertWatchers(r, ctx_.random, a.child, Watchers::kLeadAndManagers, p.user.id, "break_glass",
                      "Emergency access (break-glass) by " + view.user_name + " (" + view.user_job_title +
                          (view.user_agency.empty() ? "" : ", " + view.user_agency) + ") until " +
                          domain::UkDateTimeText(g->ends_at) + " — " + std::string(domain::Label(g->reason_code)) +
                          ": " + g->reason,
                      g->id, now);
        return view;
      });
}

Result<std::vector<BreakGlassView>> BreakGlassService::ForReview(const Principal& p) {
  const TimePoint now = ctx_.clock.Now();
  const auto d = Decide(p.Actor(), domain::AuthorityAction::kReviewBreakGlass, p.user.authority_id);
  auto audit = AuditFor(p, "break_glass.list", now);
  audit.why = std::string(d.why);
  if (!d.allowed) {
    audit.outcome = AuditOutcome::kDenied;
    gate_.Append(audit);
    return Error::Forbidden("Only managers of the authority review break-glass access (" + std::string(d.why) + ").");
  }
  auto out = ctx_.store.ReadValue([&](Repositories& r) {
    std::vector<BreakGlassView> list;
    for (auto& g : r.BreakGlass().ForAuthority(p.user.authority_id, now - kRecent, kListLimit)) {
      auto v = ViewOf(r, std::move(g), now);
      // What was read under it: the holder's audited reads of the child while it was in force.
      for (const auto& record : r.Audit().ForChild(v.break_glass.child_id, 1000)) {
        v.reads += record.actor_id == v.break_glass.user_id && record.why == "break-glass" &&
                   record.outcome == AuditOutcome::kAllowed && record.at >= v.break_glass.starts_at &&
                   record.at < v.break_glass.EndsAt();
      }
      list.push_back(std::move(v));
    }
    return list;
  });
  audit.detail = nlohmann::json{{"count", out.size()}}.dump();
  gate_.Append(audit);
  return out;
}

Result<BreakGlassView> BreakGlassService::Review(const Principal& p, const std::string& id,
                                                 std::optional<bool> justified, const std::string& note, bool end_now) {
  const TimePoint now = ctx_.clock.Now();
  std::optional<domain::Decision> decision;
  Status outcome = Ok{};
  std::optional<BreakGlassView> view;
  std::string child_id;
  auto audit = AuditFor(p, end_now ? "break_glass.end" : "break_glass.review", now);
  ctx_.store.Write([&](Repositories& r) {
    auto g = r.BreakGlass().Get(id);
    if (!g) return false;
    child_id = g->child_id;
    decision = Decide(p.Actor(), domain::AuthorityAction::kReviewBreakGlass, g->authority_id);
    if (!decision->allowed) return false;
    if (outcome = domain::ReviewBreakGlass(*g, p.user.id, justified, note, end_now, now); !outcome) return false;
    if (outcome = r.BreakGlass().UpdateReview(*g); !outcome) return false;
    auto a = audit;
    a.child_id = g->child_id;
    a.target_id = g->id;
    a.why = std::string(decision->why);
    a.reason = g->review_note;
    a.detail = nlohmann::json{{"justified", g->justified.value_or(false)}}.dump();
    r.Audit().Append(a);
    view = ViewOf(r, std::move(*g), now);
    return true;
  });
  audit.child_id = child_id;
  audit.outcome = AuditOutcome::kDenied;
  // Another authority's break-glass is not found, as for any record the caller may not know of.
  if (!decision || (!decision->allowed && p.user.role == domain::Role::kManager)) {
    audit.why = decision ? std::string(decision->why) : "no such break-glass";
    gate_.Append(audit);
    return Error::NotFound("There is no break-glass access with that id.");
  }
  if (!decision->allowed) {
    audit.why = std::string(decision->why);
    gate_.Append(audit);
    return Error::Forbidden("Only managers of the child's authority review break-glass access (" +
                            std::string(decision->why) + ").");
  }
  if (!outcome) {
    if (outcome.error().code == ErrorCode::kForbidden) {
      audit.why = "own break-glass";
      gate_.Append(audit);
    }
    return outcome.error();
  }
  return std::move(*view);
}

}  // namespace kith::app
