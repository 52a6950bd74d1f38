#include "app/child_service.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "app/alerts.h"
#include "app/broker.h"

namespace kith::app {
namespace {

using domain::AuditOutcome;
using domain::ChildAction;
using storage::Repositories;

// The agencies the record refers to; those of the team's members are taken from `team` rather
// than read again (on a typical account most of them are the same agencies).
std::vector<domain::Agency> ReferencedAgencies(Repositories& r, const domain::Child& c,
                                               const std::vector<MemberView>& team) {
  std::vector<domain::Agency> out;
  for (const auto& id : domain::InvolvedAgencies(c)) {
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

constexpr ChildAct kReadAccount{"child.read", ChildAction::kViewAccount,
                                "Only the team around the child can see the account; ask to join the team with a "
                                "reason, or break the glass in an emergency"};
constexpr ChildAct kUpdate{"child.update", ChildAction::kEditRecord,
                           "Only the team around the child can change the record"};
constexpr ChildAct kSignpost{"child.signposting", ChildAction::kViewSignposting,
                             "Your role does not include signposting"};
constexpr ChildAct kAuditTrail{"child.audit_trail", ChildAction::kViewAudit, "You cannot see this child's audit trail",
                               true};

}  // namespace

domain::Child ChildChanges::AppliedTo(domain::Child c) const {
  c.version = version;
  auto set = [](auto& field, const auto& value) {
    if (value) field = *value;
  };
  set(c.given_names, given_names);
  set(c.family_name, family_name);
  set(c.other_names, other_names);
  set(c.date_of_birth, date_of_birth);
  set(c.date_of_death, date_of_death);
  set(c.sex, sex);
  set(c.address, address);
  set(c.postcode, postcode);
  set(c.nhs_number, nhs_number);
  set(c.upn, upn);
  set(c.carers, carers);
  set(c.school_agency_id, school_agency_id);
  set(c.gp_agency_id, gp_agency_id);
  set(c.services, services);
  set(c.flags.early_help_assessment, early_help_assessment);
  set(c.flags.child_protection_plan, child_protection_plan);
  set(c.flags.looked_after, looked_after);
  set(c.flags.care_leaver, care_leaver);
  set(c.flags.special_educational_needs, special_educational_needs);
  return c;
}

std::vector<std::string> ChildChanges::Given() const {
  std::vector<std::string> out;
  auto add = [&](const char* name, bool given) {
    if (given) out.emplace_back(name);
  };
  add("given_names", given_names.has_value());
  add("family_name", family_name.has_value());
  add("other_names", other_names.has_value());
  add("date_of_birth", date_of_birth.has_value());
  add("date_of_death", date_of_death.has_value());
  add("sex", sex.has_value());
  add("address", address.has_value());
  add("postcode", postcode.has_value());
  add("nhs_number", nhs_number.has_value());
  add("upn", upn.has_value());
  add("carers", carers.has_value());
  add("school_agency_id", school_agency_id.has_value());
  add("gp_agency_id", gp_agency_id.has_value());
  add("services", services.has_value());
  add("flags.early_help_assessment", early_help_assessment.has_value());
  add("flags.child_protection_plan", child_protection_plan.has_value());
  add("flags.looked_after", looked_after.has_value());
  add("flags.care_leaver", care_leaver.has_value());
  add("flags.special_educational_needs", special_educational_needs.has_value());
  return out;
}

Result<ChildAccount> ChildService::Create(const Principal& p, domain::Child child, const std::string& reason) {
  const domain::Decision d = Decide(p.Actor(), domain::AuthorityAction::kCreateChild, p.user.authority_id);
  if (!d.allowed) {
    auto a = AuditFor(p, "child.create", ctx_.clock.Now());
    a.outcome = AuditOutcome::kDenied;
    a.why = std::string(d.why);
    gate_.Append(a);
    return Error::Forbidden("You cannot add children to the index (" + std::string(d.why) + ").");
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
    // The creator will be the only member, not the lead: the agencies they name, but for their
    // own, let their staff join at once only if the creator is the duty team (who decides joins
    // for a child without a lead).
    domain::ChildRelation creator;
    creator.child_authority_id = child.authority_id;
    creator.team_member = true;
    creator.duty_team = IsDutyTeam(r, p.Actor(), child.authority_id);
    const bool decides = domain::Decide(p.Actor(), ChildAction::kDecideJoin, creator).allowed;
    child.unconfirmed_agencies = domain::InvolvementAfterChange({}, child, p.user.agency_id, decides,
                                                                 domain::NamedInvolvement::All());
    outcome = r.Children().Insert(child);
    if (!outcome) return false;
    const std::string role = p.user.job_title.empty() ? "Practitioner" : p.user.job_title;
    r.Teams().AddMember({child.id, p.user.id, role, *why, now, false});
    r.Teams().AppendEvent({child.id, p.user.id, "joined", role, *why, p.user.id, now});
    auto a = AuditFor(p, "child.create", now);
    a.child_id = child.id;
    a.why = std::string(d.why);
    a.reason = *why;
    if (child.shielded) a.detail = nlohmann::json{{"shielded", true}}.dump();
    r.Audit().Append(a);
    return true;
  });
  if (!outcome) return outcome.error();
  if (observer_) observer_->ChildStored(child);
  return Account(p, child.id);
}

Result<ChildAccount> ChildService::Account(const Principal& p, const std::string& child_id) {
  const uint64_t version = ctx_.store.RecordsVersion();  // before the read: see AccountCache
  const TimePoint now = ctx_.clock.Now();
  const domain::Actor actor = p.Actor();
  auto cached = accounts_.Find(child_id, version);
  std::optional<domain::BreakGlass> glass;
  const bool member = cached && std::any_of(cached->team.begin(), cached->team.end(),
                                            [&](const MemberView& m) { return m.member.user_id == actor.user_id; });
  if (!member) {
    // Read what is not cached, and whether a caller off the team has broken the glass.
    const bool was_cached = cached != nullptr;
    ctx_.store.Read([&](Repositories& r) {
      if (!cached) {
        auto child = r.Children().Get(child_id);
        if (!child || r.Merges().MergedAway(child_id)) return;
        auto team = r.Teams().MembersWithPeople(child_id);
        auto agencies = ReferencedAgencies(r, *child, team);
        cached = std::make_shared<const CachedAccount>(
            CachedAccount{version, std::move(*child), std::move(team), std::move(agencies)});
      }
      glass = BreakGlassOf(r, child_id, cached->team, actor, now);
    });
    if (cached && !was_cached) accounts_.Put(child_id, cached);
  }
  std::optional<ChildAccess> access;
  if (cached) access = AccessOf(cached->child, cached->team, actor, ChildAction::kViewAccount, glass, false, now);
  if (auto refused = gate_.Decided(p, child_id, kReadAccount, access)) return *refused;
  return ChildAccount{std::move(access->child), std::move(access->people), cached->agencies,
                      std::string(access->decision.why),
                      access->relation.team_member ? std::nullopt : access->break_glass};
}

Result<ChildAccount> ChildService::Update(const Principal& p, const std::string& child_id,
                                          const ChildChanges& changes) {
  const TimePoint now = ctx_.clock.Now();
  std::optional<domain::Child> stored;  // as written, for the observer
  auto result = gate_.Write<bool>(
      p, child_id, kUpdate, [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<bool> {
        if (changes.shielded && *changes.shielded != a.child.shielded) {
          return Error::Invalid("shielded",
                                "A shield is set or removed on its own, with a reason: use 'Shield this child' "
                                "(POST /api/v1/children/{id}/shield).");
        }
        domain::Child updated = changes.AppliedTo(a.child);
        updated.updated_at = now;
        if (auto s = domain::NormaliseChild(updated, Date::FromTime(now)); !s) return s.error();
        if (auto s = CheckAgencies(r, updated); !s) return s.error();
        // Naming an agency as involved lets its staff join at once: only whoever decides joins
        // confirms another agency's involvement (docs/access.md).
        const bool decides = domain::Decide(p.Actor(), ChildAction::kDecideJoin, a.relation).allowed;
        const domain::NamedInvolvement named{changes.school_agency_id.has_value(), changes.gp_agency_id.has_value(),
                                             changes.services.has_value()};
        updated.unconfirmed_agencies = domain::InvolvementAfterChange(a.child, updated, p.user.agency_id, decides, named);
        // One source of truth (issue 15): the flag says whether Kith holds an open early help
        // assessment, so it follows the Early help tab and is never set or cleared by hand.
        if (updated.flags.early_help_assessment != HasOpenAssessment(r, child_id)) {
          return Error::Invalid("flags.early_help_assessment",
                                updated.flags.early_help_assessment
                                    ? "There is no open early help assessment for this child: start one on the "
                                      "Early help tab, and this flag follows it."
                                    : "The child has an open early help assessment; close it to clear this flag.");
        }
        if (auto s = r.Children().Update(updated); !s) return s.error();
        nlohmann::json detail{{"changed", changes.Given()}};
        if (!updated.unconfirmed_agencies.empty()) detail["unconfirmed_agencies"] = updated.unconfirmed_agencies;
        audit.detail = detail.dump();
        ++updated.version;
        stored = std::move(updated);
        return true;
      });
  if (!result) return result.error();
  if (observer_ && stored) observer_->ChildStored(*stored);
  return Account(p, child_id);
}

Result<ChildAccount> ChildService::SetShield(const Principal& p, const std::string& child_id, bool shielded,
                                             const std::string& reason) {
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  const TimePoint now = ctx_.clock.Now();
  const ChildAct act{shielded ? "child.shield" : "child.unshield", ChildAction::kChangeShield,
                     "Only the team around the child can shield or unshield the child"};
  std::optional<domain::Child> stored;
  auto result = gate_.Write<bool>(
      p, child_id, act, [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<bool> {
        if (a.child.shielded == shielded) {
          return Error::Conflict(shielded ? "The child is already shielded." : "The child is not shielded.");
        }
        domain::Child c = a.child;
        c.shielded = shielded;
        c.updated_at = now;
        if (auto s = r.Children().Update(c); !s) return s.error();
        ++c.version;
        audit.reason = *why;
        const size_t linked = r.Family().LinksToChild(child_id).size();
        audit.detail = nlohmann::json{{"family_accounts_linked", linked}}.dump();
        std::string summary = std::string(shielded ? "Shield set by " : "Shield removed by ") + p.user.display_name + ": " + *why;
        if (shielded && linked > 0) {
          summary += " — " + std::to_string(linked) +
                     " family portal account(s) are linked to this child: they no longer see the team's agencies "
                     "or contacts; check that each is still safe to keep";
        }
        AlertWatchers(r, ctx_.random, c, Watchers::kLeadAndManagers, p.user.id,
                      shielded ? "shield_set" : "shield_removed", summary, child_id, now);
        stored = std::move(c);
        return true;
      });
  if (!result) return result.error();
  if (observer_ && stored) observer_->ChildStored(*stored);
  return Account(p, child_id);
}

Result<Signposting> ChildService::Signpost(const Principal& p, const std::string& child_id, const std::string& reason) {
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  return gate_.Read<Signposting>(p, child_id, kSignpost,
                                 [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) {
                                   audit.reason = *why;
                                   Signposting view;
                                   const auto& c = a.child;
                                   view.child_id = c.id;
                                   view.given_names = c.given_names;
                                   view.family_name = c.family_name;
                                   view.date_of_birth = c.date_of_birth;
                                   view.sex = c.sex;
                                   view.early_help_assessment = c.flags.early_help_assessment;
                                   // Team members already see everything; the shield hides the location from everyone
                                   // else but a practitioner with break-glass in force.
                                   view.shielded = c.shielded && !a.relation.team_member;
                                   if (view.shielded) view.break_glass = a.break_glass;
                                   if (!view.shielded || view.break_glass) {
                                     view.address = c.address;
                                     view.postcode = c.postcode;
                                   }
                                   if (view.break_glass) {
                                     view.carers = c.carers;
                                     audit.detail = nlohmann::json{{"break_glass", view.break_glass->id}}.dump();
                                   }
                                   // Without break-glass the services' agencies and the lead professional are withheld
                                   // as well: a school's or a GP practice's address, or the lead's agency, tells where
                                   // the child is.
                                   view.withheld = view.shielded && !view.break_glass;
                                   for (const auto& m : a.people) {
                                     if (!view.withheld) view.practitioners.push_back(m);
                                     if (!m.member.lead) continue;
                                     view.has_lead_professional = true;
                                     if (!view.withheld) view.lead_professional = m;
                                   }
                                   const Date today = Date::FromTime(audit.at);
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
                                     auto broker = BrokerFor(r, c);
                                     view.contact_broker = std::move(broker.agency);
                                     view.contact_through = std::move(broker.contact_through);
                                   }
                                   return Result<Signposting>(std::move(view));
                                 });
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
  gate_.Append(a);
  return out;
}

Result<std::vector<AuditEntryView>> ChildService::AuditTrail(const Principal& p, const std::string& child_id,
                                                             int limit) {
  return gate_.Read<std::vector<AuditEntryView>>(p, child_id, kAuditTrail, [&](Repositories& r, const ChildAccess&) {
    std::vector<AuditEntryView> records;
    std::map<std::string, std::string> names;  // each actor read once
    for (auto& record : r.Audit().ForChild(child_id, std::clamp(limit, 1, 1000))) {
      auto [it, added] = names.try_emplace(record.actor_id);
      if (added && !record.actor_id.empty()) {
        if (auto user = r.Users().Get(record.actor_id)) it->second = user->display_name;
      }
      records.push_back({std::move(record), it->second});
    }
    return Result<std::vector<AuditEntryView>>(std::move(records));
  });
}

}  // namespace kith::app
