// National identifiers a child may carry, with their check-digit rules.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace kith::domain {

// NHS number: 10 digits (spaces allowed in input) whose last digit is the modulus-11 check
// digit over the first nine (weights 10..2). Numbers whose check would be 10 do not exist.
bool IsValidNhsNumber(std::string_view text);
// The ten digits with spaces removed; empty if the text is not a valid NHS number.
std::string NormaliseNhsNumber(std::string_view text);

// Unique Pupil Number: 13 characters, a check letter followed by 12 characters (11 digits
// and a final digit or, for a temporary UPN, a letter). The check letter is the sum of
// characters 2..13 times weights 2..13, modulo 23, as a letter of "ABCDEFGHJKLMNPQRTUVWXYZ".
bool IsValidUpn(std::string_view text);
// Upper-cased with spaces removed; empty if the text is not a valid UPN.
std::string NormaliseUpn(std::string_view text);

}  // namespace kith::domain
