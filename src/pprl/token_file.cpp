#include "pprl/token_file.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <unordered_map>

#include "common/encoding.h"
#include "linkage/text.h"

namespace kith::pprl {
namespace {

constexpr std::string_view kHeader = "record_id,encoding,nhs_token,upn_token,blocks,clk";

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

bool ParseIdToken(std::string_view text, IdToken* out) {
  if (text.size() != 2 * out->size()) return false;
  for (size_t i = 0; i < out->size(); ++i) {
    int v = 0;
    for (size_t j = 0; j < 2; ++j) {
      const char c = text[2 * i + j];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + d;
    }
    (*out)[i] = static_cast<uint8_t>(v);
  }
  return true;
}

bool ParseBlocks(std::string_view text, std::vector<uint64_t>* out) {
  bool ok = true;
  linkage::ForEachToken(text, [&](std::string_view token) {
    uint64_t v = 0;
    if (token.size() != 16) ok = false;
    for (char c : token) {
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) ok = false;
      v = (v << 4) | static_cast<uint64_t>(d & 15);
    }
    out->push_back(v);
  });
  return ok;
}

}  // namespace

void WriteTokens(std::ostream& out, const std::string& encoding, const std::vector<Tokens>& rows) {
  out << kHeader << "\n";
  for (const auto& t : rows) {
    out << CsvField(t.record_id) << ',' << encoding << ',';
    if (t.nhs) out << HexEncode(*t.nhs);
    out << ',';
    if (t.upn) out << HexEncode(*t.upn);
    out << ',';
    for (size_t i = 0; i < t.blocks.size(); ++i) out << (i ? " " : "") << fmt::format("{:016x}", t.blocks[i]);
    out << ',';
    if (t.has_clk) out << ClkToBase64(t.clk);
    out << '\n';
  }
}

Status WriteTokenFile(const std::string& path, const std::string& encoding, const std::vector<Tokens>& rows) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error::NotFound(fmt::format("cannot write {}: check the directory exists and is writable", path));
  WriteTokens(out, encoding, rows);
  out.flush();
  if (!out) return Error::NotFound(fmt::format("writing {} failed (disk full?)", path));
  return Ok{};
}

Result<TokenRows> ReadTokens(std::istream& in, const std::string& name) {
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = 0, line = 1, lines = 0;
  std::vector<std::string> fields;
  std::string error;
  if (text.empty()) return Error::Invalid("tokens", fmt::format("{} is empty: expected a token file", name));
  if (!linkage::SplitCsvRecord(text, &pos, &fields, &lines, &error) ||
      fields != std::vector<std::string>{"record_id", "encoding", "nhs_token", "upn_token", "blocks", "clk"}) {
    return Error::Invalid("tokens", fmt::format("{} line 1: the header must be `{}` (a file written by "
                                                "`kith pprl encode`)",
                                                name, kHeader));
  }
  line += lines;
  TokenRows out;
  std::unordered_map<std::string, size_t> seen;
  while (pos < text.size()) {
    const size_t row_line = line;
    lines = 0;
    const bool split = linkage::SplitCsvRecord(text, &pos, &fields, &lines, &error);
    line += lines;
    auto bad = [&](std::string reason) { out.errors.push_back({row_line, std::move(reason)}); };
    if (!split) {
      bad(error);
      continue;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != 6) {
      bad(fmt::format("expected 6 columns ({}), found {}", kHeader, fields.size()));
      continue;
    }
    Tokens t;
    t.record_id = fields[0];
    if (t.record_id.empty()) {
      bad("record_id is empty");
      continue;
    }
    if (fields[1].empty() || fields[1].find(':') == std::string::npos) {
      bad(fmt::format("encoding `{}` is not of the form scheme:key-id", fields[1]));
      continue;
    }
    // The file's encoding is the first good row's (set below): a bad row before it decides nothing.
    if (!out.encoding.empty() && fields[1] != out.encoding) {
      bad(fmt::format(
          "encoding {} differs from the first good row's {}: tokens made with another secret or scheme never "
          "match; re-encode every file with one secret",
          fields[1], out.encoding));
      continue;
    }
    IdToken id{};
    if (!fields[2].empty()) {
      if (!ParseIdToken(fields[2], &id)) {
        bad("nhs_token is not 32 lower-case hexadecimal characters");
        continue;
      }
      t.nhs = id;
    }
    if (!fields[3].empty()) {
      if (!ParseIdToken(fields[3], &id)) {
        bad("upn_token is not 32 lower-case hexadecimal characters");
        continue;
      }
      t.upn = id;
    }
    if (!ParseBlocks(fields[4], &t.blocks)) {
      bad("blocks is not a space-separated list of 16 hexadecimal characters each");
      continue;
    }
    if (!fields[5].empty()) {
      if (!ClkFromBase64(fields[5], &t.clk)) {
        bad(fmt::format("clk is not base64 of {} bytes", kClkBits / 8));
        continue;
      }
      t.has_clk = true;
    }
    if (!t.nhs && !t.upn && !t.has_clk) {
      bad("the row has no token: nothing to link it by");
      continue;
    }
    const auto [it, inserted] = seen.emplace(t.record_id, row_line);
    if (!inserted) {
      bad(fmt::format("record_id {} repeats line {}", t.record_id, it->second));
      continue;
    }
    if (out.encoding.empty()) out.encoding = fields[1];
    out.rows.push_back(std::move(t));
  }
  return out;
}

Result<TokenRows> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound(fmt::format("cannot open {}: check the path", path));
  return ReadTokens(in, path);
}

}  // namespace kith::pprl
