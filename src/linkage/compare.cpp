#include "linkage/compare.h"

#include <algorithm>
#include <cstdlib>

#include "linkage/text.h"

namespace kith::linkage {
namespace {

std::string_view FirstToken(std::string_view s) { return s.substr(0, s.find(' ')); }

// Token overlap of folded text as (shared tokens, tokens in the shorter side). Quadratic in
// token count, which is small for names; no allocation.
std::pair<int, int> TokenOverlap(std::string_view a, std::string_view b) {
  int n_a = 0;
  int n_b = 0;
  int shared = 0;
  ForEachToken(b, [&](std::string_view) { ++n_b; });
  ForEachToken(a, [&](std::string_view ta) {
    ++n_a;
    bool found = false;
    ForEachToken(b, [&](std::string_view tb) { found = found || ta == tb; });
    if (!found && IsKnownGivenName(ta)) {
      // A given name in one and its nickname, transliteration or name-group form in the other.
      ForEachToken(b, [&](std::string_view tb) { found = found || SameGivenName(ta, tb); });
    }
    shared += found;
  });
  return {shared, std::min(n_a, n_b)};
}

uint8_t CompareGivenStrings(std::string_view a, std::string_view canon_a, std::string_view b, std::string_view canon_b,
                            uint32_t phon_a, uint32_t phon_b, bool same_name_group) {
  if (a == b) return 5;
  const std::string_view first_a = FirstToken(a);
  const std::string_view first_b = FirstToken(b);
  if ((first_a.size() == 1 || first_b.size() == 1) && !first_a.empty() && !first_b.empty()) {
    // An initial: agreeing with the other's first letter it says no more than a missing name
    // (J. is John, James or Jack), so it is not evidence either way; disagreeing it is.
    return first_a[0] == first_b[0] ? 0 : 1;
  }
  if (canon_a == canon_b || first_a == first_b || canon_a == first_b || canon_b == first_a || same_name_group) {
    return 4;
  }
  if (WithinOneEdit(first_a, first_b)) return 3;
  const double jw = JaroWinkler(a, b);
  if (jw >= 0.92) return 3;
  if (jw >= 0.80 || (phon_a != 0 && phon_a == phon_b)) return 2;
  return 1;
}

}  // namespace

int LevelCount(ComparisonKind kind) {
  switch (kind) {
    case ComparisonKind::kGivenName:
      return 6;
    case ComparisonKind::kFamilyName:
      return 5;
    case ComparisonKind::kFullName:
      return 5;
    case ComparisonKind::kDateOfBirth:
      return 6;
    case ComparisonKind::kSex:
      return 3;
    case ComparisonKind::kPostcode:
      return 5;
    case ComparisonKind::kAddress:
      return 5;
    case ComparisonKind::kLocality:
    case ComparisonKind::kNhsNumber:
    case ComparisonKind::kUpn:
    case ComparisonKind::kIdentifier:
    case ComparisonKind::kText:
      return 4;
  }
  return 2;
}

std::string_view LevelName(ComparisonKind kind, int level) {
  if (level == 0) return "missing";
  if (level == 1) return "different";
  if (level == LevelCount(kind) - 1) return "exact";
  switch (kind) {
    case ComparisonKind::kGivenName:
      return level == 4   ? "nickname, transliteration or first name"
             : level == 3 ? "one edit or JW>=0.92"
                          : "JW>=0.80 or phonetic";
    case ComparisonKind::kFamilyName:
      return level == 3 ? "one edit, JW>=0.92, swapped or shared part" : "JW>=0.80 or phonetic";
    case ComparisonKind::kFullName:
      return level == 3 ? "half the tokens shared" : "a token shared";
    case ComparisonKind::kDateOfBirth:
      return level == 4 ? "day and month swapped" : level == 3 ? "one digit off" : "two digits off or within a year";
    case ComparisonKind::kPostcode:
      return level == 3 ? "same sector" : "same district (or one edit)";
    case ComparisonKind::kAddress:
      return level == 3 ? "JW>=0.90" : "a token shared";
    case ComparisonKind::kLocality:
    case ComparisonKind::kText:
      return "JW>=0.88 or a token shared";
    case ComparisonKind::kNhsNumber:
    case ComparisonKind::kUpn:
    case ComparisonKind::kIdentifier:
      return "one edit";
    case ComparisonKind::kSex:
      break;
  }
  return "?";
}

bool UsesTermFrequency(ComparisonKind kind) {
  switch (kind) {
    case ComparisonKind::kGivenName:
    case ComparisonKind::kFamilyName:
    case ComparisonKind::kFullName:
    case ComparisonKind::kPostcode:
    case ComparisonKind::kLocality:
    case ComparisonKind::kText:
      return true;
    default:
      return false;
  }
}

std::string_view TermValue(const ComparisonSpec& spec, const Record& r) {
  switch (spec.kind) {
    case ComparisonKind::kGivenName:
      return r.given;
    case ComparisonKind::kFamilyName:
      return r.family;
    case ComparisonKind::kFullName:
      return r.full_name;
    case ComparisonKind::kPostcode:
      return r.postcode;
    case ComparisonKind::kLocality:
      return r.locality;
    case ComparisonKind::kText:
      return static_cast<size_t>(spec.text_slot) < r.texts.size() ? std::string_view(r.texts[spec.text_slot])
                                                                  : std::string_view();
    default:
      return {};
  }
}

bool IsIdentifier(ComparisonKind kind) {
  return kind == ComparisonKind::kNhsNumber || kind == ComparisonKind::kUpn || kind == ComparisonKind::kIdentifier;
}

uint8_t CompareGivenName(const Record& a, const Record& b) {
  if (a.given.empty() || b.given.empty()) return 0;
  // A name group joins forms of one name across languages (Jean, John); a record of each sex
  // is two people (Jean and John as a sister and brother).
  const bool same_group = a.given_groups.Meets(b.given_groups) && (a.sex == 0 || b.sex == 0 || a.sex == b.sex);
  return CompareGivenStrings(a.given, a.given_canonical, b.given, b.given_canonical, a.given_phonetic, b.given_phonetic,
                             same_group);
}

uint8_t CompareFamilyName(std::string_view a, std::string_view b, uint32_t phonetic_a, uint32_t phonetic_b) {
  if (a.empty() || b.empty()) return 0;
  if (a == b) return 4;
  if (WithinOneEdit(a, b) || ShareToken(a, b, 3)) return 3;
  const double jw = JaroWinkler(a, b);
  if (jw >= 0.92) return 3;
  if (jw >= 0.80 || (phonetic_a != 0 && phonetic_a == phonetic_b)) return 2;
  return 1;
}

uint8_t CompareFullName(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0;
  if (a == b) return 4;
  const auto [shared, shorter] = TokenOverlap(a, b);
  if (shorter > 0 && 2 * shared >= shorter && shared >= 2) return 3;
  if (shared >= 1) return 2;
  return 1;
}

uint8_t CompareDateOfBirth(const DateDigits& a, const DateDigits& b) {
  if (!a.present || !b.present) return 0;
  if (a.defaulted || b.defaulted) {
    // Only the year is known: two defaulted dates of one year agree as closely as "within a
    // year"; a defaulted date says nothing about a real date in its year.
    if (a.year != b.year) return 1;
    return a.defaulted && b.defaulted ? 2 : 0;
  }
  if (a.digits == b.digits) return 5;
  if (a.year == b.year && a.month == b.day && a.day == b.month) return 4;
  const std::string_view da(a.digits.data(), 8);
  const std::string_view db(b.digits.data(), 8);
  const size_t hamming = HammingDistance(da, db);
  if (hamming == 1 || WithinOneEdit(da, db)) return 3;
  if (hamming == 2 || (a.valid && b.valid && std::llabs(a.days - b.days) <= 366)) return 2;
  return 1;
}

uint8_t ComparePostcode(const Record& a, const Record& b) {
  if (a.postcode.empty() || b.postcode.empty()) return 0;
  if (a.postcode == b.postcode) return 4;
  if (a.postcode_outward != 0 && a.postcode_outward == b.postcode_outward) {
    const size_t n = a.postcode_outward;
    if (a.postcode.compare(0, n, b.postcode, 0, n) == 0) {
      return a.postcode[n] == b.postcode[n] ? 3 : 2;
    }
    return 1;
  }
  if (a.postcode_outward == 0 && b.postcode_outward == 0 && WithinOneEdit(a.postcode, b.postcode)) {
    return 2;
  }
  return 1;
}

uint8_t CompareAddress(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0;
  if (a == b) return 4;
  if (JaroWinkler(a, b) >= 0.90) return 3;
  if (ShareToken(a, b, 3)) return 2;
  return 1;
}

uint8_t CompareShortText(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0;
  if (a == b) return 3;
  if (JaroWinkler(a, b) >= 0.88 || ShareToken(a, b, 3)) return 2;
  return 1;
}

uint8_t CompareIdentifier(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0;
  if (a == b) return 3;
  return WithinOneEdit(a, b) ? 2 : 1;
}

std::vector<ComparisonSpec> ChooseComparisons(const std::vector<Record>& records,
                                              const std::vector<std::string>& text_names, double min_fraction) {
  size_t counts[12] = {};
  size_t n_texts = text_names.size();
  for (const Record& r : records) n_texts = std::max(n_texts, r.texts.size());
  std::vector<size_t> text_counts(n_texts, 0);
  for (const Record& r : records) {
    counts[0] += !r.given.empty();
    counts[1] += !r.family.empty();
    counts[2] += !r.full_name.empty();
    counts[3] += r.dob.present;
    counts[4] += r.sex != 0;
    counts[5] += !r.postcode.empty();
    counts[6] += !r.address.empty();
    counts[7] += !r.locality.empty();
    counts[8] += !r.nhs_number.empty();
    counts[9] += !r.upn.empty();
    counts[10] += !r.identifier.empty();
    for (size_t t = 0; t < r.texts.size(); ++t) text_counts[t] += !r.texts[t].empty();
  }
  const double need = min_fraction * static_cast<double>(records.size());
  struct Candidate {
    ComparisonKind kind;
    const char* name;
  };
  constexpr Candidate kFixed[] = {
      {ComparisonKind::kGivenName, "given_name"},
      {ComparisonKind::kFamilyName, "family_name"},
      {ComparisonKind::kFullName, "full_name"},
      {ComparisonKind::kDateOfBirth, "date_of_birth"},
      {ComparisonKind::kSex, "sex"},
      {ComparisonKind::kPostcode, "postcode"},
      {ComparisonKind::kAddress, "address"},
      {ComparisonKind::kLocality, "locality"},
      {ComparisonKind::kNhsNumber, "nhs_number"},
      {ComparisonKind::kUpn, "upn"},
      {ComparisonKind::kIdentifier, "identifier"},
  };
  std::vector<ComparisonSpec> specs;
  for (size_t i = 0; i < std::size(kFixed); ++i) {
    if (static_cast<double>(counts[i]) > need && specs.size() < kMaxComparisons) {
      specs.push_back({kFixed[i].kind, 0, kFixed[i].name});
    }
  }
  for (size_t t = 0; t < n_texts; ++t) {
    if (static_cast<double>(text_counts[t]) > need && specs.size() < kMaxComparisons) {
      specs.push_back({ComparisonKind::kText, static_cast<int>(t),
                       t < text_names.size() ? text_names[t] : "text" + std::to_string(t)});
    }
  }
  return specs;
}

Comparator::Comparator(std::vector<ComparisonSpec> specs) : specs_(std::move(specs)) {
  for (size_t i = 0; i < specs_.size(); ++i) {
    if (specs_[i].kind == ComparisonKind::kGivenName) given_ = static_cast<int>(i);
    if (specs_[i].kind == ComparisonKind::kFamilyName) family_ = static_cast<int>(i);
  }
}

void Comparator::Compare(const Record& a, const Record& b, uint8_t* gamma) const {
  for (size_t i = 0; i < specs_.size(); ++i) {
    const ComparisonSpec& s = specs_[i];
    uint8_t level = 0;
    switch (s.kind) {
      case ComparisonKind::kGivenName:
        level = CompareGivenName(a, b);
        break;
      case ComparisonKind::kFamilyName:
        level = CompareFamilyName(a.family, b.family, a.family_phonetic, b.family_phonetic);
        break;
      case ComparisonKind::kFullName:
        level = CompareFullName(a.full_name, b.full_name);
        break;
      case ComparisonKind::kDateOfBirth:
        level = CompareDateOfBirth(a.dob, b.dob);
        break;
      case ComparisonKind::kSex:
        level = (a.sex == 0 || b.sex == 0) ? 0 : a.sex == b.sex ? 2 : 1;
        break;
      case ComparisonKind::kPostcode:
        level = ComparePostcode(a, b);
        break;
      case ComparisonKind::kAddress:
        level = CompareAddress(a.address, b.address);
        break;
      case ComparisonKind::kLocality:
        level = CompareShortText(a.locality, b.locality);
        break;
      case ComparisonKind::kNhsNumber:
        level = CompareIdentifier(a.nhs_number, b.nhs_number);
        break;
      case ComparisonKind::kUpn:
        level = CompareIdentifier(a.upn, b.upn);
        break;
      case ComparisonKind::kIdentifier:
        level = CompareIdentifier(a.identifier, b.identifier);
        break;
      case ComparisonKind::kText: {
        const size_t t = static_cast<size_t>(s.text_slot);
        level = (t < a.texts.size() && t < b.texts.size()) ? CompareShortText(a.texts[t], b.texts[t]) : 0;
        break;
      }
    }
    gamma[i] = level;
  }
  if (given_ >= 0 && family_ >= 0 && gamma[given_] > 0 && gamma[family_] > 0 &&
      (gamma[given_] < 4 || gamma[family_] < 3)) {
    // A given name recorded as the family name and vice versa.
    const bool swapped =
        CompareFamilyName(a.given, b.family, 0, 0) >= 3 && CompareFamilyName(a.family, b.given, 0, 0) >= 3;
    if (swapped) {
      gamma[given_] = 4;
      gamma[family_] = 3;
    }
  }
  if (given_ >= 0 && family_ >= 0 && a.family.empty() != b.family.empty() && gamma[given_] > 0) {
    // One record has a single name, given in the given-name column: it may as well be the
    // family name (a source that knows someone by surname alone). When it agrees better with
    // the other record's family name, it is compared as the family name and the given names
    // are unknown.
    const Record& single = a.family.empty() ? a : b;
    const Record& other = a.family.empty() ? b : a;
    const uint8_t as_family = CompareFamilyName(single.given, other.family, 0, 0);
    if (as_family >= 3 && as_family + 1 > gamma[given_]) {
      gamma[given_] = 0;
      gamma[family_] = as_family;
    }
  }
}

}  // namespace kith::linkage
