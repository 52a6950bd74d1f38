// The one path by which use cases read and change a child's data (issue 14; docs/access.md).
//
// A use case says what it does — the audit action ("chronology.read"), the access policy's
// domain::ChildAction and the words it refuses with — and gives a function that does the work.
// The gate then, every time:
//  1. reads the child's access snapshot inside the transaction: the record, the team with its
//     people and agencies, and the caller's relation to the child (team member, lead, manager
//     of a member, break-glass in force, their agency's involvement, the shield);
//  2. asks the access policy (domain::Decide; family members: domain::DecideFamily);
//  3. refuses — no such child (kNotFound) or not allowed (kForbidden) — with an audit record of
//     the refusal, or runs the function: a read, followed by its audit record, committed before
//     the data is returned; a write, with its audit record appended in the same transaction
//     (undone with it if the function fails).
// A new endpoint on child data therefore cannot forget to decide or to audit.
//
// Thread safety: a ChildGate is stateless apart from its Context and safe from any thread; the
// functions it runs are called inside one transaction, on whichever thread the store runs it on;
// a write's function may be called again after a conflict (storage/store.h), so it must be repeatable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "domain/access_policy.h"
#include "domain/account/family.h"
#include "domain/break_glass.h"
#include "domain/child.h"
#include "domain/team.h"
#include "storage/repositories.h"

namespace kith::app {

// A team member with what others need to reach them.
using MemberView = storage::TeamMemberDetail;

// The access snapshot of one child for one caller and one action.
struct ChildAccess {
  domain::Child child;
  std::vector<MemberView> people;  // the team, with each member's user and agency
  domain::Team team;               // the same members, without the people
  domain::ChildRelation relation;
  domain::Decision decision;                      // for the action asked about
  std::optional<domain::BreakGlass> break_glass;  // the caller's, in force

  std::string ChildName() const { return child.given_names + " " + child.family_name; }
  const domain::TeamMember* Lead() const { return domain::FindLead(team); }
};

// The snapshot of `child`, whose team is `people`, for `actor` deciding `action` at `now`.
// `break_glass`: the actor's break-glass of the child in force, if any. `duty_team`: the
// actor's agency is the children's social care of the child's authority. Pure.
ChildAccess AccessOf(domain::Child child, std::vector<MemberView> people, const domain::Actor& actor,
                     domain::ChildAction action, std::optional<domain::BreakGlass> break_glass, bool duty_team,
                     TimePoint now);

// The actor's break-glass of the child in force at `now`, read only when it could matter (a
// member of staff off the team). Runs inside the caller's transaction.
std::optional<domain::BreakGlass> BreakGlassOf(storage::Repositories& r, const std::string& child_id,
                                               const std::vector<MemberView>& people, const domain::Actor& actor,
                                               TimePoint now);

// Whether the actor's agency is the children's social care of `authority_id` (its duty team).
bool IsDutyTeam(storage::Repositories& r, const domain::Actor& actor, const std::string& authority_id);

// Reads the snapshot for `actor` deciding `action` at `now`; nullopt if there is no such child,
// or it was merged into another (unless `even_if_merged`). Runs inside the caller's transaction.
std::optional<ChildAccess> LoadChildAccess(storage::Repositories& r, const std::string& child_id,
                                           const domain::Actor& actor, domain::ChildAction action, TimePoint now,
                                           bool even_if_merged = false);

// What a use case does to a child.
struct ChildAct {
  std::string_view audit_action;  // "chronology.read"
  domain::ChildAction action;
  // The answer's words when refused, before the policy's reason in brackets: "Only the team
  // around the child can see the account".
  std::string_view refused;
  bool even_if_merged = false;  // a merged-away child still answers (its audit trail)
};

class ChildGate {
 public:
  explicit ChildGate(Context& context) : ctx_(context) {}

  // Decides `act` for `p` and, if allowed, runs fn(Repositories&, const ChildAccess&
  // [, domain::AuditRecord& audit]) -> Result<T> in a read transaction; `audit` is the record
  // the gate writes afterwards (fn may set its target, reason and detail). An error returned by fn
  // is audited as kFailed and returned. Errors: kNotFound, kForbidden, or fn's.
  template <typename T, typename F>
  Result<T> Read(const Principal& p, const std::string& child_id, const ChildAct& act, F&& fn) {
    std::optional<Result<T>> out;
    std::optional<ChildAccess> access;
    auto audit = AuditFor(p, std::string(act.audit_action), ctx_.clock.Now());
    audit.child_id = child_id;
    ctx_.store.Read([&](storage::Repositories& r) {
      access = LoadChildAccess(r, child_id, p.Actor(), act.action, audit.at, act.even_if_merged);
      if (access && access->decision.allowed) {
        Allowed(*access, audit);
        out.emplace(Run(fn, r, *access, audit));
      }
    });
    if (auto refused = Refusal(access, act, audit)) return *refused;
    audit.outcome = *out ? domain::AuditOutcome::kAllowed : domain::AuditOutcome::kFailed;
    Append(audit);
    return std::move(*out);
  }

  // Decides `act` for `p` inside a write transaction and, if allowed, runs fn(Repositories&,
  // const ChildAccess& [, domain::AuditRecord& audit]) -> Result<T> in it; if fn succeeds `audit`
  // is appended in the same transaction, and if it fails everything fn did is undone and the
  // failure is audited on its own (kFailed, with the error's message). Errors: kNotFound,
  // kForbidden, or fn's.
  template <typename T, typename F>
  Result<T> Write(const Principal& p, const std::string& child_id, const ChildAct& act, F&& fn) {
    std::optional<Result<T>> out;
    std::optional<ChildAccess> access;
    auto audit = AuditFor(p, std::string(act.audit_action), ctx_.clock.Now());
    audit.child_id = child_id;
    ctx_.store.Write([&](storage::Repositories& r) {
      out.reset();
      access = LoadChildAccess(r, child_id, p.Actor(), act.action, audit.at, act.even_if_merged);
      if (!access || !access->decision.allowed) return false;
      auto record = audit;
      Allowed(*access, record);
      out.emplace(Run(fn, r, *access, record));
      if (!*out) return false;
      r.Audit().Append(record);
      return true;
    });
    if (auto refused = Refusal(access, act, audit)) return *refused;
    if (!*out) Failed(*access, audit, out->error());
    return std::move(*out);
  }

  // The family's side (domain/account/family.h): decides `action` for a family member and, if
  // allowed (an active account linked to the child), runs fn(Repositories&, const
  // domain::Child&, const domain::FamilyLink& [, domain::AuditRecord&]) -> Result<T> in a read
  // transaction, then audits it. The same answer (kNotFound) whether the child exists or not:
  // a family member learns nothing of children they are not linked to.
  template <typename T, typename F>
  Result<T> ReadAsFamily(const Principal& p, const std::string& child_id, std::string_view audit_action,
                         domain::FamilyAction action, F&& fn) {
    std::optional<Result<T>> out;
    auto audit = AuditFor(p, std::string(audit_action), ctx_.clock.Now());
    audit.child_id = child_id;
    audit.why = "no such child";
    ctx_.store.Read([&](storage::Repositories& r) {
      auto allowed = LoadFamilyAccess(r, p.user, child_id, action, audit);
      if (allowed) out.emplace(RunFamily(fn, r, allowed->first, allowed->second, audit));
    });
    return FinishFamily(std::move(out), std::move(audit), false);
  }

  // As ReadAsFamily, in a write transaction: `audit` is appended in it when fn succeeds, and
  // everything fn did is undone when it fails.
  template <typename T, typename F>
  Result<T> WriteAsFamily(const Principal& p, const std::string& child_id, std::string_view audit_action,
                          domain::FamilyAction action, F&& fn) {
    std::optional<Result<T>> out;
    auto base = AuditFor(p, std::string(audit_action), ctx_.clock.Now());
    base.child_id = child_id;
    base.why = "no such child";
    domain::AuditRecord audit;
    ctx_.store.Write([&](storage::Repositories& r) {
      out.reset();
      audit = base;
      auto allowed = LoadFamilyAccess(r, p.user, child_id, action, audit);
      if (!allowed) return false;
      out.emplace(RunFamily(fn, r, allowed->first, allowed->second, audit));
      if (!*out) return false;
      r.Audit().Append(audit);
      return true;
    });
    return FinishFamily(std::move(out), std::move(audit), true);
  }

  // The family-portal policy's view of a family account: its links (none for staff).
  static domain::FamilyActor FamilyActorOf(storage::Repositories& r, const domain::User& user);

  // For a read served from elsewhere (the account cache): audits the decision `access` holds
  // for `act` (or the missing child) and returns the error to answer with, if refused.
  std::optional<Error> Decided(const Principal& p, const std::string& child_id, const ChildAct& act,
                               const std::optional<ChildAccess>& access);

  // Writes `record` on its own (a refusal, or a read's record).
  void Append(const domain::AuditRecord& record);

 private:
  // The child and the family member's link to it when the family policy allows `action`; the
  // decision's reason goes into `audit`.
  static std::optional<std::pair<domain::Child, domain::FamilyLink>> LoadFamilyAccess(storage::Repositories& r,
                                                                                      const domain::User& user,
                                                                                      const std::string& child_id,
                                                                                      domain::FamilyAction action,
                                                                                      domain::AuditRecord& audit);
  // Audits a family act (unless `written`: a successful write appended its record itself) and
  // returns its answer.
  template <typename T>
  Result<T> FinishFamily(std::optional<Result<T>> out, domain::AuditRecord audit, bool written) {
    if (!out) {
      audit.outcome = domain::AuditOutcome::kDenied;
      Append(audit);
      return Error::NotFound("You are not linked to that child in Kith.");
    }
    if (!*out || !written) {
      audit.outcome = *out ? domain::AuditOutcome::kAllowed : domain::AuditOutcome::kFailed;
      Append(audit);
    }
    return std::move(*out);
  }
  template <typename F>
  static auto RunFamily(F& fn, storage::Repositories& r, const domain::Child& child, const domain::FamilyLink& link,
                        domain::AuditRecord& audit) {
    if constexpr (std::is_invocable_v<F&, storage::Repositories&, const domain::Child&, const domain::FamilyLink&,
                                      domain::AuditRecord&>) {
      return fn(r, child, link, audit);
    } else {
      return fn(r, child, link);
    }
  }
  // Calls fn with the audit record if it takes one.
  template <typename F>
  static auto Run(F& fn, storage::Repositories& r, const ChildAccess& access, domain::AuditRecord& audit) {
    if constexpr (std::is_invocable_v<F&, storage::Repositories&, const ChildAccess&, domain::AuditRecord&>) {
      return fn(r, access, audit);
    } else {
      return fn(r, access);
    }
  }
  // Fills the allowed act's decision into its audit record.
  static void Allowed(const ChildAccess& access, domain::AuditRecord& audit);
  // Audits an allowed change that failed (and was undone).
  void Failed(const ChildAccess& access, domain::AuditRecord audit, const Error& error);
  // Audits a refusal (no child, or denied) and returns the error to answer with; nullopt when
  // the act was allowed.
  std::optional<Error> Refusal(const std::optional<ChildAccess>& access, const ChildAct& act,
                               domain::AuditRecord audit);

  Context& ctx_;
};

}  // namespace kith::app
