// A synthetic population of children in England, and the source records different agencies
// hold about them, with realistic errors: typos, nicknames, transliteration variants, swapped
// names, surname changes and double-barrelled surnames, day/month transposition and one-digit
// date errors, house moves, postcode typos, missing NHS numbers in school records, missing
// UPNs in health records. Families share a surname and address; some children are twins
// (same date of birth, different given names). For linkage accuracy tests and benchmarks,
// demo data and search benchmarks. Names are drawn from common English and British Asian,
// African and European given names and surnames; none is a real person's record.
// Output is a pure function of the config (including the seed), on any platform.
// Thread safety: GenerateChildren is reentrant.
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

struct SyntheticConfig {
  uint64_t seed = 1;
  size_t records = 10'000;   // source records to produce (approximately people × 2.5)
  Date as_of{2025, 9, 1};    // children are aged 0–17 on this date
  double twin_rate = 0.03;   // share of births that are twins (both twins are children)
  double error_scale = 1.0;  // multiplies every error rate below; 0 gives clean copies
  // Per-record error rates.
  double nickname_rate = 0.06;
  double given_typo_rate = 0.03;
  double family_typo_rate = 0.03;
  double surname_change_rate = 0.03;  // step-parent's surname, or double-barrelled
  double swap_names_rate = 0.01;
  double dob_transpose_rate = 0.01;  // day and month swapped (when both ≤ 12)
  double dob_digit_rate = 0.02;
  double moved_rate = 0.10;  // a different (later or earlier) address
  double postcode_typo_rate = 0.02;
  double missing_field_rate = 0.02;  // each of sex, postcode, date of birth
};

struct SyntheticChild {
  std::string given_name;
  std::string family_name;
  Date date_of_birth;
  char sex = 'F';          // 'M' or 'F'
  std::string nhs_number;  // valid modulus-11
  std::string upn;         // valid check letter; empty under school age
  std::string address;
  std::string postcode;
  uint32_t family = 0;  // children of one family share this, a surname and an address
  bool twin = false;
};

struct SyntheticPopulation {
  std::vector<SyntheticChild> children;
  std::vector<InputRecord> records;  // record_id "r<N>", source health/school/social_care/police
  std::vector<uint32_t> child_of;    // per record, index into children (the truth)
};

// Generates about config.records records (exactly, unless records < 1). `progress`, when set,
// is called with the fraction done.
SyntheticPopulation GenerateChildren(const SyntheticConfig& config,
                                     const std::function<void(double)>& progress = nullptr);

// Streams `children` children drawn as GenerateChildren draws them, without source records (so
// the sequence differs from GenerateChildren's), calling fn for each: for national-scale search
// benchmarks, where 12 million children's records would not fit in memory.
void ForEachSyntheticChild(const SyntheticConfig& config, size_t children,
                           const std::function<void(const SyntheticChild&)>& fn);

// One source record about `child` with the config's error rates, as GenerateChildren writes
// them (record id "r<serial>"). Deterministic in (config.seed, serial).
InputRecord MakeSyntheticRecord(const SyntheticChild& child, const SyntheticConfig& config, uint64_t serial,
                                std::string_view source);

// The truth labels of a population's records as strings (for EvaluatePairwise).
std::vector<std::string> SyntheticTruth(const SyntheticPopulation& population);

}  // namespace kith::linkage
