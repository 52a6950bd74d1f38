#include "common/encoding.h"

#include <gtest/gtest.h>

namespace kith {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(EncodingTest, Base32MatchesRfc4648Vectors) {
  EXPECT_EQ(Base32Encode(Bytes("foobar"), kRfc4648Alphabet), "MZXW6YTBOI");
  EXPECT_EQ(Base32Encode(Bytes("f"), kRfc4648Alphabet), "MY");
  auto decoded = Base32Decode("mzxw 6ytb oi======");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(std::string(decoded->begin(), decoded->end()), "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1"));  // '1' is not in the alphabet
}

TEST(EncodingTest, Sha256MatchesKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Bytes("\x01\xff")), "01ff");
}

TEST(EncodingTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(Bytes("")), "");
  EXPECT_EQ(Base64Encode(Bytes("f")), "Zg==");
  EXPECT_EQ(Base64Encode(Bytes("foob")), "Zm9vYg==");
  EXPECT_EQ(Base64Encode(Bytes("foobar")), "Zm9vYmFy");
  auto decoded = Base64Decode("Zm9vYmE=");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(std::string(decoded->begin(), decoded->end()), "fooba");
  EXPECT_FALSE(Base64Decode("Zm9v YmE="));  // no spaces
  EXPECT_FALSE(Base64Decode("Zm9vYmE"));    // padding is required
  EXPECT_FALSE(Base64Decode("Zm9v*mE="));
}

TEST(EncodingTest, UrlEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(UrlEncode("Kith:ann@example.org"), "Kith%3Aann%40example.org");
}

}  // namespace
}  // namespace kith
