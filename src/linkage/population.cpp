#include "linkage/population.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "domain/identifiers.h"
#include "linkage/population_names.h"
#include "linkage/seeded_rng.h"
#include "linkage/text.h"

namespace kith::linkage {
namespace {

namespace pd = population_data;
using Rng = SeededRng;

// ---- Drawing names -----------------------------------------------------------------------------

// Values with weights, drawn by binary search over the cumulative weights.
class Weighted {
 public:
  void Add(std::string_view value, double weight) {
    if (weight <= 0) return;
    values_.emplace_back(value);
    total_ += weight;
    cumulative_.push_back(total_);
  }
  const std::string& Draw(Rng& rng) const {
    const double x = rng.Unit() * total_;
    const size_t i = static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin());
    return values_[std::min(i, values_.size() - 1)];
  }
  bool empty() const { return values_.empty(); }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
  std::vector<double> cumulative_;
  double total_ = 0;
};

Weighted FromList(std::span<const pd::WeightedName> list) {
  Weighted w;
  for (const auto& n : list) w.Add(n.name, n.weight);
  return w;
}

// Long-tail names: every head + end, in a seeded order with Zipf weights, plus spellings that
// parents vary (Kayden, Kaiden, Caden): the tail has many rare and near-identical names.
Weighted TailNames(std::span<const std::string_view> heads, std::span<const std::string_view> ends, uint64_t seed,
                   bool with_spellings) {
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  auto add = [&](std::string n) {
    if (n.size() >= 3 && seen.insert(n).second) names.push_back(std::move(n));
  };
  for (std::string_view h : heads) {
    for (std::string_view e : ends) {
      std::string n = std::string(h) + std::string(e);
      add(n);
      if (!with_spellings) continue;
      std::string v = n;
      if (auto p = v.find('y', 1); p != std::string::npos) {
        v[p] = 'i';
        add(v);
      }
      if (n[0] == 'C') add("K" + n.substr(1));
      if (n.size() > 4 && n.ends_with("y")) add(n.substr(0, n.size() - 1) + "ie");
      if (n.size() > 4 && n.ends_with("ie")) add(n.substr(0, n.size() - 2) + "ey");
      if (n.size() > 4 && n.ends_with("n")) add(n.substr(0, n.size() - 2) + "yn");
    }
  }
  Rng rng(seed);
  for (size_t i = names.size(); i > 1; --i) std::swap(names[i - 1], names[rng.Uniform(i)]);
  Weighted w;
  for (size_t i = 0; i < names.size(); ++i) w.Add(names[i], 1.0 / std::pow(static_cast<double>(i) + 2, 0.8));
  return w;
}

// Tail surnames: head + end, sometimes with a joining syllable (Ashingford), in a seeded order.
Weighted TailSurnames(uint64_t seed) {
  constexpr std::string_view kJoins[] = {"", "", "", "ing", "er", "es", "en"};
  std::vector<std::string> names;
  for (std::string_view h : pd::TailSurnameHeads()) {
    for (std::string_view j : kJoins) {
      for (std::string_view e : pd::TailSurnameEnds()) names.push_back(std::string(h) + std::string(j) + std::string(e));
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  Rng rng(seed);
  for (size_t i = names.size(); i > 1; --i) std::swap(names[i - 1], names[rng.Uniform(i)]);
  Weighted w;
  for (size_t i = 0; i < names.size(); ++i) w.Add(names[i], 1.0 / std::pow(static_cast<double>(i) + 10, 0.9));
  return w;
}

// ---- Places ------------------------------------------------------------------------------------

constexpr std::string_view kUnitLetters = "ABDEFGHJLNPQRSTUWXYZ";

struct District {
  std::string code;  // "B10"
  uint32_t index = 0;  // position in the national list (for school codes)
  uint16_t area = 0;
  double mix[pd::kCommunityCount] = {};  // cumulative community shares
  uint32_t salt = 0;
};

struct Address {
  std::string line;
  std::string postcode;
};

// Every district of every area, in a seeded order weighted by how many children live there
// (exponential race): the first N districts are a realistic mixture of cities and towns.
std::vector<District> Districts(const PopulationConfig& config) {
  Rng rng(config.seed * 0x2545F4914F6CDD1DULL + 11);
  std::vector<std::pair<double, District>> keyed;
  uint32_t index = 0;
  const auto areas = pd::Areas();
  for (size_t a = 0; a < areas.size(); ++a) {
    for (int d = 1; d <= areas[a].districts; ++d) {
      District district;
      district.code = fmt::format("{}{}", areas[a].letters, d);
      district.index = index++;
      district.area = static_cast<uint16_t>(a);
      district.salt = static_cast<uint32_t>(rng.Next());
      // A district's mix is its area's, concentrated: communities cluster in some districts.
      double total = 0;
      double shares[pd::kCommunityCount];
      for (int c = 0; c < pd::kCommunityCount; ++c) {
        double s = areas[a].mix[c];
        if (c != pd::kBritish) s *= config.diversity * std::exp(1.1 * (rng.Unit() + rng.Unit() + rng.Unit() - 1.5));
        shares[c] = s;
        total += s;
      }
      double cumulative = 0;
      for (int c = 0; c < pd::kCommunityCount; ++c) {
        cumulative += shares[c] / total;
        district.mix[c] = cumulative;
      }
      const double weight = areas[a].weight / areas[a].districts;
      keyed.emplace_back(-std::log(std::max(rng.Unit(), 1e-300)) / weight, std::move(district));
    }
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<District> out;
  for (auto& [key, d] : keyed) out.push_back(std::move(d));
  return out;
}

Address NewAddress(const District& d, Rng& rng) {
  // About 25 unit postcodes in use per sector, each one street; a few flats.
  const size_t sector = rng.Uniform(10);
  const size_t unit = (rng.Uniform(25) * 16 + d.salt) % 400;
  const uint64_t street_hash = (uint64_t{d.salt} * 31 + sector) * 401 + unit;
  const auto names = pd::StreetNames();
  const auto types = pd::StreetTypes();
  const std::string_view street = names[street_hash % names.size()];
  const std::string_view type = types[(street_hash / names.size()) % types.size()];
  Address a;
  const size_t house = 1 + rng.Uniform(140);
  a.line = rng.Chance(0.12) ? fmt::format("Flat {}, {} {} {}", 1 + rng.Uniform(12), house, street, type)
                            : fmt::format("{} {} {}", house, street, type);
  a.postcode = fmt::format("{} {}{}{}", d.code, sector, kUnitLetters[unit / 20], kUnitLetters[unit % 20]);
  return a;
}

// ---- Identifiers -------------------------------------------------------------------------------

// A valid NHS number per serial: each serial owns ten consecutive numbers and takes the first
// with a check digit, so distinct serials never share a number and twins (consecutive serials)
// get numbers as close as a hospital's batch gives them.
std::string NhsForSerial(uint64_t serial) {
  const uint64_t base = 400'000'000 + serial * 10;
  for (uint64_t k = base;; ++k) {
    const std::string nine = fmt::format("{:09}", k);
    if (const auto check = domain::NhsCheckDigit(nine)) return nine + static_cast<char>('0' + *check);
  }
}

std::string UpnFor(uint32_t la, uint32_t school, uint32_t year, uint32_t serial) {
  const std::string body = fmt::format("{:03}{:04}{:02}{:03}", la % 1000, school % 10000, year % 100, serial % 1000);
  return std::string(1, domain::UpnCheckLetter(body).value_or('A')) + body;
}

// ---- Names -------------------------------------------------------------------------------------

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view FirstWord(std::string_view s) { return s.substr(0, s.find(' ')); }

// The feminine form of a Polish surname (Kowalski → Kowalska); others unchanged.
std::string Feminine(std::string_view surname) {
  if (surname.ends_with("ski") || surname.ends_with("cki") || surname.ends_with("dzki")) {
    return std::string(surname.substr(0, surname.size() - 1)) + "a";
  }
  if (surname.ends_with("ński")) return std::string(surname.substr(0, surname.size() - 1)) + "a";
  return std::string(surname);
}

// Keys next to each other on a UK keyboard, for realistic slips.
char Neighbour(char c, Rng& rng) {
  static const std::unordered_map<char, std::string_view> kNear = {
      {'q', "wa"},  {'w', "qes"},  {'e', "wrd"},  {'r', "etf"},  {'t', "ryg"},  {'y', "tuh"},  {'u', "yij"},
      {'i', "uok"}, {'o', "ipl"},  {'p', "ol"},   {'a', "qsz"},  {'s', "adwx"}, {'d', "sfe"},  {'f', "dgr"},
      {'g', "fht"}, {'h', "gjy"},  {'j', "hku"},  {'k', "jli"},  {'l', "ko"},   {'z', "xa"},   {'x', "zcs"},
      {'c', "xvd"}, {'v', "cbf"},  {'b', "vng"},  {'n', "bmh"},  {'m', "nj"}};
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = kNear.find(lower);
  if (it == kNear.end()) return c;
  const char out = it->second[rng.Uniform(it->second.size())];
  return std::isupper(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(out)) : out;
}

// One slip of the keyboard: a neighbouring key, a letter left out, a letter doubled, two letters
// swapped or a vowel for another (Katherine/Katharine). The first letter is kept nine times in ten.
std::string Typo(std::string_view s, Rng& rng) {
  std::string out(s);
  if (out.size() < 3) return out;
  const size_t i = rng.Chance(0.1) ? 0 : 1 + rng.Uniform(out.size() - 1);
  if (out[i] == ' ' || out[i] == '-' || out[i] == '\'') return out;
  switch (rng.Uniform(5)) {
    case 0:
      out[i] = Neighbour(out[i], rng);
      break;
    case 1:
      out.erase(i, 1);
      break;
    case 2:
      out.insert(i, 1, out[i]);
      break;
    case 3:
      if (i + 1 < out.size() && out[i + 1] != ' ') {
        std::swap(out[i], out[i + 1]);
      } else if (i > 0 && out[i - 1] != ' ') {
        std::swap(out[i - 1], out[i]);
      }
      break;
    default: {
      constexpr std::string_view kVowels = "aeiou";
      if (kVowels.find(static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])))) != std::string_view::npos) {
        out[i] = kVowels[rng.Uniform(kVowels.size())];
      } else {
        out[i] = Neighbour(out[i], rng);
      }
    }
  }
  return out;
}

std::string_view VariantOf(std::span<const pd::Variant> table, std::string_view name, Rng& rng) {
  std::string_view options[8];
  size_t n = 0;
  for (const auto& v : table) {
    if (v.name == name && n < 8) options[n++] = v.variant;
  }
  return n == 0 ? std::string_view() : options[rng.Uniform(n)];
}

// ---- Sources -----------------------------------------------------------------------------------

struct SourceProfile {
  std::string_view name;
  double nhs;              // holds the NHS number
  double upn;              // holds the UPN
  double errors;           // multiplies the error rates
  double current_address;  // holds the current address (else the previous one, for movers)
  double known_as;         // writes a nickname or short form
  double middle;           // writes the middle names
  double called_name;      // writes the name a child is called by (Ibrahim for Muhammad Ibrahim)
  double initial;          // writes an initial for the given name
  double upper_case;       // writes names in capitals
  double other_surname;    // writes the other surname a child is known by
};

constexpr SourceProfile kGp{"gp", 0.995, 0.0, 0.7, 0.85, 0.02, 0.75, 0.15, 0.0, 0.0, 0.2};
constexpr SourceProfile kSchool{"school", 0.05, 0.98, 1.0, 0.70, 0.10, 0.30, 0.55, 0.0, 0.2, 0.5};
constexpr SourceProfile kHealthVisiting{"health_visiting", 0.95, 0.0, 0.9, 0.92, 0.04, 0.5, 0.3, 0.0, 0.0, 0.3};
constexpr SourceProfile kHospital{"hospital", 0.90, 0.0, 1.3, 0.90, 0.04, 0.5, 0.3, 0.005, 0.5, 0.3};
constexpr SourceProfile kSocialCare{"social_care", 0.60, 0.30, 1.4, 0.85, 0.12, 0.3, 0.5, 0.01, 0.1, 0.4};
constexpr SourceProfile kPolice{"police", 0.05, 0.0, 2.0, 0.90, 0.20, 0.15, 0.6, 0.04, 0.6, 0.4};

// Base error rates per record (before the source's multiplier and config.error_scale).
constexpr double kGivenTypo = 0.012;
constexpr double kFamilyTypo = 0.012;
constexpr double kSurnameSpelling = 0.05;  // a transliteration or spelling (Hussein, OBrien)
constexpr double kDobTranspose = 0.006;    // day and month swapped (day <= 12)
constexpr double kDobDigit = 0.008;
constexpr double kDobYear = 0.003;
constexpr double kDobDefault = 0.0015;  // recorded as 1 January
constexpr double kDobMissing = 0.003;
constexpr double kDobSibling = 0.001;  // a sibling's date of birth (social care, police)
constexpr double kSexMissing = 0.015;
constexpr double kSexWrong = 0.002;
constexpr double kPostcodeTypo = 0.008;
constexpr double kPostcodeMissing = 0.015;
constexpr double kNoFixedAbode = 0.002;  // ZZ99 3VZ (hospital, police)
constexpr double kAddressFormat = 0.3;
constexpr double kAddressTypo = 0.01;
constexpr double kNhsInvalid = 0.002;
constexpr double kNameSwap = 0.003;

// ---- The generator -----------------------------------------------------------------------------

class Generator {
 public:
  void RunChildren(size_t n, const std::function<void(const PopulationChild&)>& fn) {
    std::vector<PopulationChild> household;
    size_t produced = 0;
    while (produced < n) {
      household.clear();
      AddHousehold(&household);
      for (PopulationChild& child : household) {
        if (produced == n) break;
        if (child.twin >= 0) child.twin += static_cast<int32_t>(produced - (&child - household.data()));
        fn(child);
        ++produced;
      }
    }
  }

  explicit Generator(const PopulationConfig& config)
      : c_(config),
        rng_(config.seed),
        districts_(Districts(config)),
        tail_boys_(TailNames(pd::TailBoyHeads(), pd::TailBoyEnds(), config.seed + 1, true)),
        tail_girls_(TailNames(pd::TailGirlHeads(), pd::TailGirlEnds(), config.seed + 2, true)),
        tail_surnames_(TailSurnames(config.seed + 3)),
        british_surnames_(FromList(pd::BritishSurnames())) {
    for (int y = 0; y < 19; ++y) {
      british_boys_[y] = BritishByYear(c_.as_of.year - 18 + y, 'M');
      british_girls_[y] = BritishByYear(c_.as_of.year - 18 + y, 'F');
    }
    for (int k = 0; k < pd::kCommunityCount; ++k) {
      const auto& data = pd::CommunityData(static_cast<pd::CommunityId>(k));
      boys_[k] = FromList(data.boys);
      girls_[k] = FromList(data.girls);
      surnames_[k] = FromList(data.surnames);
      heritage_boys_[k] = FromList(data.heritage_boys);
      heritage_girls_[k] = FromList(data.heritage_girls);
    }
    // About 2.1 records a child.
    const double children = static_cast<double>(c_.records) / 2.1;
    active_districts_ = std::clamp<size_t>(static_cast<size_t>(std::ceil(children / c_.children_per_district)), 1,
                                           districts_.size());
  }

  Population Run(const std::function<void(double)>& progress) {
    Population pop;
    pop.records.reserve(c_.records + 64);
    pop.child_of.reserve(c_.records + 64);
    pop.children.reserve(c_.records / 2 + 64);
    size_t last_report = 0;
    while (pop.records.size() < c_.records) {
      const size_t first_child = pop.children.size();
      AddHousehold(&pop.children);
      for (size_t i = first_child; i < pop.children.size(); ++i) AddRecords(pop, static_cast<uint32_t>(i));
      if (progress && pop.records.size() - last_report >= 65536) {
        last_report = pop.records.size();
        progress(0.9 * static_cast<double>(last_report) / static_cast<double>(c_.records));
      }
    }
    pop.records.resize(c_.records);
    pop.child_of.resize(c_.records);
    // Sources send their records in their own order, not family by family.
    Rng shuffle(c_.seed ^ 0x5DEECE66DULL);
    for (size_t i = pop.records.size(); i > 1; --i) {
      const size_t j = shuffle.Uniform(i);
      std::swap(pop.records[i - 1], pop.records[j]);
      std::swap(pop.child_of[i - 1], pop.child_of[j]);
    }
    if (progress) progress(1.0);
    return pop;
  }

 private:
  // British names for a year of birth: the anchor years' births interpolated.
  Weighted BritishByYear(int year, char sex) {
    std::unordered_map<std::string_view, double> weight;
    std::vector<std::string_view> order;
    auto add = [&](int anchor, double share) {
      if (share <= 0) return;
      for (const auto& n : sex == 'M' ? pd::BritishBoys(anchor) : pd::BritishGirls(anchor)) {
        if (!weight.contains(n.name)) order.push_back(n.name);
        weight[n.name] += share * n.weight;
      }
    };
    const int* y = pd::kAnchorYears;
    if (year <= y[0]) {
      add(0, 1);
    } else if (year < y[1]) {
      add(0, double(y[1] - year) / (y[1] - y[0]));
      add(1, double(year - y[0]) / (y[1] - y[0]));
    } else if (year < y[2]) {
      add(1, double(y[2] - year) / (y[2] - y[1]));
      add(2, double(year - y[1]) / (y[2] - y[1]));
    } else {
      add(2, 1);
    }
    Weighted w;
    for (std::string_view n : order) w.Add(n, weight[n]);
    return w;
  }

  const Weighted& British(char sex, int birth_year) const {
    const int i = std::clamp(birth_year - (c_.as_of.year - 18), 0, 18);
    return sex == 'M' ? british_boys_[i] : british_girls_[i];
  }

  // A first given name for a child of this community, sex and year of birth.
  std::string FirstName(uint8_t community, char sex, int birth_year) {
    const auto& data = pd::CommunityData(static_cast<pd::CommunityId>(community));
    if (rng_.Chance(data.tail_given_share)) return (sex == 'M' ? tail_boys_ : tail_girls_).Draw(rng_);
    const Weighted& own = sex == 'M' ? boys_[community] : girls_[community];
    // British children and a share of every other community's carry the year's British names.
    const double british_share = community == pd::kBritish ? 1.0
                                 : community == pd::kCaribbean ? 0.55
                                 : community == pd::kPolish || community == pd::kRomanian || community == pd::kChinese
                                     ? 0.25
                                     : 0.08;
    if (own.empty() || rng_.Chance(british_share)) return British(sex, birth_year).Draw(rng_);
    return own.Draw(rng_);
  }

  std::string Surname(uint8_t community) {
    const auto& data = pd::CommunityData(static_cast<pd::CommunityId>(community));
    if (community == pd::kBritish || community == pd::kCaribbean) {
      if (rng_.Chance(data.tail_surname_share)) return tail_surnames_.Draw(rng_);
      if (community == pd::kCaribbean) return surnames_[community].Draw(rng_);
      return british_surnames_.Draw(rng_);
    }
    return surnames_[community].Draw(rng_);
  }

  // The name a sibling would not also be given: the name the child is called by, folded.
  static std::string CalledKey(const std::string& given_names, uint8_t community) {
    const auto& data = pd::CommunityData(static_cast<pd::CommunityId>(community));
    std::string_view first = FirstWord(given_names);
    for (std::string_view d : data.devotional_names) {
      if (first == d && given_names.size() > first.size()) return FoldName(given_names.substr(first.size() + 1));
    }
    return FoldName(first);
  }

  struct FamilyPlan {
    uint8_t community;
    std::string surname;           // the household's surname
    std::string previous_surname;  // older children's, in a step-family
    size_t step_children = 0;      // how many of the eldest carry previous_surname
  };

  void AddHousehold(std::vector<PopulationChild>* children) {
    const District& district = districts_[rng_.Uniform(active_districts_)];
    const double pick = rng_.Unit();
    uint8_t community = 0;
    while (community + 1 < pd::kCommunityCount && pick > district.mix[community]) ++community;
    const Address current = NewAddress(district, rng_);
    Address previous;
    if (rng_.Chance(c_.moved_rate)) {
      const double where = rng_.Unit();
      const District& from = where < 0.6    ? district
                             : where < 0.95 ? districts_[rng_.Uniform(active_districts_)]
                                            : districts_[rng_.Uniform(districts_.size())];
      previous = NewAddress(from, rng_);
    }
    const uint32_t household = household_serial_++;
    const std::string surname = HouseholdSurname(community);
    AddFamily(community, surname, household, district, current, previous, children);
    if (rng_.Chance(c_.extended_household_rate)) {
      // Cousins: brothers' children share the surname; sisters' children do not.
      AddFamily(community, rng_.Chance(0.6) ? surname : HouseholdSurname(community), household, district, current,
                previous, children);
    }
  }

  std::string HouseholdSurname(uint8_t community) {
    std::string s = Surname(community);
    if (community == pd::kBritish && rng_.Chance(c_.double_barrelled_rate)) s += "-" + Surname(community);
    return s;
  }

  void AddFamily(uint8_t community, const std::string& surname, uint32_t household, const District& district,
                 const Address& current, const Address& previous, std::vector<PopulationChild>* children) {
    const auto& data = pd::CommunityData(static_cast<pd::CommunityId>(community));
    const uint32_t family = family_serial_++;
    const double r = rng_.Unit();
    const size_t planned = r < 0.42 ? 1 : r < 0.78 ? 2 : r < 0.92 ? 3 : r < 0.97 ? 4 : 5;
    const int64_t as_of = c_.as_of.ToDays();
    int64_t birth = as_of - 1 - static_cast<int64_t>(rng_.Uniform(18 * 365));
    const bool step = planned >= 2 && rng_.Chance(c_.step_family_rate);
    const std::string previous_surname = step ? Surname(community) : std::string();
    const size_t step_children = step ? 1 + rng_.Uniform(planned - 1) : 0;
    std::vector<size_t> members;
    for (size_t k = 0; k < planned && birth < as_of; ++k) {
      const bool twins = rng_.Chance(c_.twin_rate);
      const size_t first = children->size();
      for (int t = 0; t < (twins ? 2 : 1); ++t) {
        PopulationChild child;
        child.family = family;
        child.household = household;
        child.community = community;
        child.sex = rng_.Chance(0.512) ? 'M' : 'F';
        child.date_of_birth = Date::FromDays(birth);
        child.address = current.line;
        child.postcode = current.postcode;
        child.previous_address = previous.line;
        child.previous_postcode = previous.postcode;
        const bool step_child = k < step_children;
        const std::string& own_surname = step_child ? previous_surname : surname;
        if (step_child) child.other_family_name = surname;
        NameChild(community, own_surname, &child);
        if (twins && t == 1) {
          PopulationChild& other = (*children)[first];
          child.twin = static_cast<int32_t>(first);
          other.twin = static_cast<int32_t>(first + 1);
          NameTwin(community, own_surname, other, &child, members, *children);
        } else {
          for (int attempt = 0; attempt < 30 && ClashesWithSiblings(child, members, *children); ++attempt) {
            NameChild(community, own_surname, &child);
          }
        }
        if (twins && t == 1) {
          child.date_of_birth = (*children)[first].date_of_birth;
        } else if (data.first_of_january_share > 0 && child.date_of_birth.AgeOn(c_.as_of) >= 3 &&
                   rng_.Chance(data.first_of_january_share)) {
          // Born abroad: the date of birth was recorded as 1 January of the year on arrival,
          // unless that would make the child an adult on the population's date.
          const Date january{child.date_of_birth.year, 1, 1};
          if (january.AgeOn(c_.as_of) <= 17) child.date_of_birth = january;
        }
        child.nhs_number = NhsForSerial(nhs_serial_++);
        const int age = child.date_of_birth.AgeOn(c_.as_of);
        if (age >= 4) {
          const uint32_t school = district.index * 16 + static_cast<uint32_t>(household % 16);
          const uint32_t entry_year = static_cast<uint32_t>(c_.as_of.year - age + 4);
          child.upn = UpnFor(201 + district.area, school, entry_year, upn_serial_[school * 32 + entry_year % 32]++);
        }
        members.push_back(children->size());
        children->push_back(std::move(child));
      }
      // The next child: usually two to four years on; sometimes within fifteen months.
      birth += rng_.Chance(c_.close_sibling_rate) ? 280 + static_cast<int64_t>(rng_.Uniform(180))
                                                  : 460 + static_cast<int64_t>(rng_.Uniform(1400));
    }
  }

  void NameChild(uint8_t community, const std::string& surname, PopulationChild* child) {
    const auto& data = pd::CommunityData(static_cast<pd::CommunityId>(community));
    const int year = child->date_of_birth.year;
    std::string given = FirstName(community, child->sex, year);
    if (child->sex == 'M' && !data.devotional_names.empty() && rng_.Chance(data.devotional_first_share)) {
      given = std::string(data.devotional_names[rng_.Uniform(data.devotional_names.size())]) + " " + given;
    } else if (data.heritage_middle_share > 0 && rng_.Chance(data.heritage_middle_share)) {
      const Weighted& h = child->sex == 'M' ? heritage_boys_[community] : heritage_girls_[community];
      if (!h.empty()) given += " " + h.Draw(rng_);
    } else if ((community == pd::kBritish || community == pd::kCaribbean) && rng_.Chance(c_.middle_name_rate)) {
      std::string middle = British(child->sex, year).Draw(rng_);
      if (middle != given) given += " " + middle;
    }
    child->given_names = std::move(given);
    child->family_name = surname;
    // Customs that give a child a surname of its own.
    if (child->sex == 'F' && data.gendered_surnames) {
      child->family_name = Feminine(surname);
      if (child->family_name != surname) child->other_family_name = surname;
    }
    const bool girl = child->sex == 'F';
    const auto& own = girl ? data.girls_surnames : data.boys_surnames;
    const double share = girl ? data.girls_surname_share : data.boys_surname_share;
    if (!own.empty() && rng_.Chance(share)) {
      child->other_family_name = surname;
      child->family_name = std::string(own[rng_.Uniform(own.size())]);
    } else if (!own.empty() && community == pd::kPunjabi && rng_.Chance(0.5)) {
      child->other_family_name = std::string(own[rng_.Uniform(own.size())]);
    }
  }

  bool ClashesWithSiblings(const PopulationChild& child, const std::vector<size_t>& members,
                           const std::vector<PopulationChild>& children) const {
    const std::string key = CalledKey(child.given_names, child.community);
    for (size_t m : members) {
      const PopulationChild& s = children[m];
      const std::string other = CalledKey(s.given_names, s.community);
      if (other == key || CanonicalGivenName(other) == CanonicalGivenName(key)) return true;
    }
    return false;
  }

  // The second twin's name: the same initial, a near-identical name, or any other name.
  void NameTwin(uint8_t community, const std::string& own_surname, PopulationChild& first, PopulationChild* second,
                const std::vector<size_t>& members, const std::vector<PopulationChild>& children) {
    const double r = rng_.Unit();
    if (r < c_.near_identical_twins) {
      const auto pairs = pd::NearIdenticalTwinNames(first.sex);
      const auto& pair = pairs[rng_.Uniform(pairs.size())];
      second->sex = first.sex;
      second->family_name = first.family_name;
      second->other_family_name = first.other_family_name;
      // Keep a devotional first name (Muhammad Hasan, Muhammad Husain).
      const std::string_view lead = FirstWord(first.given_names);
      const bool devotional = CalledKey(first.given_names, community) != FoldName(lead);
      first.given_names = devotional ? std::string(lead) + " " + std::string(pair.name) : std::string(pair.name);
      second->given_names = devotional ? std::string(lead) + " " + std::string(pair.variant) : std::string(pair.variant);
      return;
    }
    const bool same_initial = r < c_.near_identical_twins + c_.same_initial_twins;
    const std::string first_called = CalledKey(first.given_names, community);
    for (int attempt = 0; attempt < 60; ++attempt) {
      NameChild(community, own_surname, second);
      const std::string called = CalledKey(second->given_names, community);
      if (called.empty() || first_called.empty()) break;
      if (called == first_called || CanonicalGivenName(called) == CanonicalGivenName(first_called)) continue;
      if (ClashesWithSiblings(*second, members, children)) continue;
      if (!same_initial || called[0] == first_called[0]) break;
    }
  }

  // ---- Records ---------------------------------------------------------------------------------

  void AddRecords(Population& pop, uint32_t index) {
    const PopulationChild& child = pop.children[index];
    const int age = child.date_of_birth.AgeOn(c_.as_of);
    auto emit = [&](const SourceProfile& source) {
      pop.records.push_back(MakeRecord(pop.children, index, source));
      pop.child_of.push_back(index);
      if ((source.name == "gp" || source.name == "school") && rng_.Chance(c_.duplicate_rate)) {
        pop.records.push_back(MakeRecord(pop.children, index, source));  // a second registration
        pop.child_of.push_back(index);
      }
    };
    if (rng_.Chance(0.97)) emit(kGp);
    if (age >= 4 && rng_.Chance(0.94)) emit(kSchool);
    if (age < 5 && rng_.Chance(c_.health_visiting_rate)) emit(kHealthVisiting);
    if (rng_.Chance(c_.hospital_rate)) emit(kHospital);
    // Families known to children's social care; the police know many of them too.
    const uint64_t family_draw = (uint64_t{child.family} * 0x9E3779B97F4A7C15ULL + c_.seed) >> 11;
    const double family_unit = static_cast<double>(family_draw) * 0x1.0p-53;
    const bool known = family_unit < c_.social_care_rate;
    if (known && rng_.Chance(0.85)) emit(kSocialCare);
    if (rng_.Chance(known ? c_.police_rate : 0.01)) emit(kPolice);
  }

  // A brother or sister of children[index] (a family's children are stored together), or null.
  static const PopulationChild* Sibling(const std::vector<PopulationChild>& children, uint32_t index) {
    const uint32_t family = children[index].family;
    for (uint32_t i = index > 8 ? index - 8 : 0; i < children.size() && i <= index + 8; ++i) {
      if (i != index && children[i].family == family) return &children[i];
    }
    return nullptr;
  }

  InputRecord MakeRecord(const std::vector<PopulationChild>& children, uint32_t index, const SourceProfile& s) {
    const PopulationChild& child = children[index];
    const auto& data = pd::CommunityData(static_cast<pd::CommunityId>(child.community));
    const double e = s.errors * c_.error_scale;
    InputRecord r;
    r.record_id = fmt::format("{}-{}", s.name, record_serial_++);
    r.source = std::string(s.name);

    // Given names.
    std::string given = child.given_names;
    const std::string_view first = FirstWord(given);
    const bool devotional = std::find(data.devotional_names.begin(), data.devotional_names.end(), first) !=
                                data.devotional_names.end() &&
                            given.size() > first.size();
    const int age = child.date_of_birth.AgeOn(c_.as_of);
    if (devotional) {
      const double d = rng_.Unit();
      const std::string called = given.substr(first.size() + 1);
      if (d < s.called_name) {
        given = called;
      } else if (d < s.called_name + 0.15) {
        given = std::string(first);
      } else if (rng_.Chance(0.3)) {
        const std::string_view v = VariantOf(pd::GivenVariants(), first, rng_);
        if (!v.empty()) given = std::string(v) + " " + called;
      }
    } else if (given.find(' ') != std::string::npos) {
      const std::string own_first(first);
      const std::string middle = given.substr(first.size() + 1);
      if (data.heritage_middle_share > 0 && rng_.Chance(s.called_name * 0.2)) {
        given = middle;  // known by the heritage name
      } else if (!rng_.Chance(s.middle)) {
        given = own_first;
      }
    }
    if (rng_.Chance(s.known_as * std::min(1.0, c_.error_scale))) {
      const std::string head(FirstWord(given));
      const std::string_view v = VariantOf(pd::GivenVariants(), head, rng_);
      if (!v.empty()) given = std::string(v) + given.substr(head.size());
    }
    if (rng_.Chance(kGivenTypo * e)) given = Typo(given, rng_);
    if (rng_.Chance(s.initial)) given = given.substr(0, 1);
    if (age == 0 && (s.name == "gp" || s.name == "hospital" || s.name == "health_visiting") && rng_.Chance(0.08)) {
      given = rng_.Chance(0.5) ? "Baby" : child.sex == 'M' ? "Baby Boy" : "Baby Girl";
    }
    if (s.name == "police" && rng_.Chance(0.002)) given = "Unknown";

    // Family name.
    std::string family = child.family_name;
    if (!child.other_family_name.empty() && rng_.Chance(s.other_surname)) {
      family = rng_.Chance(0.15) ? child.family_name + "-" + child.other_family_name : child.other_family_name;
    }
    if (const size_t dash = family.find('-'); dash != std::string::npos && rng_.Chance(0.45)) {
      // A double-barrelled surname recorded in part or run together.
      const double p = rng_.Unit();
      family = p < 0.4   ? family.substr(0, dash)
               : p < 0.7 ? family.substr(dash + 1)
               : p < 0.9 ? family.substr(0, dash) + " " + family.substr(dash + 1)
                         : family.substr(0, dash) + Lower(family.substr(dash + 1));
    }
    if (rng_.Chance(kSurnameSpelling * e)) {
      const std::string_view v = VariantOf(pd::SurnameVariants(), family, rng_);
      if (!v.empty()) family = std::string(v);
    }
    if (rng_.Chance(kFamilyTypo * e)) family = Typo(family, rng_);
    if (s.name == "police" && rng_.Chance(0.001)) family = "Unknown";
    if (rng_.Chance(kNameSwap * e + data.name_order_swap * 0.5)) std::swap(given, family);
    if (rng_.Chance(s.upper_case)) {
      given = Upper(given);
      family = Upper(family);
    }
    r.given_name = std::move(given);
    r.family_name = std::move(family);

    // Date of birth.
    Date dob = child.date_of_birth;
    if (dob.day <= 12 && dob.day != dob.month && rng_.Chance(kDobTranspose * e)) std::swap(dob.day, dob.month);
    if (rng_.Chance(kDobDigit * e)) {
      for (int attempt = 0; attempt < 10; ++attempt) {
        Date v = dob;
        switch (rng_.Uniform(3)) {
          case 0:
            v.day = v.day / 10 * 10 + static_cast<int>(rng_.Uniform(10));
            break;
          case 1:
            v.day = static_cast<int>(rng_.Uniform(3)) * 10 + v.day % 10;
            break;
          default:
            v.month = v.month / 10 * 10 + static_cast<int>(rng_.Uniform(10));
        }
        if (v.IsValid() && v != dob) {
          dob = v;
          break;
        }
      }
    }
    if (rng_.Chance(kDobYear * e)) dob.year += rng_.Chance(0.5) ? 1 : -1;
    if (dob.month == 2 && dob.day == 29 && !IsLeapYear(dob.year)) dob.day = 28;
    if ((s.name == "social_care" || s.name == "police") && rng_.Chance(kDobSibling * e)) {
      if (const PopulationChild* other = Sibling(children, index); other && other->date_of_birth != dob) {
        dob = other->date_of_birth;
      }
    }
    if (rng_.Chance(kDobDefault * e)) dob = Date{dob.year, 1, 1};
    r.date_of_birth = rng_.Chance(kDobMissing * e) ? std::string() : dob.ToString();

    // Sex.
    if (!rng_.Chance(kSexMissing * e)) {
      const char sex = rng_.Chance(kSexWrong * e) ? (child.sex == 'M' ? 'F' : 'M') : child.sex;
      r.sex = std::string(1, sex);
    }

    // Address.
    const bool old = !child.previous_address.empty() && !rng_.Chance(s.current_address);
    std::string address = old ? child.previous_address : child.address;
    std::string postcode = old ? child.previous_postcode : child.postcode;
    if (rng_.Chance(kAddressFormat)) {
      for (auto [from, to] : {std::pair<std::string_view, std::string_view>{" Road", " Rd"}, {" Street", " St"},
                             {" Avenue", " Ave"}, {" Lane", " Ln"}, {"Flat ", "Flat "}}) {
        if (const size_t p = address.find(from); p != std::string::npos) address.replace(p, from.size(), to);
      }
      if (address.starts_with("Flat ") && rng_.Chance(0.4)) address = address.substr(address.find(", ") + 2);
    }
    if (rng_.Chance(kAddressTypo * e)) address = Typo(address, rng_);
    if (rng_.Chance(kPostcodeTypo * e) && postcode.size() > 5) {
      const size_t i = postcode.size() - 1 - rng_.Uniform(3);
      postcode[i] = i == postcode.size() - 3 ? static_cast<char>('0' + rng_.Uniform(10))
                                             : kUnitLetters[rng_.Uniform(kUnitLetters.size())];
    }
    if (rng_.Chance(kPostcodeMissing * e)) postcode.clear();
    if ((s.name == "hospital" || s.name == "police") && rng_.Chance(kNoFixedAbode * e)) {
      postcode = "ZZ99 3VZ";
      address = "No fixed abode";
    }
    if (rng_.Chance(0.01 * e)) address.clear();
    r.address = std::move(address);
    r.postcode = rng_.Chance(0.3) ? Lower(postcode) : postcode;

    // Identifiers.
    if (rng_.Chance(s.nhs)) {
      r.nhs_number = child.nhs_number;
      if (s.name != "gp" && rng_.Chance(c_.sibling_identifier_swap_rate * e)) {
        if (const PopulationChild* other = Sibling(children, index)) r.nhs_number = other->nhs_number;
      }
      if (rng_.Chance(kNhsInvalid * e)) {
        r.nhs_number[4] = static_cast<char>('0' + (r.nhs_number[4] - '0' + 3) % 10);  // fails modulus 11
      } else if (rng_.Chance(0.4)) {
        r.nhs_number = r.nhs_number.substr(0, 3) + " " + r.nhs_number.substr(3, 3) + " " + r.nhs_number.substr(6);
      }
    }
    if (!child.upn.empty() && rng_.Chance(s.upn)) r.upn = child.upn;
    return r;
  }

  const PopulationConfig& c_;
  Rng rng_;
  std::vector<District> districts_;
  size_t active_districts_ = 1;
  Weighted tail_boys_, tail_girls_, tail_surnames_, british_surnames_;
  Weighted british_boys_[19], british_girls_[19];
  Weighted boys_[pd::kCommunityCount], girls_[pd::kCommunityCount], surnames_[pd::kCommunityCount];
  Weighted heritage_boys_[pd::kCommunityCount], heritage_girls_[pd::kCommunityCount];
  uint32_t household_serial_ = 0;
  uint32_t family_serial_ = 0;
  uint64_t nhs_serial_ = 1;
  uint64_t record_serial_ = 1;
  std::unordered_map<uint32_t, uint32_t> upn_serial_;
};

}  // namespace

PopulationConfig HeldOutPopulationConfig(size_t records) {
  PopulationConfig c;
  c.seed = 20'260'101;
  c.records = records;
  c.children_per_district = 6'000;
  c.diversity = 1.5;
  c.twin_rate = 0.02;
  c.same_initial_twins = 0.35;
  c.near_identical_twins = 0.15;
  c.close_sibling_rate = 0.10;
  c.step_family_rate = 0.18;
  c.extended_household_rate = 0.08;
  c.double_barrelled_rate = 0.08;
  c.middle_name_rate = 0.5;
  c.moved_rate = 0.35;
  c.duplicate_rate = 0.025;
  c.error_scale = 1.4;
  c.sibling_identifier_swap_rate = 0.001;
  c.health_visiting_rate = 0.45;
  c.hospital_rate = 0.2;
  c.social_care_rate = 0.1;
  c.police_rate = 0.5;
  return c;
}

Population GeneratePopulation(const PopulationConfig& config, const std::function<void(double)>& progress) {
  return Generator(config).Run(progress);
}

void ForEachPopulationChild(const PopulationConfig& config, size_t children,
                            const std::function<void(const PopulationChild&)>& fn) {
  PopulationConfig c = config;
  c.records = static_cast<size_t>(2.1 * static_cast<double>(children));  // sets the number of districts
  Generator(c).RunChildren(children, fn);
}

std::string KeyboardSlip(std::string_view text, uint64_t seed) {
  Rng rng(seed);
  return Typo(text, rng);
}

Relation RelationOf(const Population& population, uint32_t child_a, uint32_t child_b) {
  const PopulationChild& a = population.children[child_a];
  const PopulationChild& b = population.children[child_b];
  if (a.twin == static_cast<int32_t>(child_b)) return Relation::kTwin;
  if (a.family == b.family) return Relation::kSibling;
  if (a.household == b.household) return Relation::kHousehold;
  return Relation::kNone;
}

FalseMerges CountFalseMerges(const Population& population, const std::vector<uint32_t>& cluster_of) {
  // Children per cluster: sort (cluster, child) pairs and walk each cluster's distinct children.
  std::vector<std::pair<uint32_t, uint32_t>> members;
  members.reserve(cluster_of.size());
  for (size_t i = 0; i < cluster_of.size(); ++i) members.emplace_back(cluster_of[i], population.child_of[i]);
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  FalseMerges out;
  for (size_t begin = 0; begin < members.size();) {
    size_t end = begin + 1;
    while (end < members.size() && members[end].first == members[begin].first) ++end;
    for (size_t x = begin; x < end; ++x) {
      for (size_t y = x + 1; y < end; ++y) {
        switch (RelationOf(population, members[x].second, members[y].second)) {
          case Relation::kTwin:
            ++out.twins;
            break;
          case Relation::kSibling:
            ++out.siblings;
            break;
          case Relation::kHousehold:
            ++out.household;
            break;
          case Relation::kNone:
            ++out.unrelated;
            break;
        }
      }
    }
    begin = end;
  }
  return out;
}

std::vector<std::string> PopulationTruth(const Population& population) {
  std::vector<std::string> out;
  out.reserve(population.child_of.size());
  for (uint32_t c : population.child_of) out.push_back(std::to_string(c));
  return out;
}

}  // namespace kith::linkage
