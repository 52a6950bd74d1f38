// The records the linkage engine reads and the normalised form it compares.
// InputRecord holds the text as read (from CSV, a generator or the database); Record holds the
// folded, coded and parsed values that comparisons use, computed once per record so that no
// comparison parses or allocates.
// Thread safety: plain values; NormaliseRecord is pure and safe to call from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linkage/text.h"

namespace kith::linkage {

// What a column means. Several columns may share a type: kAddress columns are joined in order
// (street_number, address_1, address_2), as are kLocality and kIdentifier columns; each kText
// column is compared on its own.
enum class FieldType : uint8_t {
  kIgnore,
  kRecordId,
  kSource,
  kCluster,  // known truth (entity id), used only for evaluation
  kGivenName,
  kFamilyName,
  kFullName,
  kDateOfBirth,
  kSex,
  kPostcode,
  kAddress,
  kLocality,
  kNhsNumber,
  kUpn,
  kIdentifier,  // any other identifier compared exactly or within one edit (soc_sec_id, email)
  kText,        // any other attribute (occupation, state)
};

// The names used by `--field COLUMN=TYPE`: ignore, record_id, source, cluster, given_name,
// family_name, full_name, date_of_birth, sex, postcode, address, locality, nhs_number, upn,
// identifier, text. Returns nullopt for any other name.
std::optional<FieldType> ParseFieldType(std::string_view name);
std::string_view ToString(FieldType type);

// The type a column gets from its header when no override is given: recognises this project's
// names and those of FEBRL and Splink's example data (rec_id, unique_id, first_name, surname,
// dob, postcode_fake, soc_sec_id, address_1, suburb, birth_place, occupation...). Case and
// surrounding spaces are ignored; unknown columns are kIgnore.
FieldType DefaultFieldType(std::string_view column_name);

struct InputRecord {
  std::string record_id;
  std::string source;
  std::string cluster;
  std::string given_name;
  std::string family_name;
  std::string full_name;
  std::string date_of_birth;  // YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY; impossible dates are kept
  std::string sex;
  std::string postcode;
  std::string address;
  std::string locality;
  std::string nhs_number;
  std::string upn;
  std::string identifier;
  std::vector<std::string> texts;  // one per kText column, in column order
};

// A date of birth as digits. Components are kept even when the date is impossible (month 86),
// because a typo'd date still carries evidence digit by digit.
struct DateDigits {
  std::array<char, 8> digits{};  // YYYYMMDD; all '\0' when missing
  int year = 0;
  int month = 0;
  int day = 0;
  bool present = false;
  bool valid = false;  // a real calendar date
  int64_t days = 0;    // days since 1970-01-01 when valid
  // 1 January: what a system records when only the year is known (a child born abroad, a
  // historical figure). Only its year is evidence; comparisons read the day and month as missing.
  bool defaulted = false;
};

// Parses YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD or DD/MM/YYYY; not present when the text has another
// shape or fewer than eight digits.
DateDigits ParseDateDigits(std::string_view text);

// Normalised values. Empty string or zero means missing. Placeholders read as missing: a given
// name made only of placeholder words ("Baby", "Baby Girl", "Unknown", "Not known"), a family
// name "Unknown" or "Not known", and the ZZ99 pseudo-postcodes (no fixed abode, unknown), which
// many unrelated children share. NormaliseRecord applies IsPlaceholderName / IsPlaceholderPostcode.
struct Record {
  std::string given;               // FoldName
  std::string given_canonical;     // nickname/transliteration canonical of the first given token
  GivenNameGroups given_groups;    // GivenNameGroupsOf the first given token and of its canonical
  std::string family;              // FoldName; hyphenated and double-barrelled parts space-separated
  std::string full_name;           // FoldName of the full name
  std::string address;             // FoldText
  std::string locality;            // FoldText
  std::string postcode;            // upper case, no spaces
  std::string nhs_number;          // ten digits, only when the check digit is valid
  std::string upn;                 // thirteen characters, only when the check letter is valid
  std::string identifier;          // FoldText of other identifiers, spaces removed
  std::vector<std::string> texts;  // FoldText, per kText column
  DateDigits dob;
  uint32_t given_phonetic = 0;  // PhoneticCode packed into four bytes; 0 when missing
  uint32_t family_phonetic = 0;
  uint8_t postcode_outward = 0;  // length of the outward code (district) of a UK postcode, or 0
  char sex = 0;                  // 'M', 'F' or 0
};

Record NormaliseRecord(const InputRecord& input);

// Whether a folded name (FoldName) is a placeholder a source writes when it has no name: every
// token one of baby, boy, girl, infant, newborn, unnamed, unknown, not, known, nk (so "baby
// boy", "not known"). A name with any other token is a name ("baby jones" is not a placeholder).
bool IsPlaceholderName(std::string_view folded);

// Whether a normalised postcode (upper case, no spaces) is one of the ZZ99 pseudo-postcodes.
bool IsPlaceholderPostcode(std::string_view postcode);

// PhoneticCode packed into a uint32 (0 for ""), for blocking keys and fast equality.
uint32_t PackPhonetic(std::string_view code);

// Length of the outward code ("SW1A" of "SW1A1AA") when `postcode` (upper case, no spaces) has
// the shape of a UK postcode, otherwise 0.
uint8_t UkOutwardLength(std::string_view postcode);

}  // namespace kith::linkage
