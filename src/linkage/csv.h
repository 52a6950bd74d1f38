// Reading linkage input from CSV: RFC 4180 quoting, CRLF or LF line endings, and FEBRL's ", "
// separators (spaces after a comma are skipped outside quotes). Columns are mapped to field
// types by header name (see DefaultFieldType) and by `COLUMN=TYPE` overrides.
// A malformed row is reported with its line number and reason and skipped; good rows are kept.
// Thread safety: functions are reentrant; separate calls share no state.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "linkage/record.h"

namespace kith::linkage {

struct Schema {
  std::vector<std::string> columns;       // header names as read, trimmed
  std::vector<FieldType> types;           // one per column
  std::vector<std::string> text_columns;  // names of kText columns, in order

  bool Has(FieldType type) const;
};

struct RowError {
  size_t line = 0;  // 1-based physical line where the row starts
  std::string reason;
};

struct LoadedRecords {
  Schema schema;
  std::vector<InputRecord> records;
  std::vector<RowError> errors;  // rows skipped, in file order
};

// Resolves column types from the header and overrides of the form "COLUMN=TYPE". Fails with
// kInvalidInput when an override is malformed, names an unknown column or type, or when no
// column is a record id (the rows would have nothing to report clusters against).
Result<Schema> ResolveSchema(const std::vector<std::string>& header, const std::vector<std::string>& overrides);

// Splits one CSV record starting at `text[*pos]`, advancing *pos past its line ending; quoted
// fields may span lines (*lines counts the physical lines consumed). Returns false with
// `error` set for an unterminated quote or text after a closing quote.
bool SplitCsvRecord(std::string_view text, size_t* pos, std::vector<std::string>* fields, size_t* lines,
                    std::string* error);

// Reads a whole CSV document. Fails only when the header is unusable (see ResolveSchema) or the
// input is empty; row problems (wrong column count, missing or duplicate record id, bad quoting)
// go to LoadedRecords::errors.
Result<LoadedRecords> ReadRecordsCsv(std::istream& in, const std::vector<std::string>& overrides);

// As ReadRecordsCsv, from a file. Fails with kNotFound when the file cannot be opened.
Result<LoadedRecords> ReadRecordsCsvFile(const std::string& path, const std::vector<std::string>& overrides);

// One CSV field as written: quoted (with inner quotes doubled) only when it holds a comma, a quote
// or a line ending.
std::string CsvQuote(std::string_view s);

}  // namespace kith::linkage
