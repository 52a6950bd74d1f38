#include "app/account_service.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/account_views.h"
#include "app/contact_alerts.h"
#include "domain/account/uk_time.h"
#include "common/utf8.h"

namespace kith::app {

using domain::AuditOutcome;
using domain::Decision;
using storage::Repositories;

namespace {

constexpr size_t kMaxTitleChars = 200;
constexpr size_t kMaxPostChars = 10'000;
constexpr size_t kMaxNameChars = 200;
constexpr size_t kMaxNotesChars = 2'000;
constexpr std::array<std::string_view, 4> kCategories = {"observation", "progress", "concern", "question"};

// Reading the account, and adding to it.
ChildAct Reading(std::string_view action) {
  return {action, domain::ChildAction::kViewAccount,
          "Only the team around the child can see the account; join the team with a reason"};
}
ChildAct Adding(std::string_view action) {
  return {action, domain::ChildAction::kContribute,
          "Only members of the child's team can add to the account; join the team with a reason"};
}

void AuditAlone(Context& ctx, const Principal& p, std::string action, const std::string& child_id, AuditOutcome outcome,
                std::string_view why, const std::string& detail = "") {
  auto a = AuditFor(p, std::move(action), ctx.clock.Now());
  a.child_id = child_id;
  a.outcome = outcome;
  a.why = std::string(why);
  a.detail = detail;
  ctx.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
}

// Checks free text of the forum and wheel: valid UTF-8, within a length, no control
// characters except line breaks where allowed.
Status CheckText(std::string_view field, const std::string& text, size_t max_chars, bool required, bool multiline) {
  if (required && text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::Invalid(std::string(field), "This field is required.");
  }
  if (!utf8::IsValid(text)) return Error::Invalid(std::string(field), "The text is not valid UTF-8.");
  if (utf8::Length(text) > max_chars) {
    return Error::Invalid(std::string(field), fmt::format("At most {} characters.", max_chars));
  }
  for (unsigned char c : text) {
    if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7F) {
      return Error::Invalid(std::string(field),
                            multiline ? "The text contains control characters." : "Must be a single line of text.");
    }
  }
  return Ok{};
}

// "@user.name" mentions of members of the team, in order of first mention.
std::vector<std::string> Mentions(Repositories& r, const std::string& body, const domain::Team& team) {
  std::vector<std::string> out;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '@' || (i > 0 && (std::isalnum(static_cast<unsigned char>(body[i - 1])) != 0))) continue;
    size_t j = i + 1;
    while (j < body.size() &&
           (std::islower(static_cast<unsigned char>(body[j])) || std::isdigit(static_cast<unsigned char>(body[j])) ||
            body[j] == '.' || body[j] == '_' || body[j] == '-')) {
      ++j;
    }
    std::string name = body.substr(i + 1, j - i - 1);
    while (!name.empty() && (name.back() == '.' || name.back() == '-' || name.back() == '_')) name.pop_back();
    if (name.empty()) continue;
    auto user = r.Users().GetByUsername(name);
    if (!user || !domain::FindMember(team, user->id)) continue;
    if (std::find(out.begin(), out.end(), user->id) == out.end()) out.push_back(user->id);
  }
  return out;
}

domain::RelationshipType RelationshipOfPractitioner(domain::AgencyKind kind, const std::string& job_title) {
  using domain::AgencyKind;
  using domain::RelationshipType;
  switch (kind) {
    case AgencyKind::kChildrensSocialCare:
      return RelationshipType::kSocialWorker;
    case AgencyKind::kSchool: {
      std::string lower = job_title;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return lower.find("safeguarding") != std::string::npos ? RelationshipType::kDesignatedSafeguardingLead
                                                             : RelationshipType::kTeacher;
    }
    case AgencyKind::kGpPractice:
      return RelationshipType::kGp;
    case AgencyKind::kHealthVisiting:
      return RelationshipType::kHealthVisitor;
    case AgencyKind::kSchoolNursing:
      return RelationshipType::kSchoolNurse;
    case AgencyKind::kPolice:
      return RelationshipType::kPoliceOfficer;
    case AgencyKind::kYouthService:
      return RelationshipType::kYouthWorker;
    case AgencyKind::kHousing:
      return RelationshipType::kHousingOfficer;
    case AgencyKind::kEarlyYears:
      return RelationshipType::kEarlyYearsWorker;
    default:
      // The taxonomy has no code for hospital, midwifery, CAMHS or probation staff yet.
      return RelationshipType::kVoluntarySectorWorker;
  }
}

struct WheelData {
  std::vector<PersonView> people;
  domain::WheelInput input;
};

WheelData LoadWheel(Repositories& r, const AccountService::Access& a, const Date& today) {
  WheelData d;
  d.input.child.id = a.child.id;
  d.input.child.date_of_birth = a.child.date_of_birth.value_or(today);
  d.input.child.gp_practice_id = a.child.gp_agency_id;
  d.input.child.school_id = a.child.school_agency_id;
  d.input.child.child_protection_plan = a.child.flags.child_protection_plan;
  for (const auto& s : a.child.services) {
    if (s.IsCurrent(today)) d.input.involved_agency_ids.push_back(s.agency_id);
  }
  d.input.last_agency_contact = r.Chronology().LastContactOn(a.child.id, today);
  for (auto& s : r.Wheel().ForChild(a.child.id)) {
    domain::WheelPerson w;
    w.id = s.id;
    w.relationship = s.relationship;
    w.lives_with_child = s.lives_with_child;
    w.living_with_since = s.since;
    w.date_of_birth = s.date_of_birth;
    w.adult = s.adult;
    w.identity_verified = s.verified;
    w.role_verified = s.verified;
    w.verified_by_agency_id = s.verified_by_agency_id;
    d.input.people.push_back(w);
    d.people.push_back({std::move(s), domain::IsAdult(w, today).value_or(true), ""});
  }
  for (const auto& m : a.team) {
    auto user = r.Users().Get(m.user_id);
    if (!user) continue;
    std::optional<domain::Agency> agency;
    if (!user->agency_id.empty()) agency = r.Agencies().Get(user->agency_id);
    domain::WheelPerson w;
    w.id = m.user_id;
    w.relationship =
        RelationshipOfPractitioner(agency ? agency->kind : domain::AgencyKind::kVoluntarySector, user->job_title);
    w.agency_id = user->agency_id;
    w.lead_professional = m.lead;
    w.adult = true;
    d.input.people.push_back(w);
    storage::StoredPerson s;
    s.id = m.user_id;
    s.child_id = a.child.id;
    s.name = user->display_name;
    s.relationship = w.relationship;
    s.adult = true;
    s.verified = true;
    s.verified_by_agency_id = user->agency_id;
    s.notes = m.role + (agency ? ", " + agency->name : "") + (m.lead ? " (lead professional)" : "");
    s.created_at = m.joined_at;
    s.updated_at = m.joined_at;
    d.people.push_back({std::move(s), true, m.user_id});
  }
  return d;
}

std::vector<domain::WheelFinding> Findings(const WheelData& d, const AccountService::Access& a, const Date& today) {
  if (!a.child.date_of_birth) return {};  // the age-based rules need a date of birth
  auto findings = domain::AnalyseWheel(d.input, today);
  return findings ? std::move(*findings) : std::vector<domain::WheelFinding>{};
}

std::string FindingKey(const domain::WheelFinding& f) {
  std::string key(domain::ToString(f.kind));
  for (const auto& id : f.person_ids) key += "|" + id;
  return key;
}

}  // namespace

Error AccountService::CannotChange(const Principal& p, const std::string& child_id, const char* action, Error why) {
  return gate_.Read<bool>(p, child_id, Adding(action), [&](Repositories&, const Access&) { return Result<bool>(why); })
      .error();
}

void AccountService::Publish(const std::string& child_id, const char* what, const std::vector<storage::FeedItem>& items,
                             bool family_visible) {
  if (!hub_) return;
  std::vector<LiveEvent> events;
  bool shielded = false;
  ctx_.store.Read([&](Repositories& r) {
    auto child = r.Children().Get(child_id);
    shielded = child && child->shielded;
    Names names(r);
    for (const auto& i : items) {
      FeedItemView v{
          i.id, i.at, i.child_id, names.Child(i.child_id), i.kind, i.summary, names.User(i.actor_id), i.significance};
      // A shielded child's family is told only that something changed (no practitioner named).
      events.push_back(
          {child_id, what, std::move(v), i.recipient_id, family_visible && !shielded && i.recipient_id.empty()});
    }
  });
  bool whole_team = false;
  for (const auto& e : events) {
    whole_team |= e.recipient_id.empty();
    hub_->Publish(e);
  }
  if (!whole_team || (shielded && family_visible)) hub_->Publish({child_id, what, std::nullopt, "", family_visible});
}

// --- Chronology ----------------------------------------------------------------------------------

Result<std::vector<EntryView>> AccountService::Chronology(const Principal& p, const std::string& child_id,
                                                          const domain::ChronologyFilter& filter) {
  return gate_.Read<std::vector<EntryView>>(p, child_id, Reading("chronology.read"),
                                            [&](Repositories& r, const Access&) {
                                              std::vector<EntryView> out;
                                              Names names(r);
                                              const auto visibility = VisibilityOf(r, child_id);
                                              for (auto& e : r.Chronology().Current(child_id, 0)) {
                                                if (domain::Matches(e.entry, filter))
                                                  out.push_back(ViewOf(std::move(e), names, &visibility));
                                              }
                                              return Result<std::vector<EntryView>>(std::move(out));
                                            });
}

Result<EntryView> AccountService::StoreEntry(const Principal& p, const std::string& child_id, const char* action,
                                             domain::ChronologyEntry entry, std::string source_thread_id,
                                             const std::string& supersedes, const std::string& reason,
                                             const std::optional<domain::VisibilityChoice>& visibility) {
  const TimePoint now = ctx_.clock.Now();
  const Date today = domain::UkDate(now);
  auto lease = words_.Acquire(child_id);
  lease.Get(ctx_.store);
  std::vector<storage::FeedItem> feed;
  bool family_visible = false;
  auto result = gate_.Write<EntryView>(
      p, child_id, Adding(action),
      [&](Repositories& r, const Access& a, domain::AuditRecord& audit) -> Result<EntryView> {
        lease.Begin(r);  // the callback may run again (storage/store.h)
        feed.clear();
        auto agency = p.user.agency_id.empty() ? std::nullopt : r.Agencies().Get(p.user.agency_id);
        if (!agency) return Error::Forbidden("Only practitioners of an agency known to Kith can record entries.");
        entry.child_id = child_id;
        entry.agency_id = agency->id;
        entry.agency_kind = agency->kind;
        entry.author_id = p.user.id;
        entry.recorded_at = now;
        storage::StoredEntry stored;
        bool was_held_by_default = false;  // the corrected version was sensitive or serious
        if (supersedes.empty()) {
          entry.id = ctx_.random.Id("E");
          entry.lineage_id = entry.id;
          entry.version = 1;
          if (auto s = domain::ValidateEntry(entry, today); !s) return s.error();
          stored = {entry, source_thread_id};
          if (!source_thread_id.empty()) {
            // A promotion: the thread and the entry point at each other.
            if (auto s = r.Chronology().Insert(stored); !s) return s.error();
            if (auto s = r.Forum().SetPromoted(source_thread_id, entry.id); !s) return s.error();
          } else if (auto s = r.Chronology().Insert(stored); !s) {
            return s.error();
          }
        } else {
          auto current = r.Chronology().Get(supersedes);
          if (!current || current->entry.child_id != child_id) return Error::NotFound("There is no such entry.");
          if (r.Chronology().IsSuperseded(supersedes)) {
            return Error::Conflict("This entry has been corrected since; correct the latest version.");
          }
          was_held_by_default = domain::OnTheFloor(domain::ToString(current->entry.type),
                                                   current->entry.significance == domain::Significance::kSerious);
          auto next = domain::Supersede(current->entry, entry, ctx_.random.Id("E"), reason, p.user.id, now, today);
          if (!next) return next.error();
          // A correction keeps the original agency: it corrects what that agency recorded.
          next->agency_id = current->entry.agency_id;
          next->agency_kind = current->entry.agency_kind;
          stored = {*next, current->source_thread_id};
          if (auto s = r.Chronology().InsertCorrection(stored); !s) return s.error();
          lease.Remove(r, supersedes);
          audit.reason = reason;
        }
        lease.Add(r, stored.entry.id, WordIndex::EntryText(stored.entry));
        // A first version gets a visibility; a correction keeps its lineage's unless it changes
        // it, or unless it makes a shared entry safeguarding-sensitive or serious: then the floor
        // holds it back like a new entry of that kind (domain::DefaultVisibility).
        std::optional<storage::VisibilityRow> shown = r.Family().Visibility(stored.entry.lineage_id);
        const VisibilitySubject subject{child_id,
                                        a.child.authority_id,
                                        stored.entry.lineage_id,
                                        "entry",
                                        domain::ToString(stored.entry.type),
                                        stored.entry.significance == domain::Significance::kSerious,
                                        stored.entry.agency_id};
        const Setter setter{p.user.id, agency->id};
        std::optional<Result<storage::VisibilityRow>> row;
        if (supersedes.empty()) {
          row = RecordVisibility(r, subject, visibility, setter, now);
        } else if (visibility) {
          row = ChangeVisibility(r, subject, *visibility, setter, now);
        } else if (domain::FamilyMaySee(shown ? &shown->record : nullptr) && !was_held_by_default &&
                   domain::OnTheFloor(subject.type, subject.serious)) {
          row = RecordVisibility(r, subject, std::nullopt, setter, now);
        }
        if (row && !*row) return row->error();
        if (row) shown = **row;
        family_visible = domain::FamilyMaySee(shown ? &shown->record : nullptr);
        audit.target_id = stored.entry.id;
        nlohmann::json detail{{"type", domain::ToString(stored.entry.type)},
                              {"significance", domain::ToString(stored.entry.significance)},
                              {"version", stored.entry.version}};
        if (shown) {
          detail["visibility"] = domain::ToString(shown->record.visibility);
          if (shown->record.reason) detail["restriction_reason"] = domain::ToString(*shown->record.reason);
        }
        audit.detail = detail.dump();
        const std::string what = supersedes.empty() ? "New entry: " : "Entry corrected: ";
        feed.push_back({ctx_.random.Id("F"), now, child_id, "chronology_entry", what + stored.entry.summary, p.user.id,
                        std::string(domain::ToString(stored.entry.significance)), stored.entry.id, "", ""});
        if (stored.entry.significance == domain::Significance::kSerious) {
          if (const auto* lead = a.Lead(); lead && lead->user_id != p.user.id) {
            r.Feed().InsertAlert({ctx_.random.Id("A"), lead->user_id, child_id, now, "serious_entry",
                                  "Serious entry: " + stored.entry.summary, stored.entry.id,
                                  std::nullopt});
          }
        }
        for (const auto& f : feed) r.Feed().Append(f);
        Names names(r);
        auto view = ViewOf(stored, names);
        view.visibility = shown;
        return view;
      });
  lease.Finish(result.ok());
  { auto done = std::move(lease); }  // the child's next writer need not wait for what follows
  if (result) {
    CheckRises(child_id, now);
    Publish(child_id, "chronology", feed, family_visible);
  }
  return result;
}

void AccountService::CheckRises(const std::string& child_id, TimePoint now) {
  {
    std::lock_guard lock(rises_mutex_);
    auto [it, first] = rises_checked_.try_emplace(child_id, now);
    if (!first && now - it->second < kRiseCheckInterval) {
      rises_pending_.insert(child_id);
      return;
    }
    it->second = now;
    rises_pending_.erase(child_id);
    if (rises_checked_.size() > 10'000) {  // forget children not checked within the interval
      std::erase_if(rises_checked_, [&](const auto& e) {
        return now - e.second >= kRiseCheckInterval && !rises_pending_.contains(e.first);
      });
    }
  }
  AlertContactRises(ctx_, child_id, domain::UkDate(now), now);
}

int AccountService::CheckPendingRises() {
  const TimePoint now = ctx_.clock.Now();
  std::vector<std::string> due;
  {
    std::lock_guard lock(rises_mutex_);
    for (auto it = rises_pending_.begin(); it != rises_pending_.end();) {
      auto& checked = rises_checked_[*it];
      if (now - checked < kRiseCheckInterval) {
        ++it;
        continue;
      }
      checked = now;
      due.push_back(*it);
      it = rises_pending_.erase(it);
    }
  }
  int made = 0;
  for (const auto& child_id : due) made += AlertContactRises(ctx_, child_id, domain::UkDate(now), now);
  return made;
}

Result<EntryView> AccountService::AddEntry(const Principal& p, const std::string& child_id, const NewEntry& e) {
  domain::ChronologyEntry entry;
  entry.occurred_on = e.occurred_on;
  entry.occurred_time = e.occurred_time;
  entry.type = e.type;
  entry.significance = e.significance;
  entry.summary = e.summary;
  entry.detail = e.detail;
  return StoreEntry(p, child_id, "chronology.add", std::move(entry), "", "", "", e.visibility);
}

Result<EntryView> AccountService::CorrectEntry(const Principal& p, const std::string& child_id,
                                               const std::string& entry_id, const EntryCorrection& c) {
  // The corrected content starts from the current version, read in a snapshot; StoreEntry
  // re-checks inside the write that it is still the latest.
  auto current = ctx_.store.ReadValue([&](Repositories& r) { return r.Chronology().Get(entry_id); });
  if (!current || current->entry.child_id != child_id) {
    // Do not reveal entries of other children; access is still checked and audited.
    return CannotChange(p, child_id, "chronology.correct", Error::NotFound("There is no such entry."));
  }
  domain::ChronologyEntry entry = current->entry;
  if (c.occurred_on) entry.occurred_on = *c.occurred_on;
  if (c.occurred_time) entry.occurred_time = *c.occurred_time;
  if (c.type) entry.type = *c.type;
  if (c.significance) entry.significance = *c.significance;
  if (c.summary) entry.summary = *c.summary;
  if (c.detail) entry.detail = *c.detail;
  return StoreEntry(p, child_id, "chronology.correct", std::move(entry), "", entry_id, c.reason, c.visibility);
}

Result<std::vector<EntryView>> AccountService::EntryHistory(const Principal& p, const std::string& child_id,
                                                            const std::string& entry_id) {
  return gate_.Read<std::vector<EntryView>>(p, child_id, Reading("chronology.history"),
                                            [&](Repositories& r, const Access&) -> Result<std::vector<EntryView>> {
                                              auto e = r.Chronology().Get(entry_id);
                                              if (!e || e->entry.child_id != child_id)
                                                return Error::NotFound("There is no such entry.");
                                              Names names(r);
                                              const auto visibility = VisibilityOf(r, child_id);
                                              std::vector<EntryView> out;
                                              for (auto& v : r.Chronology().Versions(e->entry.lineage_id))
                                                out.push_back(ViewOf(std::move(v), names, &visibility));
                                              return out;
                                            });
}

Result<ImportReport> AccountService::Import(const Principal& p, const std::string& child_id, const std::string& csv) {
  const TimePoint now = ctx_.clock.Now();
  auto lease = words_.Acquire(child_id);
  lease.Get(ctx_.store);
  std::vector<storage::FeedItem> feed;
  auto result = gate_.Write<ImportReport>(
      p, child_id, Adding("chronology.import"),
      [&](Repositories& r, const Access& a, domain::AuditRecord& audit) -> Result<ImportReport> {
        lease.Begin(r);
        feed.clear();
        const auto agencies = r.Agencies().ListByAuthority(a.child.authority_id);
        domain::CsvImportContext context;
        context.child_id = child_id;
        context.author_id = p.user.id;
        context.recorded_at = now;
        context.today = domain::UkDate(now);
        context.resolve_agency = [&](std::string_view text) -> std::optional<domain::AgencyRef> {
          auto lower = [](std::string_view s) {
            std::string out(s);
            for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            return out;
          };
          const std::string wanted = lower(text);
          for (const auto& ag : agencies) {
            if (ag.id == text || lower(ag.name) == wanted) return domain::AgencyRef{ag.id, ag.kind};
          }
          return std::nullopt;
        };
        context.next_id = [&] { return ctx_.random.Id("E"); };
        auto parsed = domain::ParseChronologyCsv(csv, context);
        if (!parsed) return parsed.error();
        ImportReport report{0, parsed->rows_read, parsed->errors};
        int serious = 0;
        for (const auto& e : parsed->entries) {
          if (auto s = r.Chronology().Insert({e, ""}); !s) return s.error();
          if (auto v = RecordVisibility(r,
                                        {child_id, a.child.authority_id, e.id, "entry", domain::ToString(e.type),
                                         e.significance == domain::Significance::kSerious, e.agency_id},
                                        std::nullopt, {p.user.id, p.user.agency_id}, now);
              !v) {
            return v.error();
          }
          lease.Add(r, e.id, WordIndex::EntryText(e));
          serious += e.significance == domain::Significance::kSerious ? 1 : 0;
          ++report.imported;
        }
        audit.detail =
            nlohmann::json{
                {"imported", report.imported}, {"rows_read", report.rows_read}, {"errors", report.errors.size()}}
                .dump();
        if (report.imported > 0) {
          feed.push_back({ctx_.random.Id("F"), now, child_id, "chronology_entry",
                          fmt::format("{} entries imported from a file", report.imported), p.user.id,
                          serious > 0 ? "serious" : "", "", "", ""});
          r.Feed().Append(feed.back());
        }
        if (const auto* lead = a.Lead(); serious > 0 && lead && lead->user_id != p.user.id) {
          r.Feed().InsertAlert({ctx_.random.Id("A"), lead->user_id, child_id, now, "serious_entry",
                                fmt::format("{} serious entries imported from a file", serious), "",
                                std::nullopt});
        }
        return report;
      });
  lease.Finish(result.ok());
  { auto done = std::move(lease); }
  if (result && result->imported > 0) {
    CheckRises(child_id, now);
    Publish(child_id, "chronology", feed);
  }
  return result;
}

Result<PrintableChronology> AccountService::Print(const Principal& p, const std::string& child_id) {
  return gate_.Read<PrintableChronology>(p, child_id, Reading("chronology.print"),
                                         [&](Repositories& r, const Access& a) {
                                           PrintableChronology out;
                                           out.child = a.child;
                                           out.printed_at = ctx_.clock.Now();
                                           out.printed_by = p.user.display_name;
                                           const std::string agency =
                                               p.user.agency_id.empty() ? "" : Names(r).Agency(p.user.agency_id);
                                           out.printed_by_role =
                                               p.user.job_title +
                                               (p.user.job_title.empty() || agency.empty() ? "" : ", ") + agency;
                                           Names names(r);
                                           const auto visibility = VisibilityOf(r, child_id);
                                           auto current = r.Chronology().Current(child_id, 0);
                                           for (auto it = current.rbegin(); it != current.rend(); ++it) {
                                             if (it->entry.version > 1) {
                                               for (auto& v : r.Chronology().Versions(it->entry.lineage_id)) {
                                                 if (v.entry.id != it->entry.id)
                                                   out.corrected.push_back(ViewOf(std::move(v), names, &visibility));
                                               }
                                             }
                                             out.entries.push_back(ViewOf(std::move(*it), names, &visibility));
                                           }
                                           return Result<PrintableChronology>(std::move(out));
                                         });
}

// --- Contact series ------------------------------------------------------------------------------

namespace {

ContactSeriesView SeriesFrom(Repositories& r, const std::string& child_id, const domain::SeriesOptions& options,
                             const Date& today, Result<domain::ContactSeries>* failure) {
  auto series = domain::ComputeContactSeries(ContactEventsOf(r, child_id), today, options);
  ContactSeriesView view;
  if (!series) {
    *failure = series.error();
    return view;
  }
  for (const auto& s : series->agencies) {
    AgencyInfo info{s.agency_id, "", domain::AgencyKind::kVoluntarySector};
    if (auto a = r.Agencies().Get(s.agency_id)) {
      info.name = a->name;
      info.kind = a->kind;
    }
    view.agencies.push_back(std::move(info));
  }
  view.series = std::move(*series);
  return view;
}

}  // namespace

Result<ContactSeriesView> AccountService::ContactSeries(const Principal& p, const std::string& child_id,
                                                        const domain::SeriesOptions& options) {
  const Date today = domain::UkDate(ctx_.clock.Now());
  return gate_.Read<ContactSeriesView>(p, child_id, Reading("contact_series.read"),
                                       [&](Repositories& r, const Access&) -> Result<ContactSeriesView> {
                                         Result<domain::ContactSeries> failure = domain::ContactSeries{};
                                         auto view = SeriesFrom(r, child_id, options, today, &failure);
                                         if (!failure) return failure.error();
                                         return view;
                                       });
}

// --- Forum ---------------------------------------------------------------------------------------

Result<std::vector<ThreadView>> AccountService::Threads(const Principal& p, const std::string& child_id) {
  return gate_.Read<std::vector<ThreadView>>(p, child_id, Reading("forum.read"), [&](Repositories& r, const Access&) {
    Names names(r);
    const auto visibility = VisibilityOf(r, child_id);
    std::vector<ThreadView> out;
    for (auto& t : r.Forum().Threads(child_id)) {
      const std::string author = names.User(t.author_id);
      auto it = visibility.find(t.id);
      out.push_back({std::move(t), author, it == visibility.end() ? std::nullopt : std::optional(it->second)});
    }
    return Result<std::vector<ThreadView>>(std::move(out));
  });
}

namespace {

Result<ThreadDetail> LoadThread(Repositories& r, const std::string& child_id, const std::string& thread_id) {
  auto t = r.Forum().GetThread(thread_id);
  if (!t || t->child_id != child_id) return Error::NotFound("There is no such thread.");
  Names names(r);
  ThreadDetail d{{*t, names.User(t->author_id), r.Family().Visibility(thread_id)}, {}};
  for (auto& post : r.Forum().Posts(thread_id)) {
    const std::string author = names.User(post.author_id);
    d.posts.push_back({std::move(post), author});
  }
  return d;
}

}  // namespace

Result<ThreadDetail> AccountService::CreateThread(const Principal& p, const std::string& child_id,
                                                  const std::string& category, const std::string& title,
                                                  const std::string& body,
                                                  const std::optional<domain::VisibilityChoice>& visibility) {
  if (std::find(kCategories.begin(), kCategories.end(), category) == kCategories.end()) {
    return Error::Invalid("category", "Expected observation, progress, concern or question.");
  }
  if (auto s = CheckText("title", title, kMaxTitleChars, true, false); !s) return s.error();
  if (auto s = CheckText("body", body, kMaxPostChars, true, true); !s) return s.error();
  const TimePoint now = ctx_.clock.Now();
  auto lease = words_.Acquire(child_id);
  lease.Get(ctx_.store);
  std::vector<storage::FeedItem> feed;
  bool family_visible = false;
  auto result = gate_.Write<ThreadDetail>(
      p, child_id, Adding("forum.thread_create"),
      [&](Repositories& r, const Access& a, domain::AuditRecord& audit) -> Result<ThreadDetail> {
        lease.Begin(r);
        feed.clear();
        storage::ForumThread t{ctx_.random.Id("T"), child_id, category, title, p.user.id, now, "", 0, {}};
        if (auto s = r.Forum().InsertThread(t); !s) return s.error();
        auto shown = RecordVisibility(
            r, {child_id, a.child.authority_id, t.id, "thread", domain::kForumThreadSubject, false, p.user.agency_id},
            visibility, {p.user.id, p.user.agency_id}, now);
        if (!shown) return shown.error();
        family_visible = domain::FamilyMaySee(&shown->record);
        storage::ForumPost post{ctx_.random.Id("P"),      t.id, child_id, p.user.id, body, now, {}, 1, "",
                                Mentions(r, body, a.team)};
        if (auto s = r.Forum().InsertPost(post); !s) return s.error();
        lease.Add(r, post.id, title + "\n" + body);
        audit.target_id = t.id;
        audit.detail = nlohmann::json{{"category", category}}.dump();
        feed.push_back({ctx_.random.Id("F"), now, child_id, "forum_post",
                        fmt::format("New {} thread: {}", category, title), p.user.id, "", post.id, "", ""});
        for (const auto& uid : post.mentions) {
          if (uid == p.user.id) continue;
          feed.push_back({ctx_.random.Id("F"), now, child_id, "mention",
                          p.user.display_name + " mentioned you in \"" + title + "\"", p.user.id, "", post.id, uid,
                          ""});
          r.Feed().InsertAlert({ctx_.random.Id("A"), uid, child_id, now, "mention",
                                p.user.display_name + " mentioned you in a discussion", post.id, std::nullopt});
        }
        for (const auto& f : feed) r.Feed().Append(f);
        return LoadThread(r, child_id, t.id);
      });
  lease.Finish(result.ok());
  if (result) Publish(child_id, "forum", feed, family_visible);
  return result;
}

Result<ThreadDetail> AccountService::Thread(const Principal& p, const std::string& child_id,
                                            const std::string& thread_id) {
  return gate_.Read<ThreadDetail>(p, child_id, Reading("forum.read"),
                                  [&](Repositories& r, const Access&) { return LoadThread(r, child_id, thread_id); });
}

Result<PostView> AccountService::AddPost(const Principal& p, const std::string& child_id, const std::string& thread_id,
                                         const std::string& body, const std::string& reply_to) {
  if (auto s = CheckText("body", body, kMaxPostChars, true, true); !s) return s.error();
  const TimePoint now = ctx_.clock.Now();
  auto lease = words_.Acquire(child_id);
  lease.Get(ctx_.store);
  std::vector<storage::FeedItem> feed;
  bool family_visible = false;
  auto result = gate_.Write<PostView>(
      p, child_id, Adding("forum.post"),
      [&](Repositories& r, const Access& a, domain::AuditRecord& audit) -> Result<PostView> {
        lease.Begin(r);
        feed.clear();
        auto t = r.Forum().GetThread(thread_id);
        if (!t || t->child_id != child_id) return Error::NotFound("There is no such thread.");
        const auto shown = r.Family().Visibility(thread_id);
        family_visible = domain::FamilyMaySee(shown ? &shown->record : nullptr);
        if (!reply_to.empty()) {
          auto parent = r.Forum().GetPost(reply_to);
          if (!parent || parent->thread_id != thread_id) {
            return Error::Invalid("reply_to", "Replies must be to a post of the same thread.");
          }
        }
        storage::ForumPost post{ctx_.random.Id("P"),      thread_id, child_id, p.user.id, body, now, {}, 1, reply_to,
                                Mentions(r, body, a.team)};
        if (auto s = r.Forum().InsertPost(post); !s) return s.error();
        lease.Add(r, post.id, body);
        audit.target_id = post.id;
        feed.push_back({ctx_.random.Id("F"), now, child_id, "forum_post", "New post in \"" + t->title + "\"", p.user.id,
                        "", post.id, "", ""});
        for (const auto& uid : post.mentions) {
          if (uid == p.user.id) continue;
          feed.push_back({ctx_.random.Id("F"), now, child_id, "mention",
                          p.user.display_name + " mentioned you in \"" + t->title + "\"", p.user.id, "", post.id, uid,
                          ""});
          r.Feed().InsertAlert({ctx_.random.Id("A"), uid, child_id, now, "mention",
                                p.user.display_name + " mentioned you in a discussion", post.id, std::nullopt});
        }
        for (const auto& f : feed) r.Feed().Append(f);
        return PostView{post, p.user.display_name};
      });
  lease.Finish(result.ok());
  if (result) Publish(child_id, "forum", feed, family_visible);
  return result;
}

Result<PostView> AccountService::EditPost(const Principal& p, const std::string& child_id, const std::string& thread_id,
                                          const std::string& post_id, const std::string& body) {
  if (auto s = CheckText("body", body, kMaxPostChars, true, true); !s) return s.error();
  const TimePoint now = ctx_.clock.Now();
  auto lease = words_.Acquire(child_id);
  lease.Get(ctx_.store);
  auto result = gate_.Write<PostView>(
      p, child_id, Adding("forum.edit"),
      [&](Repositories& r, const Access& a, domain::AuditRecord& audit) -> Result<PostView> {
        lease.Begin(r);
        auto post = r.Forum().GetPost(post_id);
        if (!post || post->thread_id != thread_id || post->child_id != child_id) {
          return Error::NotFound("There is no such post.");
        }
        if (post->author_id != p.user.id) return Error::Forbidden("Only the author can edit a post.");
        if (auto s = r.Forum().EditPost(post_id, post->version, body, Mentions(r, body, a.team), now); !s) {
          return s.error();
        }
        auto thread = r.Forum().GetThread(thread_id);
        // The opening post is indexed with the thread title, as when it was created.
        auto posts = r.Forum().Posts(thread_id);
        const bool opening = !posts.empty() && posts.front().id == post_id;
        lease.Add(r, post_id, opening && thread ? thread->title + "\n" + body : body);
        audit.target_id = post_id;
        auto edited = r.Forum().GetPost(post_id);
        return PostView{*edited, p.user.display_name};
      });
  lease.Finish(result.ok());
  if (result) Publish(child_id, "forum", {});
  return result;
}

Result<std::vector<storage::PostVersion>> AccountService::PostHistory(const Principal& p, const std::string& child_id,
                                                                      const std::string& thread_id,
                                                                      const std::string& post_id) {
  return gate_.Read<std::vector<storage::PostVersion>>(
      p, child_id, Reading("forum.history"),
      [&](Repositories& r, const Access&) -> Result<std::vector<storage::PostVersion>> {
        auto post = r.Forum().GetPost(post_id);
        if (!post || post->thread_id != thread_id || post->child_id != child_id) {
          return Error::NotFound("There is no such post.");
        }
        return r.Forum().History(post_id);
      });
}

Result<EntryView> AccountService::Promote(const Principal& p, const std::string& child_id, const std::string& thread_id,
                                          const NewEntry& e) {
  auto thread = ctx_.store.ReadValue([&](Repositories& r) { return LoadThread(r, child_id, thread_id); });
  if (!thread) return CannotChange(p, child_id, "forum.promote", thread.error());
  if (!thread->thread.thread.promoted_entry_id.empty()) {
    return CannotChange(p, child_id, "forum.promote",
                        Error::Conflict("This thread has already been promoted to the chronology."));
  }
  domain::ChronologyEntry entry;
  entry.occurred_on = e.occurred_on;
  entry.occurred_time = e.occurred_time;
  entry.type = e.type;
  entry.significance = e.significance;
  entry.summary = e.summary.empty() ? thread->thread.thread.title : e.summary;
  if (!thread->posts.empty()) {
    const std::string& body = thread->posts.front().post.body;
    // Keep within the detail limit, cutting at a character boundary.
    size_t cut = body.size();
    if (utf8::Length(body) > domain::kMaxDetailChars) {
      size_t pos = 0;
      for (size_t n = 0; n < domain::kMaxDetailChars; ++n) utf8::Next(body, pos);
      cut = pos;
    }
    entry.detail = body.substr(0, cut);
  }
  return StoreEntry(p, child_id, "forum.promote", std::move(entry), thread_id, "", "", e.visibility);
}

// --- Word cloud ----------------------------------------------------------------------------------

namespace {

std::vector<std::string> ExcludedNames(Repositories& r, const domain::Child& child) {
  std::vector<std::string> names{child.given_names, child.family_name};
  for (const auto& n : child.other_names) names.push_back(n);
  for (const auto& c : child.carers) names.push_back(c.name);
  for (const auto& w : r.Wheel().ForChild(child.id)) names.push_back(w.name);
  return names;
}

}  // namespace

Result<std::vector<domain::CloudTerm>> AccountService::WordCloud(const Principal& p, const std::string& child_id,
                                                                 size_t n) {
  auto names = gate_.Read<std::vector<std::string>>(
      p, child_id, Reading("word_cloud.read"),
      [&](Repositories& r, const Access& a) { return Result<std::vector<std::string>>(ExcludedNames(r, a.child)); });
  if (!names) return names.error();
  domain::TopOptions options;
  options.n = std::clamp<size_t>(n, 1, 200);
  options.excluded_names = std::move(*names);
  auto lease = words_.Acquire(child_id);
  return lease.Get(ctx_.store).Top(words_.corpus(), options);
}

// --- Wheel ---------------------------------------------------------------------------------------

Result<WheelView> AccountService::Wheel(const Principal& p, const std::string& child_id) {
  const Date today = domain::UkDate(ctx_.clock.Now());
  return gate_.Read<WheelView>(p, child_id, Reading("wheel.read"), [&](Repositories& r, const Access& a) {
    auto data = LoadWheel(r, a, today);
    WheelView v;
    v.child = a.child;
    v.age = a.child.date_of_birth ? a.child.date_of_birth->AgeOn(today) : 0;
    v.findings = Findings(data, a, today);
    v.people = std::move(data.people);
    return Result<WheelView>(std::move(v));
  });
}

namespace {

Status ValidatePerson(const NewPerson& n, const Date& today) {
  if (auto s = CheckText("name", n.name, kMaxNameChars, true, false); !s) return s;
  if (auto s = CheckText("notes", n.notes, kMaxNotesChars, false, true); !s) return s;
  if (n.since && *n.since > today) return Error::Invalid("since", "Cannot be in the future.");
  if (n.date_of_birth && *n.date_of_birth > today) return Error::Invalid("date_of_birth", "Cannot be in the future.");
  return Ok{};
}

}  // namespace

Result<PersonView> AccountService::AddPerson(const Principal& p, const std::string& child_id, const NewPerson& n) {
  return UpdatePerson(p, child_id, "", n);
}

Result<PersonView> AccountService::UpdatePerson(const Principal& p, const std::string& child_id,
                                                const std::string& person_id, const NewPerson& n) {
  const TimePoint now = ctx_.clock.Now();
  const Date today = domain::UkDate(now);
  if (auto s = ValidatePerson(n, today); !s) return s.error();
  const bool adding = person_id.empty();
  std::vector<storage::FeedItem> feed;
  auto result = gate_.Write<PersonView>(
      p, child_id, Adding(adding ? "wheel.person_add" : "wheel.person_update"),
      [&](Repositories& r, const Access& a, domain::AuditRecord& audit) -> Result<PersonView> {
        feed.clear();
        const auto before = Findings(LoadWheel(r, a, today), a, today);
        storage::StoredPerson person;
        if (adding) {
          person.id = ctx_.random.Id("W");
          person.child_id = child_id;
          person.created_by = p.user.id;
          person.created_at = now;
        } else {
          auto stored = r.Wheel().Get(person_id);
          if (!stored || stored->child_id != child_id) return Error::NotFound("There is no such person on the wheel.");
          person = *stored;
        }
        person.name = n.name;
        person.relationship = n.relationship;
        person.lives_with_child = n.lives_with_child;
        person.since = n.since;
        person.date_of_birth = n.date_of_birth;
        person.adult = n.adult;
        person.notes = n.notes;
        person.updated_at = now;
        if (n.verified && *n.verified != person.verified) {
          // Verification is recorded against the agency of whoever checked.
          person.verified = *n.verified;
          person.verified_by_agency_id = person.verified ? p.user.agency_id : "";
        }
        if (auto s = adding ? r.Wheel().Insert(person) : r.Wheel().Update(person); !s) return s.error();
        audit.target_id = person.id;
        audit.detail = nlohmann::json{{"relationship", domain::ToString(person.relationship)},
                                      {"lives_with_child", person.lives_with_child},
                                      {"verified", person.verified}}
                           .dump();
        feed.push_back({ctx_.random.Id("F"), now, child_id, "wheel_person",
                        std::string(adding ? "Added to the wheel: " : "Wheel updated: ") + person.name + " (" +
                            std::string(domain::ToString(person.relationship)) + ")",
                        p.user.id, "", person.id, "", ""});
        const auto after_data = LoadWheel(r, a, today);
        std::set<std::string> known;
        for (const auto& f : before) known.insert(FindingKey(f));
        const auto* lead = a.Lead();
        for (const auto& f : Findings(after_data, a, today)) {
          if (known.count(FindingKey(f))) continue;
          feed.push_back({ctx_.random.Id("F"), now, child_id, "finding", f.explanation, p.user.id,
                          f.severity == domain::Severity::kHigh ? "serious" : "", person.id, "", ""});
          if (lead && lead->user_id != p.user.id) {
            r.Feed().InsertAlert({ctx_.random.Id("A"), lead->user_id, child_id, now, "finding",
                                  "New finding on the relationships wheel: " + f.explanation, person.id, std::nullopt});
          }
        }
        for (const auto& f : feed) r.Feed().Append(f);
        auto stored = r.Wheel().Get(person.id);
        domain::WheelPerson w;
        w.relationship = stored->relationship;
        w.date_of_birth = stored->date_of_birth;
        w.adult = stored->adult;
        w.lives_with_child = stored->lives_with_child;
        return PersonView{*stored, domain::IsAdult(w, today).value_or(true), ""};
      });
  if (result) Publish(child_id, "wheel", feed);
  return result;
}

std::vector<RelationshipTypeInfo> AccountService::RelationshipTypes() {
  std::vector<RelationshipTypeInfo> out;
  for (const auto type : domain::AllRelationshipTypes()) out.push_back({type, domain::Label(type)});
  return out;
}

// --- Feed and alerts -----------------------------------------------------------------------------

namespace {

std::string TeamChangeText(const storage::FeedItem& i, Names& names) {
  const std::string& who = names.User(i.subject_id);
  if (i.summary == "joined") return who + " joined the team as " + i.role;
  if (i.summary == "left") return who + " left the team";
  if (i.summary == "lead_assigned") return who + " became the lead professional";
  if (i.summary == "lead_released") return who + " handed over the lead professional role";
  return who + ": " + i.summary;
}

}  // namespace

Result<std::vector<FeedItemView>> AccountService::Feed(const Principal& p, int limit) {
  if (!domain::WorksWithChildren(p.user.role)) {
    AuditAlone(ctx_, p, "feed.read", "", AuditOutcome::kDenied, "not a practitioner", "");
    return Error::Forbidden("Only practitioners have a news feed.");
  }
  auto out = ctx_.store.ReadValue([&](Repositories& r) {
    Names names(r);
    std::vector<FeedItemView> items;
    for (auto& i : r.Feed().ForUser(p.user.id, std::clamp(limit, 1, 200))) {
      FeedItemView v{i.id,
                     i.at,
                     i.child_id,
                     names.Child(i.child_id),
                     i.kind,
                     i.kind == "team_change" ? TeamChangeText(i, names) : i.summary,
                     names.User(i.actor_id),
                     i.significance};
      items.push_back(std::move(v));
    }
    return items;
  });
  AuditAlone(ctx_, p, "feed.read", "", AuditOutcome::kAllowed, "own feed",
             nlohmann::json{{"count", out.size()}}.dump());
  return out;
}

Result<std::vector<AlertView>> AccountService::Alerts(const Principal& p, int limit) {
  if (p.user.role == domain::Role::kFamily) {
    AuditAlone(ctx_, p, "alerts.read", "", AuditOutcome::kDenied, "family account", "");
    return Error::Forbidden("Alerts are for staff.");
  }
  auto out = ctx_.store.ReadValue([&](Repositories& r) {
    Names names(r);
    std::vector<AlertView> alerts;
    for (auto& a : r.Feed().Alerts(p.user.id, std::clamp(limit, 1, 200))) {
      const std::string child = names.Child(a.child_id);
      alerts.push_back({std::move(a), child});
    }
    return alerts;
  });
  AuditAlone(ctx_, p, "alerts.read", "", AuditOutcome::kAllowed, "own alerts",
             nlohmann::json{{"count", out.size()}}.dump());
  return out;
}

Status AccountService::MarkAlertRead(const Principal& p, const std::string& alert_id) {
  if (p.user.role == domain::Role::kFamily) {
    AuditAlone(ctx_, p, "alert.read", "", AuditOutcome::kDenied, "family account",
               nlohmann::json{{"alert", alert_id}}.dump());
    return Error::Forbidden("Alerts are for staff.");
  }
  Status outcome = Ok{};
  const TimePoint now = ctx_.clock.Now();
  ctx_.store.Write([&](Repositories& r) {
    outcome = r.Feed().MarkRead(alert_id, p.user.id, now);
    if (!outcome) return false;
    auto a = AuditFor(p, "alert.read", now);
    a.target_id = alert_id;
    a.why = "own alert";
    r.Audit().Append(a);
    return true;
  });
  if (!outcome) {
    // Another's alert, or none: the same answer, and the attempt recorded.
    AuditAlone(ctx_, p, "alert.read", "", AuditOutcome::kFailed, "no such alert of theirs",
               nlohmann::json{{"alert", alert_id}}.dump());
    return Error::NotFound("There is no such alert.");
  }
  return outcome;
}

// --- Summary and live authorisation -----------------------------------------------------------

Result<AccountSummary> AccountService::Summary(const Principal& p, const std::string& child_id) {
  const Date today = domain::UkDate(ctx_.clock.Now());
  std::vector<std::string> excluded;
  auto summary = gate_.Read<AccountSummary>(p, child_id, Reading("account.summary"),
                                            [&](Repositories& r, const Access& a) -> Result<AccountSummary> {
                                              AccountSummary s;
                                              Names names(r);
                                              for (auto& e : r.Chronology().Current(child_id, 20))
                                                s.latest.push_back(ViewOf(std::move(e), names));
                                              Result<domain::ContactSeries> failure = domain::ContactSeries{};
                                              s.contact = SeriesFrom(r, child_id, {}, today, &failure);
                                              if (!failure) return failure.error();
                                              const auto wheel = LoadWheel(r, a, today);
                                              s.findings = Findings(wheel, a, today);
                                              excluded = ExcludedNames(r, a.child);
                                              return s;
                                            });
  if (!summary) return summary;
  domain::TopOptions options;
  options.n = 50;
  options.excluded_names = std::move(excluded);
  auto lease = words_.Acquire(child_id);
  summary->words = lease.Get(ctx_.store).Top(words_.corpus(), options);
  return summary;
}

bool AccountService::MaySee(const std::string& user_id, const std::string& child_id) {
  return ctx_.store.ReadValue([&](Repositories& r) {
    auto user = r.Users().Get(user_id);
    if (!user || !user->active) return false;
    auto a = LoadChildAccess(r, child_id, ActorOf(*user), domain::ChildAction::kViewAccount, ctx_.clock.Now());
    return a && a->decision.allowed;
  });
}

void AccountService::RecordLive(const LiveEvent& event, const std::vector<std::string>& user_ids) {
  if (!event.item || user_ids.empty()) return;
  const TimePoint now = ctx_.clock.Now();
  ctx_.store.Write([&](Repositories& r) {
    for (const auto& id : user_ids) {
      auto user = r.Users().Get(id);
      if (!user) continue;
      auto a = AuditFor(Principal{*user, {}, SessionState::kComplete, ""}, "live.push", now);
      a.child_id = event.child_id;
      a.target_id = event.item->id;
      if (user->role == domain::Role::kFamily) {
        a.why = "linked family member";
      } else {
        // Why this user may see it ("team member", "break-glass", ...): a break-glass review counts
        // what was pushed under it as it counts what was read.
        auto access = LoadChildAccess(r, event.child_id, ActorOf(*user), domain::ChildAction::kViewAccount, now);
        // Access lost since the hub decided: what was pushed is still recorded.
        a.why = access && access->decision.allowed ? std::string(access->decision.why) : "may see the account";
      }
      a.detail = nlohmann::json{{"what", event.what}}.dump();
      r.Audit().Append(a);
    }
    return true;
  });
}

}  // namespace kith::app
