#include "common/ed25519.h"

#include <sodium.h>

#include <stdexcept>

namespace kith::ed25519 {

SigningKey SigningKey::Generate(Random& random) {
  Seed seed;
  random.Fill(seed);
  SigningKey key = FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

SigningKey SigningKey::FromSeed(const Seed& seed) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  SigningKey key;
  key.seed_ = seed;
  crypto_sign_seed_keypair(key.public_key_.data(), key.secret_.data(), seed.data());
  return key;
}

SigningKey::~SigningKey() {
  sodium_memzero(seed_.data(), seed_.size());
  sodium_memzero(secret_.data(), secret_.size());
}

Signature SigningKey::Sign(std::string_view message) const {
  Signature signature{};
  crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return signature;
}

bool Verify(const PublicKey& public_key, std::string_view message, std::span<const uint8_t> signature) {
  if (signature.size() != crypto_sign_BYTES) return false;
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), public_key.data()) == 0;
}

}  // namespace kith::ed25519
