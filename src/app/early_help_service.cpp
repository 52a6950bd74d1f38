#include "app/early_help_service.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/lead_professional.h"
#include "domain/account/family.h"
#include "domain/account/uk_time.h"

namespace kith::app {
namespace {

namespace eh = domain::early_help;
using domain::AuditOutcome;
using domain::Decision;
using storage::Repositories;

constexpr std::string_view kDesignationReason = "Designated lead professional for the early help assessment";

using Access = ChildAccess;

// Reading the assessment (the team and break-glass), and changing it (the team).
ChildAct Reading(std::string_view action) {
  return {action, domain::ChildAction::kViewEarlyHelp,
          "Only the team around the child can see the early help assessment; join the team with a reason"};
}
ChildAct Changing(std::string_view action) {
  return {action, domain::ChildAction::kContribute,
          "Only the team around the child can change the early help assessment; join the team with a reason"};
}

Error NoAssessment() { return Error::NotFound("There is no such early help assessment on this child's account."); }

AssessmentView ViewOf(Repositories& r, eh::Assessment a, const Date& today) {
  AssessmentView v;
  auto name = [&](const std::string& id) {
    if (id.empty() || v.names.contains(id)) return;
    auto u = r.Users().Get(id);
    v.names[id] = u ? u->display_name : "";
  };
  name(a.lead_id);
  name(a.opened_by);
  name(a.closed_by);
  for (const auto& l : a.lead_history) {
    name(l.user_id);
    name(l.by);
  }
  for (const auto& x : a.versions) {
    name(x.created_by);
    name(x.completed_by);
  }
  for (const auto& m : a.meetings) name(m.recorded_by);
  for (const auto& x : a.actions) name(x.owner_id);
  for (const auto& x : a.reviews) name(x.recorded_by);
  for (const auto* x : eh::OverdueActions(a, today)) v.overdue_action_ids.push_back(x->id);
  v.family_visibility = r.Family().Visibility(a.id);
  v.assessment = std::move(a);
  return v;
}

std::string FirstLine(const std::string& text, size_t max) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > max) line = line.substr(0, max - 3) + "...";
  return line;
}

// What a change does across Kith besides storing the assessment: chronology entries and feed
// items for the team, written in the change's transaction.
class Journal {
 public:
  Journal(Repositories& r, WordIndex::Lease& lease, Context& ctx, const Principal& p, const Access& access,
          TimePoint now)
      : r_(r), lease_(lease), ctx_(ctx), p_(p), access_(access), now_(now) {}

  Status Entry(domain::EntryType type, const Date& on, const std::string& summary, const std::string& detail) {
    auto agency = p_.user.agency_id.empty() ? std::nullopt : r_.Agencies().Get(p_.user.agency_id);
    if (!agency) return Error::Forbidden("Only practitioners of an agency known to Kith can record early help.");
    domain::ChronologyEntry e;
    e.id = ctx_.random.Id("E");
    e.lineage_id = e.id;
    e.child_id = access_.child.id;
    e.occurred_on = on;
    e.agency_id = agency->id;
    e.agency_kind = agency->kind;
    e.author_id = p_.user.id;
    e.type = type;
    e.significance = domain::Significance::kNotable;
    e.summary = FirstLine(summary, domain::kMaxSummaryChars);
    e.detail = detail;
    e.recorded_at = now_;
    if (auto s = domain::ValidateEntry(e, domain::UkDate(now_)); !s) return s;
    if (auto s = r_.Chronology().Insert({e, ""}); !s) return s;
    lease_.Add(r_, e.id, WordIndex::EntryText(e));
    r_.Feed().Append({ctx_.random.Id("F"), now_, e.child_id, "chronology_entry", "New entry: " + e.summary, p_.user.id,
                      std::string(domain::ToString(e.significance)), e.id, "", ""});
    ++entries_;
    return Ok{};
  }

  int entries() const { return entries_; }

 private:
  Repositories& r_;
  WordIndex::Lease& lease_;
  Context& ctx_;
  const Principal& p_;
  const Access& access_;
  TimePoint now_;
  int entries_ = 0;
};

std::string NeedsList(const eh::Content& c) {
  std::string out;
  for (const auto& n : c.agreed_needs) out += "- " + n.text + "\n";
  return out;
}

std::string ProgressLabel(eh::Progress p) {
  switch (p) {
    case eh::Progress::kWorse:
      return "worse";
    case eh::Progress::kNoChange:
      return "no change";
    case eh::Progress::kSomeProgress:
      return "some progress";
    case eh::Progress::kMet:
      return "met";
  }
  return "";
}

// Sets the child's early-help flag to follow its assessments (kept on when an assessment held
// outside Kith is recorded and none is open here).
Status FollowFlag(Repositories& r, domain::Child& child, bool open, TimePoint now) {
  if (child.flags.early_help_assessment == open) return Ok{};
  child.flags.early_help_assessment = open;
  child.updated_at = now;
  auto s = r.Children().Update(child);
  if (s) ++child.version;
  return s;
}

}  // namespace

// --- Reads -------------------------------------------------------------------------------------

Result<std::vector<AssessmentView>> EarlyHelpService::List(const Principal& p, const std::string& child_id) {
  SweepOverdue();
  const Date today = domain::UkDate(ctx_.clock.Now());
  return gate_.Read<std::vector<AssessmentView>>(p, child_id, Reading("early_help.list"),
                                                 [&](Repositories& r, const Access&) {
                                                   std::vector<AssessmentView> out;
                                                   for (auto& a : r.EarlyHelp().ForChild(child_id))
                                                     out.push_back(ViewOf(r, std::move(a), today));
                                                   return Result<std::vector<AssessmentView>>(std::move(out));
                                                 });
}

Result<AssessmentView> EarlyHelpService::Get(const Principal& p, const std::string& child_id, const std::string& id) {
  SweepOverdue();
  const Date today = domain::UkDate(ctx_.clock.Now());
  return gate_.Read<AssessmentView>(
      p, child_id, Reading("early_help.read"),
      [&](Repositories& r, const Access&, domain::AuditRecord& audit) -> Result<AssessmentView> {
        audit.target_id = id;
        auto a = r.EarlyHelp().Get(id);
        if (!a || a->child_id != child_id) return NoAssessment();
        return ViewOf(r, std::move(*a), today);
      });
}

// --- Writes ------------------------------------------------------------------------------------

// Runs `fn(r, access, stored, journal)` in a write transaction for a team member: `stored` is
// the assessment `id` (or nullopt when `id` is empty, for Start) and fn returns the assessment
// as it must be stored (inserted when new, updated otherwise). Audited: allowed changes in
// their transaction, refusals and failures on their own.
template <typename F>
Result<AssessmentView> EarlyHelpService::Change(const Principal& p, const std::string& child_id, const std::string& id,
                                                const char* action, std::optional<int64_t> expected_revision, F&& fn) {
  const TimePoint now = ctx_.clock.Now();
  const Date today = domain::UkDate(now);
  auto lease = words_.Acquire(child_id);
  lease.Get(ctx_.store);
  bool committed = false;
  bool made_entry = false;
  bool shared_with_family = false;
  auto out = gate_.Write<AssessmentView>(
      p, child_id, Changing(action),
      [&](Repositories& r, const Access& allowed, domain::AuditRecord& audit) -> Result<AssessmentView> {
        lease.Begin(r);  // the callback may run again (storage/store.h)
        committed = false;
        made_entry = false;
        Access access = allowed;  // the change may move the child's flags
        std::optional<eh::Assessment> stored;
        if (!id.empty()) {
          stored = r.EarlyHelp().Get(id);
          if (!stored || stored->child_id != child_id) return NoAssessment();
          if (expected_revision && *expected_revision != stored->revision) {
            return Error::Conflict(
                fmt::format("The assessment has changed since you loaded it (revision {} is now {}); reload it and "
                            "make your change again.",
                            *expected_revision, stored->revision));
          }
        }
        Journal journal(r, lease, ctx_, p, access, now);
        Result<eh::Assessment> next = fn(r, access, stored, journal);
        made_entry = journal.entries() > 0;
        if (!next) return next.error();
        if (Status saved = stored ? r.EarlyHelp().Update(*next) : r.EarlyHelp().Insert(*next); !saved) {
          return saved.error();
        }
        audit.target_id = next->id;
        auto visibility = r.Family().Visibility(next->id);
        shared_with_family = domain::FamilyMaySee(visibility ? &visibility->record : nullptr);
        audit.detail =
            nlohmann::json{{"stage", eh::ToString(next->stage)}, {"version", next->versions.back().number}}.dump();
        committed = true;
        return ViewOf(r, std::move(*r.EarlyHelp().Get(next->id)), today);
      });
  lease.Finish(committed);
  if (committed && hub_) {
    // Content-free for linked family members, so a family page open on the child reloads its
    // filtered view (docs/family-portal.md) — only for an assessment shared with the family, and
    // never while only a draft changes, which the family never sees.
    const bool family_visible = shared_with_family && std::string_view(action) != "early_help.edit" &&
                                std::string_view(action) != "early_help.start" &&
                                std::string_view(action) != "early_help.new_version";
    hub_->Publish({child_id, "early_help", std::nullopt, "", family_visible});
    if (made_entry) hub_->Publish({child_id, "chronology", std::nullopt, ""});
  }
  return out;
}

Result<AssessmentView> EarlyHelpService::Start(const Principal& p, const std::string& child_id, eh::Content content,
                                               const std::string& lead_user_id) {
  const TimePoint now = ctx_.clock.Now();
  return Change(
      p, child_id, "", "early_help.start", std::nullopt,
      [&](Repositories& r, Access& a, const std::optional<eh::Assessment>&,
          Journal& journal) -> Result<eh::Assessment> {
        for (const auto& other : r.EarlyHelp().ForChild(child_id)) {
          if (other.IsOpen()) {
            return Error::Conflict(fmt::format(
                "This child already has an open early help assessment (stage '{}'); work on it or close it first.",
                eh::ToString(other.stage)));
          }
        }
        const auto* lead = domain::FindLead(a.team);
        std::string chosen = !lead_user_id.empty() ? lead_user_id : lead ? lead->user_id : p.user.id;
        if (!domain::FindMember(a.team, chosen)) {
          return Error::Invalid("lead_user_id", "The lead professional must be a member of the child's team.");
        }
        if (!lead || lead->user_id != chosen) {
          auto change =
              ChangeLeadProfessional(r, ctx_.random, a.child, a.team, p.user.id, chosen, std::string(kDesignationReason), now);
          if (!change) return change.error();
        }
        auto started =
            eh::Start(ctx_.random.Id("H"), child_id, chosen, std::move(content), p.user.id, now, domain::UkDate(now));
        if (!started) return started.error();
        if (auto s = FollowFlag(r, a.child, true, now); !s) return s.error();
        auto lead_user = r.Users().Get(chosen);
        if (auto s = journal.Entry(
                domain::EntryType::kAssessment, domain::UkDate(now),
                "Early help assessment started; lead professional " + (lead_user ? lead_user->display_name : chosen),
                "");
            !s) {
          return s.error();
        }
        return started;
      });
}

Result<AssessmentView> EarlyHelpService::EditDraft(const Principal& p, const std::string& child_id,
                                                   const std::string& id, std::optional<int64_t> expected_revision,
                                                   eh::Content content) {
  const Date today = domain::UkDate(ctx_.clock.Now());
  return Change(p, child_id, id, "early_help.edit", expected_revision,
                [&](Repositories&, Access&, std::optional<eh::Assessment>& a, Journal&) -> Result<eh::Assessment> {
                  if (auto s = eh::EditDraft(*a, std::move(content), today); !s) return s.error();
                  return *a;
                });
}

Result<AssessmentView> EarlyHelpService::Complete(const Principal& p, const std::string& child_id,
                                                  const std::string& id, std::optional<int64_t> expected_revision) {
  const TimePoint now = ctx_.clock.Now();
  return Change(
      p, child_id, id, "early_help.complete", expected_revision,
      [&](Repositories&, Access&, std::optional<eh::Assessment>& a, Journal& journal) -> Result<eh::Assessment> {
        if (auto s = eh::Complete(*a, p.user.id, now); !s) return s.error();
        const eh::Version& v = a->versions.back();
        if (auto s = journal.Entry(domain::EntryType::kAssessment, domain::UkDate(now),
                                   fmt::format("Early help assessment completed and locked (version {})", v.number),
                                   v.content.conclusion + "\n\nAgreed needs:\n" + NeedsList(v.content));
            !s) {
          return s.error();
        }
        return *a;
      });
}

Result<AssessmentView> EarlyHelpService::NewVersion(const Principal& p, const std::string& child_id,
                                                    const std::string& id, std::optional<int64_t> expected_revision) {
  const TimePoint now = ctx_.clock.Now();
  return Change(p, child_id, id, "early_help.new_version", expected_revision,
                [&](Repositories&, Access&, std::optional<eh::Assessment>& a, Journal&) -> Result<eh::Assessment> {
                  if (auto s = eh::StartNewVersion(*a, p.user.id, now); !s) return s.error();
                  return *a;
                });
}

namespace {

// The owner of an action must be on the team (they are alerted and see the plan).
Status CheckOwner(const domain::Team& team, const std::string& owner_id) {
  if (!domain::FindMember(team, owner_id)) {
    return Error::Invalid("owner_id", "The owner of an action must be a member of the child's team.");
  }
  return Ok{};
}

eh::Action ActionOf(const NewAction& n, std::string id, std::string meeting_id, TimePoint now) {
  return {std::move(id), n.description,         n.owner_id, n.due_on, eh::ActionStatus::kNotStarted,
          n.need_id,     std::move(meeting_id), now,        now,      std::nullopt};
}

}  // namespace

Result<AssessmentView> EarlyHelpService::HoldMeeting(const Principal& p, const std::string& child_id,
                                                     const std::string& id, std::optional<int64_t> expected_revision,
                                                     const NewMeeting& m) {
  const TimePoint now = ctx_.clock.Now();
  return Change(
      p, child_id, id, "early_help.meeting", expected_revision,
      [&](Repositories&, Access& access, std::optional<eh::Assessment>& a, Journal& journal) -> Result<eh::Assessment> {
        const std::string meeting_id = ctx_.random.Id("M");
        if (auto s = eh::HoldMeeting(*a, {meeting_id, m.held_on, m.attendees, m.decisions, p.user.id, now},
                                     domain::UkDate(now));
            !s) {
          return s.error();
        }
        for (const auto& n : m.actions) {
          if (auto s = CheckOwner(access.team, n.owner_id); !s) return s.error();
          if (auto s = eh::AddAction(*a, ActionOf(n, ctx_.random.Id("X"), meeting_id, now)); !s) return s.error();
        }
        const auto& held = a->meetings.back();
        std::string detail = "Attendees: ";
        for (size_t i = 0; i < held.attendees.size(); ++i) detail += (i ? "; " : "") + held.attendees[i];
        detail += "\n\nDecisions:\n" + held.decisions;
        if (!m.actions.empty()) {
          detail += "\n\nActions:\n";
          for (const auto& n : m.actions) detail += "- " + n.description + " (due " + n.due_on.ToString() + ")\n";
        }
        if (auto s =
                journal.Entry(domain::EntryType::kMeeting, held.held_on,
                              fmt::format("Team Around the Child meeting: {} attended, {} action{} agreed",
                                          held.attendees.size(), m.actions.size(), m.actions.size() == 1 ? "" : "s"),
                              detail);
            !s) {
          return s.error();
        }
        return *a;
      });
}

Result<AssessmentView> EarlyHelpService::AddAction(const Principal& p, const std::string& child_id,
                                                   const std::string& id, std::optional<int64_t> expected_revision,
                                                   const NewAction& n) {
  const TimePoint now = ctx_.clock.Now();
  return Change(
      p, child_id, id, "early_help.action_add", expected_revision,
      [&](Repositories&, Access& access, std::optional<eh::Assessment>& a, Journal&) -> Result<eh::Assessment> {
        if (auto s = CheckOwner(access.team, n.owner_id); !s) return s.error();
        if (auto s = eh::AddAction(*a, ActionOf(n, ctx_.random.Id("X"), "", now)); !s) return s.error();
        return *a;
      });
}

Result<AssessmentView> EarlyHelpService::SetActionStatus(const Principal& p, const std::string& child_id,
                                                         const std::string& id, const std::string& action_id,
                                                         std::optional<int64_t> expected_revision,
                                                         eh::ActionStatus status) {
  const TimePoint now = ctx_.clock.Now();
  return Change(p, child_id, id, "early_help.action_status", expected_revision,
                [&](Repositories&, Access&, std::optional<eh::Assessment>& a, Journal&) -> Result<eh::Assessment> {
                  if (auto s = eh::SetActionStatus(*a, action_id, status, now); !s) return s.error();
                  return *a;
                });
}

Result<AssessmentView> EarlyHelpService::RecordReview(const Principal& p, const std::string& child_id,
                                                      const std::string& id, std::optional<int64_t> expected_revision,
                                                      const NewReview& n) {
  const TimePoint now = ctx_.clock.Now();
  return Change(
      p, child_id, id, "early_help.review", expected_revision,
      [&](Repositories&, Access&, std::optional<eh::Assessment>& a, Journal& journal) -> Result<eh::Assessment> {
        if (auto s = eh::RecordReview(*a, {ctx_.random.Id("R"), n.held_on, n.progress, 0, n.summary, p.user.id, now},
                                      domain::UkDate(now));
            !s) {
          return s.error();
        }
        const auto& review = a->reviews.back();
        std::string detail;
        int met = 0;
        for (const auto& need : a->OfRecord()->content.agreed_needs) {
          for (const auto& pr : review.progress) {
            if (pr.need_id != need.id) continue;
            met += pr.progress == eh::Progress::kMet;
            detail += "- " + need.text + ": " + ProgressLabel(pr.progress) +
                      (pr.note.empty() ? "" : " (" + pr.note + ")") + "\n";
          }
        }
        if (!review.summary.empty()) detail += "\n" + review.summary;
        if (auto s = journal.Entry(domain::EntryType::kMeeting, review.held_on,
                                   fmt::format("Early help review: {} of {} needs met", met, review.progress.size()),
                                   detail);
            !s) {
          return s.error();
        }
        return *a;
      });
}

Result<AssessmentView> EarlyHelpService::Close(const Principal& p, const std::string& child_id, const std::string& id,
                                               std::optional<int64_t> expected_revision, eh::Outcome outcome,
                                               const std::string& summary) {
  const TimePoint now = ctx_.clock.Now();
  return Change(
      p, child_id, id, "early_help.close", expected_revision,
      [&](Repositories& r, Access& access, std::optional<eh::Assessment>& a,
          Journal& journal) -> Result<eh::Assessment> {
        if (auto s = eh::Close(*a, outcome, summary, p.user.id, now); !s) return s.error();
        if (auto s = FollowFlag(r, access.child, false, now); !s) return s.error();
        if (auto s = journal.Entry(domain::EntryType::kPlanEnded, domain::UkDate(now),
                                   "Early help closed: " + std::string(eh::Label(outcome)), a->closure_summary);
            !s) {
          return s.error();
        }
        return *a;
      });
}

Result<AssessmentView> EarlyHelpService::HandOver(const Principal& p, const std::string& child_id,
                                                  const std::string& id, const std::string& to_user_id,
                                                  const std::string& reason) {
  const TimePoint now = ctx_.clock.Now();
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  return Change(
      p, child_id, id, "early_help.handover", std::nullopt,
      [&](Repositories& r, Access& access, std::optional<eh::Assessment>& a, Journal&) -> Result<eh::Assessment> {
        // The workflow's refusals (closed, already the lead) first, on a copy; then the team's
        // handover rules, which move the assessment's lead with the team's.
        eh::Assessment check = *a;
        if (auto s = eh::HandOver(check, to_user_id, p.user.id, *why, now); !s) return s.error();
        auto change = ChangeLeadProfessional(r, ctx_.random, access.child, access.team, p.user.id, to_user_id, *why, now);
        if (!change) return change.error();
        return *r.EarlyHelp().Get(id);
      });
}

int EarlyHelpService::SweepOverdue() {
  const TimePoint now = ctx_.clock.Now();
  const Date today = domain::UkDate(now);
  const auto ids =
      ctx_.store.ReadValue([&](Repositories& r) { return r.EarlyHelp().WithUnalertedOverdueActions(today); });
  int alerted = 0;
  for (const auto& id : ids) {
    int here = 0;
    ctx_.store.Write([&](Repositories& r) {
      here = 0;
      auto a = r.EarlyHelp().Get(id);
      if (!a || !a->IsOpen()) return false;
      nlohmann::json actions = nlohmann::json::array();
      for (auto& x : a->actions) {
        if (!eh::IsOverdue(x, today) || x.overdue_alerted_on) continue;
        const std::string summary =
            fmt::format("Overdue early help action: {} (was due {})", x.description, x.due_on.ToString());
        std::vector<std::string> recipients{x.owner_id};
        if (a->lead_id != x.owner_id) recipients.push_back(a->lead_id);
        for (const auto& user_id : recipients) {
          r.Feed().InsertAlert(
              {ctx_.random.Id("A"), user_id, a->child_id, now, "overdue_action", summary, x.id, std::nullopt});
        }
        x.overdue_alerted_on = today;
        actions.push_back(x.id);
        ++here;
      }
      if (here == 0 || !r.EarlyHelp().Update(*a)) return false;
      domain::AuditRecord audit;
      audit.at = now;
      audit.actor_role = "system";
      audit.action = "early_help.overdue_alert";
      audit.child_id = a->child_id;
      audit.target_id = a->id;
      audit.why = "actions overdue";
      audit.detail = nlohmann::json{{"actions", actions}}.dump();
      r.Audit().Append(audit);
      return true;
    });
    alerted += here;
  }
  return alerted;
}

AssessmentView AssessmentViewOf(Repositories& r, eh::Assessment a, const Date& today) {
  return ViewOf(r, std::move(a), today);
}

}  // namespace kith::app
