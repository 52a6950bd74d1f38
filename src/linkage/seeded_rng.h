// A small deterministic random generator for the synthetic populations (synthetic.h,
// population.h) and their benchmarks: splitmix64, whose output is the same on every platform (unlike the standard
// distributions), so that a seed always gives the same population.
// Thread safety: an instance is not shared between threads.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace kith::linkage {

class SeededRng {
 public:
  // The seed is mixed first: splitmix64 states one increment apart would give shifted copies
  // of one sequence.
  explicit SeededRng(uint64_t seed) : state_(seed) { state_ = Next(); }
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Modulo has a bias below 2^-40 for the small n used here, and is portable.
  size_t Uniform(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // Index drawn with probability proportional to 1/(rank+1)^s: few very common values, a long
  // tail of rare ones (inverse of the continuous approximation of the Zipf CDF).
  size_t Zipf(size_t n, double s) {
    const double u = Unit();
    if (s == 1.0) return std::min(n - 1, static_cast<size_t>(std::exp(u * std::log(static_cast<double>(n) + 1))) - 1);
    const double a = 1 - s;
    const double x = std::pow(u * (std::pow(static_cast<double>(n) + 1, a) - 1) + 1, 1 / a);
    return std::min(n - 1, static_cast<size_t>(x) - 1);
  }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Uniform(N)];
  }

 private:
  uint64_t state_;
};

}  // namespace kith::linkage
