#include "linkage/synthetic.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "domain/identifiers.h"
#include "linkage/seeded_rng.h"
#include "linkage/text.h"

namespace kith::linkage {
namespace {

// The same generator as the harder population's (seeded_rng.h): the output is the same on every
// platform, so a seed always gives the same population.
using Rng = SeededRng;

constexpr std::array<std::string_view, 100> kBoys = {
    "Oliver",   "Muhammad", "George",    "Noah",    "Arthur",    "Leo",    "Harry",     "Oscar",   "Archie", "Henry",
    "Theodore", "Freddie",  "Jack",      "Charlie", "Theo",      "Alfie",  "Jacob",     "Thomas",  "Finley", "Arlo",
    "William",  "Lucas",    "Roman",     "Tommy",   "Isaac",     "Teddy",  "Edward",    "Adam",    "Joshua", "Ethan",
    "Luca",     "James",    "Albie",     "Reggie",  "Hugo",      "Jude",   "Max",       "Elijah",  "Ronnie", "Harrison",
    "Samuel",   "Mason",    "Louie",     "Ezra",    "Benjamin",  "Daniel", "Sebastian", "Joseph",  "Rory",   "Ibrahim",
    "Hunter",   "Jaxon",    "Yusuf",     "Ali",     "Dylan",     "Toby",   "Reuben",    "Louis",   "Jasper", "Riley",
    "Michael",  "Rowan",    "Alexander", "Albert",  "Frederick", "Ollie",  "Frankie",   "Caleb",   "Jesse",  "Elliot",
    "Stanley",  "Otis",     "Matthew",   "Zain",    "Musa",      "Jenson", "Logan",     "Ayaan",   "Kai",    "Syed",
    "Bobby",    "Gabriel",  "Harvey",    "Nathan",  "Jayden",    "Tyler",  "Kian",      "Omar",    "Hamza",  "Aaron",
    "Olusegun", "Kwame",    "Tomasz",    "Jakub",   "Callum",    "Connor", "Liam",      "Patrick", "Robert", "Richard",
};
constexpr std::array<std::string_view, 100> kGirls = {
    "Olivia",   "Amelia",  "Isla",     "Ava",      "Ivy",      "Freya",    "Lily",      "Florence",  "Mia",
    "Willow",   "Rosie",   "Sophia",   "Isabella", "Grace",    "Daisy",    "Sienna",    "Poppy",     "Elsie",
    "Emily",    "Ella",    "Evelyn",   "Phoebe",   "Sofia",    "Evie",     "Charlotte", "Harper",    "Matilda",
    "Millie",   "Sophie",  "Alice",    "Maya",     "Maisie",   "Ruby",     "Aria",      "Isabelle",  "Emilia",
    "Violet",   "Eliza",   "Jessica",  "Ellie",    "Chloe",    "Hallie",   "Esme",      "Thea",      "Luna",
    "Penelope", "Robyn",   "Lucy",     "Zara",     "Hannah",   "Margot",   "Eleanor",   "Ayla",      "Orla",
    "Arabella", "Maryam",  "Layla",    "Aisha",    "Fatima",   "Zainab",   "Katherine", "Elizabeth", "Margaret",
    "Rebecca",  "Abigail", "Victoria", "Jennifer", "Samantha", "Megan",    "Holly",     "Amber",     "Scarlett",
    "Erin",     "Niamh",   "Leah",     "Imogen",   "Beatrice", "Harriet",  "Nancy",     "Edith",     "Khadija",
    "Hafsa",    "Amira",   "Anaya",    "Nia",      "Adaeze",   "Chiamaka", "Zofia",     "Julia",     "Lena",
    "Jasmine",  "Paige",   "Kayla",    "Tia",      "Eva",      "Mila",     "Bella",     "Georgia",   "Summer",
    "Naomi",
};
constexpr std::array<std::string_view, 120> kSurnames = {
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Dixon",
    "Fletcher",
    "Ahmed",
    "Okafor",
    "Mensah",
    "Nowak",
    "Kowalski",
    "Rahman",
    "Akhtar",
    "Osei",
    "Adeyemi",
    "Chowdhury",
    "Ibrahim",
    "O'Brien",
    "McDonald",
    "Featherstonehaugh",
    "Cholmondeley",
    "Nguyen",
    "Kaur",
    "Shah",
    "Mahmood",
    "Iqbal",
    "Sharma",
};
// Syllables for the long tail of rarer surnames.
constexpr std::array<std::string_view, 24> kSyllablesA = {
    "Ash", "Brad", "Craw", "Dun",  "Ers",   "Fair", "Gold", "Hart", "Ing", "Kel",  "Lang", "Mar",
    "Nor", "Pem",  "Rad",  "Stan", "Thorn", "Up",   "Wel",  "Whit", "Bur", "Carl", "Dal",  "Holt"};
constexpr std::array<std::string_view, 24> kSyllablesB = {
    "ford",  "ley",  "ton",  "well", "wood", "by",    "field", "worth", "ham",  "stone", "more",  "bridge",
    "croft", "dale", "shaw", "wick", "burn", "combe", "hurst", "land",  "mere", "son",   "ridge", "thwaite"};
constexpr std::array<std::string_view, 40> kStreets = {
    "High",      "Station", "Church",   "Victoria", "Park",     "Green",  "Manor",  "Mill",   "Queens",      "Kings",
    "New",       "School",  "Grange",   "North",    "South",    "West",   "Albert", "London", "Springfield", "Windsor",
    "Highfield", "Orchard", "Chestnut", "Beech",    "Oak",      "Elm",    "Willow", "Cedar",  "Alexandra",   "York",
    "Stanley",   "George",  "Mount",    "Richmond", "Broadway", "Meadow", "Brook",  "Forest", "Hawthorn",    "Ash"};
constexpr std::array<std::string_view, 8> kStreetTypes = {"Street", "Road",  "Lane", "Avenue",
                                                          "Close",  "Drive", "Way",  "Gardens"};
// English postcode areas.
constexpr std::array<std::string_view, 40> kAreas = {"B",  "BS", "BN", "CB", "CM", "CV", "DE", "DN", "E",  "EX",
                                                     "GL", "HU", "L",  "LE", "LS", "M",  "ME", "MK", "N",  "NE",
                                                     "NG", "NR", "NW", "OX", "PE", "PL", "PO", "RG", "S",  "SE",
                                                     "SO", "SW", "TN", "TS", "W",  "WF", "WS", "WV", "YO", "BD"};
constexpr std::string_view kUnitLetters = "ABDEFGHJLNPQRSTUWXYZ";
constexpr std::string_view kUpnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ";
constexpr std::string_view kKeyboard = "abcdefghijklmnopqrstuvwxyz";

// Nicknames and variants the generator may write instead of the registered name. Each name's
// variants are ones the matcher's table or fuzzy comparison should recognise.
constexpr std::pair<std::string_view, std::string_view> kVariants[] = {
    {"William", "Bill"},   {"William", "Will"},      {"William", "Liam"},      {"Thomas", "Tom"},
    {"Thomas", "Tommy"},   {"James", "Jamie"},       {"James", "Jim"},         {"Joseph", "Joe"},
    {"Samuel", "Sam"},     {"Alexander", "Alex"},    {"Benjamin", "Ben"},      {"Daniel", "Dan"},
    {"Edward", "Ed"},      {"Edward", "Ted"},        {"Frederick", "Fred"},    {"Joshua", "Josh"},
    {"Matthew", "Matt"},   {"Michael", "Mike"},      {"Richard", "Rick"},      {"Robert", "Rob"},
    {"Robert", "Bob"},     {"Muhammad", "Mohammed"}, {"Muhammad", "Mohammad"}, {"Muhammad", "Mohamed"},
    {"Yusuf", "Yousef"},   {"Katherine", "Kate"},    {"Katherine", "Kathryn"}, {"Elizabeth", "Beth"},
    {"Elizabeth", "Liz"},  {"Margaret", "Maggie"},   {"Rebecca", "Becky"},     {"Abigail", "Abby"},
    {"Victoria", "Vicky"}, {"Jennifer", "Jenny"},    {"Samantha", "Sam"},      {"Isabella", "Bella"},
    {"Isabelle", "Izzy"},  {"Aisha", "Ayesha"},      {"Maryam", "Mariam"},     {"Sofia", "Sophia"},
    {"Zainab", "Zaynab"},  {"Khadija", "Khadijah"},  {"Oliver", "Ollie"},      {"Harrison", "Harry"},
    {"Alfie", "Alf"},      {"Theodore", "Theo"},     {"Eleanor", "Ellie"},     {"Harriet", "Hattie"},
};

std::string Typo(std::string_view s, Rng& rng) {
  std::string out(s);
  if (out.size() < 3) return out;
  const size_t i = 1 + rng.Uniform(out.size() - 1);  // keep the first letter most of the time
  switch (rng.Uniform(4)) {
    case 0:
      out[i] = kKeyboard[rng.Uniform(kKeyboard.size())];
      break;  // substitution
    case 1:
      out.erase(i, 1);
      break;  // deletion
    case 2:
      out.insert(i, 1, kKeyboard[rng.Uniform(kKeyboard.size())]);
      break;
    default:
      if (i + 1 < out.size())
        std::swap(out[i], out[i + 1]);  // transposition
      else
        std::swap(out[i - 1], out[i]);
  }
  return out;
}

std::string RareSurname(Rng& rng) {
  return std::string(rng.Pick(kSyllablesA)) + std::string(rng.Pick(kSyllablesB)) +
         (rng.Chance(0.5) ? std::string(rng.Pick(kSyllablesB)) : std::string());
}

std::string Surname(Rng& rng) {
  // One child in four carries one of the listed common surnames (Smith about 2%), the rest one
  // of the long tail, as in England.
  return rng.Chance(0.25) ? std::string(kSurnames[rng.Zipf(kSurnames.size(), 0.7)]) : RareSurname(rng);
}

std::string GivenName(char sex, Rng& rng) {
  // The most common name is given to about 5% of children of that sex.
  return std::string(sex == 'M' ? kBoys[rng.Zipf(kBoys.size(), 0.5)] : kGirls[rng.Zipf(kGirls.size(), 0.5)]);
}

std::string Postcode(Rng& rng) {
  return fmt::format("{}{} {}{}{}", rng.Pick(kAreas), 1 + rng.Uniform(20), rng.Uniform(10),
                     kUnitLetters[rng.Uniform(kUnitLetters.size())], kUnitLetters[rng.Uniform(kUnitLetters.size())]);
}

std::string Address(Rng& rng) {
  return fmt::format("{} {} {}", 1 + rng.Uniform(200), rng.Pick(kStreets), rng.Pick(kStreetTypes));
}

std::string NhsNumber(uint64_t serial) {
  // Spread serials over the issued range and skip numbers whose check digit would be 10.
  for (uint64_t k = serial * 7919 % 900'000'000 + 100'000'000;; ++k) {
    const std::string nine = fmt::format("{:09}", k % 1'000'000'000);
    if (const auto check = domain::NhsCheckDigit(nine)) return nine + static_cast<char>('0' + *check);
  }
}

std::string Upn(uint64_t serial, Rng& rng) {
  // Local authority code (3 digits), establishment (4), year (2), serial (3). A few are
  // temporary UPNs ending in a letter.
  std::string body = fmt::format("{:03}{:04}{:02}{:03}", 201 + rng.Uniform(700), serial / 1000 % 10000,
                                 rng.Uniform(100), serial % 1000);
  if (rng.Chance(0.02)) body.back() = kUpnLetters[rng.Uniform(kUpnLetters.size())];
  const auto check = domain::UpnCheckLetter(body);
  return std::string(1, check.value_or('A')) + body;
}

bool TooSimilar(std::string_view a, std::string_view b) {
  // Twins and siblings get clearly different names: no shared first three letters, nickname
  // or sound (parents do not call two children Oliver and Ollie, or Sofia and Sophia).
  if (a.substr(0, 3) == b.substr(0, 3)) return true;
  const std::string fa = FoldName(a);
  const std::string fb = FoldName(b);
  return CanonicalGivenName(fa) == CanonicalGivenName(fb) || PhoneticCode(fa) == PhoneticCode(fb) ||
         GivenNameGroupsOf(fa).Meets(GivenNameGroupsOf(fb));
}

Date Jitter(const Date& d, Rng& rng) {
  // One digit of the date changed, keeping a valid date.
  for (int attempt = 0; attempt < 10; ++attempt) {
    Date out = d;
    switch (rng.Uniform(3)) {
      case 0:
        out.day = out.day / 10 * 10 + static_cast<int>(rng.Uniform(10));
        break;
      case 1:
        out.month = out.month / 10 * 10 + static_cast<int>(rng.Uniform(10));
        break;
      default:
        out.year = out.year / 10 * 10 + static_cast<int>(rng.Uniform(10));
        break;
    }
    if (out.IsValid() && out != d) return out;
  }
  return d;
}

InputRecord MakeRecord(const SyntheticChild& child, const SyntheticConfig& c, uint64_t record_serial,
                       std::string_view source, Rng& rng) {
  const double e = c.error_scale;
  InputRecord r;
  r.record_id = fmt::format("r{}", record_serial);
  r.source = std::string(source);
  r.given_name = child.given_name;
  r.family_name = child.family_name;
  Date dob = child.date_of_birth;
  r.sex = std::string(1, child.sex);
  r.address = child.address;
  r.postcode = child.postcode;

  if (rng.Chance(c.nickname_rate * e)) {
    std::vector<std::string_view> options;
    for (const auto& [name, variant] : kVariants) {
      if (name == child.given_name) options.push_back(variant);
    }
    if (!options.empty()) r.given_name = std::string(options[rng.Uniform(options.size())]);
  }
  if (rng.Chance(c.given_typo_rate * e)) r.given_name = Typo(r.given_name, rng);
  if (rng.Chance(c.surname_change_rate * e)) {
    r.family_name = rng.Chance(0.5) ? child.family_name + "-" + Surname(rng) : Surname(rng);
  }
  if (rng.Chance(c.family_typo_rate * e)) r.family_name = Typo(r.family_name, rng);
  if (rng.Chance(c.swap_names_rate * e)) std::swap(r.given_name, r.family_name);
  if (rng.Chance(0.3)) {
    for (char& ch : r.family_name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  if (dob.day <= 12 && dob.day != dob.month && rng.Chance(c.dob_transpose_rate * e)) std::swap(dob.day, dob.month);
  if (rng.Chance(c.dob_digit_rate * e)) dob = Jitter(dob, rng);
  r.date_of_birth = dob.ToString();
  if (rng.Chance(c.moved_rate * e)) {
    r.address = Address(rng);
    r.postcode = Postcode(rng);
  }
  if (rng.Chance(c.postcode_typo_rate * e) && r.postcode.size() > 4) {
    r.postcode[r.postcode.size() - 1 - rng.Uniform(2)] = kUnitLetters[rng.Uniform(kUnitLetters.size())];
  }
  if (rng.Chance(c.missing_field_rate * e)) r.sex.clear();
  if (rng.Chance(c.missing_field_rate * e)) r.postcode.clear();
  if (rng.Chance(c.missing_field_rate * e / 2)) r.date_of_birth.clear();

  // Identifiers by source: health always holds the NHS number, schools the UPN and rarely the
  // NHS number, social care usually the NHS number, police seldom either.
  const double nhs_rate = source == "health" ? 0.99 : source == "school" ? 0.10 : source == "social_care" ? 0.75 : 0.2;
  const double upn_rate = source == "school" ? 0.97 : source == "social_care" ? 0.3 : 0.0;
  if (rng.Chance(nhs_rate)) {
    r.nhs_number = child.nhs_number;
    if (rng.Chance(0.01 * e)) {
      r.nhs_number[3] = static_cast<char>('0' + (r.nhs_number[3] - '0' + 1) % 10);  // fails mod 11
    } else if (rng.Chance(0.5)) {
      r.nhs_number = r.nhs_number.substr(0, 3) + " " + r.nhs_number.substr(3, 3) + " " + r.nhs_number.substr(6);
    }
  }
  if (!child.upn.empty() && rng.Chance(upn_rate)) r.upn = child.upn;
  return r;
}

// A family: one to four children sharing a surname and an address, appended to `children`.
// Returns their indices.
std::vector<size_t> AddFamily(const SyntheticConfig& config, uint32_t family_id, uint64_t* nhs_serial,
                              uint64_t* upn_serial, Rng& rng, std::vector<SyntheticChild>* children) {
  const int64_t as_of = config.as_of.ToDays();
  const std::string family_name = Surname(rng);
  const std::string address = Address(rng);
  const std::string postcode = Postcode(rng);
  const size_t n_children = 1 + rng.Zipf(4, 1.2);
  std::vector<size_t> members;
  for (size_t k = 0; k < n_children; ++k) {
    SyntheticChild child;
    child.family = family_id;
    child.family_name = family_name;
    child.address = address;
    child.postcode = postcode;
    child.sex = rng.Chance(0.51) ? 'M' : 'F';
    const bool twin = !members.empty() && rng.Chance(config.twin_rate * 2) && !(*children)[members.back()].twin;
    if (twin) {
      SyntheticChild& other = (*children)[members.back()];
      other.twin = true;
      child.twin = true;
      child.date_of_birth = other.date_of_birth;
    } else {
      child.date_of_birth = Date::FromDays(as_of - 1 - static_cast<int64_t>(rng.Uniform(18 * 365)));
    }
    for (int attempt = 0; attempt < 50; ++attempt) {
      child.given_name = GivenName(child.sex, rng);
      bool clash = false;
      for (size_t m : members) clash = clash || TooSimilar(child.given_name, (*children)[m].given_name);
      if (!clash) break;
    }
    child.nhs_number = NhsNumber((*nhs_serial)++);
    if (child.date_of_birth.AgeOn(config.as_of) >= 4) child.upn = Upn((*upn_serial)++, rng);
    members.push_back(children->size());
    children->push_back(std::move(child));
  }
  return members;
}

}  // namespace

SyntheticPopulation GenerateChildren(const SyntheticConfig& config, const std::function<void(double)>& progress) {
  Rng rng(config.seed);
  SyntheticPopulation pop;
  const size_t target = config.records;
  pop.records.reserve(target);
  pop.child_of.reserve(target);
  pop.children.reserve(target / 2 + 16);
  constexpr std::array<std::string_view, 4> kSources = {"health", "school", "social_care", "police"};
  uint32_t family_id = 0;
  uint64_t nhs_serial = 1;
  uint64_t upn_serial = 1;
  size_t last_report = 0;
  while (pop.records.size() < target) {
    const std::vector<size_t> members = AddFamily(config, family_id, &nhs_serial, &upn_serial, rng, &pop.children);
    ++family_id;
    for (size_t m : members) {
      // One to four source records per child; under-fours have no school record.
      const SyntheticChild& child = pop.children[m];
      const size_t n_records = 1 + rng.Zipf(4, 0.8);
      for (size_t k = 0; k < n_records && pop.records.size() < target; ++k) {
        std::string_view source = kSources[k == 0 ? 0 : rng.Uniform(kSources.size())];
        if (source == "school" && child.upn.empty()) source = "social_care";
        pop.records.push_back(MakeRecord(child, config, pop.records.size(), source, rng));
        pop.child_of.push_back(static_cast<uint32_t>(m));
      }
    }
    if (progress && pop.records.size() - last_report >= 65536) {
      last_report = pop.records.size();
      progress(static_cast<double>(last_report) / static_cast<double>(target));
    }
  }
  if (progress) progress(1.0);
  return pop;
}

std::vector<std::string> SyntheticTruth(const SyntheticPopulation& population) {
  std::vector<std::string> out;
  out.reserve(population.child_of.size());
  for (uint32_t c : population.child_of) out.push_back(std::to_string(c));
  return out;
}

}  // namespace kith::linkage

namespace kith::linkage {

void ForEachSyntheticChild(const SyntheticConfig& config, size_t children,
                           const std::function<void(const SyntheticChild&)>& fn) {
  Rng rng(config.seed);
  uint32_t family_id = 0;
  uint64_t nhs_serial = 1;
  uint64_t upn_serial = 1;
  size_t produced = 0;
  std::vector<SyntheticChild> family;
  while (produced < children) {
    family.clear();
    AddFamily(config, family_id++, &nhs_serial, &upn_serial, rng, &family);
    for (size_t i = 0; i < family.size() && produced < children; ++i, ++produced) fn(family[i]);
  }
}

InputRecord MakeSyntheticRecord(const SyntheticChild& child, const SyntheticConfig& config, uint64_t serial,
                                std::string_view source) {
  Rng rng(config.seed ^ Rng(serial).Next());
  return MakeRecord(child, config, serial, source, rng);
}

}  // namespace kith::linkage
