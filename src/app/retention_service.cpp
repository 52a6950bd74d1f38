#include "app/retention_service.h"

#include <algorithm>
#include <tuple>
#include <nlohmann/json.hpp>

namespace kith::app {

domain::RetentionRules RulesOf(storage::Repositories& r, const std::string& authority_id) {
  auto stored = r.Retention().GetRules(authority_id);
  return stored ? stored->rules : domain::RetentionRules{};
}

namespace {

// Calls `f(facts, rules)` for each child of `authority_id` (records merged into another left out),
// in pages of `page_size` read in a transaction each; `progress` after each page. Returns how many
// children were looked at.
template <typename F>
int64_t ForEachChild(storage::Store& store, const std::string& authority_id, const Date& as_of, int page_size,
                     const RetentionProgress& progress, F&& f) {
  std::string after;
  int64_t checked = 0;
  while (true) {
    domain::RetentionRules rules;
    std::vector<domain::RetentionFacts> page;
    store.Read([&](storage::Repositories& r) {
      rules = RulesOf(r, authority_id);
      page = r.Retention().Facts(authority_id, after, page_size, as_of);
    });
    for (const auto& facts : page) f(facts, rules);
    checked += static_cast<int64_t>(page.size());
    if (progress) progress(authority_id, checked);
    if (static_cast<int>(page.size()) < page_size) break;
    after = page.back().child_id;
  }
  return checked;
}

// The child's assessment as if it had no holds.
domain::RetentionAssessment Unheld(const domain::RetentionFacts& facts, const domain::RetentionRules& rules,
                                   const Date& as_of) {
  auto unheld = facts;
  unheld.holds.clear();
  return domain::Assess(unheld, rules, as_of);
}

}  // namespace

RetentionListing ListDue(storage::Store& store, const std::string& authority_id, const Date& as_of,
                         const RetentionProgress& progress, int page_size) {
  RetentionListing out;
  out.as_of = as_of;
  std::vector<std::string> authorities;
  if (authority_id.empty()) {
    for (const auto& a : store.ReadValue([](storage::Repositories& r) { return r.Authorities().List(); })) {
      authorities.push_back(a.id);
    }
    std::sort(authorities.begin(), authorities.end());
  } else {
    authorities.push_back(authority_id);
  }
  for (const auto& la : authorities) {
    out.checked += ForEachChild(store, la, as_of, page_size, progress, [&](const auto& facts, const auto& rules) {
      auto a = domain::Assess(facts, rules, as_of);
      if (a.due != domain::RetentionStep::kNone) {
        out.due.push_back({la, facts.child_id, std::move(a)});
      } else if (!a.held_by.empty() && a.next_on) {
        // Held: say so when the step would be due today without the holds.
        if (Unheld(facts, rules, as_of).due != domain::RetentionStep::kNone) {
          out.held.push_back({la, facts.child_id, std::move(a)});
        }
      } else if (a.next == domain::RetentionStep::kNone) {
        out.no_date.push_back(facts.child_id);
      }
    });
  }
  return out;
}

RetentionOutlook ListUpcoming(storage::Store& store, const std::string& authority_id, const Date& from,
                              const Date& until, size_t limit, int page_size) {
  RetentionOutlook out;
  out.from = from;
  out.until = until;
  out.checked = ForEachChild(store, authority_id, from, page_size, {}, [&](const auto& facts, const auto& rules) {
    auto a = domain::Assess(facts, rules, from);
    if (a.next == domain::RetentionStep::kNone) {
      ++out.no_date;
      return;
    }
    const bool within = a.next_on && *a.next_on <= until;
    if (!within) {
      // Listed too when only a hold keeps the step out of the window.
      if (a.held_by.empty()) return;
      const auto unheld = Unheld(facts, rules, from);
      if (!unheld.next_on || *unheld.next_on > until) return;
    }
    out.steps.push_back({authority_id, facts.child_id, std::move(a)});
  });
  std::sort(out.steps.begin(), out.steps.end(), [](const DueChild& x, const DueChild& y) {
    return std::tie(x.assessment.next_on, x.child_id) < std::tie(y.assessment.next_on, y.child_id);
  });
  if (out.steps.size() > limit) {
    out.more = static_cast<int64_t>(out.steps.size() - limit);
    out.steps.resize(limit);
  }
  return out;
}

namespace {

nlohmann::json RulesJson(const domain::RetentionRules& r) {
  return {{"archive_age_years", r.archive_age_years},
          {"extended_archive_age_years", r.extended_archive_age_years},
          {"purge_after_archive_years", r.purge_after_archive_years},
          {"purge_after_death_years", r.purge_after_death_years},
          {"remove_unused_after_months", r.remove_unused_after_months}};
}

std::vector<std::string> HoldIds(const std::vector<domain::LegalHold>& holds) {
  std::vector<std::string> ids;
  for (const auto& h : holds) ids.push_back(h.id);
  return ids;
}

// No authority holds this many holds in force; a check that meets it refuses rather than guess.
constexpr int kMaxHoldsChecked = 100'000;

}  // namespace

Status RetentionAdmin::Allow(const Principal& p, const std::string& authority_id, const std::string& audit_action,
                             const std::string& target) {
  const auto d = domain::Decide(p.Actor(), domain::AuthorityAction::kManageUsers, authority_id);
  if (d.allowed) return Ok{};
  auto a = AuditFor(p, audit_action, ctx_.clock.Now());
  a.outcome = domain::AuditOutcome::kDenied;
  a.why = d.why;
  a.target_id = target;
  ctx_.store.Write([&](storage::Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  return Error::Forbidden("Only administrators of this local authority can do that.");
}

void RetentionAdmin::Audit(storage::Repositories& r, const Principal& p, const std::string& action,
                           const std::string& target, const std::string& child_id, const std::string& detail) {
  auto a = AuditFor(p, action, ctx_.clock.Now());
  a.target_id = target;
  a.child_id = child_id;
  a.why = "administrator";
  a.detail = detail;
  r.Audit().Append(a);
}

Error RetentionAdmin::Failed(const Principal& p, const std::string& action, const std::string& target,
                             const std::string& child_id, Error error) {
  auto a = AuditFor(p, action, ctx_.clock.Now());
  a.outcome = domain::AuditOutcome::kFailed;
  a.why = "administrator";
  a.target_id = target;
  a.child_id = child_id;
  a.detail = nlohmann::json{{"error", error.message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  ctx_.store.Write([&](storage::Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  return error;
}

Result<storage::StoredRetentionRules> RetentionAdmin::GetRules(const Principal& p, const std::string& authority_id) {
  if (auto s = Allow(p, authority_id, "retention.rules.read", authority_id); !s) return s.error();
  std::optional<storage::StoredRetentionRules> out;
  ctx_.store.Write([&](storage::Repositories& r) {
    out.reset();
    if (!r.Authorities().Get(authority_id)) return false;
    auto stored = r.Retention().GetRules(authority_id);
    out = stored ? *stored : storage::StoredRetentionRules{authority_id, {}, "", {}, 0};
    Audit(r, p, "retention.rules.read", authority_id, "", nlohmann::json{{"version", out->version}}.dump());
    return true;
  });
  if (!out) return Error::NotFound("There is no such local authority.");
  return *out;
}

Result<storage::StoredRetentionRules> RetentionAdmin::PutRules(const Principal& p, const std::string& authority_id,
                                                               const domain::RetentionRules& rules, int64_t version) {
  if (auto s = Allow(p, authority_id, "retention.rules.update", authority_id); !s) return s.error();
  if (auto s = domain::ValidateRetentionRules(rules); !s) return s.error();
  const TimePoint now = ctx_.clock.Now();
  const Date today = Date::FromTime(now);
  // The children under a hold in force, read outside the write (a whole authority's pages); the
  // write then checks that the holds in force are still the ones read.
  std::vector<std::string> held_ids;
  std::vector<domain::RetentionFacts> held;
  ctx_.store.Read([&](storage::Repositories& r) {
    held_ids = HoldIds(r.Retention().InForce(authority_id, today, kMaxHoldsChecked));
  });
  if (static_cast<int>(held_ids.size()) >= kMaxHoldsChecked) {
    return Error::Conflict("Too many legal holds are in force to check a change of rules against them.");
  }
  if (!held_ids.empty()) {
    std::string after;
    while (true) {
      auto page = ctx_.store.ReadValue(
          [&](storage::Repositories& r) { return r.Retention().Facts(authority_id, after, 500, today); });
      for (auto& f : page) {
        if (std::any_of(f.holds.begin(), f.holds.end(), [&](const auto& h) { return h.InForceOn(today); })) {
          held.push_back(f);
        }
      }
      if (page.size() < 500) break;
      after = page.back().child_id;
    }
  }
  Status outcome = Ok{};
  bool refused_for_a_hold = false;
  storage::StoredRetentionRules next{authority_id, rules, p.user.id, now, version + 1};
  ctx_.store.Write([&](storage::Repositories& r) {
    refused_for_a_hold = false;
    if (!r.Authorities().Get(authority_id)) {
      outcome = Error::NotFound("There is no such local authority.");
      return false;
    }
    auto current = r.Retention().GetRules(authority_id);
    if ((current ? current->version : 0) != version) {
      outcome = Error::Conflict("The retention rules were changed by someone else; reload them.");
      return false;
    }
    if (HoldIds(r.Retention().InForce(authority_id, today, kMaxHoldsChecked)) != held_ids) {
      outcome = Error::Conflict("A legal hold was placed or released meanwhile; try again.");
      return false;
    }
    const domain::RetentionRules before = current ? current->rules : domain::RetentionRules{};
    outcome = domain::CheckRuleChange(before, rules, held, today);
    if (!outcome) {
      refused_for_a_hold = true;
      return false;
    }
    outcome = r.Retention().PutRules(next, version);
    if (!outcome) return false;
    Audit(r, p, "retention.rules.update", authority_id, "",
          nlohmann::json{{"before", RulesJson(before)}, {"after", RulesJson(rules)}, {"version", next.version}}
              .dump());
    return true;
  });
  if (refused_for_a_hold) {
    // Rules that would purge a held child are refused, and the attempt is on the record.
    auto a = AuditFor(p, "retention.rules.update", now);
    a.outcome = domain::AuditOutcome::kDenied;
    a.why = "would purge a child under a legal hold";
    a.target_id = authority_id;
    a.detail = nlohmann::json{{"after", RulesJson(rules)}}.dump();
    ctx_.store.Write([&](storage::Repositories& r) {
      r.Audit().Append(a);
      return true;
    });
  }
  if (!outcome) return outcome.error();
  return next;
}

Result<domain::LegalHold> RetentionAdmin::PlaceHold(const Principal& p, const std::string& child_id,
                                                    std::string_view kind, std::string_view reason,
                                                    const Date& ends_on) {
  // Administrators only, before any lookup; a child the caller does not administer is missing.
  if (auto s = Allow(p, p.user.authority_id, "retention.hold.place", child_id); !s) return s.error();
  auto child = ctx_.store.ReadValue([&](storage::Repositories& r) { return r.Children().Get(child_id); });
  if (!child || !domain::Decide(p.Actor(), domain::AuthorityAction::kManageUsers, child->authority_id).allowed) {
    return Failed(p, "retention.hold.place", "", child_id, Error::NotFound("There is no child with that id."));
  }
  auto hold = domain::NewLegalHold(child_id, child->authority_id, kind, reason, ends_on, p.user.id,
                                   ctx_.clock.Now());
  if (!hold) return Failed(p, "retention.hold.place", "", child_id, hold.error());
  hold->id = ctx_.random.Id("H");
  Status outcome = Ok{};
  ctx_.store.Write([&](storage::Repositories& r) {
    outcome = r.Retention().InsertHold(*hold);
    if (!outcome) return false;
    auto a = AuditFor(p, "retention.hold.place", ctx_.clock.Now());
    a.target_id = hold->id;
    a.child_id = child_id;
    a.why = "administrator";
    a.reason = hold->reason;
    a.detail = nlohmann::json{{"kind", domain::ToString(hold->kind)}, {"ends_on", hold->ends_on.ToString()}}.dump();
    r.Audit().Append(a);
    return true;
  });
  if (!outcome) return Failed(p, "retention.hold.place", "", child_id, outcome.error());
  return *hold;
}

Result<domain::LegalHold> RetentionAdmin::ReleaseHold(const Principal& p, const std::string& hold_id,
                                                      std::string_view reason) {
  if (auto s = Allow(p, p.user.authority_id, "retention.hold.release", hold_id); !s) return s.error();
  auto hold = ctx_.store.ReadValue([&](storage::Repositories& r) { return r.Retention().GetHold(hold_id); });
  if (!hold || !domain::Decide(p.Actor(), domain::AuthorityAction::kManageUsers, hold->authority_id).allowed) {
    return Failed(p, "retention.hold.release", hold_id, "", Error::NotFound("There is no legal hold with that id."));
  }
  if (auto s = domain::ReleaseLegalHold(*hold, reason, p.user.id, Date::FromTime(ctx_.clock.Now())); !s) {
    return Failed(p, "retention.hold.release", hold_id, hold->child_id, s.error());
  }
  Status outcome = Ok{};
  ctx_.store.Write([&](storage::Repositories& r) {
    outcome = r.Retention().ReleaseHold(*hold);
    if (!outcome) return false;
    auto a = AuditFor(p, "retention.hold.release", ctx_.clock.Now());
    a.target_id = hold->id;
    a.child_id = hold->child_id;
    a.why = "administrator";
    a.reason = hold->release_reason;
    r.Audit().Append(a);
    return true;
  });
  if (!outcome) return Failed(p, "retention.hold.release", hold_id, hold->child_id, outcome.error());
  return *hold;
}

Result<std::vector<domain::LegalHold>> RetentionAdmin::HoldsInForce(const Principal& p,
                                                                 const std::string& authority_id) {
  if (auto s = Allow(p, authority_id, "retention.hold.list", authority_id); !s) return s.error();
  const Date today = Date::FromTime(ctx_.clock.Now());
  std::optional<std::vector<domain::LegalHold>> out;
  ctx_.store.Write([&](storage::Repositories& r) {
    out.reset();
    if (!r.Authorities().Get(authority_id)) return false;
    out = r.Retention().InForce(authority_id, today, 1000);
    Audit(r, p, "retention.hold.list", authority_id, "", nlohmann::json{{"holds", out->size()}}.dump());
    return true;
  });
  if (!out) return Error::NotFound("There is no such local authority.");
  return *out;
}

Result<RetentionOutlook> RetentionAdmin::Upcoming(const Principal& p, const std::string& authority_id, int days) {
  if (auto s = Allow(p, authority_id, "retention.due.read", authority_id); !s) return s.error();
  if (days < 1 || days > kMaxOutlookDays) {
    return Error::Invalid("days", "Look ahead between 1 and " + std::to_string(kMaxOutlookDays) + " days.");
  }
  if (!ctx_.store.ReadValue([&](storage::Repositories& r) { return r.Authorities().Get(authority_id).has_value(); })) {
    return Error::NotFound("There is no such local authority.");
  }
  const Date today = Date::FromTime(ctx_.clock.Now());
  auto outlook = ListUpcoming(ctx_.store, authority_id, today, Date::FromDays(today.ToDays() + days), kMaxOutlookSteps);
  ctx_.store.Write([&](storage::Repositories& r) {
    Audit(r, p, "retention.due.read", authority_id, "",
          nlohmann::json{{"days", days},
                         {"checked", outlook.checked},
                         {"steps", static_cast<int64_t>(outlook.steps.size()) + outlook.more}}
              .dump());
    return true;
  });
  return outlook;
}

}  // namespace kith::app
