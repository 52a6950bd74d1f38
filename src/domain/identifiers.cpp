#include "domain/identifiers.h"

namespace kith::domain {
namespace {

constexpr std::string_view kUpnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// People write identifiers in groups ("943 476 5919", "943-476-5919"); the groups carry no
// meaning, so separators are dropped before the check.
std::string Compact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::optional<int> NhsCheckDigit(std::string_view first_nine) {
  if (first_nine.size() != 9) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) {
    if (!IsDigit(first_nine[i])) return std::nullopt;
    sum += (first_nine[i] - '0') * static_cast<int>(10 - i);
  }
  const int check = 11 - sum % 11;
  if (check == 10) return std::nullopt;
  return check == 11 ? 0 : check;
}

std::string NormaliseNhsNumber(std::string_view text) {
  std::string digits = Compact(text);
  if (digits.size() != 10 || !IsDigit(digits[9])) return {};
  const auto check = NhsCheckDigit(std::string_view(digits).substr(0, 9));
  if (!check || *check != digits[9] - '0') return {};
  return digits;
}

bool IsValidNhsNumber(std::string_view text) { return !NormaliseNhsNumber(text).empty(); }

std::optional<char> UpnCheckLetter(std::string_view last_twelve) {
  if (last_twelve.size() != 12) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < 12; ++i) {
    const char c = last_twelve[i];
    int value;
    if (IsDigit(c)) {
      value = c - '0';
    } else if (i == 11 && kUpnLetters.find(c) != std::string_view::npos) {
      value = static_cast<int>(kUpnLetters.find(c));
    } else {
      return std::nullopt;
    }
    sum += value * static_cast<int>(i + 2);
  }
  return kUpnLetters[static_cast<size_t>(sum % 23)];
}

std::string NormaliseUpn(std::string_view text) {
  std::string upn = Compact(text);
  if (upn.size() != 13) return {};
  const auto check = UpnCheckLetter(std::string_view(upn).substr(1));
  if (!check || *check != upn[0]) return {};
  return upn;
}

bool IsValidUpn(std::string_view text) { return !NormaliseUpn(text).empty(); }

}  // namespace kith::domain
