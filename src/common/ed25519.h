// Ed25519 signatures (RFC 8032) through libsodium. Kith signs its audit checkpoints with one
// (docs/audit-format.md); anyone holding the public key can check them.
// Thread safety: a SigningKey is immutable after construction and may be shared; the functions
// are safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/random.h"

namespace kith::ed25519 {

using Seed = std::array<uint8_t, 32>;       // the secret: the whole key pair derives from it
using PublicKey = std::array<uint8_t, 32>;  // RFC 8032's encoding of the public point
using Signature = std::array<uint8_t, 64>;

class SigningKey {
 public:
  // A new key pair from 32 random bytes.
  static SigningKey Generate(Random& random);
  // The key pair a seed stands for (the same seed always gives the same keys).
  static SigningKey FromSeed(const Seed& seed);

  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;
  ~SigningKey();  // wipes the secret

  const Seed& seed() const { return seed_; }
  const PublicKey& public_key() const { return public_key_; }

  // The detached signature of `message`; deterministic for a key and a message.
  Signature Sign(std::string_view message) const;

 private:
  SigningKey() = default;
  Seed seed_{};
  std::array<uint8_t, 64> secret_{};  // libsodium's expanded form: seed then public key
  PublicKey public_key_{};
};

// True if `signature` is a valid signature of `message` by the key `public_key`. A signature of
// the wrong length is false.
bool Verify(const PublicKey& public_key, std::string_view message, std::span<const uint8_t> signature);

}  // namespace kith::ed25519
