#include "linkage/identifiers.h"

#include <gtest/gtest.h>

namespace kith::linkage {
namespace {

TEST(NhsNumberTest, AcceptsPublishedExamples) {
  EXPECT_TRUE(IsValidNhsNumber("9434765919"));
  EXPECT_TRUE(IsValidNhsNumber("4010232137"));
  EXPECT_TRUE(IsValidNhsNumber("0000000000"));  // 11 - 0 = 11 → check digit 0
}

TEST(NhsNumberTest, RejectsWrongCheckDigitAndShapes) {
  EXPECT_FALSE(IsValidNhsNumber("9434765918"));
  EXPECT_FALSE(IsValidNhsNumber("943476591"));
  EXPECT_FALSE(IsValidNhsNumber("94347659199"));
  EXPECT_FALSE(IsValidNhsNumber("943 476 5919"));
  EXPECT_FALSE(IsValidNhsNumber("94347a5919"));
  EXPECT_FALSE(IsValidNhsNumber(""));
}

TEST(NhsNumberTest, RemainderTenMeansNoValidNumber) {
  // 1*10+2*9+...+9*2 = 210, 210 % 11 = 1 → check 10: never issued.
  EXPECT_FALSE(NhsCheckDigit("123456789").has_value());
  for (char last = '0'; last <= '9'; ++last) {
    EXPECT_FALSE(IsValidNhsNumber(std::string("123456789") + last));
  }
}

TEST(NhsNumberTest, CheckDigitCatchesEverySingleDigitError) {
  const std::string good = "9434765919";
  for (size_t i = 0; i < good.size(); ++i) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == good[i]) continue;
      std::string bad = good;
      bad[i] = d;
      EXPECT_FALSE(IsValidNhsNumber(bad)) << bad;
    }
  }
}

TEST(NhsNumberTest, NormaliseStripsSeparators) {
  EXPECT_EQ(NormaliseNhsNumber("943 476 5919"), "9434765919");
  EXPECT_EQ(NormaliseNhsNumber("943-476-5919"), "9434765919");
  EXPECT_FALSE(NormaliseNhsNumber("943 476 5918").has_value());
}

TEST(UpnTest, CheckLetterMatchesHandComputedValues) {
  // 8*2+0*3+1*4+1*5+2*6+0*7+0*8+1*9+0*10+0*11+1*12+2*13 = 84; 84 % 23 = 15 → 'R'.
  EXPECT_EQ(UpnCheckLetter("801120010012"), 'R');
  EXPECT_TRUE(IsValidUpn("R801120010012"));
  EXPECT_FALSE(IsValidUpn("A801120010012"));
}

TEST(UpnTest, TemporaryUpnEndsInLetter) {
  // Final 'A' is valued 0, so the sum is that of 20112001001 followed by 0.
  EXPECT_EQ(UpnCheckLetter("20112001001A"), 'A');
  EXPECT_TRUE(IsValidUpn("A20112001001A"));
  // Letters are only allowed in the last position, and I, O, S are not in the alphabet.
  EXPECT_FALSE(UpnCheckLetter("2011200100A1").has_value());
  EXPECT_FALSE(UpnCheckLetter("20112001001I").has_value());
}

TEST(UpnTest, RejectsWrongShapes) {
  EXPECT_FALSE(IsValidUpn("R80112001001"));
  EXPECT_FALSE(IsValidUpn("r801120010012"));
  EXPECT_FALSE(IsValidUpn(""));
  EXPECT_EQ(NormaliseUpn("r801 1200 10012"), "R801120010012");
  EXPECT_FALSE(NormaliseUpn("B801120010012").has_value());
}

}  // namespace
}  // namespace kith::linkage
