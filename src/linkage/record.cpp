#include "linkage/record.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "common/date.h"
#include "domain/identifiers.h"
#include "linkage/text.h"

namespace kith::linkage {
namespace {

constexpr std::pair<std::string_view, FieldType> kTypeNames[] = {
    {"ignore", FieldType::kIgnore},
    {"record_id", FieldType::kRecordId},
    {"source", FieldType::kSource},
    {"cluster", FieldType::kCluster},
    {"given_name", FieldType::kGivenName},
    {"family_name", FieldType::kFamilyName},
    {"full_name", FieldType::kFullName},
    {"date_of_birth", FieldType::kDateOfBirth},
    {"sex", FieldType::kSex},
    {"postcode", FieldType::kPostcode},
    {"address", FieldType::kAddress},
    {"locality", FieldType::kLocality},
    {"nhs_number", FieldType::kNhsNumber},
    {"upn", FieldType::kUpn},
    {"identifier", FieldType::kIdentifier},
    {"text", FieldType::kText},
};

// Header names of this project, FEBRL and Splink's example data sets.
constexpr std::pair<std::string_view, FieldType> kKnownColumns[] = {
    {"record_id", FieldType::kRecordId},
    {"rec_id", FieldType::kRecordId},
    {"unique_id", FieldType::kRecordId},
    {"id", FieldType::kRecordId},
    {"source", FieldType::kSource},
    {"source_dataset", FieldType::kSource},
    {"cluster", FieldType::kCluster},
    {"entity_id", FieldType::kCluster},
    {"given_name", FieldType::kGivenName},
    {"first_name", FieldType::kGivenName},
    {"forename", FieldType::kGivenName},
    {"firstname", FieldType::kGivenName},
    {"family_name", FieldType::kFamilyName},
    {"surname", FieldType::kFamilyName},
    {"last_name", FieldType::kFamilyName},
    {"lastname", FieldType::kFamilyName},
    {"full_name", FieldType::kFullName},
    {"name", FieldType::kFullName},
    {"date_of_birth", FieldType::kDateOfBirth},
    {"dob", FieldType::kDateOfBirth},
    {"birth_date", FieldType::kDateOfBirth},
    {"sex", FieldType::kSex},
    {"gender", FieldType::kSex},
    {"postcode", FieldType::kPostcode},
    {"postcode_fake", FieldType::kPostcode},
    {"post_code", FieldType::kPostcode},
    {"address", FieldType::kAddress},
    {"street_number", FieldType::kAddress},
    {"address_1", FieldType::kAddress},
    {"address_2", FieldType::kAddress},
    {"street", FieldType::kAddress},
    {"suburb", FieldType::kLocality},
    {"city", FieldType::kLocality},
    {"town", FieldType::kLocality},
    {"birth_place", FieldType::kLocality},
    {"birthplace", FieldType::kLocality},
    {"nhs_number", FieldType::kNhsNumber},
    {"nhs_no", FieldType::kNhsNumber},
    {"upn", FieldType::kUpn},
    {"soc_sec_id", FieldType::kIdentifier},
    {"email", FieldType::kIdentifier},
    {"state", FieldType::kText},
    {"occupation", FieldType::kText},
    {"county", FieldType::kText},
};

std::string Lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

char NormaliseSex(std::string_view text) {
  const std::string s = Lower(Trim(text));
  if (s == "m" || s == "male" || s == "1" || s == "boy") return 'M';
  if (s == "f" || s == "female" || s == "2" || s == "girl") return 'F';
  return 0;
}

std::string NormalisePostcode(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

std::string WithoutSpaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

}  // namespace

std::optional<FieldType> ParseFieldType(std::string_view name) {
  const std::string key = Lower(Trim(name));
  for (const auto& [text, type] : kTypeNames) {
    if (text == key) return type;
  }
  return std::nullopt;
}

std::string_view ToString(FieldType type) {
  for (const auto& [text, t] : kTypeNames) {
    if (t == type) return text;
  }
  return "ignore";
}

FieldType DefaultFieldType(std::string_view column_name) {
  const std::string key = Lower(Trim(column_name));
  for (const auto& [text, type] : kKnownColumns) {
    if (text == key) return type;
  }
  return FieldType::kIgnore;
}

DateDigits ParseDateDigits(std::string_view text) {
  text = Trim(text);
  DateDigits d;
  std::string_view y, m, day;
  if (text.size() == 8 && AllDigits(text)) {
    y = text.substr(0, 4), m = text.substr(4, 2), day = text.substr(6, 2);
  } else if (text.size() == 10 && (text[4] == '-' || text[4] == '/') && text[7] == text[4]) {
    y = text.substr(0, 4), m = text.substr(5, 2), day = text.substr(8, 2);
  } else if (text.size() == 10 && text[2] == '/' && text[5] == '/') {
    day = text.substr(0, 2), m = text.substr(3, 2), y = text.substr(6, 4);
  } else {
    return d;
  }
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(day)) return d;
  d.present = true;
  std::copy(y.begin(), y.end(), d.digits.begin());
  std::copy(m.begin(), m.end(), d.digits.begin() + 4);
  std::copy(day.begin(), day.end(), d.digits.begin() + 6);
  d.year = ToInt(y);
  d.month = ToInt(m);
  d.day = ToInt(day);
  d.defaulted = d.month == 1 && d.day == 1;
  const Date date{d.year, d.month, d.day};
  d.valid = date.IsValid();
  if (d.valid) d.days = date.ToDays();
  return d;
}

uint32_t PackPhonetic(std::string_view code) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    v = (v << 8) | static_cast<uint8_t>(i < code.size() ? code[i] : 0);
  }
  return v;
}

uint8_t UkOutwardLength(std::string_view pc) {
  // Inward code: digit then two letters; outward: 2 to 4 characters starting with a letter.
  if (pc.size() < 5 || pc.size() > 7) return 0;
  const size_t n = pc.size();
  if (!std::isdigit(static_cast<unsigned char>(pc[n - 3])) || !std::isalpha(static_cast<unsigned char>(pc[n - 2])) ||
      !std::isalpha(static_cast<unsigned char>(pc[n - 1])) || !std::isalpha(static_cast<unsigned char>(pc[0]))) {
    return 0;
  }
  return static_cast<uint8_t>(n - 3);
}

bool IsPlaceholderName(std::string_view folded) {
  static constexpr std::string_view kWords[] = {"baby",    "boy",     "girl", "infant", "newborn",
                                                "unnamed", "unknown", "not",  "known",  "nk"};
  bool any = false;
  bool all = true;
  ForEachToken(folded, [&](std::string_view token) {
    any = true;
    all = all && std::find(std::begin(kWords), std::end(kWords), token) != std::end(kWords);
  });
  return any && all;
}

bool IsPlaceholderPostcode(std::string_view postcode) { return postcode.starts_with("ZZ99"); }

Record NormaliseRecord(const InputRecord& in) {
  Record r;
  r.given = FoldName(in.given_name);
  r.given.erase(0, r.given.size() - WithoutLeadingTitles(r.given).size());
  if (IsPlaceholderName(r.given)) r.given.clear();
  r.family = FoldName(in.family_name);
  if (IsPlaceholderName(r.family)) r.family.clear();
  r.full_name = FoldName(in.full_name);
  if (!r.given.empty()) {
    const std::string_view first = std::string_view(r.given).substr(0, r.given.find(' '));
    r.given_canonical = std::string(CanonicalGivenName(first));
    const GivenNameGroups own = GivenNameGroupsOf(first);
    const GivenNameGroups canonical = GivenNameGroupsOf(r.given_canonical);
    r.given_groups.bits[0] = own.bits[0] | canonical.bits[0];
    r.given_groups.bits[1] = own.bits[1] | canonical.bits[1];
    r.given_phonetic = PackPhonetic(PhoneticCode(r.given_canonical));
  }
  if (!r.family.empty()) r.family_phonetic = PackPhonetic(PhoneticCode(r.family));
  r.address = FoldText(in.address);
  r.locality = FoldText(in.locality);
  r.postcode = NormalisePostcode(in.postcode);
  if (IsPlaceholderPostcode(r.postcode)) r.postcode.clear();
  r.postcode_outward = UkOutwardLength(r.postcode);
  r.nhs_number = domain::NormaliseNhsNumber(in.nhs_number);
  r.upn = domain::NormaliseUpn(in.upn);
  r.identifier = WithoutSpaces(FoldText(in.identifier));
  r.texts.reserve(in.texts.size());
  for (const auto& t : in.texts) r.texts.push_back(FoldText(t));
  r.dob = ParseDateDigits(in.date_of_birth);
  r.sex = NormaliseSex(in.sex);
  return r;
}

}  // namespace kith::linkage
