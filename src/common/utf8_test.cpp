#include "common/utf8.h"

#include <gtest/gtest.h>

namespace kith::utf8 {
namespace {

TEST(Utf8Test, ValidatesAndCountsCodePoints) {
  EXPECT_TRUE(IsValid("Zoë Ní Bhriain – 日本"));
  EXPECT_FALSE(IsValid("\xC3"));                // truncated
  EXPECT_FALSE(IsValid("\xC0\xAF"));            // overlong
  EXPECT_FALSE(IsValid("\xED\xA0\x80"));        // a surrogate
  EXPECT_FALSE(IsValid("\xF4\x90\x80\x80"));    // beyond U+10FFFF
  EXPECT_EQ(Length("Zoë"), 3u);
  EXPECT_EQ(Length("a\xFF" "b"), 3u);
}

TEST(Utf8Test, EscapeWritesEachBadByteAndKeepsValidText) {
  EXPECT_EQ(Escape("roll–2026.csv"), "roll–2026.csv");
  EXPECT_EQ(Escape("roll\xFF.csv"), "roll\\xFF.csv");
  EXPECT_EQ(Escape("\xC3"), "\\xC3");
  EXPECT_EQ(Escape("a\xE2\x82" "b"), "a\\xE2\\x82b");  // a cut-short sequence, byte by byte
  EXPECT_EQ(Escape("\xEF\xBF\xBD"), "\xEF\xBF\xBD");    // U+FFFD itself is valid
  EXPECT_TRUE(IsValid(Escape("\x80\x81\xFE")));
}

}  // namespace
}  // namespace kith::utf8
