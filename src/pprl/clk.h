// The 1,024-bit encodings that privacy-preserving linkage compares (cryptographic long-term
// keys, CLKs) and the Dice coefficient over them, the hot loop of `kith pprl link` and of the
// hub: one query against many candidates, with the popcount instruction or AVX2 when the
// processor has them (chosen once at start-up) and portable code otherwise. Every path gives
// bit-identical results.
// Thread safety: values and pure functions; safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace kith::pprl {

inline constexpr size_t kClkBits = 1024;
inline constexpr size_t kClkWords = kClkBits / 64;

// A CLK; 64-byte aligned so that a vector of them streams through AVX2 loads.
struct alignas(64) Clk {
  std::array<uint64_t, kClkWords> words{};

  void Set(size_t bit) { words[bit / 64] |= uint64_t{1} << (bit % 64); }
  bool Test(size_t bit) const { return (words[bit / 64] >> (bit % 64)) & 1; }
  bool operator==(const Clk&) const = default;
};

// Number of bits set.
uint32_t PopCount(const Clk& clk);

// Dice coefficient 2|a∧b| / (|a| + |b|) in [0, 1]; 0 when both are empty.
double Dice(const Clk& a, const Clk& b);

// For each candidate i, out[i] = Dice(query, candidates[i]), given the popcounts of the query
// and of each candidate (PopCount). Sizes of candidates, candidate_pops and out must be equal.
void DiceMany(const Clk& query, uint32_t query_pop, std::span<const Clk> candidates,
              std::span<const uint32_t> candidate_pops, std::span<float> out);

// Which kernel DiceMany runs on this processor: "avx2", "popcnt" or "portable".
std::string_view DiceKernelName();

// Standard base64 (RFC 4648, with padding) of the 128 bytes, little-endian words; and back.
// Decoding fails (returns false) on any other length or character.
std::string ClkToBase64(const Clk& clk);
bool ClkFromBase64(std::string_view text, Clk* out);

}  // namespace kith::pprl
