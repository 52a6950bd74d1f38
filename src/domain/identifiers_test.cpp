#include "domain/identifiers.h"

#include <gtest/gtest.h>

namespace kith::domain {
namespace {

TEST(NhsNumberTest, AcceptsValidCheckDigit) {
  // 943 476 5919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 % 11 = 2; 11 - 2 = 9.
  EXPECT_TRUE(IsValidNhsNumber("9434765919"));
  EXPECT_EQ(NormaliseNhsNumber("943 476 5919"), "9434765919");
}

TEST(NhsNumberTest, RejectsWrongCheckDigitLengthAndLetters) {
  EXPECT_FALSE(IsValidNhsNumber("9434765918"));
  EXPECT_FALSE(IsValidNhsNumber("943476591"));
  EXPECT_FALSE(IsValidNhsNumber("94347659190"));
  EXPECT_FALSE(IsValidNhsNumber("943476591A"));
  EXPECT_FALSE(IsValidNhsNumber(""));
}

TEST(NhsNumberTest, CheckOfElevenIsZeroAndTenIsInvalid) {
  // 000 000 001: sum = 1*2 = 2 -> check 9. Build cases with remainder 0 and 1 explicitly:
  // 100 000 001: 10 + 2 = 12; 12 % 11 = 1 -> check 10 -> no valid number.
  for (char d = '0'; d <= '9'; ++d) {
    EXPECT_FALSE(IsValidNhsNumber(std::string("100000001") + d));
  }
  // 100 000 010: 10 + 3 = 13... use 000 000 011: 1*3 + 1*2 = 5 -> check 6.
  EXPECT_TRUE(IsValidNhsNumber("0000000116"));
  // 000 000 000: sum 0 -> check 11 -> 0.
  EXPECT_TRUE(IsValidNhsNumber("0000000000"));
}

TEST(UpnTest, AcceptsValidCheckLetter) {
  // Characters 2..13 of "?801200001001" weighted 2..13:
  // 8*2+0*3+1*4+2*5+0*6+0*7+0*8+0*9+1*10+0*11+0*12+1*13 = 53; 53 % 23 = 7 -> 'H'.
  EXPECT_TRUE(IsValidUpn("H801200001001"));
  EXPECT_EQ(NormaliseUpn("h801 2000 01001"), "H801200001001");
}

TEST(UpnTest, TemporaryUpnMayEndInALetter) {
  // Last character 'B' counts as 1, as the digit 1 would: same check letter as above.
  EXPECT_TRUE(IsValidUpn("H80120000100B"));
}

TEST(UpnTest, RejectsWrongLetterAndShape) {
  EXPECT_FALSE(IsValidUpn("A801200001001"));
  EXPECT_FALSE(IsValidUpn("H80120000100"));
  EXPECT_FALSE(IsValidUpn("H8012000010011"));
  EXPECT_FALSE(IsValidUpn("H8012000A1001"));  // letters only in the last place
  EXPECT_FALSE(IsValidUpn("I801200001001"));  // I is not a check letter
}

TEST(NhsNumberTest, AcceptsPublishedExamplesAndSeparators) {
  EXPECT_TRUE(IsValidNhsNumber("4010232137"));
  EXPECT_EQ(NormaliseNhsNumber("943-476-5919"), "9434765919");
  EXPECT_EQ(NormaliseNhsNumber("943 476 5918"), "");
  EXPECT_EQ(NormaliseNhsNumber("94347a5919"), "");
}

TEST(NhsNumberTest, CheckDigitOfFirstNine) {
  EXPECT_EQ(NhsCheckDigit("943476591"), 9);
  EXPECT_EQ(NhsCheckDigit("000000000"), 0);  // 11 - 0 = 11 -> 0
  // 1*10+2*9+...+9*2 = 210, 210 % 11 = 1 -> check 10: never issued.
  EXPECT_FALSE(NhsCheckDigit("123456789").has_value());
  EXPECT_FALSE(NhsCheckDigit("12345678").has_value());
  EXPECT_FALSE(NhsCheckDigit("12345678a").has_value());
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

TEST(UpnTest, CheckLetterMatchesHandComputedValues) {
  // 8*2+0*3+1*4+1*5+2*6+0*7+0*8+1*9+0*10+0*11+1*12+2*13 = 84; 84 % 23 = 15 -> 'R'.
  EXPECT_EQ(UpnCheckLetter("801120010012"), 'R');
  EXPECT_TRUE(IsValidUpn("R801120010012"));
  EXPECT_EQ(NormaliseUpn("r801-1200-10012"), "R801120010012");
  // A final 'A' is valued 0.
  EXPECT_EQ(UpnCheckLetter("20112001001A"), 'A');
  // Letters only in the last place, and I, O, S are not in the alphabet.
  EXPECT_FALSE(UpnCheckLetter("2011200100A1").has_value());
  EXPECT_FALSE(UpnCheckLetter("20112001001I").has_value());
  EXPECT_FALSE(UpnCheckLetter("20112001001").has_value());
}

}  // namespace
}  // namespace kith::domain
