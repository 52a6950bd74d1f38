#include "app/contact_alerts.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "domain/account/uk_time.h"
#include "domain/team.h"

namespace kith::app {
namespace {

// A stable name for a flag: the same rise or the same stop gives the same subject on every check.
std::string SubjectOf(const domain::ContactFlag& f) {
  const std::string when =
      f.kind == domain::ContactFlagKind::kStoppedSeeing && f.last_contact ? f.last_contact->ToString()
                                                                           : f.bucket_start.ToString();
  return fmt::format("contact/{}/{}/{}", domain::ToString(f.kind), f.agency_id.empty() ? "all" : f.agency_id, when);
}

bool AlreadyAlerted(storage::Repositories& r, const std::string& user_id, const std::string& child_id,
                    const std::string& subject) {
  // Contact alerts are few; the newest 500 alerts of one user hold every recent one.
  for (const auto& a : r.Feed().Alerts(user_id, 500)) {
    if (a.child_id == child_id && a.subject_id == subject) return true;
  }
  return false;
}

}  // namespace

std::vector<domain::ContactEvent> ContactEventsOf(storage::Repositories& r, const std::string& child_id) {
  std::vector<domain::ContactEvent> events;
  for (const auto& row : r.Chronology().Contacts(child_id)) {
    domain::ChronologyEntry e;
    e.occurred_on = row.occurred_on;
    e.occurred_time = row.occurred_time;
    events.push_back({row.agency_id, domain::OccurredInstant(e)});
  }
  return events;
}

std::vector<domain::ContactFlag> ContactFlagsToAlert(storage::Repositories& r, const std::string& child_id,
                                                    const Date& today, FlagAlertScope scope, std::string* lead_id) {
  const auto team = r.Teams().Members(child_id);
  const auto* lead = domain::FindLead(team);
  if (!lead) return {};
  if (lead_id) *lead_id = lead->user_id;
  const auto events = ContactEventsOf(r, child_id);
  if (events.empty()) return {};
  auto series = domain::ComputeContactSeries(events, today);
  if (!series) return {};
  // The latest complete period and the one under way: older rises were the past's to act on.
  const size_t buckets = series->buckets.size();
  const size_t recent = buckets >= 2 ? buckets - 2 : 0;
  std::vector<domain::ContactFlag> out;
  for (auto& f : series->flags) {
    const bool wanted = (scope.rises && f.kind == domain::ContactFlagKind::kSuddenRise && f.bucket >= recent) ||
                        (scope.stopped && f.kind == domain::ContactFlagKind::kStoppedSeeing);
    if (!wanted || AlreadyAlerted(r, lead->user_id, child_id, SubjectOf(f))) continue;
    out.push_back(std::move(f));
  }
  return out;
}

int AlertContactFlags(storage::Repositories& r, Random& random, const std::string& child_id, const Date& today,
                      TimePoint now, FlagAlertScope scope) {
  std::string lead_id;
  const auto flags = ContactFlagsToAlert(r, child_id, today, scope, &lead_id);
  int made = 0;
  nlohmann::json alerted = nlohmann::json::array();
  for (const auto& f : flags) {
    const std::string subject = SubjectOf(f);
    std::string summary;
    if (f.kind == domain::ContactFlagKind::kSuddenRise) {
      summary = "Sudden rise in agency contact: " + f.explanation;
    } else {
      const auto agency = r.Agencies().Get(f.agency_id);
      summary = (agency ? agency->name : f.agency_id) + " has stopped seeing the child: " + f.explanation;
    }
    r.Feed().InsertAlert({random.Id("A"), lead_id, child_id, now,
                          std::string("contact_") + std::string(domain::ToString(f.kind)), summary, subject,
                          std::nullopt});
    alerted.push_back(subject);
    ++made;
  }
  if (made > 0) {
    domain::AuditRecord audit;
    audit.at = now;
    audit.actor_role = "system";
    audit.action = "contact.flag_alert";
    audit.child_id = child_id;
    audit.target_id = lead_id;
    audit.why = "contact flags to act on";
    audit.detail = nlohmann::json{{"flags", alerted}}.dump();
    r.Audit().Append(audit);
  }
  return made;
}

int AlertContactRises(Context& ctx, const std::string& child_id, const Date& today, TimePoint now) {
  try {
    // In a snapshot first: almost always there is nothing to alert, and then nothing is written.
    const bool due = ctx.store.ReadValue([&](storage::Repositories& r) {
      return !ContactFlagsToAlert(r, child_id, today, {.rises = true, .stopped = false}, nullptr).empty();
    });
    if (!due) return 0;
    int made = 0;
    ctx.store.Write([&](storage::Repositories& r) {
      made = AlertContactFlags(r, ctx.random, child_id, today, now, {.rises = true, .stopped = false});
      return made > 0;
    });
    return made;
  } catch (const storage::StorageError& e) {
    // The entry is stored all the same; the child's next entry checks again (the rise stays in
    // the latest complete period or the one under way for a whole period).
    log::Warn("contact.alert_failed", {{"child_id", child_id}, {"error", e.what()}});
    return 0;
  }
}

int ContactAlerts::Sweep() {
  const TimePoint now = ctx_.clock.Now();
  const Date today = domain::UkDate(now);
  {
    std::lock_guard lock(mutex_);
    if (last_day_ == today) return 0;
    last_day_ = today;
  }
  const auto children = ctx_.store.ReadValue([](storage::Repositories& r) { return r.Chronology().ChildrenWithEntries(); });
  int made = 0;
  for (const auto& child_id : children) {
    int here = 0;
    ctx_.store.Write([&](storage::Repositories& r) {
      here = AlertContactFlags(r, ctx_.random, child_id, today, now, {.rises = false, .stopped = true});
      return here > 0;
    });
    made += here;
  }
  return made;
}

}  // namespace kith::app
