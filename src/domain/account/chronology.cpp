#include "domain/account/chronology.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <tuple>
#include <unordered_set>
#include <utility>

#include "common/utf8.h"

namespace kith::domain {
namespace {

template <typename Enum, size_t N>
using CodeTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr CodeTable<EntryType, 18> kEntryTypes{{
    {EntryType::kContact, "contact"},
    {EntryType::kHomeVisit, "home_visit"},
    {EntryType::kAppointmentAttended, "appointment_attended"},
    {EntryType::kWasNotBrought, "was_not_brought"},
    {EntryType::kSchoolAbsence, "school_absence"},
    {EntryType::kExclusion, "exclusion"},
    {EntryType::kReferral, "referral"},
    {EntryType::kStrategyDiscussion, "strategy_discussion"},
    {EntryType::kAssessment, "assessment"},
    {EntryType::kPlanStarted, "plan_started"},
    {EntryType::kPlanEnded, "plan_ended"},
    {EntryType::kIncident, "incident"},
    {EntryType::kHospitalAttendance, "hospital_attendance"},
    {EntryType::kPoliceCallOut, "police_call_out"},
    {EntryType::kMeeting, "meeting"},
    {EntryType::kCaseConference, "case_conference"},
    {EntryType::kNote, "note"},
    {EntryType::kOther, "other"},
}};

constexpr std::array<EntryType, 18> kAllEntryTypes = [] {
  std::array<EntryType, 18> all{};
  for (size_t i = 0; i < kEntryTypes.size(); ++i) all[i] = kEntryTypes[i].first;
  return all;
}();

constexpr CodeTable<Significance, 3> kSignificances{{
    {Significance::kRoutine, "routine"},
    {Significance::kNotable, "notable"},
    {Significance::kSerious, "serious"},
}};

template <typename Enum, size_t N>
std::string_view CodeOf(const CodeTable<Enum, N>& table, Enum value) {
  for (const auto& [v, code] : table) {
    if (v == value) return code;
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> EnumOf(const CodeTable<Enum, N>& table, std::string_view code) {
  for (const auto& [v, c] : table) {
    if (c == code) return v;
  }
  return std::nullopt;
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

bool HasControlCharacter(std::string_view text, bool allow_line_breaks) {
  return std::any_of(text.begin(), text.end(), [&](unsigned char c) {
    if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) return false;
    return c < 0x20 || c == 0x7F;
  });
}

Status CheckText(std::string_view field, std::string_view text, size_t max_chars, bool allow_line_breaks) {
  if (!utf8::IsValid(text)) return Error::Invalid(std::string(field), "is not valid UTF-8");
  if (HasControlCharacter(text, allow_line_breaks)) {
    return Error::Invalid(std::string(field),
                          allow_line_breaks ? "contains control characters" : "must be a single line of text");
  }
  if (utf8::Length(text) > max_chars) {
    return Error::Invalid(std::string(field), fmt::format("must be at most {} characters", max_chars));
  }
  return Ok{};
}

int OccurredSecond(const ChronologyEntry& e) { return e.occurred_time ? e.occurred_time->SecondsSinceMidnight() : -1; }

}  // namespace

std::string_view ToString(EntryType type) { return CodeOf(kEntryTypes, type); }
std::string_view ToString(Significance s) { return CodeOf(kSignificances, s); }
std::optional<EntryType> ParseEntryType(std::string_view code) { return EnumOf(kEntryTypes, code); }
std::optional<Significance> ParseSignificance(std::string_view code) { return EnumOf(kSignificances, code); }
std::span<const EntryType> AllEntryTypes() { return kAllEntryTypes; }

TimePoint OccurredInstant(const ChronologyEntry& entry) {
  return FromUkCivil(entry.occurred_on, entry.occurred_time.value_or(TimeOfDay{12, 0, 0}));
}

Status ValidateEntry(const ChronologyEntry& entry, const Date& today) {
  for (const auto& [field, value] : {std::pair<std::string_view, const std::string*>{"id", &entry.id},
                                     {"child_id", &entry.child_id},
                                     {"agency_id", &entry.agency_id},
                                     {"author_id", &entry.author_id}}) {
    if (IsBlank(*value)) return Error::Invalid(std::string(field), "is required");
  }
  if (IsBlank(entry.summary)) return Error::Invalid("summary", "Enter a summary of what happened");
  if (auto s = CheckText("summary", entry.summary, kMaxSummaryChars, false); !s) return s;
  if (auto s = CheckText("detail", entry.detail, kMaxDetailChars, true); !s) return s;
  if (!entry.occurred_on.IsValid()) return Error::Invalid("occurred_on", "Enter a real date for the event");
  if (entry.occurred_on > today) return Error::Invalid("occurred_on", "The date of the event must be today or in the past");
  if (entry.occurred_on.year < 1900) return Error::Invalid("occurred_on", "The date of the event must be after 1899");
  if (entry.occurred_time && !entry.occurred_time->IsValid()) {
    return Error::Invalid("occurred_time", "Enter the time like 14:30");
  }
  if (entry.version < 1) return Error::Invalid("version", "must be at least 1");
  if (entry.version > 1) {
    if (entry.supersedes_id.empty()) {
      return Error::Invalid("supersedes_id", "is required for a correction");
    }
    if (entry.lineage_id.empty()) {
      return Error::Invalid("lineage_id", "is required for a correction");
    }
    if (IsBlank(entry.correction_reason)) {
      return Error::Invalid("correction_reason", "is required for a correction");
    }
    if (auto s = CheckText("correction_reason", entry.correction_reason, kMaxCorrectionReasonChars, true); !s) {
      return s;
    }
  } else if (!entry.supersedes_id.empty()) {
    return Error::Invalid("supersedes_id", "must be empty on a first version");
  }
  return Ok{};
}

Result<ChronologyEntry> Supersede(const ChronologyEntry& current, ChronologyEntry corrected, std::string new_id,
                                  std::string reason, std::string author_id, TimePoint recorded_at, const Date& today) {
  if (corrected.child_id != current.child_id) {
    return Error::Invalid("child_id", "a correction cannot move an entry to another child");
  }
  if (new_id == current.id) return Error::Invalid("id", "a correction needs a new id");
  corrected.id = std::move(new_id);
  corrected.version = current.version + 1;
  corrected.lineage_id = current.lineage_id.empty() ? current.id : current.lineage_id;
  corrected.supersedes_id = current.id;
  corrected.correction_reason = std::move(reason);
  corrected.author_id = std::move(author_id);
  corrected.recorded_at = recorded_at;
  if (auto s = ValidateEntry(corrected, today); !s) return s.error();
  return corrected;
}

bool ChronologicalLess(const ChronologyEntry& a, const ChronologyEntry& b) {
  return std::forward_as_tuple(a.occurred_on, OccurredSecond(a), a.recorded_at, a.id) <
         std::forward_as_tuple(b.occurred_on, OccurredSecond(b), b.recorded_at, b.id);
}

std::vector<ChronologyEntry> CurrentVersions(std::span<const ChronologyEntry> all_versions) {
  std::unordered_set<std::string_view> superseded;
  for (const auto& e : all_versions) {
    if (!e.supersedes_id.empty()) superseded.insert(e.supersedes_id);
  }
  std::vector<ChronologyEntry> current;
  for (const auto& e : all_versions) {
    if (!superseded.contains(e.id)) current.push_back(e);
  }
  std::sort(current.begin(), current.end(), ChronologicalLess);
  return current;
}

bool Matches(const ChronologyEntry& entry, const ChronologyFilter& filter) {
  auto allowed = [](const auto& list, const auto& value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
  };
  return allowed(filter.agency_ids, entry.agency_id) && allowed(filter.agency_kinds, entry.agency_kind) &&
         allowed(filter.types, entry.type) && allowed(filter.significances, entry.significance) &&
         (!filter.min_significance || entry.significance >= *filter.min_significance) &&
         (!filter.from || entry.occurred_on >= *filter.from) && (!filter.to || entry.occurred_on <= *filter.to);
}

std::vector<ChronologyEntry> FilterChronology(std::span<const ChronologyEntry> entries,
                                              const ChronologyFilter& filter) {
  std::vector<ChronologyEntry> out;
  for (const auto& e : entries) {
    if (Matches(e, filter)) out.push_back(e);
  }
  std::sort(out.begin(), out.end(), ChronologicalLess);
  return out;
}

}  // namespace kith::domain
