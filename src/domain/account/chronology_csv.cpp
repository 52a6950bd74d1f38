// ParseChronologyCsv (declared in chronology.h): bulk import of chronology rows.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "domain/account/chronology.h"

namespace kith::domain {
namespace {

enum Column { kDate, kTime, kAgency, kType, kSignificance, kSummary, kDetail, kColumnCount };
constexpr std::array<std::string_view, kColumnCount> kColumnNames{"date",         "time",    "agency", "type",
                                                                  "significance", "summary", "detail"};
constexpr std::array<bool, kColumnCount> kRequired{true, false, true, true, true, true, false};

struct Record {
  int line = 0;
  std::vector<std::string> fields;
  bool unterminated = false;
};

// Splits RFC 4180 text into records, remembering where each starts. Quoted fields may span
// lines, so the physical line of a record is counted rather than derived from its index.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);
  }

  std::optional<Record> Next() {
    if (pos_ >= text_.size()) return std::nullopt;
    Record record{line_, {}, false};
    std::string field;
    bool quoted = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (quoted) {
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_;
          field.push_back(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        record.fields.push_back(std::move(field));
        field.clear();
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
        record.fields.push_back(std::move(field));
        return record;
      } else {
        field.push_back(c);
      }
    }
    record.unterminated = quoted;
    record.fields.push_back(std::move(field));
    return record;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool IsBlankRecord(const Record& r) { return r.fields.size() == 1 && Trim(r.fields[0]).empty(); }

// "Home visit", "home-visit" and "HOME_VISIT" all become "home_visit".
std::string NormaliseCode(std::string_view text) {
  std::string out;
  for (const char c : Trim(text)) {
    if (c == ' ' || c == '-' || c == '_') {
      if (!out.empty() && out.back() != '_') out.push_back('_');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

std::optional<EntryType> ParseTypeLeniently(std::string_view text) {
  const std::string code = NormaliseCode(text);
  if (auto type = ParseEntryType(code)) return type;
  // Names that agencies' own systems commonly export for the same events.
  static constexpr std::array<std::pair<std::string_view, EntryType>, 8> kAliases{{
      {"missed_appointment", EntryType::kWasNotBrought},
      {"appointment_missed", EntryType::kWasNotBrought},
      {"dna", EntryType::kWasNotBrought},
      {"a&e_attendance", EntryType::kHospitalAttendance},
      {"a&e", EntryType::kHospitalAttendance},
      {"hospital", EntryType::kHospitalAttendance},
      {"police_callout", EntryType::kPoliceCallOut},
      {"absence", EntryType::kSchoolAbsence},
  }};
  for (const auto& [alias, type] : kAliases) {
    if (alias == code) return type;
  }
  return std::nullopt;
}

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::optional<Date> ParseDateLeniently(std::string_view text) {
  if (auto iso = Date::Parse(text)) return iso;
  // DD/MM/YYYY, as UK spreadsheets write dates.
  const size_t a = text.find('/');
  const size_t b = a == std::string_view::npos ? a : text.find('/', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  Date d;
  if (!ParseInt(text.substr(0, a), d.day) || !ParseInt(text.substr(a + 1, b - a - 1), d.month) ||
      text.size() - b - 1 != 4 || !ParseInt(text.substr(b + 1), d.year) || !d.IsValid()) {
    return std::nullopt;
  }
  return d;
}

std::optional<TimeOfDay> ParseTime(std::string_view text) {
  TimeOfDay t;
  const size_t a = text.find(':');
  if (a == std::string_view::npos || a == 0 || a > 2) return std::nullopt;
  const size_t b = text.find(':', a + 1);
  const std::string_view minutes = text.substr(a + 1, b == std::string_view::npos ? b : b - a - 1);
  if (!ParseInt(text.substr(0, a), t.hour) || minutes.size() != 2 || !ParseInt(minutes, t.minute)) {
    return std::nullopt;
  }
  if (b != std::string_view::npos && (text.size() - b - 1 != 2 || !ParseInt(text.substr(b + 1), t.second))) {
    return std::nullopt;
  }
  if (!t.IsValid()) return std::nullopt;
  return t;
}

// The column layout: for each Column, its index in a record (or -1 when absent).
using Layout = std::array<int, kColumnCount>;

Result<std::optional<Layout>> HeaderLayout(const Record& first) {
  auto is_column_name = [](std::string_view s) {
    const std::string code = NormaliseCode(s);
    return std::find(kColumnNames.begin(), kColumnNames.end(), code) != kColumnNames.end();
  };
  // A data row always holds a date; a header never does.
  auto is_date = [](std::string_view s) { return ParseDateLeniently(Trim(s)).has_value(); };
  if (std::any_of(first.fields.begin(), first.fields.end(), is_date) ||
      !std::any_of(first.fields.begin(), first.fields.end(), is_column_name)) {
    return std::optional<Layout>{};  // no header: the fixed order applies
  }
  Layout layout;
  layout.fill(-1);
  for (size_t i = 0; i < first.fields.size(); ++i) {
    const std::string name = NormaliseCode(first.fields[i]);
    const auto it = std::find(kColumnNames.begin(), kColumnNames.end(), name);
    if (it == kColumnNames.end()) {
      return Error::Invalid("header", fmt::format("unknown column \"{}\"", name));
    }
    int& slot = layout[static_cast<size_t>(it - kColumnNames.begin())];
    if (slot != -1) return Error::Invalid("header", fmt::format("column \"{}\" repeated", name));
    slot = static_cast<int>(i);
  }
  for (size_t c = 0; c < kColumnCount; ++c) {
    if (kRequired[c] && layout[c] == -1) {
      return Error::Invalid("header", fmt::format("column \"{}\" is missing", kColumnNames[c]));
    }
  }
  return std::optional<Layout>{layout};
}

// Builds an entry from a record, or says which column is wrong and why.
Result<ChronologyEntry> ParseRow(const Record& record, const Layout& layout, size_t expected_fields,
                                 const CsvImportContext& context) {
  if (record.unterminated) return Error::Invalid("row", "a quoted field is never closed");
  if (record.fields.size() != expected_fields) {
    return Error::Invalid("row", fmt::format("expected {} columns, found {}", expected_fields, record.fields.size()));
  }
  auto cell = [&](Column c) -> std::string_view {
    return layout[c] < 0 ? std::string_view{} : Trim(record.fields[layout[c]]);
  };

  ChronologyEntry entry;
  const auto date = ParseDateLeniently(cell(kDate));
  if (!date) return Error::Invalid("date", "expected YYYY-MM-DD or DD/MM/YYYY");
  entry.occurred_on = *date;
  if (!cell(kTime).empty()) {
    entry.occurred_time = ParseTime(cell(kTime));
    if (!entry.occurred_time) return Error::Invalid("time", "expected HH:MM or HH:MM:SS");
  }
  const auto agency = context.resolve_agency(cell(kAgency));
  if (!agency) return Error::Invalid("agency", "is not an agency you can record for");
  entry.agency_id = agency->id;
  entry.agency_kind = agency->kind;
  const auto type = ParseTypeLeniently(cell(kType));
  if (!type) return Error::Invalid("type", "is not a known entry type");
  entry.type = *type;
  const auto significance = ParseSignificance(NormaliseCode(cell(kSignificance)));
  if (!significance) {
    return Error::Invalid("significance", "expected routine, notable or serious");
  }
  entry.significance = *significance;
  entry.summary = std::string(cell(kSummary));
  entry.detail = std::string(cell(kDetail));
  entry.child_id = context.child_id;
  entry.author_id = context.author_id;
  entry.recorded_at = context.recorded_at;
  entry.id = context.next_id();
  entry.lineage_id = entry.id;

  if (auto status = ValidateEntry(entry, context.today); !status) {
    // Report the column the importer wrote, not the internal field name.
    const std::string& field = status.error().field;
    return Error::Invalid(field == "occurred_on" ? "date" : field, status.error().message);
  }
  return entry;
}

}  // namespace

Result<CsvImport> ParseChronologyCsv(std::string_view csv, const CsvImportContext& context) {
  if (!context.resolve_agency || !context.next_id || context.child_id.empty()) {
    return Error::Invalid("context", "child, agency resolver and id source are required");
  }
  CsvReader reader(csv);
  CsvImport result;
  Layout layout{kDate, kTime, kAgency, kType, kSignificance, kSummary, kDetail};
  size_t expected_fields = kColumnCount;
  bool first = true;
  while (auto record = reader.Next()) {
    if (IsBlankRecord(*record)) continue;
    if (first) {
      first = false;
      auto header = HeaderLayout(*record);
      if (!header) return header.error();
      if (*header) {
        layout = **header;
        expected_fields = record->fields.size();
        continue;
      }
    }
    if (static_cast<size_t>(++result.rows_read) > context.max_rows) {
      return Error::Invalid("file", fmt::format("more than {} rows", context.max_rows));
    }
    auto entry = ParseRow(*record, layout, expected_fields, context);
    if (entry) {
      result.entries.push_back(std::move(entry).value());
    } else {
      result.errors.push_back({record->line, entry.error().field, entry.error().message});
    }
  }
  return result;
}

}  // namespace kith::domain
