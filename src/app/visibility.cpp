#include "app/visibility.h"

namespace kith::app {
namespace {

// Assessments are not an authority-default subject type: like everything else, an early help
// assessment stays within the team until someone shares it with the family (ADR 0017).
constexpr std::string_view kAssessmentSubject = "early_help_assessment";

}  // namespace

std::optional<domain::Visibility> AuthoritySetting(storage::Repositories& r, const std::string& authority_id,
                                                   std::string_view subject_type) {
  for (const auto& [type, visibility] : r.Family().Defaults(authority_id)) {
    if (type == subject_type) return visibility;
  }
  return std::nullopt;
}

Result<storage::VisibilityRow> RecordVisibility(storage::Repositories& r, const VisibilitySubject& subject,
                                                const std::optional<domain::VisibilityChoice>& choice, const Setter& by,
                                                TimePoint at) {
  const auto fallback =
      domain::DefaultVisibility(subject.type, subject.serious, AuthoritySetting(r, subject.authority_id, subject.type));
  auto record = domain::ResolveVisibility(choice, fallback);
  if (!record) return record.error();
  storage::VisibilityRow row{
      subject.subject_id, subject.child_id, std::string(subject.kind), *record, by.user_id, at, "",
      std::nullopt,       by.agency_id};
  r.Family().SetVisibility(row);
  return row;
}

std::optional<VisibilitySubject> FindSubject(storage::Repositories& r, const std::string& child_id,
                                             const std::string& authority_id, const std::string& subject_id) {
  VisibilitySubject s{child_id, authority_id, "", "entry", "", false, ""};
  if (auto e = r.Chronology().Get(subject_id); e && e->entry.child_id == child_id) {
    // The lineage's latest version says what the entry is now.
    auto versions = r.Chronology().Versions(e->entry.lineage_id);
    const auto& current = versions.empty() ? *e : versions.back();
    s.subject_id = current.entry.lineage_id;
    s.type = domain::ToString(current.entry.type);
    s.serious = current.entry.significance == domain::Significance::kSerious;
    s.recording_agency_id = current.entry.agency_id;
    return s;
  }
  if (auto t = r.Forum().GetThread(subject_id); t && t->child_id == child_id) {
    s.subject_id = t->id;
    s.kind = "thread";
    s.type = domain::kForumThreadSubject;
    if (auto author = r.Users().Get(t->author_id)) s.recording_agency_id = author->agency_id;
    return s;
  }
  if (auto a = r.EarlyHelp().Get(subject_id); a && a->child_id == child_id) {
    s.subject_id = a->id;
    s.kind = "assessment";
    s.type = kAssessmentSubject;
    if (auto lead = r.Users().Get(a->lead_id)) s.recording_agency_id = lead->agency_id;
    return s;
  }
  return std::nullopt;
}

storage::VisibilityRow CurrentVisibility(storage::Repositories& r, const VisibilitySubject& subject) {
  if (auto row = r.Family().Visibility(subject.subject_id)) return *row;
  storage::VisibilityRow none;
  none.subject_id = subject.subject_id;
  none.child_id = subject.child_id;
  none.subject_kind = std::string(subject.kind);
  none.record.visibility = domain::Visibility::kTeam;
  return none;
}

domain::Holders HoldersOf(const VisibilitySubject& subject, const storage::VisibilityRow& current) {
  return {subject.recording_agency_id, current.set_by_agency_id};
}

Result<storage::VisibilityRow> ChangeVisibility(storage::Repositories& r, const VisibilitySubject& subject,
                                                const domain::VisibilityChoice& choice, const Setter& by,
                                                TimePoint at) {
  const auto current = CurrentVisibility(r, subject);
  if (choice.visibility == domain::Visibility::kTeamAndFamily) {
    if (current.record.visibility == domain::Visibility::kTeamAndFamily) return current;
    return Error::Conflict(
        "This is kept within the team. To share it with the family, use \"Share with the family\": it records why, "
        "and asks the agency that recorded or restricted it to agree.");
  }
  if (auto s = domain::CheckRestrict(current.record, HoldersOf(subject, current), by.agency_id); !s) {
    return s.error();
  }
  // Taking back what the family can already see is a restriction: it needs a reason.
  if (current.record.visibility == domain::Visibility::kTeamAndFamily && !choice.reason) {
    return Error::Invalid("restriction_reason",
                          "The family can see this now: choose why it must be kept from them (risk_of_harm, "
                          "third_party, police_investigation or other with a text).");
  }
  return RecordVisibility(r, subject, choice, by, at);
}

std::map<std::string, storage::VisibilityRow> VisibilityOf(storage::Repositories& r, const std::string& child_id) {
  std::map<std::string, storage::VisibilityRow> out;
  for (auto& row : r.Family().VisibilityForChild(child_id)) out.emplace(row.subject_id, std::move(row));
  return out;
}

}  // namespace kith::app
