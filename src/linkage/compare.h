// Field comparisons for Fellegi–Sunter linkage. Each comparison maps a pair of normalised
// records to a small agreement level: 0 means "cannot compare" (a value is missing, and the
// comparison then carries no evidence), 1 means "disagree", and higher levels mean closer
// agreement up to the top level, exact agreement. Levels per kind are listed in
// docs/linkage.md and by LevelName.
// Comparator::Compare does not allocate and is the hot loop of linkage and of search.
// Thread safety: a Comparator is immutable after construction and safe to share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "linkage/record.h"

namespace kith::linkage {

enum class ComparisonKind : uint8_t {
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
  kIdentifier,
  kText,
};

inline constexpr int kMaxLevels = 8;
inline constexpr int kMaxComparisons = 16;

struct ComparisonSpec {
  ComparisonKind kind = ComparisonKind::kGivenName;
  int text_slot = 0;  // for kText: index into Record::texts
  std::string name;   // for reports ("given_name", "occupation")
};

// Number of levels including the null level 0; the top level (count - 1) is exact agreement.
int LevelCount(ComparisonKind kind);
// A short description of a level ("exact", "nickname or transliteration", "day/month swapped").
std::string_view LevelName(ComparisonKind kind, int level);
// Whether exact agreement on this kind is adjusted by how common the agreed value is.
bool UsesTermFrequency(ComparisonKind kind);
// The value whose frequency adjusts exact agreement (empty when the kind has none).
std::string_view TermValue(const ComparisonSpec& spec, const Record& r);
// The kinds that identify a person on their own (NHS number, UPN, other identifiers).
bool IsIdentifier(ComparisonKind kind);

// The comparisons worth making on a set of records: one per field that is present in at least
// `min_fraction` of them, one per text slot. Order: names, date of birth, sex, postcode,
// address, locality, identifiers, texts.
std::vector<ComparisonSpec> ChooseComparisons(const std::vector<Record>& records,
                                              const std::vector<std::string>& text_names, double min_fraction = 0.005);

class Comparator {
 public:
  explicit Comparator(std::vector<ComparisonSpec> specs);

  const std::vector<ComparisonSpec>& specs() const { return specs_; }
  size_t size() const { return specs_.size(); }

  // Writes one level per comparison into gamma[0..size()). Given and family names are compared
  // together so that a swapped given/family name counts as strong (not exact) agreement on both.
  void Compare(const Record& a, const Record& b, uint8_t* gamma) const;

 private:
  std::vector<ComparisonSpec> specs_;
  int given_ = -1;   // index of the given-name comparison, or -1
  int family_ = -1;  // index of the family-name comparison, or -1
};

// Individual comparisons, exposed for search ranking and tests. Each returns a level as above.
uint8_t CompareGivenName(const Record& a, const Record& b);
uint8_t CompareFamilyName(std::string_view a, std::string_view b, uint32_t phonetic_a, uint32_t phonetic_b);
uint8_t CompareFullName(std::string_view a, std::string_view b);
uint8_t CompareDateOfBirth(const DateDigits& a, const DateDigits& b);
uint8_t ComparePostcode(const Record& a, const Record& b);
uint8_t CompareAddress(std::string_view a, std::string_view b);
uint8_t CompareShortText(std::string_view a, std::string_view b);  // locality and text
uint8_t CompareIdentifier(std::string_view a, std::string_view b);

}  // namespace kith::linkage
