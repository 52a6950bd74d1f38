// Check-digit validation for the two national child identifiers: the NHS number (modulus 11)
// and the Unique Pupil Number (modulus 23 check letter). Pure functions, no allocation.
// Thread safety: all functions are stateless and safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kith::linkage {

// The check digit for the first nine digits of an NHS number: 11 - (sum of digit × weight,
// weights 10..2) mod 11, with 11 mapped to 0. Returns nullopt when `first_nine` is not nine
// ASCII digits, or when the result would be 10 (such a number is never issued).
std::optional<int> NhsCheckDigit(std::string_view first_nine);

// True when `text` is exactly ten ASCII digits whose last digit is the modulus-11 check digit of
// the first nine. No separators are accepted; use NormaliseNhsNumber first for user input.
bool IsValidNhsNumber(std::string_view text);

// Strips spaces and hyphens ("943 476 5919" → "9434765919"). Returns the ten digits when the
// result is a valid NHS number, nullopt otherwise.
std::optional<std::string> NormaliseNhsNumber(std::string_view text);

// The UPN check letter for the twelve characters that follow it (UPN characters 2..13):
// sum of character value × weight (weights 2..13), mod 23, as an index into
// "ABCDEFGHJKLMNPQRTUVWXYZ". Digits are valued 0..9; the last character may be a letter (a
// temporary UPN), valued by its index in that same alphabet. Returns nullopt when
// `last_twelve` has the wrong length or a character not allowed at its position.
std::optional<char> UpnCheckLetter(std::string_view last_twelve);

// True when `text` is a 13-character UPN (upper case) whose first letter is the check letter of
// the other twelve.
bool IsValidUpn(std::string_view text);

// Upper-cases and strips spaces; returns the UPN when valid, nullopt otherwise.
std::optional<std::string> NormaliseUpn(std::string_view text);

}  // namespace kith::linkage
