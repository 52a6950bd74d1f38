#include "common/ed25519.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace kith::ed25519 {
namespace {

// RFC 8032 section 7.1, test 2: a one-byte message.
TEST(Ed25519Test, MatchesRfc8032Vector) {
  Seed seed{};
  const std::string seed_hex = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(std::stoi(seed_hex.substr(2 * i, 2), nullptr, 16));
  const SigningKey key = SigningKey::FromSeed(seed);
  EXPECT_EQ(HexEncode(key.public_key()), "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  const Signature sig = key.Sign("\x72");
  EXPECT_EQ(HexEncode(sig),
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
  EXPECT_TRUE(Verify(key.public_key(), "\x72", sig));
}

TEST(Ed25519Test, RefusesAnAlteredMessageSignatureOrKey) {
  SeededRandom random(7);
  const SigningKey key = SigningKey::Generate(random);
  const SigningKey other = SigningKey::Generate(random);
  Signature sig = key.Sign("checkpoint 1");
  EXPECT_TRUE(Verify(key.public_key(), "checkpoint 1", sig));
  EXPECT_FALSE(Verify(key.public_key(), "checkpoint 2", sig));
  EXPECT_FALSE(Verify(other.public_key(), "checkpoint 1", sig));
  EXPECT_FALSE(Verify(key.public_key(), "checkpoint 1", std::span<const uint8_t>(sig).first(63)));
  sig[10] ^= 1;
  EXPECT_FALSE(Verify(key.public_key(), "checkpoint 1", sig));
}

TEST(Ed25519Test, TheSeedGivesBackTheSameKeys) {
  SeededRandom random(8);
  const SigningKey key = SigningKey::Generate(random);
  const SigningKey again = SigningKey::FromSeed(key.seed());
  EXPECT_EQ(again.public_key(), key.public_key());
  EXPECT_EQ(again.Sign("x"), key.Sign("x"));
}

}  // namespace
}  // namespace kith::ed25519
