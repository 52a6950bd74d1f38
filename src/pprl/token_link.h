// Linking records by their tokens alone (what `kith pprl link` runs; the hub's matching uses the
// same rules): records sharing an NHS-number or UPN token are matched; records whose CLKs have a
// Dice coefficient at or above the threshold are matched; clusters are the connected components
// of matches joined strongest first (identifier matches, then by Dice), never joining two
// clusters holding different NHS-number tokens or different UPN tokens (twins and siblings
// carry different identifiers) and never chaining two clusters of several records each by a
// match weaker than threshold + join_margin.
// Comparisons are all pairs of CLKs with DiceMany, on `threads` threads: quadratic, which is
// what the command line's evaluation sizes (up to a few hundred thousand records) afford.
// Thread safety: LinkTokens may run concurrently on different inputs.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "pprl/encoder.h"

namespace kith::pprl {

struct TokenLinkOptions {
  // Dice coefficient at or above which two CLKs match. About 0.5 is what unrelated hardened
  // CLKs score (half their bits set at random). 0.65 was chosen on the synthetic population
  // (docs/BENCHMARKS.md, "Privacy-preserving linkage"): lower merges twins, higher loses typos.
  double threshold = 0.65;
  // How much stronger than the threshold a match must be to join two clusters of several
  // records each (a weaker one may only add a single record to a cluster).
  double join_margin = 0.04;
  unsigned threads = 0;  // 0: hardware concurrency
};

struct TokenLinkStats {
  size_t records = 0;
  uint64_t comparisons = 0;         // CLK pairs compared
  size_t identifier_matches = 0;    // pairs sharing an NHS-number or UPN token
  size_t clk_matches = 0;           // pairs at or above the threshold
  size_t identifier_conflicts = 0;  // matches refused: they would join different identifiers
  size_t weak_bridges = 0;          // matches refused by join_margin
  size_t clusters = 0;
  double compare_seconds = 0;
};

struct TokenLinkResult {
  std::vector<uint32_t> cluster_of;  // per record, clusters numbered from 0 in order of first appearance
  TokenLinkStats stats;
};

// Fails with kInvalidInput when the threshold is not in (0, 1].
Result<TokenLinkResult> LinkTokens(const std::vector<Tokens>& records, const TokenLinkOptions& options);

}  // namespace kith::pprl
