// A population of England's children, and the records agencies hold about them, made to be as
// hard to link as the real thing (issue 19): given names by year of birth and community with
// their real frequencies (many children share the commonest names; in a city many share name,
// surname and year of birth), surnames by community, twins (some with the same initial, some
// with near-identical names: Hasan and Husain, Amelia and Amelie), siblings close in age, cousins
// at the same address, step-families whose surnames change, hyphenated and double-barrelled
// surnames recorded in part, children called by a second given name (Muhammad Ibrahim, known as
// Ibrahim), Sikh children recorded as Singh or Kaur in one place and by the family name in
// another, gendered Polish surnames, dates of birth recorded as 1 January on arrival, children
// who move house and school, duplicate records inside one source, blank and defaulted fields
// ("Baby", "Unknown", 1 January, ZZ99 3VZ) and errors at realistic rates in every field.
//
// Geography: postcode areas of England with the share of each community among their children
// (population_names.h); each district holds about `children_per_district` children, so a bigger
// population covers more districts at the same density, as a national index does.
//
// Sources: gp (NHS number nearly always), school (UPN, rarely the NHS number; known-as names,
// from age four), health_visiting (under fives), hospital, social_care and police (families
// known to one are often known to the other; worse data). See docs/linkage.md ("The population").
//
// The output is a pure function of the config (the seed included), on any platform.
// Thread safety: GeneratePopulation is reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "linkage/record.h"

namespace kith::linkage {

struct PopulationConfig {
  uint64_t seed = 19;
  size_t records = 100'000;  // source records to produce (about 2.1 per child)
  Date as_of{2025, 9, 1};    // children are aged 0–17 on this date
  double children_per_district = 4'000;
  double diversity = 1.0;               // multiplies the share of every community but British
  double twin_rate = 0.016;             // share of births that are twins
  double same_initial_twins = 0.25;     // share of twin pairs given names with one initial
  double near_identical_twins = 0.10;   // share of twin pairs given near-identical names
  double close_sibling_rate = 0.06;     // next child born within 15 months
  double step_family_rate = 0.12;       // families whose older children carry another surname
  double extended_household_rate = 0.05;  // a second family (cousins) at the address
  double double_barrelled_rate = 0.05;  // British families with a two-part surname
  double middle_name_rate = 0.65;       // British children with a middle name
  double moved_rate = 0.25;             // households with an earlier address still in records
  double duplicate_rate = 0.012;        // per child and source: a second record in that source
  double error_scale = 1.0;             // multiplies every per-record error rate
  double sibling_identifier_swap_rate = 0.0005;  // a sibling's NHS number in a record
  // Records per child: chance of a record in each source (presence), beside gp and school.
  double health_visiting_rate = 0.55;  // under fives
  double hospital_rate = 0.12;
  double social_care_rate = 0.07;  // per family
  double police_rate = 0.35;       // per family known to social care; 0.01 otherwise
};

// A second population for held-out checks: another seed and other choices (more diverse,
// more twins, denser districts, more moves and duplicates, errors 1.4 times as often, more
// records from social care and police).
PopulationConfig HeldOutPopulationConfig(size_t records);

struct PopulationChild {
  std::string given_names;  // as registered: first and middle names
  std::string family_name;  // as registered
  std::string other_family_name;  // another surname the child is known by (step-family, Singh/Kaur,
                                  // a family surname); empty when none
  Date date_of_birth;
  char sex = 'F';
  std::string nhs_number;  // valid modulus 11
  std::string upn;         // valid check letter; empty under school age
  std::string address;     // current
  std::string postcode;
  std::string previous_address;  // empty unless the household moved
  std::string previous_postcode;
  uint32_t family = 0;     // children of one mother
  uint32_t household = 0;  // children at one address (families of cousins share it)
  int32_t twin = -1;       // index of the other twin, or -1
  uint8_t community = 0;   // population_data::CommunityId
};

struct Population {
  std::vector<PopulationChild> children;
  std::vector<InputRecord> records;  // record_id "<source>-<N>"; in a seeded random order
  std::vector<uint32_t> child_of;    // per record, index into children (the truth)
};

// Generates config.records records (exactly). `progress`, when set, is called with the
// fraction done.
Population GeneratePopulation(const PopulationConfig& config,
                              const std::function<void(double)>& progress = nullptr);

// Streams `children` children alone, without records, household by household, for search
// benchmarks at national size (the households GeneratePopulation draws for about 2.1 ×
// `children` records, though not the same sequence; config.records is ignored). A child's
// `twin` and `family` refer to positions in the stream.
void ForEachPopulationChild(const PopulationConfig& config, size_t children,
                            const std::function<void(const PopulationChild&)>& fn);

// `text` with one slip of the keyboard, as the generator makes them: a neighbouring key, a
// letter left out or doubled, two letters swapped, one vowel for another. Deterministic in seed.
std::string KeyboardSlip(std::string_view text, uint64_t seed);

// How two distinct children are related: the hard negatives of linkage.
enum class Relation : uint8_t { kNone, kTwin, kSibling, kHousehold };
Relation RelationOf(const Population& population, uint32_t child_a, uint32_t child_b);

// Distinct children wrongly put together by a clustering, counted as pairs of children sharing a
// cluster, by how they are related.
struct FalseMerges {
  size_t twins = 0;
  size_t siblings = 0;   // same mother, not twins
  size_t household = 0;  // cousins and others at one address
  size_t unrelated = 0;  // look-alikes
};
FalseMerges CountFalseMerges(const Population& population, const std::vector<uint32_t>& cluster_of);

// The truth labels of a population's records as strings (for EvaluatePairwise).
std::vector<std::string> PopulationTruth(const Population& population);

}  // namespace kith::linkage
