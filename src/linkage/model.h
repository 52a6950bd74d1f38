// The Fellegi–Sunter model: for each comparison and agreement level, m = P(level | match) and
// u = P(level | non-match), and the prior probability that two records drawn at random match.
// A pair's match weight is log2 of its posterior odds: log2(prior odds) plus, per comparison,
// log2(m/u) of its level. Exact agreement on a value is further adjusted by that value's term
// frequency (agreeing on "smith" is worth less than agreeing on "featherstonehaugh").
// Estimation: u from a random sample of pairs (nearly all non-matches); m and the prior by
// expectation maximisation with u held fixed, run on pairs that agree on a blocking field while
// that field's own comparison is left out (as Splink does).
// Thread safety: a finalised Model is immutable and safe to share; training is single-threaded.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "linkage/compare.h"

namespace kith::linkage {

using LevelProbabilities = std::array<double, kMaxLevels>;

class Model {
 public:
  Model() = default;
  // Starts from neutral defaults: m concentrated on exact agreement, u on disagreement.
  explicit Model(std::vector<ComparisonSpec> comparisons);

  const std::vector<ComparisonSpec>& comparisons() const { return comparisons_; }
  size_t size() const { return comparisons_.size(); }

  std::vector<LevelProbabilities> m;  // m[c][level]; level 0 unused
  std::vector<LevelProbabilities> u;
  double prior = 1e-4;     // P(match) for two records drawn at random
  double tf_weight = 1.0;  // 0 turns term-frequency adjustment off
  double tf_floor = 1e-7;  // lowest term frequency used, against unbounded weights

  // Recomputes the weight table; call after changing m, u or prior and before Score.
  void Finalise();

  // log2(m/u) for one comparison level; 0 for level 0.
  float LevelWeight(size_t comparison, int level) const {
    return weights_[comparison * kMaxLevels + static_cast<size_t>(level)];
  }
  // log2 posterior odds of a match. `tf` holds, per comparison, the term frequency of the
  // agreed value (used at the exact level of comparisons that use term frequency) and, for the
  // full name at its levels between "different" and "exact", the frequency of the tokens the
  // two names share (the product of each token's share of records: sharing "wewitzer" is worth
  // more than sharing "sir"); 0 for no adjustment of that comparison, nullptr for none at all.
  double Score(const uint8_t* gamma, const float* tf) const;

  static double ToProbability(double weight);
  static double ToWeight(double probability);

 private:
  std::vector<ComparisonSpec> comparisons_;
  std::vector<float> weights_;
  std::vector<float> log2_u_;      // per comparison and level, for the term-frequency adjustment
  std::vector<uint8_t> tf_level_;  // per comparison, the lowest level adjusted (0 = none); the
                                   // exact level only, but for the full name's token levels
  double prior_weight_ = 0;
};

// Distinct comparison vectors with their counts: EM runs over patterns, not pairs, so its cost
// does not grow with the number of pairs.
struct PatternCounts {
  size_t width = 0;
  std::vector<uint8_t> levels;  // patterns × width
  std::vector<double> counts;

  size_t size() const { return counts.size(); }
  const uint8_t* pattern(size_t i) const { return levels.data() + i * width; }
};

// Builds PatternCounts from gammas laid out pairs × width.
PatternCounts CountPatterns(const std::vector<uint8_t>& gammas, size_t width);

// Sets u from pairs drawn at random: the share of each level among comparable pairs, with a
// pseudo-count so that a level never seen gets a small positive probability.
void EstimateU(const PatternCounts& random_pairs, Model* model);

struct EmResult {
  std::vector<LevelProbabilities> m;  // estimated for active comparisons; others copied in
  double lambda = 0;                  // share of matches among the pairs given
  int iterations = 0;
  bool converged = false;
};

// Expectation maximisation of m and the match share, u fixed. Only comparisons with
// active[c] take part (a comparison used to select the pairs must be left out). With
// estimate_m false, m is held at the model's values too and only the match share is estimated.
// With no pairs, returns the model's m, a match share of 0 and converged false.
EmResult RunEm(const Model& model, const PatternCounts& pairs, const std::vector<bool>& active, int max_iterations,
               bool estimate_m = true, double tolerance = 1e-5);

}  // namespace kith::linkage
