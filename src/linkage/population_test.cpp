#include "linkage/population.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "domain/identifiers.h"
#include "linkage/text.h"

namespace kith::linkage {
namespace {

const Population& Shared() {
  static const Population p = [] {
    PopulationConfig config;
    config.records = 60'000;
    return GeneratePopulation(config);
  }();
  return p;
}

TEST(PopulationTest, DeterministicFromSeedWithTheExactNumberOfRecords) {
  PopulationConfig config;
  config.records = 3'000;
  const Population a = GeneratePopulation(config);
  const Population b = GeneratePopulation(config);
  ASSERT_EQ(a.records.size(), 3'000u);
  ASSERT_EQ(a.child_of.size(), 3'000u);
  for (size_t i = 0; i < a.records.size(); ++i) {
    EXPECT_EQ(a.records[i].record_id, b.records[i].record_id);
    EXPECT_EQ(a.records[i].given_name, b.records[i].given_name);
    EXPECT_EQ(a.records[i].date_of_birth, b.records[i].date_of_birth);
    EXPECT_EQ(a.child_of[i], b.child_of[i]);
  }
  config.seed = 7;
  const Population c = GeneratePopulation(config);
  size_t same = 0;
  for (size_t i = 0; i < a.records.size(); ++i) same += a.records[i].given_name == c.records[i].given_name;
  EXPECT_LT(same, 300u);
}

TEST(PopulationTest, ChildrenHaveValidDistinctIdentifiersAndRecordsSayWhoTheyAre) {
  const Population& p = Shared();
  std::set<std::string> nhs, upn;
  for (const PopulationChild& c : p.children) {
    EXPECT_EQ(domain::NormaliseNhsNumber(c.nhs_number), c.nhs_number) << c.nhs_number;
    EXPECT_TRUE(nhs.insert(c.nhs_number).second) << "NHS number given twice: " << c.nhs_number;
    if (!c.upn.empty()) {
      EXPECT_EQ(domain::NormaliseUpn(c.upn), c.upn) << c.upn;
      EXPECT_TRUE(upn.insert(c.upn).second) << "UPN given twice: " << c.upn;
    }
    EXPECT_GE(c.date_of_birth.AgeOn(Date{2025, 9, 1}), 0);
    EXPECT_LE(c.date_of_birth.AgeOn(Date{2025, 9, 1}), 17);
  }
  // About 2.1 records a child, from several sources, with in-source duplicates.
  const double per_child = static_cast<double>(p.records.size()) / static_cast<double>(p.children.size());
  EXPECT_GT(per_child, 1.8);
  EXPECT_LT(per_child, 2.5);
  std::map<std::string, size_t> by_source;
  std::map<std::pair<uint32_t, std::string>, int> per_child_source;
  for (size_t i = 0; i < p.records.size(); ++i) {
    ++by_source[p.records[i].source];
    ++per_child_source[{p.child_of[i], p.records[i].source}];
  }
  for (const char* s : {"gp", "school", "health_visiting", "hospital", "social_care", "police"}) {
    EXPECT_GT(by_source[s], 100u) << s;
  }
  size_t duplicates = 0;
  for (const auto& [key, n] : per_child_source) duplicates += n > 1;
  EXPECT_GT(duplicates, 100u);
}

TEST(PopulationTest, TwinsIncludeSameInitialAndNearIdenticalNames) {
  const Population& p = Shared();
  size_t pairs = 0, same_initial = 0, near_identical = 0;
  for (size_t i = 0; i < p.children.size(); ++i) {
    const PopulationChild& a = p.children[i];
    if (a.twin < static_cast<int32_t>(i)) continue;  // count each pair once
    const PopulationChild& b = p.children[a.twin];
    ++pairs;
    EXPECT_EQ(a.date_of_birth, b.date_of_birth);
    EXPECT_EQ(a.family, b.family);
    EXPECT_EQ(a.postcode, b.postcode);
    EXPECT_NE(a.nhs_number, b.nhs_number);
    EXPECT_NE(a.given_names, b.given_names);
    const std::string fa = FoldName(a.given_names), fb = FoldName(b.given_names);
    same_initial += fa[0] == fb[0];
    near_identical += WithinOneEdit(fa, fb) || JaroWinkler(fa, fb) >= 0.9;
    EXPECT_EQ(RelationOf(p, static_cast<uint32_t>(i), static_cast<uint32_t>(a.twin)), Relation::kTwin);
  }
  EXPECT_GT(pairs, 200u);
  EXPECT_GT(same_initial, pairs / 5);
  EXPECT_GT(near_identical, pairs / 20);
}

TEST(PopulationTest, NamesFollowRealFrequenciesAndCustoms) {
  const Population& p = Shared();
  std::map<std::string, size_t> first_names;
  size_t called_only = 0, step = 0, singh_kaur = 0, baby = 0, first_jan = 0, nfa = 0, hyphen = 0;
  for (const PopulationChild& c : p.children) {
    ++first_names[std::string(FoldName(c.given_names.substr(0, c.given_names.find(' '))))];
    step += !c.other_family_name.empty();
    hyphen += c.family_name.find('-') != std::string::npos;
    first_jan += c.date_of_birth.month == 1 && c.date_of_birth.day == 1;
  }
  for (size_t i = 0; i < p.records.size(); ++i) {
    const InputRecord& r = p.records[i];
    const PopulationChild& c = p.children[p.child_of[i]];
    if (c.given_names.starts_with("Muhammad ") && FoldName(r.given_name) == FoldName(c.given_names.substr(9))) {
      ++called_only;
    }
    singh_kaur += r.family_name == "Singh" || r.family_name == "Kaur";
    baby += r.given_name.starts_with("Baby");
    nfa += r.postcode == "ZZ99 3VZ";
  }
  // The commonest first names are shared by one or two children in a hundred, not ten.
  size_t top = 0;
  for (const auto& [name, n] : first_names) top = std::max(top, n);
  const double top_share = static_cast<double>(top) / static_cast<double>(p.children.size());
  EXPECT_GT(top_share, 0.008);
  EXPECT_LT(top_share, 0.05);
  EXPECT_GT(first_names.size(), 1000u);  // a long tail
  EXPECT_GT(called_only, 20u);
  EXPECT_GT(step, 500u);
  EXPECT_GT(singh_kaur, 10u);
  EXPECT_GT(baby, 5u);
  EXPECT_GT(nfa, 2u);
  EXPECT_GT(hyphen, 100u);
  // 1 January is over-represented (dates recorded on arrival), about 1/365 otherwise.
  EXPECT_GT(static_cast<double>(first_jan) / static_cast<double>(p.children.size()), 1.5 / 365);
}

TEST(PopulationTest, CityNamesakesShareNameSurnameAndYear) {
  const Population& p = Shared();
  std::map<std::tuple<std::string, std::string, int>, size_t> namesakes;
  for (const PopulationChild& c : p.children) {
    ++namesakes[{FoldName(c.given_names), FoldName(c.family_name), c.date_of_birth.year}];
  }
  size_t shared = 0;
  for (const auto& [key, n] : namesakes) shared += n > 1 ? n : 0;
  EXPECT_GT(shared, 100u) << "children sharing name, surname and year of birth with another";
}

TEST(PopulationTest, FalseMergesAreCountedByRelation) {
  PopulationConfig config;
  config.records = 5'000;
  const Population p = GeneratePopulation(config);
  // Every record its own cluster: no merges. Every record of one family in one cluster: the
  // family's pairs of children are counted as siblings or twins.
  std::vector<uint32_t> alone(p.records.size());
  for (size_t i = 0; i < alone.size(); ++i) alone[i] = static_cast<uint32_t>(i);
  const FalseMerges none = CountFalseMerges(p, alone);
  EXPECT_EQ(none.twins + none.siblings + none.household + none.unrelated, 0u);
  std::vector<uint32_t> by_family(p.records.size());
  for (size_t i = 0; i < by_family.size(); ++i) by_family[i] = p.children[p.child_of[i]].family;
  const FalseMerges families = CountFalseMerges(p, by_family);
  EXPECT_GT(families.siblings, 100u);
  EXPECT_GT(families.twins, 5u);
  EXPECT_EQ(families.unrelated, 0u);
  EXPECT_EQ(families.household, 0u);
}

TEST(PopulationTest, HeldOutConfigurationDiffers) {
  const PopulationConfig held_out = HeldOutPopulationConfig(1'000);
  const PopulationConfig standard;
  EXPECT_NE(held_out.seed, standard.seed);
  EXPECT_GT(held_out.error_scale, standard.error_scale);
  EXPECT_GT(held_out.twin_rate, standard.twin_rate);
  EXPECT_EQ(GeneratePopulation(held_out).records.size(), 1'000u);
}

}  // namespace
}  // namespace kith::linkage
