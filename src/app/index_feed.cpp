// ParseFeed (declared in index_import.h): reading and validating a source feed, apart from the
// import that stores and links it, so that the fuzz target (tests/fuzz/source_feed.cpp) builds it
// without the storage and linkage it does not need.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/index_import.h"
#include "common/encoding.h"
#include "common/utf8.h"
#include "domain/child.h"
#include "linkage/csv.h"

namespace kith::app {
namespace {

using storage::SourceRecord;

enum class Column { kOther, kRecordId, kSource, kGiven, kFamily, kDob, kSex, kPostcode, kAddress, kNhs, kUpn };

Column Recognise(std::string_view name) {
  static const std::map<std::string_view, Column> kColumns = {
      {"record_id", Column::kRecordId},   {"source", Column::kSource},     {"given_name", Column::kGiven},
      {"family_name", Column::kFamily},   {"date_of_birth", Column::kDob}, {"sex", Column::kSex},
      {"postcode", Column::kPostcode},    {"address", Column::kAddress},   {"nhs_number", Column::kNhs},
      {"upn", Column::kUpn}};
  auto it = kColumns.find(name);
  return it == kColumns.end() ? Column::kOther : it->second;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Feed values for sex, as schools and GP systems write them.
std::optional<domain::Sex> ParseFeedSex(const std::string& text) {
  const std::string s = Lower(text);
  if (s.empty() || s == "u" || s == "unknown" || s == "not_known" || s == "not known") return domain::Sex::kNotKnown;
  if (s == "f" || s == "female" || s == "girl") return domain::Sex::kFemale;
  if (s == "m" || s == "male" || s == "boy") return domain::Sex::kMale;
  if (s == "i" || s == "indeterminate") return domain::Sex::kIndeterminate;
  return std::nullopt;
}

// The column a child-record field comes from, for error messages.
std::string ColumnOf(const std::string& field) {
  if (field == "given_names") return "given_name";
  return field;
}

// Validates one row's values as a child's record would be validated; on success the record's
// values are in their normal form (postcode spaced, identifiers without spaces).
std::optional<std::string> Validate(SourceRecord& r, const Date& today) {
  domain::Child c;
  c.given_names = r.given_name;
  c.family_name = r.family_name;
  c.address = r.address;
  c.postcode = r.postcode;
  c.nhs_number = r.nhs_number;
  c.upn = r.upn;
  if (!r.date_of_birth.empty()) {
    c.date_of_birth = Date::Parse(r.date_of_birth);
    if (!c.date_of_birth) return "date_of_birth: '" + r.date_of_birth + "' is not a date in the form YYYY-MM-DD";
  }
  const auto sex = ParseFeedSex(r.sex);
  if (!sex) return "sex: '" + r.sex + "' is not one of female, male, indeterminate, not_known (or F, M, U)";
  if (auto s = domain::NormaliseChild(c, today); !s) return ColumnOf(s.error().field) + ": " + s.error().message;
  r.given_name = c.given_names;
  r.family_name = c.family_name;
  r.address = c.address;
  r.postcode = c.postcode;
  r.nhs_number = c.nhs_number;
  r.upn = c.upn;
  r.sex = *sex == domain::Sex::kNotKnown ? "" : std::string(domain::ToString(*sex));
  return std::nullopt;
}

std::string ContentHash(const SourceRecord& r) {
  std::string all;
  for (const std::string* v : {&r.given_name, &r.family_name, &r.date_of_birth, &r.sex, &r.postcode, &r.address,
                               &r.nhs_number, &r.upn, &r.attributes}) {
    all += *v;
    all.push_back('\x1f');
  }
  return Sha256Hex(all);
}

}  // namespace

Result<ParsedFeed> ParseFeed(std::string_view text, std::string_view default_source, const Date& today) {
  if (text.size() >= 2 && ((text[0] == '\xff' && text[1] == '\xfe') || (text[0] == '\xfe' && text[1] == '\xff'))) {
    return Error::Invalid("file", "The file is UTF-16; save it as CSV in UTF-8 and import it again.");
  }
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Error::Invalid("file", "The file is empty; it needs a header line and one row per child.");
  }
  size_t pos = 0, lines = 0;
  std::vector<std::string> header, fields;
  std::string error;
  if (!linkage::SplitCsvRecord(text, &pos, &header, &lines, &error) || !utf8::IsValid(text.substr(0, pos))) {
    return Error::Invalid("header", "The header line cannot be read (" + (error.empty() ? "not UTF-8" : error) + ").");
  }
  std::vector<Column> columns;
  bool recognised = false, has_id = false, has_source = false;
  for (auto& h : header) {
    h = Lower(Trim(h));
    columns.push_back(Recognise(h));
    recognised |= columns.back() != Column::kOther;
    has_id |= columns.back() == Column::kRecordId;
    has_source |= columns.back() == Column::kSource;
  }
  if (!recognised) {
    return Error::Invalid("header",
                          "The first line must be a header naming the columns (record_id, source, given_name, "
                          "family_name, date_of_birth, sex, postcode, address, nhs_number, upn); it names none of "
                          "them.");
  }
  if (!has_id) {
    return Error::Invalid("header", "There is no record_id column: each row needs the source's own reference.");
  }
  if (!has_source && default_source.empty()) {
    return Error::Invalid("source",
                          "There is no source column; name the feed's source (--source on the command line, the source "
                          "field on the import page).");
  }

  ParsedFeed out;
  std::unordered_map<std::string, size_t> seen;  // source \x1f record_id -> line
  size_t line = 1 + lines;
  while (pos < text.size()) {
    const size_t row_line = line;
    const size_t start = pos;
    lines = 0;
    const bool split = linkage::SplitCsvRecord(text, &pos, &fields, &lines, &error);
    line += std::max<size_t>(lines, 1);
    if (split && fields.size() == 1 && Trim(fields[0]).empty()) continue;  // a blank line
    ++out.rows_read;
    auto reject = [&](std::string reason) { out.rejected.push_back({row_line, std::move(reason)}); };
    if (!split) {
      reject(error);
      continue;
    }
    if (!utf8::IsValid(text.substr(start, pos - start))) {
      reject("the row is not UTF-8 text; save the file as CSV in UTF-8");
      continue;
    }
    if (fields.size() != header.size()) {
      reject(fmt::format("the row has {} fields but the header has {}", fields.size(), header.size()));
      continue;
    }
    FeedRow row;
    row.line = row_line;
    SourceRecord& r = row.record;
    nlohmann::ordered_json attributes = nlohmann::ordered_json::object();
    for (size_t i = 0; i < fields.size(); ++i) {
      std::string v = Trim(fields[i]);
      switch (columns[i]) {
        case Column::kRecordId: r.record_id = std::move(v); break;
        case Column::kSource: r.source = std::move(v); break;
        case Column::kGiven: r.given_name = std::move(v); break;
        case Column::kFamily: r.family_name = std::move(v); break;
        case Column::kDob: r.date_of_birth = std::move(v); break;
        case Column::kSex: r.sex = std::move(v); break;
        case Column::kPostcode: r.postcode = std::move(v); break;
        case Column::kAddress: r.address = std::move(v); break;
        case Column::kNhs: r.nhs_number = std::move(v); break;
        case Column::kUpn: r.upn = std::move(v); break;
        case Column::kOther:
          if (!v.empty()) attributes[header[i]] = std::move(v);
          break;
      }
    }
    if (r.source.empty()) r.source = std::string(default_source);
    if (r.record_id.empty()) {
      reject("record_id: empty; each row needs the source's own reference");
      continue;
    }
    if (r.source.empty()) {
      reject("source: empty; fill it in or name the feed's source with --source");
      continue;
    }
    if (auto problem = Validate(r, today)) {
      reject(*problem);
      continue;
    }
    auto [it, fresh] = seen.emplace(r.source + '\x1f' + r.record_id, row_line);
    if (!fresh) {
      reject(fmt::format("record_id: '{}' of source '{}' is also on line {}", r.record_id, r.source, it->second));
      continue;
    }
    r.attributes = attributes.dump();
    r.content_hash = ContentHash(r);
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace kith::app
