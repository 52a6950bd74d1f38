#include "app/misuse_service.h"

#include <chrono>
#include <map>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/utf8.h"
#include "domain/access_policy.h"
#include "domain/child.h"
#include "domain/account/uk_time.h"
#include "linkage/text.h"

namespace kith::app {
namespace {

using domain::AuditOutcome;
using storage::Repositories;

std::string LastWord(const std::string& folded) {
  const size_t space = folded.rfind(' ');
  return space == std::string::npos ? folded : folded.substr(space + 1);
}

domain::MisuseChild ToMisuseChild(const domain::Child& c) {
  domain::MisuseChild m;
  m.id = c.id;
  m.name = c.FullName();
  m.family_name = LastWord(linkage::FoldName(c.family_name));
  m.postcode = domain::NormalisePostcode(c.postcode);
  m.address = linkage::FoldText(c.address);
  m.shielded = c.shielded;
  if (!c.school_agency_id.empty()) m.involved_agencies.insert(c.school_agency_id);
  if (!c.gp_agency_id.empty()) m.involved_agencies.insert(c.gp_agency_id);
  for (const auto& s : c.services) m.involved_agencies.insert(s.agency_id);
  return m;
}

// The audit detail of a misuse run: the days it covered and what it found.
std::string RunDetail(const Date& from, const Date& to, const MisuseRun& run) {
  return nlohmann::json{{"from", from.ToString()},
                        {"to", to.ToString()},
                        {"records", run.records},
                        {"flags", run.flags},
                        {"new_flags", run.new_flags}}
      .dump();
}

std::vector<domain::MisuseUser> LoadUsers(Repositories& r, const std::string& authority_id) {
  std::vector<domain::MisuseUser> out;
  for (const auto& u : r.Users().ListByAuthority(authority_id)) {
    if (u.role != domain::Role::kPractitioner && u.role != domain::Role::kManager) continue;
    domain::MisuseUser m;
    m.id = u.id;
    m.name = u.display_name;
    m.role = std::string(domain::ToString(u.role));
    m.agency_id = u.agency_id;
    if (auto surname = LastWord(linkage::FoldName(u.display_name)); !surname.empty()) m.surnames.push_back(surname);
    if (const auto home = r.PractitionerHomes().Get(u.id)) {
      for (const auto& other : home->other_surnames) {
        if (auto s = LastWord(linkage::FoldName(other)); !s.empty()) m.surnames.push_back(s);
      }
      m.home_postcode = domain::NormalisePostcode(home->postcode);
      m.home_address = linkage::FoldText(home->address);
    }
    for (auto& child : r.Teams().ChildrenOf(u.id)) m.team_children.insert(std::move(child));
    out.push_back(std::move(m));
  }
  return out;
}

Status CheckText(const char* field, const std::string& value, size_t max) {
  if (value.size() > max) return Error::Invalid(field, "At most " + std::to_string(max) + " characters.");
  if (!utf8::IsValid(value)) return Error::Invalid(field, "The text is not valid UTF-8.");
  for (unsigned char c : value) {
    if (c < 0x20) return Error::Invalid(field, "Control characters (line breaks, tabs) are not allowed here.");
  }
  return Ok{};
}

}  // namespace

MisuseRun MisuseService::Run(const std::string& authority_id, const Date& from, const Date& to) {
  const auto started = std::chrono::steady_clock::now();
  MisuseRun run;
  std::vector<domain::MisuseFlag> flags;
  ctx_.store.Read([&](Repositories& r) {
    std::map<std::string, std::optional<domain::MisuseChild>> children;
    domain::MisuseDetector detector(policy_, LoadUsers(r, authority_id),
                                    [&](const std::string& id) -> const domain::MisuseChild* {
                                      auto [it, fresh] = children.try_emplace(id);
                                      if (fresh) {
                                        if (auto c = r.Children().Get(id)) it->second = ToMisuseChild(*c);
                                      }
                                      return it->second ? &*it->second : nullptr;
                                    });
    const TimePoint start = domain::UkStartOfDay(from);
    const TimePoint end = domain::UkStartOfDay(Date::FromDays(to.ToDays() + 1));
    const TimePoint baseline = domain::UkStartOfDay(Date::FromDays(from.ToDays() - policy_.baseline_days));
    r.Audit().Scan(authority_id, baseline, start, [&](const domain::AuditRecord& a) { detector.AddBaseline(a); });
    r.Audit().Scan(authority_id, start, end, [&](const domain::AuditRecord& a) {
      ++run.records;
      detector.Add(a);
    });
    // Break-glass reviewed in the window and judged unjustified, with the records of its start
    // and review. Reviews usually follow within days; a month back covers them.
    for (const auto& g : r.BreakGlass().ForAuthority(authority_id, start - std::chrono::days(31), 10'000)) {
      if (!g.reviewed_at || *g.reviewed_at < start || *g.reviewed_at >= end || !g.justified || *g.justified) continue;
      domain::BreakGlassReview review{g.id, g.user_id, g.child_id, g.starts_at, false, g.review_note, {}};
      for (const auto& a : r.Audit().Find({.child_id = g.child_id, .from = g.starts_at,
                                           .to = *g.reviewed_at + std::chrono::seconds(1), .limit = 1000})) {
        if (a.target_id == g.id) review.records.insert(review.records.begin(), domain::RefOf(a));  // Find is newest first
      }
      detector.AddBreakGlass(review);
    }
    flags = detector.Finish();
  });
  std::vector<storage::StoredMisuseFlag> stored;
  const TimePoint now = ctx_.clock.Now();
  for (auto& f : flags) stored.push_back({std::move(f), authority_id, now, std::nullopt, "", ""});
  run.flags = static_cast<int>(stored.size());
  ctx_.store.Write([&](Repositories& r) {
    run.new_flags = r.MisuseFlags().Add(stored);
    return true;
  });
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return run;
}

int MisuseService::Nightly(const std::string& holder) {
  const TimePoint now = ctx_.clock.Now();
  if (domain::ToUkCivil(now).time.hour < 1) return 0;  // the day before may still be writing
  const Date yesterday = Date::FromDays(domain::UkDayNumber(now) - 1);
  int ran = 0;
  for (const auto& authority : ctx_.store.ReadValue([](Repositories& r) { return r.Authorities().List(); })) {
    const std::string job = "misuse-report:" + authority.id + ":" + yesterday.ToString();
    bool mine = false;
    ctx_.store.Write([&](Repositories& r) {
      mine = r.JobClaims().Claim(job, holder, now, now - std::chrono::hours(2));
      return true;
    });
    if (!mine) continue;
    const MisuseRun run = Run(authority.id, yesterday, yesterday);
    domain::AuditRecord a;
    a.at = ctx_.clock.Now();
    a.actor_role = "system";
    a.authority_id = authority.id;
    a.action = "misuse.run";
    a.why = "nightly misuse report";
    a.detail = RunDetail(yesterday, yesterday, run);
    ctx_.store.Write([&](Repositories& r) {
      r.Audit().Append(a);
      return static_cast<bool>(r.JobClaims().Finish(job, holder, a.at));
    });
    log::Info("misuse.report", {{"authority", authority.id}, {"day", yesterday.ToString()}, {"records", run.records},
                                {"flags", run.flags}, {"seconds", run.seconds}});
    ++ran;
  }
  return ran;
}

std::optional<Error> MisuseService::Refuse(const Principal& p, const char* action, const std::string& target) {
  const auto d = domain::Decide(p.Actor(), domain::AuthorityAction::kViewAuthorityAudit, p.user.authority_id);
  if (d.allowed) return std::nullopt;
  auto a = AuditFor(p, action, ctx_.clock.Now());
  a.target_id = target;
  a.outcome = AuditOutcome::kDenied;
  a.why = std::string(d.why);
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  return Error::Forbidden("Only the authority's auditors (information governance) see its misuse report (" +
                          std::string(d.why) + ").");
}

MisuseFlagView MisuseService::View(Repositories& r, storage::StoredMisuseFlag stored) {
  MisuseFlagView v;
  if (auto u = r.Users().Get(stored.flag.user_id)) v.user_name = u->display_name;
  if (!stored.flag.child_id.empty()) {
    if (auto c = r.Children().Get(stored.flag.child_id)) v.child_name = c->FullName();
  }
  if (!stored.reviewed_by.empty()) {
    if (auto u = r.Users().Get(stored.reviewed_by)) v.reviewed_by_name = u->display_name;
  }
  v.stored = std::move(stored);
  return v;
}

Result<std::vector<MisuseFlagView>> MisuseService::Flags(const Principal& p, std::optional<Date> from_day,
                                                         std::optional<Date> to_day, bool include_reviewed) {
  if (auto refused = Refuse(p, "misuse.report", p.user.authority_id)) return *refused;
  const Date to = to_day.value_or(domain::UkDate(ctx_.clock.Now()));
  const Date from = from_day.value_or(Date::FromDays(to.ToDays() - 29));
  if (to < from) return Error::Invalid("to", "The last day is before the first day.");
  auto flags = ctx_.store.ReadValue([&](Repositories& r) {
    std::vector<MisuseFlagView> out;
    for (auto& f : r.MisuseFlags().ForAuthority(p.user.authority_id, from, to, include_reviewed, 500)) {
      out.push_back(View(r, std::move(f)));
    }
    return out;
  });
  auto a = AuditFor(p, "misuse.report", ctx_.clock.Now());
  a.target_id = p.user.authority_id;
  a.why = "auditor of the authority";
  a.detail = nlohmann::json{{"from", from.ToString()}, {"to", to.ToString()}, {"flags", flags.size()}}.dump();
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  return flags;
}

Result<MisuseFlagDetail> MisuseService::Flag(const Principal& p, const std::string& flag_id) {
  if (auto refused = Refuse(p, "misuse.flag.read", flag_id)) return *refused;
  std::optional<MisuseFlagDetail> detail;
  ctx_.store.Read([&](Repositories& r) {
    auto stored = r.MisuseFlags().Get(flag_id);
    if (!stored || stored->authority_id != p.user.authority_id) return;
    std::vector<domain::AuditRecord> records;
    for (const auto& ref : stored->flag.records) {
      auto one = r.Audit().Range(ref.chain, ref.seq - 1, 1);
      if (!one.empty() && one[0].seq == ref.seq) records.push_back(std::move(one[0]));
    }
    detail = MisuseFlagDetail{View(r, std::move(*stored)), ViewAuditRecords(r, std::move(records))};
  });
  auto a = AuditFor(p, "misuse.flag.read", ctx_.clock.Now());
  a.target_id = flag_id;
  a.why = detail ? "auditor of the authority" : "no such flag in the authority";
  a.outcome = detail ? AuditOutcome::kAllowed : AuditOutcome::kDenied;
  if (detail) a.child_id = detail->flag.stored.flag.child_id;
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  if (!detail) return Error::NotFound("There is no such flag in your authority's misuse report.");
  return std::move(*detail);
}

Result<MisuseRun> MisuseService::RunNow(const Principal& p, const Date& from, const Date& to) {
  if (auto refused = Refuse(p, "misuse.run", p.user.authority_id)) return *refused;
  if (to < from) return Error::Invalid("to", "The last day is before the first day.");
  if (to.ToDays() - from.ToDays() >= kMaxRunDays) {
    return Error::Invalid("to", "At most " + std::to_string(kMaxRunDays) + " days at once.");
  }
  const MisuseRun run = Run(p.user.authority_id, from, to);
  auto a = AuditFor(p, "misuse.run", ctx_.clock.Now());
  a.target_id = p.user.authority_id;
  a.why = "auditor of the authority";
  a.detail = RunDetail(from, to, run);
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  return run;
}

Result<MisuseFlagView> MisuseService::Review(const Principal& p, const std::string& flag_id, const std::string& note) {
  if (auto refused = Refuse(p, "misuse.flag.review", flag_id)) return *refused;
  if (note.size() < 10) return Error::Invalid("note", "Say what was found, in at least 10 characters.");
  if (auto s = CheckText("note", note, 2000); !s) return s.error();
  const TimePoint now = ctx_.clock.Now();
  Status outcome = Ok{};
  std::optional<MisuseFlagView> view;
  ctx_.store.Write([&](Repositories& r) {
    outcome = Ok{};
    view.reset();
    auto a = AuditFor(p, "misuse.flag.review", now);
    a.target_id = flag_id;
    a.reason = note;
    const auto stored = r.MisuseFlags().Get(flag_id);
    if (!stored || stored->authority_id != p.user.authority_id) {
      // A review of a flag the authority does not have is refused, and recorded like any refusal.
      outcome = Error::NotFound("There is no such flag in your authority's misuse report.");
      a.why = "no such flag in the authority";
      a.outcome = AuditOutcome::kDenied;
      r.Audit().Append(a);
      return true;
    }
    a.child_id = stored->flag.child_id;
    a.detail = nlohmann::json{{"kind", domain::ToString(stored->flag.kind)}, {"user_id", stored->flag.user_id}}.dump();
    if (stored->flag.user_id == p.user.id) {
      // Written, not rolled back: the refusal is the record an auditor of the auditors looks for.
      a.outcome = AuditOutcome::kDenied;
      a.why = "the flag is about the reviewer";
      r.Audit().Append(a);
      outcome = Error::Forbidden("This flag is about your own use of Kith: another auditor of your authority must "
                                 "review it.");
      return true;
    }
    a.why = "auditor of the authority";
    outcome = r.MisuseFlags().Review(flag_id, p.user.id, now, note);
    if (!outcome) {
      // Reviewed already (409): nothing changes, and the attempt is recorded as failed.
      a.outcome = AuditOutcome::kFailed;
      r.Audit().Append(a);
      return true;
    }
    r.Audit().Append(a);
    view = View(r, *r.MisuseFlags().Get(flag_id));
    return true;
  });
  if (!outcome) return outcome.error();
  return std::move(*view);
}

Result<storage::PractitionerHome> MisuseService::SetHome(const Principal& p, const std::string& user_id,
                                                         HomeChange change) {
  const auto d = domain::Decide(p.Actor(), domain::AuthorityAction::kManageUsers, p.user.authority_id);
  const TimePoint now = ctx_.clock.Now();
  auto a = AuditFor(p, "user.home", now);
  a.target_id = user_id;
  a.why = std::string(d.why);
  if (!d.allowed) {
    a.outcome = AuditOutcome::kDenied;
    ctx_.store.Write([&](Repositories& r) {
      r.Audit().Append(a);
      return true;
    });
    return Error::Forbidden("Only the authority's administrators record where its users live (" +
                            std::string(d.why) + ").");
  }
  if (auto s = CheckText("address", change.address, 300); !s) return s.error();
  if (auto s = CheckText("postcode", change.postcode, 10); !s) return s.error();
  if (!change.postcode.empty() && domain::NormalisePostcode(change.postcode).empty()) {
    return Error::Invalid("postcode", "Not a UK postcode (for example NB1 2AB).");
  }
  if (change.other_surnames.size() > 10) return Error::Invalid("other_surnames", "At most 10 surnames.");
  for (const auto& name : change.other_surnames) {
    if (name.empty()) return Error::Invalid("other_surnames", "A surname cannot be empty.");
    if (auto s = CheckText("other_surnames", name, 100); !s) return s.error();
  }
  storage::PractitionerHome home{user_id, change.address, domain::NormalisePostcode(change.postcode),
                                 change.other_surnames, p.user.id, now};
  Status outcome = Ok{};
  ctx_.store.Write([&](Repositories& r) {
    // A user of an authority the caller does not administer answers as missing.
    const auto user = r.Users().Get(user_id);
    if (!user || !domain::Decide(p.Actor(), domain::AuthorityAction::kManageUsers, user->authority_id).allowed) {
      outcome = Error::NotFound("There is no user with that id in your authority.");
      return false;
    }
    r.PractitionerHomes().Set(home);
    // What was recorded is not itself audited (it is personal); that it was, and by whom, is.
    a.detail = nlohmann::json{{"address", !home.address.empty()},
                              {"postcode", !home.postcode.empty()},
                              {"other_surnames", home.other_surnames.size()}}
                   .dump();
    r.Audit().Append(a);
    return true;
  });
  if (!outcome) return outcome.error();
  return home;
}

}  // namespace kith::app
