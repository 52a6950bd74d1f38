#include "linkage/identifiers.h"

namespace kith::linkage {
namespace {

constexpr std::string_view kUpnAlphabet = "ABCDEFGHJKLMNPQRTUVWXYZ";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string StripSeparators(std::string_view text, bool upper) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
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

bool IsValidNhsNumber(std::string_view text) {
  if (text.size() != 10 || !IsDigit(text[9])) return false;
  const auto check = NhsCheckDigit(text.substr(0, 9));
  return check && *check == text[9] - '0';
}

std::optional<std::string> NormaliseNhsNumber(std::string_view text) {
  std::string digits = StripSeparators(text, false);
  if (!IsValidNhsNumber(digits)) return std::nullopt;
  return digits;
}

std::optional<char> UpnCheckLetter(std::string_view last_twelve) {
  if (last_twelve.size() != 12) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < 12; ++i) {
    const char c = last_twelve[i];
    int value;
    if (IsDigit(c)) {
      value = c - '0';
    } else if (i == 11 && kUpnAlphabet.find(c) != std::string_view::npos) {
      value = static_cast<int>(kUpnAlphabet.find(c));
    } else {
      return std::nullopt;
    }
    sum += value * static_cast<int>(i + 2);
  }
  return kUpnAlphabet[sum % 23];
}

bool IsValidUpn(std::string_view text) {
  if (text.size() != 13) return false;
  const auto check = UpnCheckLetter(text.substr(1));
  return check && *check == text[0];
}

std::optional<std::string> NormaliseUpn(std::string_view text) {
  std::string upn = StripSeparators(text, true);
  if (!IsValidUpn(upn)) return std::nullopt;
  return upn;
}

}  // namespace kith::linkage
