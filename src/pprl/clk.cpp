#include "pprl/clk.h"

#include <sodium.h>

#include <immintrin.h>

#include <cstring>

namespace kith::pprl {
namespace {

uint32_t PortablePop(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<uint32_t>((x * 0x0101010101010101ULL) >> 56);
}

float DiceOf(uint32_t common, uint32_t pop_sum) {
  return pop_sum == 0 ? 0.0f : static_cast<float>(2.0 * common / pop_sum);
}

void DicePortable(const Clk& q, uint32_t qp, const Clk* c, const uint32_t* pops, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) {
    uint32_t common = 0;
    for (size_t w = 0; w < kClkWords; ++w) common += PortablePop(q.words[w] & c[i].words[w]);
    out[i] = DiceOf(common, qp + pops[i]);
  }
}

__attribute__((target("popcnt"))) void DicePopcnt(const Clk& q, uint32_t qp, const Clk* c, const uint32_t* pops,
                                                  size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) {
    uint64_t common = 0;
    for (size_t w = 0; w < kClkWords; ++w) common += _mm_popcnt_u64(q.words[w] & c[i].words[w]);
    out[i] = DiceOf(static_cast<uint32_t>(common), qp + pops[i]);
  }
}

// Bytewise popcount of a 256-bit vector by nibble lookup (Muła, Kurz and Lemire).
__attribute__((target("avx2"))) inline __m256i ByteCounts(__m256i v) {
  const __m256i lut =
      _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_and_si256(v, low);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
  return _mm256_add_epi8(_mm256_shuffle_epi8(lut, lo), _mm256_shuffle_epi8(lut, hi));
}

// The byte counts of the four 256-bit ANDs of a CLK pair are added (at most 32 per byte) before
// one sum of absolute differences.
__attribute__((target("avx2"))) void DiceAvx2(const Clk& q, uint32_t qp, const Clk* c, const uint32_t* pops, size_t n,
                                              float* out) {
  const auto* qv = reinterpret_cast<const __m256i*>(q.words.data());
  const __m256i q0 = _mm256_load_si256(qv), q1 = _mm256_load_si256(qv + 1);
  const __m256i q2 = _mm256_load_si256(qv + 2), q3 = _mm256_load_si256(qv + 3);
  for (size_t i = 0; i < n; ++i) {
    const auto* cv = reinterpret_cast<const __m256i*>(c[i].words.data());
    __m256i sum = ByteCounts(_mm256_and_si256(q0, _mm256_load_si256(cv)));
    sum = _mm256_add_epi8(sum, ByteCounts(_mm256_and_si256(q1, _mm256_load_si256(cv + 1))));
    sum = _mm256_add_epi8(sum, ByteCounts(_mm256_and_si256(q2, _mm256_load_si256(cv + 2))));
    sum = _mm256_add_epi8(sum, ByteCounts(_mm256_and_si256(q3, _mm256_load_si256(cv + 3))));
    const __m256i wide = _mm256_sad_epu8(sum, _mm256_setzero_si256());
    const __m128i half = _mm_add_epi64(_mm256_castsi256_si128(wide), _mm256_extracti128_si256(wide, 1));
    const uint64_t common =
        static_cast<uint64_t>(_mm_cvtsi128_si64(half)) + static_cast<uint64_t>(_mm_extract_epi64(half, 1));
    out[i] = DiceOf(static_cast<uint32_t>(common), qp + pops[i]);
  }
}

using Kernel = void (*)(const Clk&, uint32_t, const Clk*, const uint32_t*, size_t, float*);

struct Chosen {
  Kernel kernel;
  std::string_view name;
};

Chosen Choose() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return {DiceAvx2, "avx2"};
  if (__builtin_cpu_supports("popcnt")) return {DicePopcnt, "popcnt"};
  return {DicePortable, "portable"};
}

const Chosen& Kernel0() {
  static const Chosen chosen = Choose();
  return chosen;
}

}  // namespace

uint32_t PopCount(const Clk& clk) {
  uint32_t n = 0;
  for (uint64_t w : clk.words) n += PortablePop(w);
  return n;
}

double Dice(const Clk& a, const Clk& b) {
  uint32_t common = 0;
  for (size_t w = 0; w < kClkWords; ++w) common += PortablePop(a.words[w] & b.words[w]);
  const uint32_t sum = PopCount(a) + PopCount(b);
  return sum == 0 ? 0.0 : 2.0 * common / sum;
}

void DiceMany(const Clk& query, uint32_t query_pop, std::span<const Clk> candidates,
              std::span<const uint32_t> candidate_pops, std::span<float> out) {
  Kernel0().kernel(query, query_pop, candidates.data(), candidate_pops.data(), candidates.size(), out.data());
}

std::string_view DiceKernelName() { return Kernel0().name; }

std::string ClkToBase64(const Clk& clk) {
  uint8_t bytes[kClkBits / 8];
  for (size_t w = 0; w < kClkWords; ++w) {
    for (size_t b = 0; b < 8; ++b) bytes[w * 8 + b] = static_cast<uint8_t>(clk.words[w] >> (8 * b));
  }
  char text[sodium_base64_ENCODED_LEN(kClkBits / 8, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes, sodium_base64_VARIANT_ORIGINAL);
  return text;
}

bool ClkFromBase64(std::string_view text, Clk* out) {
  uint8_t bytes[kClkBits / 8];
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(bytes, sizeof bytes, text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len != sizeof bytes || end != text.data() + text.size()) {
    return false;
  }
  for (size_t w = 0; w < kClkWords; ++w) {
    uint64_t v = 0;
    for (size_t b = 0; b < 8; ++b) v |= uint64_t{bytes[w * 8 + b]} << (8 * b);
    out->words[w] = v;
  }
  return true;
}

}  // namespace kith::pprl
