// Seeds and case counts for property-based tests (issue 17): every run draws a fresh seed unless
// KITH_PROPTEST_SEED fixes one, and prints it, so that a failure seen once can be replayed
// exactly (`KITH_PROPTEST_SEED=<seed> ctest -R <test>`). KITH_PROPTEST_CASES scales the number
// of cases (a long soak: a larger number). Test-only.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <string_view>

namespace kith::testing {

// KITH_PROPTEST_SEED if set (decimal), else a fresh seed; printed with `name` either way.
inline uint64_t PropertySeed(std::string_view name) {
  uint64_t seed = 0;
  if (const char* env = std::getenv("KITH_PROPTEST_SEED"); env && *env) {
    seed = std::strtoull(env, nullptr, 10);
  } else {
    std::random_device device;
    seed = (uint64_t{device()} << 32) ^ device();
  }
  std::cout << "[ proptest ] " << name << ": seed " << seed << " (replay with KITH_PROPTEST_SEED=" << seed << ")\n";
  return seed;
}

// KITH_PROPTEST_CASES if set and positive, else `fallback`.
inline int PropertyCases(int fallback) {
  if (const char* env = std::getenv("KITH_PROPTEST_CASES"); env && *env) {
    const long n = std::strtol(env, nullptr, 10);
    if (n > 0) return static_cast<int>(n);
  }
  return fallback;
}

// A small deterministic generator over std::mt19937_64 (whose sequence the standard fixes, unlike
// the distributions'), so that a seed replays the same cases with any standard library.
class Draw {
 public:
  explicit Draw(uint64_t seed) : engine_(seed) {}
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) { return engine_() % n; }
  // True with probability percent / 100.
  bool Chance(int percent) { return Below(100) < static_cast<uint64_t>(percent); }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace kith::testing
