#include "linkage/evaluate.h"

#include <unordered_map>

namespace kith::linkage {
namespace {

uint64_t PairsOf(uint64_t n) { return n * (n - 1) / 2; }

struct PairHash {
  size_t operator()(const std::pair<uint32_t, uint32_t>& p) const {
    return std::hash<uint64_t>()((static_cast<uint64_t>(p.first) << 32) | p.second);
  }
};

}  // namespace

PairwiseMetrics EvaluatePairwise(const std::vector<uint32_t>& cluster_of, const std::vector<std::string>& entity_of) {
  PairwiseMetrics m;
  const size_t n = std::min(cluster_of.size(), entity_of.size());
  std::unordered_map<std::string_view, uint32_t> entity_index;
  std::vector<uint32_t> entity(n);
  uint32_t next_entity = 0;
  for (size_t i = 0; i < n; ++i) {
    if (entity_of[i].empty()) {
      entity[i] = next_entity++;  // an unlabelled record shares no entity
      continue;
    }
    const auto [it, inserted] = entity_index.try_emplace(entity_of[i], next_entity);
    if (inserted) ++next_entity;
    entity[i] = it->second;
  }
  std::unordered_map<uint32_t, uint64_t> cluster_sizes;
  std::unordered_map<uint32_t, uint64_t> entity_sizes;
  std::unordered_map<std::pair<uint32_t, uint32_t>, uint64_t, PairHash> both;
  for (size_t i = 0; i < n; ++i) {
    ++cluster_sizes[cluster_of[i]];
    ++entity_sizes[entity[i]];
    ++both[{cluster_of[i], entity[i]}];
  }
  for (const auto& [c, s] : cluster_sizes) m.predicted_pairs += PairsOf(s);
  for (const auto& [e, s] : entity_sizes) m.true_pairs += PairsOf(s);
  for (const auto& [k, s] : both) m.true_positives += PairsOf(s);
  m.precision =
      m.predicted_pairs == 0 ? 1.0 : static_cast<double>(m.true_positives) / static_cast<double>(m.predicted_pairs);
  m.recall = m.true_pairs == 0 ? 1.0 : static_cast<double>(m.true_positives) / static_cast<double>(m.true_pairs);
  m.f1 = m.precision + m.recall == 0 ? 0 : 2 * m.precision * m.recall / (m.precision + m.recall);
  return m;
}

std::string_view FebrlEntity(std::string_view id) {
  if (id.substr(0, 4) != "rec-") return id;
  const size_t dash = id.find('-', 4);
  if (dash == std::string_view::npos || dash == 4) return id;
  const std::string_view rest = id.substr(dash);
  if (rest != "-org" && rest.substr(0, 5) != "-dup-") return id;
  return id.substr(4, dash - 4);
}

std::vector<std::string> TruthEntities(const std::vector<InputRecord>& records) {
  std::vector<std::string> out;
  out.reserve(records.size());
  for (const InputRecord& r : records) {
    out.emplace_back(r.cluster.empty() ? FebrlEntity(r.record_id) : std::string_view(r.cluster));
  }
  return out;
}

}  // namespace kith::linkage
