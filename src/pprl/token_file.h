// Token files: what `kith pprl encode` writes and `kith pprl link` reads. CSV with the header
//   record_id,encoding,nhs_token,upn_token,blocks,clk
// one row per record: its id, the encoding ("kith-pprl-1:<key id>"), the NHS-number and UPN
// tokens (32 hex characters, or empty when the record has none), the blocking tokens (16 hex
// characters each, space-separated) and the CLK (base64 of 128 bytes, or empty). Nothing else about the record is
// written. Thread safety: functions are reentrant.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "common/result.h"
#include "linkage/csv.h"
#include "pprl/encoder.h"

namespace kith::pprl {

// Writes the header and one row per record. Fails with kNotFound when the file cannot be
// written (the message names it).
Status WriteTokenFile(const std::string& path, const std::string& encoding, const std::vector<Tokens>& rows);
void WriteTokens(std::ostream& out, const std::string& encoding, const std::vector<Tokens>& rows);

struct TokenRows {
  std::string encoding;  // of the first good row; empty when there is none
  std::vector<Tokens> rows;
  // Rows that are not tokens, with their line numbers and what is wrong: the wrong number of
  // columns, an empty or duplicate record id, a token that is not 32 hex characters, a blocking
  // token that is not 16, a CLK that
  // is not base64 of 128 bytes, a row without any token, or another encoding than the first
  // row's (tokens made with different secrets or schemes never match).
  std::vector<linkage::RowError> errors;
};

// Reads a token file. Fails with kInvalidInput (naming `name`) when the input is empty or the
// header is not the one above; bad rows go to TokenRows::errors.
Result<TokenRows> ReadTokens(std::istream& in, const std::string& name);
// As ReadTokens, from a file; kNotFound when it cannot be opened.
Result<TokenRows> ReadTokenFile(const std::string& path);

}  // namespace kith::pprl
