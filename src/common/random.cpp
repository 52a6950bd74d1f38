#include "common/random.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include "common/encoding.h"

namespace kith {

std::string Random::Hex(size_t n_bytes) {
  std::vector<uint8_t> bytes(n_bytes);
  Fill(bytes);
  return HexEncode(bytes);
}

std::string Random::Id(std::string_view prefix) {
  uint8_t bytes[10];
  Fill(bytes);
  return std::string(prefix) + Base32Encode(bytes, kCrockfordAlphabet);
}

uint64_t Random::Uniform(uint64_t bound) {
  if (bound == 0) return 0;
  // Rejection sampling keeps the distribution exact.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  for (;;) {
    uint64_t v;
    Fill(std::span<uint8_t>(reinterpret_cast<uint8_t*>(&v), sizeof v));
    if (v < limit) return v % bound;
  }
}

SystemRandom::SystemRandom() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

void SystemRandom::Fill(std::span<uint8_t> out) { randombytes_buf(out.data(), out.size()); }

void SeededRandom::Fill(std::span<uint8_t> out) {
  std::lock_guard lock(mutex_);
  for (auto& b : out) b = static_cast<uint8_t>(engine_());
}

}  // namespace kith
