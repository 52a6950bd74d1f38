#include "linkage/csv.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_set>

namespace kith::linkage {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void AppendJoined(std::string* field, std::string_view value) {
  if (value.empty()) return;
  if (!field->empty()) field->push_back(' ');
  field->append(value);
}

// Where each column's value goes in an InputRecord.
std::string* Slot(InputRecord* r, FieldType type) {
  switch (type) {
    case FieldType::kRecordId:
      return &r->record_id;
    case FieldType::kSource:
      return &r->source;
    case FieldType::kCluster:
      return &r->cluster;
    case FieldType::kGivenName:
      return &r->given_name;
    case FieldType::kFamilyName:
      return &r->family_name;
    case FieldType::kFullName:
      return &r->full_name;
    case FieldType::kDateOfBirth:
      return &r->date_of_birth;
    case FieldType::kSex:
      return &r->sex;
    case FieldType::kPostcode:
      return &r->postcode;
    case FieldType::kAddress:
      return &r->address;
    case FieldType::kLocality:
      return &r->locality;
    case FieldType::kNhsNumber:
      return &r->nhs_number;
    case FieldType::kUpn:
      return &r->upn;
    case FieldType::kIdentifier:
      return &r->identifier;
    case FieldType::kText:
    case FieldType::kIgnore:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

bool Schema::Has(FieldType type) const {
  for (FieldType t : types) {
    if (t == type) return true;
  }
  return false;
}

Result<Schema> ResolveSchema(const std::vector<std::string>& header, const std::vector<std::string>& overrides) {
  Schema schema;
  for (const auto& name : header) {
    schema.columns.emplace_back(Trim(name));
    schema.types.push_back(DefaultFieldType(name));
  }
  for (const auto& o : overrides) {
    const size_t eq = o.find('=');
    if (eq == std::string::npos) {
      return Error::Invalid("field", fmt::format("field override '{}' is not COLUMN=TYPE", o));
    }
    const std::string_view column = Trim(std::string_view(o).substr(0, eq));
    const auto type = ParseFieldType(std::string_view(o).substr(eq + 1));
    if (!type) {
      return Error::Invalid("field", fmt::format("field override '{}': unknown type", o));
    }
    bool found = false;
    for (size_t i = 0; i < schema.columns.size(); ++i) {
      if (schema.columns[i] == column) {
        schema.types[i] = *type;
        found = true;
      }
    }
    if (!found) {
      return Error::Invalid("field", fmt::format("field override '{}': no column '{}'", o, column));
    }
  }
  int ids = 0;
  for (size_t i = 0; i < schema.columns.size(); ++i) {
    if (schema.types[i] == FieldType::kRecordId) ++ids;
    if (schema.types[i] == FieldType::kText) schema.text_columns.push_back(schema.columns[i]);
  }
  if (ids != 1) {
    return Error::Invalid(
        "field", ids == 0 ? "no record id column (use --field COLUMN=record_id)" : "more than one record id column");
  }
  return schema;
}

bool SplitCsvRecord(std::string_view text, size_t* pos, std::vector<std::string>* fields, size_t* lines,
                    std::string* error) {
  fields->clear();
  *lines = 1;
  size_t i = *pos;
  std::string field;
  bool at_field_start = true;
  for (;;) {
    if (at_field_start) {
      // FEBRL writes ", " between fields: spaces before a value are not part of it.
      while (i < text.size() && text[i] == ' ') ++i;
      at_field_start = false;
    }
    if (i < text.size() && text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) {
          *error = "unterminated quoted field";
          *pos = text.size();
          return false;
        }
        const char c = text[i++];
        if (c == '"') {
          if (i < text.size() && text[i] == '"') {
            field.push_back('"');
            ++i;
          } else {
            break;
          }
        } else {
          if (c == '\n') ++*lines;
          field.push_back(c);
        }
      }
      while (i < text.size() && text[i] == ' ') ++i;
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        *error = "text after a closing quote";
        while (i < text.size() && text[i] != '\n') ++i;
        *pos = i < text.size() ? i + 1 : i;
        return false;
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        field.push_back(text[i++]);
      }
      while (!field.empty() && field.back() == ' ') field.pop_back();
    }
    fields->push_back(std::move(field));
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
      at_field_start = true;
      continue;
    }
    if (i < text.size() && text[i] == '\r') ++i;
    if (i < text.size() && text[i] == '\n') ++i;
    *pos = i;
    return true;
  }
}

Result<LoadedRecords> ReadRecordsCsv(std::istream& in, const std::vector<std::string>& overrides) {
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = 0;
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;  // UTF-8 BOM
  std::vector<std::string> fields;
  size_t lines = 0;
  std::string error;
  if (pos >= text.size() || !SplitCsvRecord(text, &pos, &fields, &lines, &error)) {
    return Error::Invalid("input", error.empty() ? "empty input: no header row" : "header: " + error);
  }
  auto schema = ResolveSchema(fields, overrides);
  if (!schema) return schema.error();
  LoadedRecords out;
  out.schema = std::move(*schema);
  const size_t n_columns = out.schema.columns.size();
  size_t line = 1 + lines;
  std::unordered_set<std::string> seen_ids;
  while (pos < text.size()) {
    const size_t row_line = line;
    const bool ok = SplitCsvRecord(text, &pos, &fields, &lines, &error);
    line += lines;
    if (!ok) {
      out.errors.push_back({row_line, error});
      continue;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != n_columns) {
      out.errors.push_back({row_line, fmt::format("expected {} fields, found {}", n_columns, fields.size())});
      continue;
    }
    InputRecord r;
    for (size_t c = 0; c < n_columns; ++c) {
      const FieldType type = out.schema.types[c];
      if (type == FieldType::kText) {
        r.texts.push_back(std::move(fields[c]));
      } else if (std::string* slot = Slot(&r, type)) {
        AppendJoined(slot, fields[c]);
      }
    }
    if (r.record_id.empty()) {
      out.errors.push_back({row_line, "missing record id"});
      continue;
    }
    if (!seen_ids.insert(r.record_id).second) {
      out.errors.push_back({row_line, fmt::format("duplicate record id '{}'", r.record_id)});
      continue;
    }
    out.records.push_back(std::move(r));
  }
  return out;
}

Result<LoadedRecords> ReadRecordsCsvFile(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound(fmt::format("cannot open '{}'", path));
  return ReadRecordsCsv(in, overrides);
}

std::string CsvQuote(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace kith::linkage
