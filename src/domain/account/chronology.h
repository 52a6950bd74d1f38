// The multi-agency case chronology of a child: the entry model, validation, corrections,
// filtering and bulk CSV import. Pure: no storage, no clock (callers pass `today` and ids).
//
// Corrections never overwrite. `Supersede` produces a new version of an entry that links to the
// version it replaces (`supersedes_id`) and to the first version (`lineage_id`), with the reason
// and author of the correction; storage keeps every version and `CurrentVersions` picks the
// latest of each lineage for display.
//
// Thread safety: all functions are pure and safe to call from any thread.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/date.h"
#include "common/result.h"
#include "domain/account/uk_time.h"
#include "domain/organisation.h"  // AgencyKind: one enum for the whole domain

namespace kith::domain {

// What happened. The string forms (ToString/Parse) are stable snake_case codes stored in the
// database and sent over the API; never rename one.
enum class EntryType {
  kContact,              // "contact"
  kHomeVisit,            // "home_visit"
  kAppointmentAttended,  // "appointment_attended"
  kWasNotBrought,        // "was_not_brought": appointment missed, the child was not brought
  kSchoolAbsence,        // "school_absence"
  kExclusion,            // "exclusion"
  kReferral,             // "referral"
  kStrategyDiscussion,   // "strategy_discussion"
  kAssessment,           // "assessment"
  kPlanStarted,          // "plan_started"
  kPlanEnded,            // "plan_ended"
  kIncident,             // "incident"
  kHospitalAttendance,   // "hospital_attendance": hospital or A&E attendance
  kPoliceCallOut,        // "police_call_out"
  kMeeting,              // "meeting"
  kCaseConference,       // "case_conference"
  kNote,                 // "note"
  kOther,                // "other"
};

enum class Significance { kRoutine, kNotable, kSerious };

std::string_view ToString(EntryType type);
std::string_view ToString(Significance significance);
// Exact stable codes only; nullopt for anything else. (The CSV importer is more forgiving: see
// ParseChronologyCsv.)
std::optional<EntryType> ParseEntryType(std::string_view code);
std::optional<Significance> ParseSignificance(std::string_view code);
// Every value, in declaration order (for tests, pickers and API documentation).
std::span<const EntryType> AllEntryTypes();

inline constexpr size_t kMaxSummaryChars = 200;    // Unicode code points
inline constexpr size_t kMaxDetailChars = 20'000;  // Unicode code points
inline constexpr size_t kMaxCorrectionReasonChars = 1'000;

struct ChronologyEntry {
  std::string id;
  std::string child_id;
  Date occurred_on;                        // UK local date of the event
  std::optional<TimeOfDay> occurred_time;  // UK local time, when known
  std::string agency_id;
  AgencyKind agency_kind = AgencyKind::kVoluntarySector;
  std::string author_id;
  EntryType type = EntryType::kNote;
  Significance significance = Significance::kRoutine;
  std::string summary;  // one line, required
  std::string detail;   // free text, may be empty
  TimePoint recorded_at{};

  // Correction history. A first version has version 1, lineage_id == id and no supersedes_id.
  int version = 1;
  std::string lineage_id;
  std::string supersedes_id;
  std::string correction_reason;
};

// The instant the event happened, for time series: the UK local time when known, otherwise UK
// noon of the day (so that a date-only entry can never drift into a neighbouring day).
TimePoint OccurredInstant(const ChronologyEntry& entry);

// Checks one entry. On failure returns Error::Invalid naming the first offending field
// ("summary", "occurred_on", ...). Rules: ids (id, child_id, agency_id, author_id) present;
// summary non-blank, a single line, at most kMaxSummaryChars; detail at most kMaxDetailChars;
// text valid UTF-8; occurred_on valid, not after `today` (UK date) and not before 1900; time of
// day valid; a correction (version > 1) has supersedes_id, lineage_id and a reason.
Status ValidateEntry(const ChronologyEntry& entry, const Date& today);

// A correction to `current` (which must be the latest version of its lineage; storage enforces
// that with a conditional write and reports kConflict otherwise). `corrected` carries the new
// content; its identity and history fields are set here: id = new_id, version = current + 1,
// lineage and supersedes links, reason, author and recorded_at. The child cannot change (a
// misfiled entry is withdrawn and re-entered instead). The result is validated as a whole.
Result<ChronologyEntry> Supersede(const ChronologyEntry& current, ChronologyEntry corrected, std::string new_id,
                                  std::string reason, std::string author_id, TimePoint recorded_at, const Date& today);

// From all stored versions, the latest version of each lineage (versions that no other version
// supersedes), in chronological order.
std::vector<ChronologyEntry> CurrentVersions(std::span<const ChronologyEntry> all_versions);

// Orders by occurred date, then time (date-only entries first within a day), then recorded_at,
// then id, so that display order is total and stable.
bool ChronologicalLess(const ChronologyEntry& a, const ChronologyEntry& b);

// Every field narrows the result; an empty list or absent bound means "any".
struct ChronologyFilter {
  std::vector<std::string> agency_ids;
  std::vector<AgencyKind> agency_kinds;
  std::vector<EntryType> types;
  std::vector<Significance> significances;
  std::optional<Significance> min_significance;
  std::optional<Date> from;  // inclusive
  std::optional<Date> to;    // inclusive
};

bool Matches(const ChronologyEntry& entry, const ChronologyFilter& filter);
// The matching entries in chronological order.
std::vector<ChronologyEntry> FilterChronology(std::span<const ChronologyEntry> entries, const ChronologyFilter& filter);

// --- Bulk import -------------------------------------------------------------------------

struct AgencyRef {
  std::string id;
  AgencyKind kind = AgencyKind::kVoluntarySector;
};

struct CsvImportContext {
  std::string child_id;
  std::string author_id;
  TimePoint recorded_at{};
  Date today;
  // Maps the text of the "agency" column to an agency the importer may record for; nullopt
  // rejects the row. Required.
  std::function<std::optional<AgencyRef>(std::string_view)> resolve_agency;
  // Issues the id for each accepted row. Required.
  std::function<std::string()> next_id;
  size_t max_rows = 50'000;
};

struct CsvRowError {
  int line = 0;        // 1-based physical line where the record starts
  std::string field;   // column name, or "row" for structural problems
  std::string reason;  // safe to show to the importing user
};

struct CsvImport {
  std::vector<ChronologyEntry> entries;  // the good rows, in file order
  std::vector<CsvRowError> errors;       // the bad rows, in file order
  int rows_read = 0;                     // data rows, excluding the header
};

// Parses RFC 4180 CSV (quoted fields may hold commas, doubled quotes and newlines; CRLF or LF;
// an initial UTF-8 BOM is ignored; blank lines are skipped). Columns: date, time, agency, type,
// significance, summary, detail. If the first record is a header naming those columns (any
// order, case-insensitive) it sets the order and time/detail may be omitted; otherwise all seven
// columns are expected in that order.
// Per row: date is YYYY-MM-DD or DD/MM/YYYY; time is empty, HH:MM or HH:MM:SS; type and
// significance take the stable codes but also their spaced or hyphenated, any-case forms
// ("Home visit"); each row is then checked with ValidateEntry. A bad row is reported with its
// line and reason and never stops good rows being returned.
// Fails as a whole (Error::Invalid) only when the header is unusable, the file holds more than
// max_rows rows, or the context is incomplete.
Result<CsvImport> ParseChronologyCsv(std::string_view csv, const CsvImportContext& context);

}  // namespace kith::domain
