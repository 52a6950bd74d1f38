// Name and place tables for the population generator (population.h): given names by birth year
// and community with their approximate frequencies, surnames by community, and the postcode
// areas of England with the mix of communities living in each. Internal to src/linkage.
//
// Sources (approximate, rounded; they shape the generator, they are not statistics to quote):
// * British given names: ONS "Baby names in England and Wales" for 2008, 2015 and 2023 — births
//   per name (boys and girls separately, about 330,000 of each a year). The generator
//   interpolates between the three years by a child's year of birth.
// * Community names and surnames: the commonest names in each community as they appear in
//   English school and GP registers (Pakistani, Bangladeshi, Gujarati and Punjabi Indian,
//   Nigerian, Ghanaian, Somali, Caribbean, Polish, Romanian, Chinese), listed most frequent
//   first; the generator draws them with Zipf weights.
// * Community shares by postcode area: rounded from Census 2021 ethnic groups of children.
// Thread safety: constant data.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace kith::linkage::population_data {

struct WeightedName {
  std::string_view name;
  uint32_t weight;  // births a year (British lists) or a relative weight
};

// How a community names its children; the generator follows these customs.
struct Community {
  std::string_view id;
  std::span<const WeightedName> boys;
  std::span<const WeightedName> girls;
  std::span<const WeightedName> surnames;
  // Share of boys whose first given name is a devotional name (Muhammad, Abdul) and who are
  // called by their second; such records often give only the second name.
  double devotional_first_share = 0;
  std::span<const std::string_view> devotional_names;
  // Share of girls recorded under a girls' surname (Begum, Kaur, Bibi, Khatun) rather than the
  // family's; and those surnames.
  double girls_surname_share = 0;
  std::span<const std::string_view> girls_surnames;
  // Share of boys recorded under a boys' surname (Singh), and those surnames.
  double boys_surname_share = 0;
  std::span<const std::string_view> boys_surnames;
  // Surnames have a feminine form (Kowalski/Kowalska).
  bool gendered_surnames = false;
  // The family name is often written first (Wang Wei): records swap given and family names.
  double name_order_swap = 0;
  // Children often have a second given name from the heritage language, which some records
  // give as the first (Daniel Oluwaseun / Oluwaseun).
  double heritage_middle_share = 0;
  std::span<const WeightedName> heritage_boys;
  std::span<const WeightedName> heritage_girls;
  // Share of children born abroad whose date of birth was recorded as 1 January on arrival.
  double first_of_january_share = 0;
  // Share of children with a long-tail given name, drawn from the generated tail instead.
  double tail_given_share = 0;
  double tail_surname_share = 0;
};

// British given names at three anchor years (2008, 2015, 2023), with births a year.
std::span<const WeightedName> BritishBoys(int anchor);   // anchor 0, 1, 2
std::span<const WeightedName> BritishGirls(int anchor);  // anchor 0, 1, 2
inline constexpr int kAnchorYears[3] = {2008, 2015, 2023};

enum CommunityId : uint8_t {
  kBritish,
  kCaribbean,
  kPakistani,
  kBangladeshi,
  kGujarati,
  kPunjabi,
  kNigerian,
  kGhanaian,
  kSomali,
  kPolish,
  kRomanian,
  kChinese,
  kCommunityCount,
};
const Community& CommunityData(CommunityId id);

// Nicknames and short forms the records of a child may use for a registered name, and
// transliteration variants a clerk may write (Muhammad → Mohammed). Both directions are not
// listed; the generator looks up the registered name.
struct Variant {
  std::string_view name;
  std::string_view variant;
};
std::span<const Variant> GivenVariants();
std::span<const Variant> SurnameVariants();  // transliterations and spellings (Hussain/Hussein)

// Pairs of names twins are given that differ by a letter or a sound (Hasan and Husain, Amelia
// and Amelie), for boys (sex 'M') or girls ('F').
std::span<const Variant> NearIdenticalTwinNames(char sex);

// British surnames with their frequency (per 10,000 people); the rest are the long tail.
std::span<const WeightedName> BritishSurnames();

// Fragments for long-tail names (Kayden, Brayleigh): first and second parts, by sex.
std::span<const std::string_view> TailBoyHeads();
std::span<const std::string_view> TailBoyEnds();
std::span<const std::string_view> TailGirlHeads();
std::span<const std::string_view> TailGirlEnds();
// Fragments for long-tail British surnames (Ashford, Thornthwaite).
std::span<const std::string_view> TailSurnameHeads();
std::span<const std::string_view> TailSurnameEnds();

// A postcode area: its letters, how many districts it has, its share of England's children (a
// weight) and the share of each community among its children.
struct Area {
  std::string_view letters;
  uint8_t districts;
  double weight;
  float mix[kCommunityCount];  // shares, need not sum to 1 (normalised by the generator)
};
std::span<const Area> Areas();

std::span<const std::string_view> StreetNames();
std::span<const std::string_view> StreetTypes();

}  // namespace kith::linkage::population_data
