// National identifiers a child may carry, with their check-digit rules. This is the one
// implementation of these rules: child validation, record linkage and search all use it.
// Pure functions, no shared state; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kith::domain {

// NHS number: 10 digits (spaces or hyphens allowed in input: "943 476 5919", "943-476-5919")
// whose last digit is the modulus-11 check digit over the first nine (weights 10..2).
bool IsValidNhsNumber(std::string_view text);
// The ten digits with separators removed; empty if the text is not a valid NHS number.
std::string NormaliseNhsNumber(std::string_view text);
// The check digit for the first nine digits: 11 - (sum of digit × weight, weights 10..2) mod 11,
// with 11 mapped to 0. nullopt when `first_nine` is not nine ASCII digits, or when the result
// would be 10 (such a number is never issued).
std::optional<int> NhsCheckDigit(std::string_view first_nine);

// Unique Pupil Number: 13 characters, a check letter followed by 12 characters (11 digits
// and a final digit or, for a temporary UPN, a letter). The check letter is the sum of
// characters 2..13 times weights 2..13, modulo 23, as a letter of "ABCDEFGHJKLMNPQRTUVWXYZ";
// a final letter is valued by its index in that alphabet. Input may be lower case and contain
// spaces or hyphens.
bool IsValidUpn(std::string_view text);
// Upper-cased with separators removed; empty if the text is not a valid UPN.
std::string NormaliseUpn(std::string_view text);
// The check letter for UPN characters 2..13 (upper case). nullopt when `last_twelve` has the
// wrong length or a character not allowed at its position.
std::optional<char> UpnCheckLetter(std::string_view last_twelve);

}  // namespace kith::domain
