// Pairwise accuracy of a clustering against known truth: every pair of records placed in the
// same cluster is a predicted match, every pair sharing a true entity is a true match.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "linkage/record.h"

namespace kith::linkage {

struct PairwiseMetrics {
  uint64_t true_pairs = 0;       // pairs sharing an entity
  uint64_t predicted_pairs = 0;  // pairs sharing a cluster
  uint64_t true_positives = 0;   // pairs sharing both
  double precision = 0;          // 1 when nothing is predicted
  double recall = 0;             // 1 when there is nothing to find
  double f1 = 0;
};

// Compares predicted clusters with true entity labels (same length; records with an empty
// entity label are their own entity). Counts pairs through cluster × entity intersections,
// so the cost is linear in the number of records.
PairwiseMetrics EvaluatePairwise(const std::vector<uint32_t>& cluster_of, const std::vector<std::string>& entity_of);

// The entity of a FEBRL record id: "rec-12-org" and "rec-12-dup-3" both give "12". Returns
// the id itself when it does not have that shape.
std::string_view FebrlEntity(std::string_view record_id);

// Truth labels for loaded records: the cluster column when the data has one, otherwise the
// FEBRL entity of the record id.
std::vector<std::string> TruthEntities(const std::vector<InputRecord>& records);

}  // namespace kith::linkage
