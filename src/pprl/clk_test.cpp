#include "pprl/clk.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace kith::pprl {
namespace {

Clk RandomClk(std::mt19937_64& rng, double density) {
  Clk c;
  std::bernoulli_distribution bit(density);
  for (size_t i = 0; i < kClkBits; ++i) {
    if (bit(rng)) c.Set(i);
  }
  return c;
}

TEST(Clk, DiceManyAgreesWithTheDefinitionOnEveryCandidate) {
  std::mt19937_64 rng(5);
  const Clk query = RandomClk(rng, 0.5);
  std::vector<Clk> candidates;
  std::vector<uint32_t> pops;
  for (double density : {0.0, 0.01, 0.2, 0.5, 0.9, 1.0}) {
    for (int i = 0; i < 20; ++i) candidates.push_back(RandomClk(rng, density));
  }
  candidates.push_back(query);
  for (const auto& c : candidates) pops.push_back(PopCount(c));
  std::vector<float> out(candidates.size());
  DiceMany(query, PopCount(query), candidates, pops, out);
  for (size_t i = 0; i < candidates.size(); ++i) {
    uint32_t common = 0;
    for (size_t b = 0; b < kClkBits; ++b) common += query.Test(b) && candidates[i].Test(b);
    const double expected = 2.0 * common / (PopCount(query) + pops[i]);
    EXPECT_NEAR(out[i], expected, 1e-6) << "candidate " << i << " on kernel " << DiceKernelName();
    EXPECT_NEAR(Dice(query, candidates[i]), expected, 1e-12);
  }
  EXPECT_FLOAT_EQ(out.back(), 1.0f);
}

TEST(Clk, DiceOfTwoEmptyClksIsZero) {
  const Clk empty;
  EXPECT_EQ(Dice(empty, empty), 0.0);
  std::vector<Clk> one{empty};
  std::vector<uint32_t> pops{0};
  std::vector<float> out(1, -1);
  DiceMany(empty, 0, one, pops, out);
  EXPECT_EQ(out[0], 0.0f);
}

TEST(Clk, Base64RoundTripsAndRefusesOtherLengthsAndCharacters) {
  std::mt19937_64 rng(9);
  const Clk c = RandomClk(rng, 0.5);
  const std::string text = ClkToBase64(c);
  EXPECT_EQ(text.size(), 172u);
  Clk back;
  ASSERT_TRUE(ClkFromBase64(text, &back));
  EXPECT_EQ(back, c);
  EXPECT_FALSE(ClkFromBase64(text.substr(0, 168), &back));
  EXPECT_FALSE(ClkFromBase64(text + "AAAA", &back));
  std::string bad = text;
  bad[10] = '*';
  EXPECT_FALSE(ClkFromBase64(bad, &back));
  EXPECT_FALSE(ClkFromBase64("", &back));
}

}  // namespace
}  // namespace kith::pprl
