#include "linkage/model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>

namespace kith::linkage {
namespace {

constexpr double kMinProbability = 1e-3;  // m and u floor: no single level is a veto

}  // namespace

Model::Model(std::vector<ComparisonSpec> comparisons) : comparisons_(std::move(comparisons)) {
  m.assign(comparisons_.size(), LevelProbabilities{});
  u.assign(comparisons_.size(), LevelProbabilities{});
  for (size_t c = 0; c < comparisons_.size(); ++c) {
    const int levels = LevelCount(comparisons_[c].kind);
    // m: halves from the top level down; u: mostly disagreement.
    double m_total = 0;
    double u_total = 0;
    for (int l = 1; l < levels; ++l) {
      m[c][l] = std::pow(0.2, levels - 1 - l);
      u[c][l] = l == 1 ? 0.9 : 0.1 / std::pow(4.0, l - 1);
      m_total += m[c][l];
      u_total += u[c][l];
    }
    for (int l = 1; l < levels; ++l) {
      m[c][l] /= m_total;
      u[c][l] /= u_total;
    }
  }
  Finalise();
}

void Model::Finalise() {
  weights_.assign(comparisons_.size() * kMaxLevels, 0.0f);
  log2_u_.assign(comparisons_.size() * kMaxLevels, 0.0f);
  tf_level_.assign(comparisons_.size(), 0);
  for (size_t c = 0; c < comparisons_.size(); ++c) {
    const int levels = LevelCount(comparisons_[c].kind);
    for (int l = 1; l < levels; ++l) {
      const double mm = std::max(m[c][l], kMinProbability);
      const double uu = std::max(u[c][l], 1e-9);
      weights_[c * kMaxLevels + l] = static_cast<float>(std::log2(mm / uu));
      log2_u_[c * kMaxLevels + l] = static_cast<float>(std::log2(uu));
    }
    if (UsesTermFrequency(comparisons_[c].kind)) {
      tf_level_[c] = static_cast<uint8_t>(comparisons_[c].kind == ComparisonKind::kFullName ? 2 : levels - 1);
    }
  }
  prior_weight_ = ToWeight(prior);
}

double Model::Score(const uint8_t* gamma, const float* tf) const {
  double w = prior_weight_;
  for (size_t c = 0; c < comparisons_.size(); ++c) {
    const uint8_t level = gamma[c];
    w += weights_[c * kMaxLevels + level];
    if (tf != nullptr && level != 0 && tf_level_[c] != 0 && level >= tf_level_[c] && tf[c] > 0) {
      // Splink's adjustment: replace u of the level by the agreed value's own frequency.
      const double f = std::max(static_cast<double>(tf[c]), tf_floor);
      w += tf_weight * (log2_u_[c * kMaxLevels + level] - std::log2(f));
    }
  }
  return w;
}

double Model::ToProbability(double weight) {
  const double odds = std::exp2(weight);
  return odds / (1.0 + odds);
}

double Model::ToWeight(double probability) {
  probability = std::clamp(probability, 1e-15, 1.0 - 1e-15);
  return std::log2(probability / (1.0 - probability));
}

PatternCounts CountPatterns(const std::vector<uint8_t>& gammas, size_t width) {
  PatternCounts out;
  out.width = width;
  if (width == 0) return out;
  std::unordered_map<std::string, size_t> index;
  const size_t n = gammas.size() / width;
  for (size_t i = 0; i < n; ++i) {
    std::string key(reinterpret_cast<const char*>(gammas.data() + i * width), width);
    auto [it, inserted] = index.try_emplace(std::move(key), out.counts.size());
    if (inserted) {
      out.levels.insert(out.levels.end(), gammas.begin() + static_cast<std::ptrdiff_t>(i * width),
                        gammas.begin() + static_cast<std::ptrdiff_t>((i + 1) * width));
      out.counts.push_back(0);
    }
    out.counts[it->second] += 1;
  }
  return out;
}

void EstimateU(const PatternCounts& random_pairs, Model* model) {
  for (size_t c = 0; c < model->size(); ++c) {
    const int levels = LevelCount(model->comparisons()[c].kind);
    LevelProbabilities counts{};
    double total = 0;
    for (size_t p = 0; p < random_pairs.size(); ++p) {
      const uint8_t l = random_pairs.pattern(p)[c];
      if (l == 0) continue;
      counts[l] += random_pairs.counts[p];
      total += random_pairs.counts[p];
    }
    if (total == 0) continue;  // keep the defaults
    for (int l = 1; l < levels; ++l) model->u[c][l] = (counts[l] + 0.1) / (total + 0.1 * (levels - 1));
  }
}

EmResult RunEm(const Model& model, const PatternCounts& pairs, const std::vector<bool>& active, int max_iterations,
               bool estimate_m, double tolerance) {
  EmResult r;
  r.m = model.m;
  double total_count = 0;
  for (double c : pairs.counts) total_count += c;
  if (total_count <= 0) return r;  // no pairs: nothing to estimate (the match share would be 0/0)
  r.lambda = 0.5;
  const size_t width = model.size();
  std::vector<double> posterior(pairs.size());
  for (r.iterations = 0; r.iterations < max_iterations; ++r.iterations) {
    // E step.
    double match_mass = 0;
    double total_mass = 0;
    for (size_t p = 0; p < pairs.size(); ++p) {
      const uint8_t* g = pairs.pattern(p);
      double log_m = std::log(r.lambda);
      double log_u = std::log(1.0 - r.lambda);
      for (size_t c = 0; c < width; ++c) {
        if (!active[c] || g[c] == 0) continue;
        log_m += std::log(std::max(r.m[c][g[c]], kMinProbability));
        log_u += std::log(std::max(model.u[c][g[c]], 1e-9));
      }
      posterior[p] = 1.0 / (1.0 + std::exp(log_u - log_m));
      match_mass += posterior[p] * pairs.counts[p];
      total_mass += pairs.counts[p];
    }
    // M step.
    double change = std::abs(match_mass / total_mass - r.lambda);
    r.lambda = std::clamp(match_mass / total_mass, 1e-9, 1.0 - 1e-9);
    for (size_t c = 0; c < width && estimate_m; ++c) {
      if (!active[c]) continue;
      const int levels = LevelCount(model.comparisons()[c].kind);
      LevelProbabilities mass{};
      double sum = 0;
      for (size_t p = 0; p < pairs.size(); ++p) {
        const uint8_t l = pairs.pattern(p)[c];
        if (l == 0) continue;
        mass[l] += posterior[p] * pairs.counts[p];
        sum += posterior[p] * pairs.counts[p];
      }
      if (sum <= 0) continue;
      for (int l = 1; l < levels; ++l) {
        const double next = mass[l] / sum;
        change = std::max(change, std::abs(next - r.m[c][l]));
        r.m[c][l] = next;
      }
    }
    if (change < tolerance) {
      r.converged = true;
      ++r.iterations;
      break;
    }
  }
  return r;
}

}  // namespace kith::linkage
