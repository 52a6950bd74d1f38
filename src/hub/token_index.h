// The hub's in-memory index of linkage tokens: per authority and per child (named by the
// authority's opaque reference), the NHS-number and UPN tokens, the blocking tokens and the
// CLK — nothing else. A query (an encoded record) finds candidates through equal identifier or
// blocking tokens, scores them by the Dice coefficient of their CLKs and answers with the
// authority, its reference and a match-strength band, never a score.
//
// Sized for the nation: 12 million children in about 230 bytes each (the CLK's 128, 8-byte
// prefixes of the two identifier tokens, 8-byte slots in one open-addressing table for every
// token, the reference); see docs/BENCHMARKS.md ("Hub").
//
// Thread safety: Query, Size and MemoryBytes may run concurrently from any number of threads;
// Upsert and Remove take an exclusive lock.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "pprl/encoder.h"

namespace kith::hub {

// How strongly a held record matches a query, in the words the hub may say.
enum class MatchBand : uint8_t {
  kPossible,  // CLK Dice at or above TokenIndexOptions::possible
  kStrong,    // at or above TokenIndexOptions::strong
  kCertain,   // an equal NHS-number or UPN token
};
std::string_view ToString(MatchBand band);

struct TokenIndexOptions {
  double possible = 0.65;  // as pprl::TokenLinkOptions::threshold
  double strong = 0.75;
  size_t max_results = 20;  // strongest first
};

struct IndexMatch {
  uint16_t authority = 0;
  std::string ref;
  MatchBand band = MatchBand::kPossible;
};

class TokenIndex {
 public:
  explicit TokenIndex(TokenIndexOptions options = {});
  TokenIndex(const TokenIndex&) = delete;
  TokenIndex& operator=(const TokenIndex&) = delete;

  // Holds `tokens` as authority's child `ref` (1 to 64 bytes), replacing what was held under it.
  void Upsert(uint16_t authority, std::string_view ref, const pprl::Tokens& tokens);
  // Forgets authority's child `ref`; false when nothing was held under it.
  bool Remove(uint16_t authority, std::string_view ref);

  // Held records matching `query`, strongest band first (then by authority and reference), at
  // most max_results. A record whose NHS-number or UPN token differs from the query's is never
  // a match (twins and siblings carry different identifiers), whatever its CLK.
  std::vector<IndexMatch> Query(const pprl::Tokens& query) const;

  size_t Size() const;
  // Bytes held by the index's arrays (not counting allocator overhead).
  size_t MemoryBytes() const;
  // Reserves room for `children` records (avoids rehashing while loading).
  void Reserve(size_t children);

 private:
  // One slot of the open-addressing table: a 32-bit tag of a token (0: empty) and the row it
  // files, with the row's generation when filed (a row reused for another child makes its old
  // slots stale; they are skipped, and dropped when the table grows).
  struct Slot {
    uint32_t tag = 0;
    uint32_t row_gen = 0;  // row << 5 | generation
  };
  struct Meta {
    uint32_t ref_offset = 0;
    uint16_t authority = 0;
    uint8_t ref_length = 0;
    uint8_t gen_live = 0;  // generation (5 bits) << 1 | live
  };

  void InsertTag(uint32_t tag, uint32_t row);
  void Grow(size_t capacity);
  bool Fresh(const Slot& slot) const;
  std::string_view RefOf(uint32_t row) const;
  uint32_t FindRow(uint16_t authority, std::string_view ref) const;
  void Kill(uint32_t row);

  TokenIndexOptions options_;
  mutable std::shared_mutex mutex_;
  std::vector<Slot> slots_;
  size_t used_slots_ = 0;
  // Per row, structure of arrays: the CLK, the identifier prefixes, the rest.
  std::vector<pprl::Clk> clks_;
  std::vector<uint64_t> nhs_, upn_;
  std::vector<Meta> meta_;
  std::vector<uint32_t> free_rows_;
  std::string refs_;
  size_t live_ = 0;
};

}  // namespace kith::hub
