#include "domain/identifiers.h"

#include <cctype>

namespace kith::domain {
namespace {

constexpr std::string_view kUpnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ";

std::string Compact(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::string NormaliseNhsNumber(std::string_view text) {
  std::string digits = Compact(text);
  if (digits.size() != 10) return {};
  int sum = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(digits[i]))) return {};
    if (i < 9) sum += (digits[i] - '0') * static_cast<int>(10 - i);
  }
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10 || check != digits[9] - '0') return {};
  return digits;
}

bool IsValidNhsNumber(std::string_view text) { return !NormaliseNhsNumber(text).empty(); }

std::string NormaliseUpn(std::string_view text) {
  std::string upn = Compact(text);
  if (upn.size() != 13) return {};
  int sum = 0;
  for (size_t i = 1; i < 13; ++i) {
    const char c = upn[i];
    int value;
    if (std::isdigit(static_cast<unsigned char>(c))) {
      value = c - '0';
    } else if (i == 12 && kUpnLetters.find(c) != std::string_view::npos) {
      value = static_cast<int>(kUpnLetters.find(c));
    } else {
      return {};
    }
    sum += value * static_cast<int>(i + 1);
  }
  if (upn[0] != kUpnLetters[sum % 23]) return {};
  return upn;
}

bool IsValidUpn(std::string_view text) { return !NormaliseUpn(text).empty(); }

}  // namespace kith::domain
