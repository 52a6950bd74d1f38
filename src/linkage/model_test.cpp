#include "linkage/model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace kith::linkage {
namespace {

// Comparison vectors drawn from known parameters: each pair is a match with probability
// `lambda`; its level per comparison is drawn from m (match) or u (non-match), or is 0
// (missing) with probability `missing`. The generator is seeded and maps raw 64-bit draws to
// [0, 1) itself, so the data are the same with every standard library.
class Synthetic {
 public:
  Synthetic(std::vector<ComparisonSpec> specs, std::vector<LevelProbabilities> m, std::vector<LevelProbabilities> u)
      : specs_(std::move(specs)), m_(std::move(m)), u_(std::move(u)) {}

  const std::vector<ComparisonSpec>& specs() const { return specs_; }
  const std::vector<LevelProbabilities>& m() const { return m_; }
  const std::vector<LevelProbabilities>& u() const { return u_; }

  std::vector<uint8_t> Draw(size_t pairs, double lambda, double missing, uint64_t seed) const {
    std::mt19937_64 rng(seed);
    auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    std::vector<uint8_t> gammas;
    gammas.reserve(pairs * specs_.size());
    for (size_t i = 0; i < pairs; ++i) {
      const bool match = uniform() < lambda;
      for (size_t c = 0; c < specs_.size(); ++c) {
        if (uniform() < missing) {
          gammas.push_back(0);
          continue;
        }
        const LevelProbabilities& p = match ? m_[c] : u_[c];
        const int levels = LevelCount(specs_[c].kind);
        double x = uniform();
        int level = levels - 1;
        for (int l = 1; l < levels; ++l) {
          if (x < p[l]) {
            level = l;
            break;
          }
          x -= p[l];
        }
        gammas.push_back(static_cast<uint8_t>(level));
      }
    }
    return gammas;
  }

 private:
  std::vector<ComparisonSpec> specs_;
  std::vector<LevelProbabilities> m_;
  std::vector<LevelProbabilities> u_;
};

// Four comparisons with realistic shapes: matches mostly agree exactly, non-matches mostly
// disagree. Level 0 is unused (missing).
Synthetic Known() {
  return Synthetic({{ComparisonKind::kGivenName, 0, "given_name"},
                    {ComparisonKind::kFamilyName, 0, "family_name"},
                    {ComparisonKind::kDateOfBirth, 0, "date_of_birth"},
                    {ComparisonKind::kPostcode, 0, "postcode"}},
                   {
                       LevelProbabilities{0, 0.05, 0.05, 0.10, 0.15, 0.65},
                       LevelProbabilities{0, 0.05, 0.05, 0.10, 0.80},
                       LevelProbabilities{0, 0.03, 0.02, 0.05, 0.05, 0.85},
                       LevelProbabilities{0, 0.15, 0.05, 0.10, 0.70},
                   },
                   {
                       LevelProbabilities{0, 0.85, 0.08, 0.04, 0.02, 0.01},
                       LevelProbabilities{0, 0.90, 0.06, 0.03, 0.01},
                       LevelProbabilities{0, 0.80, 0.15, 0.04, 0.005, 0.005},
                       LevelProbabilities{0, 0.90, 0.06, 0.03, 0.01},
                   });
}

Model ModelWithU(const Synthetic& s) {
  Model model(s.specs());
  model.u = s.u();
  model.Finalise();
  return model;
}

double MaxMError(const Synthetic& s, const EmResult& em) {
  double worst = 0;
  for (size_t c = 0; c < s.specs().size(); ++c) {
    for (int l = 1; l < LevelCount(s.specs()[c].kind); ++l) worst = std::max(worst, std::abs(em.m[c][l] - s.m()[c][l]));
  }
  return worst;
}

void ExpectFinite(const EmResult& em) {
  EXPECT_TRUE(std::isfinite(em.lambda));
  EXPECT_GE(em.lambda, 0.0);
  EXPECT_LE(em.lambda, 1.0);
  for (const LevelProbabilities& levels : em.m) {
    for (double p : levels) EXPECT_TRUE(std::isfinite(p));
  }
}

TEST(CountPatternsTest, CountsDistinctVectors) {
  const PatternCounts counts = CountPatterns({1, 2, 3, 1, 2, 3, 0, 2, 3}, 3);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts.width, 3u);
  EXPECT_EQ(counts.pattern(0)[0], 1);
  EXPECT_EQ(counts.counts[0], 2.0);
  EXPECT_EQ(counts.pattern(1)[0], 0);
  EXPECT_EQ(counts.counts[1], 1.0);
}

TEST(EstimateUTest, RecoversUFromRandomPairs) {
  const Synthetic s = Known();
  // Random pairs: one in ten thousand a match, as among children drawn at random.
  const PatternCounts random = CountPatterns(s.Draw(200'000, 1e-4, 0.05, 7), s.specs().size());
  Model model(s.specs());
  EstimateU(random, &model);
  for (size_t c = 0; c < s.specs().size(); ++c) {
    double total = 0;
    for (int l = 1; l < LevelCount(s.specs()[c].kind); ++l) {
      EXPECT_NEAR(model.u[c][l], s.u()[c][l], 0.005) << s.specs()[c].name << " level " << l;
      total += model.u[c][l];
    }
    EXPECT_NEAR(total, 1.0, 1e-9);
  }
}

TEST(EstimateUTest, UnseenLevelsGetASmallShareAndMissingValuesAreIgnored) {
  const std::vector<ComparisonSpec> specs = {{ComparisonKind::kSex, 0, "sex"},
                                             {ComparisonKind::kNhsNumber, 0, "nhs_number"}};
  // Sex: 30 disagree, 10 agree, 60 missing. NHS number: always missing.
  std::vector<uint8_t> gammas;
  for (int i = 0; i < 100; ++i) {
    gammas.push_back(i < 30 ? 1 : i < 40 ? 2 : 0);
    gammas.push_back(0);
  }
  Model model(specs);
  const LevelProbabilities default_nhs_u = model.u[1];
  EstimateU(CountPatterns(gammas, 2), &model);
  EXPECT_NEAR(model.u[0][1], 30.1 / 40.2, 1e-12);
  EXPECT_NEAR(model.u[0][2], 10.1 / 40.2, 1e-12);
  EXPECT_EQ(model.u[1], default_nhs_u);  // nothing to estimate from: defaults kept

  // An NHS number that never agrees exactly among random pairs still has u > 0 there, so
  // exact agreement gets a large but finite weight.
  gammas.assign({1, 1, 2, 1, 1, 2});
  EstimateU(CountPatterns(gammas, 2), &model);
  EXPECT_GT(model.u[1][3], 0.0);
  EXPECT_LT(model.u[1][3], 0.05);
  model.Finalise();
  EXPECT_TRUE(std::isfinite(model.LevelWeight(1, 3)));
}

TEST(RunEmTest, RecoversKnownMAndMatchShare) {
  const Synthetic s = Known();
  const PatternCounts pairs = CountPatterns(s.Draw(40'000, 0.3, 0.05, 11), s.specs().size());
  const Model model = ModelWithU(s);
  const EmResult em = RunEm(model, pairs, std::vector<bool>(s.specs().size(), true), 500);
  EXPECT_TRUE(em.converged);
  EXPECT_NEAR(em.lambda, 0.3, 0.015);
  EXPECT_LT(MaxMError(s, em), 0.02);
}

TEST(RunEmTest, RecoversMWithUEstimatedFromRandomPairs) {
  // The way Train uses it: u from random pairs, then EM on pairs rich in matches.
  const Synthetic s = Known();
  Model model(s.specs());
  EstimateU(CountPatterns(s.Draw(200'000, 1e-4, 0.05, 21), s.specs().size()), &model);
  model.Finalise();
  const PatternCounts pairs = CountPatterns(s.Draw(40'000, 0.5, 0.05, 22), s.specs().size());
  const EmResult em = RunEm(model, pairs, std::vector<bool>(s.specs().size(), true), 500);
  EXPECT_TRUE(em.converged);
  EXPECT_NEAR(em.lambda, 0.5, 0.02);
  EXPECT_LT(MaxMError(s, em), 0.025);
}

TEST(RunEmTest, ConvergesFromPoorStartingValues) {
  const Synthetic s = Known();
  const PatternCounts pairs = CountPatterns(s.Draw(40'000, 0.2, 0.05, 31), s.specs().size());
  const std::vector<bool> all(s.specs().size(), true);

  // m spread evenly over the levels: no idea which level matches favour.
  Model flat = ModelWithU(s);
  for (size_t c = 0; c < flat.size(); ++c) {
    const int levels = LevelCount(s.specs()[c].kind);
    for (int l = 1; l < levels; ++l) flat.m[c][l] = 1.0 / (levels - 1);
  }
  const EmResult from_flat = RunEm(flat, pairs, all, 1000);
  EXPECT_TRUE(from_flat.converged);
  EXPECT_NEAR(from_flat.lambda, 0.2, 0.015);
  EXPECT_LT(MaxMError(s, from_flat), 0.02);

  // m the wrong way round: matches assumed to disagree as often as non-matches do.
  Model wrong = ModelWithU(s);
  wrong.m = s.u();
  const EmResult from_wrong = RunEm(wrong, pairs, all, 1000);
  EXPECT_TRUE(from_wrong.converged);
  EXPECT_NEAR(from_wrong.lambda, 0.2, 0.015);
  EXPECT_LT(MaxMError(s, from_wrong), 0.02);
}

TEST(RunEmTest, InactiveComparisonsKeepTheirM) {
  const Synthetic s = Known();
  const PatternCounts pairs = CountPatterns(s.Draw(40'000, 0.3, 0.05, 41), s.specs().size());
  const Model model = ModelWithU(s);
  // Date of birth left out, as when the pairs were selected by agreeing on it.
  std::vector<bool> active(s.specs().size(), true);
  active[2] = false;
  const EmResult em = RunEm(model, pairs, active, 500);
  EXPECT_EQ(em.m[2], model.m[2]);
  EXPECT_NEAR(em.lambda, 0.3, 0.02);
  for (int l = 1; l < LevelCount(ComparisonKind::kGivenName); ++l) EXPECT_NEAR(em.m[0][l], s.m()[0][l], 0.03);
}

TEST(RunEmTest, WithMFixedOnlyTheMatchShareIsEstimated) {
  const Synthetic s = Known();
  const PatternCounts pairs = CountPatterns(s.Draw(40'000, 0.1, 0.05, 51), s.specs().size());
  Model model = ModelWithU(s);
  model.m = s.m();
  const EmResult em = RunEm(model, pairs, std::vector<bool>(s.specs().size(), true), 500, /*estimate_m=*/false);
  EXPECT_TRUE(em.converged);
  EXPECT_EQ(em.m, s.m());
  EXPECT_NEAR(em.lambda, 0.1, 0.01);
}

TEST(RunEmTest, PairsWithNoMatchesGiveASmallMatchShare) {
  const Synthetic s = Known();
  const PatternCounts pairs = CountPatterns(s.Draw(20'000, 0.0, 0.05, 61), s.specs().size());
  const EmResult em = RunEm(ModelWithU(s), pairs, std::vector<bool>(s.specs().size(), true), 500);
  ExpectFinite(em);
  EXPECT_LT(em.lambda, 0.01);
}

TEST(RunEmTest, AllPairsAlikeGiveFiniteEstimates) {
  const Synthetic s = Known();
  const std::vector<bool> all(s.specs().size(), true);
  // Every pair agrees exactly on everything: all matches.
  std::vector<uint8_t> exact;
  for (int i = 0; i < 1000; ++i) {
    for (const ComparisonSpec& spec : s.specs()) exact.push_back(static_cast<uint8_t>(LevelCount(spec.kind) - 1));
  }
  const EmResult all_exact = RunEm(ModelWithU(s), CountPatterns(exact, s.specs().size()), all, 500);
  ExpectFinite(all_exact);
  EXPECT_GT(all_exact.lambda, 0.99);
  EXPECT_NEAR(all_exact.m[0][5], 1.0, 1e-6);

  // Every pair disagrees on everything: no matches. (Identical vectors cannot tell the two
  // classes apart; starting from m on exact agreement, EM settles at once on none matching.)
  const std::vector<uint8_t> differ(1000 * s.specs().size(), 1);
  const EmResult all_differ = RunEm(ModelWithU(s), CountPatterns(differ, s.specs().size()), all, 500);
  ExpectFinite(all_differ);
  EXPECT_LT(all_differ.lambda, 0.01);

  // Nothing comparable: every level missing. No evidence either way.
  const std::vector<uint8_t> missing(1000 * s.specs().size(), 0);
  const EmResult none = RunEm(ModelWithU(s), CountPatterns(missing, s.specs().size()), all, 500);
  ExpectFinite(none);
  EXPECT_TRUE(none.converged);
}

TEST(RunEmTest, NoPairsGiveNoNaN) {
  const Synthetic s = Known();
  const Model model = ModelWithU(s);
  const EmResult em = RunEm(model, CountPatterns({}, s.specs().size()), std::vector<bool>(s.specs().size(), true), 100);
  ExpectFinite(em);
  EXPECT_EQ(em.lambda, 0.0);
  EXPECT_FALSE(em.converged);
  EXPECT_EQ(em.m, model.m);
}

}  // namespace
}  // namespace kith::linkage
