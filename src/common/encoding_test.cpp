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

TEST(EncodingTest, UrlEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(UrlEncode("Kith:ann@example.org"), "Kith%3Aann%40example.org");
}

TEST(EncodingTest, IsValidUtf8AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80"));  // ë, €, an emoji
  EXPECT_TRUE(IsValidUtf8("\xed\x9f\xbf"));                              // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));                          // U+10FFFF, the last code point
}

TEST(EncodingTest, IsValidUtf8RefusesMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\x80"));              // a continuation byte alone
  EXPECT_FALSE(IsValidUtf8("caf\xc3"));           // truncated at the end
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated three-byte form
  EXPECT_FALSE(IsValidUtf8("\xc3("));             // a continuation byte that is not one
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong '/', three bytes
  EXPECT_FALSE(IsValidUtf8("\xf0\x80\x80\xaf"));  // overlong '/', four bytes
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // U+D800, a surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // U+110000, past the last code point
  EXPECT_FALSE(IsValidUtf8("\xf5\x80\x80\x80"));
}

}  // namespace
}  // namespace kith
