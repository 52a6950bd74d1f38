// Randomness is injected: production uses the operating system's source (via libsodium);
// tests use a seeded generator so that ids and tokens are reproducible.
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <span>
#include <string>

namespace kith {

class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(std::span<uint8_t> out) = 0;

  // n random bytes, hex encoded (2n characters).
  std::string Hex(size_t n_bytes);
  // An opaque identifier: prefix followed by 16 Crockford base-32 characters (80 bits).
  std::string Id(std::string_view prefix);
  uint64_t Uniform(uint64_t bound);  // in [0, bound)
};

class SystemRandom final : public Random {
 public:
  SystemRandom();
  void Fill(std::span<uint8_t> out) override;
};

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  void Fill(std::span<uint8_t> out) override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

}  // namespace kith
