#include "domain/audit_checkpoint.h"

#include <charconv>
#include <chrono>
#include <cstdio>

#include "common/date.h"
#include "common/encoding.h"

namespace kith::domain {
namespace {

constexpr std::string_view kMagic = "kith-audit-checkpoint 1";

bool IsHash(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A decimal number without sign or leading zeros.
std::optional<int64_t> ParseCount(std::string_view s) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// "word rest": the rest when the line starts with `word` and a space.
std::optional<std::string_view> After(std::string_view line, std::string_view word) {
  if (line.size() <= word.size() || line.substr(0, word.size()) != word || line[word.size()] != ' ') {
    return std::nullopt;
  }
  return line.substr(word.size() + 1);
}

template <size_t N>
std::optional<std::array<uint8_t, N>> DecodeFixed(std::string_view base64) {
  auto bytes = Base64Decode(base64);
  if (!bytes || bytes->size() != N) return std::nullopt;
  std::array<uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

Error Bad(std::string what) { return Error::Invalid("checkpoint", std::move(what)); }

}  // namespace

std::string FormatMicrosUtc(TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const auto since_midnight = t - day;
  const auto h = duration_cast<hours>(since_midnight);
  const auto m = duration_cast<minutes>(since_midnight - h);
  const auto s = duration_cast<seconds>(since_midnight - h - m);
  const auto us = duration_cast<microseconds>(since_midnight - h - m - s);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(h.count()),
                static_cast<int>(m.count()), static_cast<int>(s.count()), static_cast<int>(us.count()));
  return buf;
}

std::optional<TimePoint> ParseMicrosUtc(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS.ffffffZ, exactly.
  if (text.size() != 27 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[26] != 'Z') {
    return std::nullopt;
  }
  auto num = [&](size_t pos, size_t len) -> std::optional<int> {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const auto date = Date::Parse(text.substr(0, 10));
  const auto h = num(11, 2), m = num(14, 2), s = num(17, 2), us = num(20, 6);
  if (!date || !h || !m || !s || !us || *h > 23 || *m > 59 || *s > 59) return std::nullopt;
  const int64_t micros =
      ((date->ToDays() * 24 + *h) * 60 + *m) * 60 * 1'000'000 + static_cast<int64_t>(*s) * 1'000'000 + *us;
  return FromMicros(micros);
}

std::string CheckpointStatement(const AuditCheckpoint& c) {
  std::string out(kMagic);
  out += "\nnumber " + std::to_string(c.number);
  out += "\nissued-at " + FormatMicrosUtc(c.issued_at);
  out += "\nprevious " + c.previous;
  for (const auto& head : c.chains) {
    out += "\nchain " + std::to_string(head.chain) + " " + std::to_string(head.seq) + " " + head.hash;
  }
  out += "\nkey " + FormatPublicKey(c.key) + "\n";
  return out;
}

std::string SignCheckpoint(AuditCheckpoint& c, const ed25519::SigningKey& key) {
  c.key = key.public_key();
  const std::string statement = CheckpointStatement(c);
  c.signature = key.Sign(statement);
  return statement + "signature " + Base64Encode(c.signature) + "\n";
}

Result<AuditCheckpoint> ParseCheckpoint(std::string_view file) {
  if (file.empty() || file.back() != '\n') return Bad("The file does not end with a line break (it may be cut short).");
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < file.size();) {
    const size_t end = file.find('\n', start);
    lines.push_back(file.substr(start, end - start));
    start = end + 1;
  }
  // magic, number, issued-at, previous, chain…, key, signature
  if (lines.size() < 7) return Bad("Too few lines for a checkpoint.");
  if (lines[0] != kMagic) return Bad("The first line is not \"" + std::string(kMagic) + "\".");
  AuditCheckpoint c;
  const auto number = After(lines[1], "number");
  const auto parsed_number = number ? ParseCount(*number) : std::nullopt;
  if (!parsed_number || *parsed_number < 1) return Bad("Line 2 is not \"number N\" with N at least 1.");
  c.number = *parsed_number;
  const auto issued = After(lines[2], "issued-at");
  const auto issued_at = issued ? ParseMicrosUtc(*issued) : std::nullopt;
  if (!issued_at) return Bad("Line 3 is not \"issued-at YYYY-MM-DDTHH:MM:SS.ffffffZ\".");
  c.issued_at = *issued_at;
  const auto previous = After(lines[3], "previous");
  if (!previous || !IsHash(*previous)) return Bad("Line 4 is not \"previous\" and 64 lower-case hex digits.");
  c.previous = std::string(*previous);
  size_t i = 4;
  for (; i < lines.size(); ++i) {
    const auto rest = After(lines[i], "chain");
    if (!rest) break;
    const size_t sp1 = rest->find(' ');
    const size_t sp2 = sp1 == std::string_view::npos ? sp1 : rest->find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos) return Bad("Line " + std::to_string(i + 1) + " is not \"chain CHAIN SEQ HASH\".");
    AuditChainHead head{0, 0, std::string(rest->substr(sp2 + 1))};
    const auto chain = ParseCount(rest->substr(0, sp1));
    const auto seq = ParseCount(rest->substr(sp1 + 1, sp2 - sp1 - 1));
    if (!chain || !seq || !IsHash(head.hash)) {
      return Bad("Line " + std::to_string(i + 1) + " is not \"chain CHAIN SEQ HASH\".");
    }
    head.chain = *chain;
    head.seq = *seq;
    if (!c.chains.empty() && c.chains.back().chain >= head.chain) {
      return Bad("Chains must be listed once each, in increasing order (line " + std::to_string(i + 1) + ").");
    }
    c.chains.push_back(std::move(head));
  }
  if (c.chains.empty()) return Bad("Line 5 is not \"chain CHAIN SEQ HASH\".");
  if (i + 2 != lines.size()) return Bad("Expected a \"key\" line and a \"signature\" line after the chains.");
  const auto key_text = After(lines[i], "key");
  const auto key = key_text ? ParsePublicKey(*key_text) : std::nullopt;
  if (!key) return Bad("Line " + std::to_string(i + 1) + " is not \"key ed25519 BASE64\".");
  c.key = *key;
  const auto sig_text = After(lines[i + 1], "signature");
  const auto sig = sig_text ? DecodeFixed<64>(*sig_text) : std::nullopt;
  if (!sig) return Bad("The last line is not \"signature BASE64\" of 64 bytes.");
  c.signature = *sig;
  // The parse must be exact: formatting what was read gives back the same bytes.
  if (CheckpointStatement(c) + "signature " + Base64Encode(c.signature) + "\n" != file) {
    return Bad("The checkpoint is not in its canonical form.");
  }
  return c;
}

bool CheckpointSignatureValid(const AuditCheckpoint& c) {
  return ed25519::Verify(c.key, CheckpointStatement(c), c.signature);
}

std::string CheckpointFileHash(std::string_view file) { return Sha256Hex(file); }

std::string FormatPublicKey(const ed25519::PublicKey& key) { return "ed25519 " + Base64Encode(key); }

std::optional<ed25519::PublicKey> ParsePublicKey(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  const auto rest = After(text, "ed25519");
  if (!rest) return std::nullopt;
  return DecodeFixed<32>(*rest);
}

}  // namespace kith::domain
