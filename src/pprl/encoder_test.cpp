#include "pprl/encoder.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "common/encoding.h"
#include "pprl/test_secret.h"
#include "pprl/token_file.h"
#include "pprl/token_link.h"

namespace kith::pprl {
namespace {

linkage::InputRecord Child(std::string given, std::string family, std::string dob = "2015-03-14", std::string sex = "F",
                           std::string postcode = "LS6 2AB", std::string nhs = "") {
  linkage::InputRecord r;
  r.record_id = "r1";
  r.given_name = std::move(given);
  r.family_name = std::move(family);
  r.date_of_birth = std::move(dob);
  r.sex = std::move(sex);
  r.postcode = std::move(postcode);
  r.nhs_number = std::move(nhs);
  return r;
}

class EncoderTest : public ::testing::Test {
 protected:
  double Similarity(const linkage::InputRecord& a, const linkage::InputRecord& b) const {
    return Dice(encoder_.Encode(a).clk, encoder_.Encode(b).clk);
  }
  Encoder encoder_{TestSecret()};
};

TEST_F(EncoderTest, EncodingNamesSchemeAndKey) {
  EXPECT_EQ(encoder_.Encoding(), "kith-pprl-1:" + TestSecret().KeyId());
  EXPECT_EQ(Encoder(TestSecret(), {.diffusion_width = 0}).Encoding(), "kith-pprl-1-unhardened:" + TestSecret().KeyId());
  EXPECT_EQ(Encoder(TestSecret(), {.bits = {.given = 300}}).Encoding(), "kith-pprl-1-custom:" + TestSecret().KeyId());
}

TEST_F(EncoderTest, NhsNumberTokenIsKeyedAndNeedsAValidNumber) {
  const auto spaced = encoder_.Encode(Child("Amy", "Hall", "", "", "", "943 476 5919"));
  const auto plain = encoder_.Encode(Child("Zoe", "Khan", "", "", "", "9434765919"));
  ASSERT_TRUE(spaced.nhs && plain.nhs);
  EXPECT_EQ(*spaced.nhs, *plain.nhs);  // the same number, whatever else differs
  EXPECT_FALSE(encoder_.Encode(Child("Amy", "Hall", "", "", "", "9434765918")).nhs);  // bad check digit
  const auto other_secret = Encoder(TestSecret('b')).Encode(Child("Amy", "Hall", "", "", "", "9434765919"));
  EXPECT_NE(*other_secret.nhs, *plain.nhs);
  // Not the unkeyed hash of the number.
  const auto sha = Sha256("9434765919");
  EXPECT_FALSE(std::equal(plain.nhs->begin(), plain.nhs->end(), sha.begin()));
}

TEST_F(EncoderTest, TheSameRecordGivesTheSameTokensAndHalfTheBitsSet) {
  const auto a = encoder_.Encode(Child("Olivia", "Smith"));
  const auto b = encoder_.Encode(Child("OLIVIA ", "smith"));
  EXPECT_EQ(a.clk, b.clk);
  EXPECT_TRUE(a.has_clk);
  // The diffusion layer leaves about half the bits set whatever the input's length, so a CLK's
  // weight says nothing about how long the names are.
  EXPECT_NEAR(PopCount(a.clk), 512, 60);
  EXPECT_NEAR(PopCount(encoder_.Encode(Child("Al", "Ng")).clk), 512, 60);
}

TEST_F(EncoderTest, SimilarRecordsScoreAboveTwinsAndStrangers) {
  const auto base = Child("Olivia", "Smith");
  const double typo = Similarity(base, Child("Olivai", "Smith"));
  const double nickname =
      Similarity(Child("William", "Jones", "2014-01-02", "M"), Child("Bill", "Jones", "2014-01-02", "M"));
  const double transposed = Similarity(base, Child("Olivia", "Smith", "2015-14-03"));
  const double twin = Similarity(base, Child("Amelia", "Smith"));
  const double stranger = Similarity(base, Child("Mohammed", "Begum", "2009-11-30", "M", "B9 4AA"));
  const double threshold = TokenLinkOptions{}.threshold;
  EXPECT_GT(nickname, 0.95);  // the canonical given name is encoded
  EXPECT_GT(typo, threshold);
  EXPECT_GT(transposed, threshold);
  EXPECT_LT(twin, typo);
  EXPECT_LT(twin, threshold);
  EXPECT_LT(stranger, 0.60);
  std::printf("Dice: nickname %.3f, typo %.3f, transposed date %.3f, twin %.3f, stranger %.3f\n", nickname, typo,
              transposed, twin, stranger);
}

TEST_F(EncoderTest, DifferentSecretsGiveUnrelatedClks) {
  const auto a = encoder_.Encode(Child("Olivia", "Smith"));
  const auto b = Encoder(TestSecret('b')).Encode(Child("Olivia", "Smith"));
  EXPECT_LT(Dice(a.clk, b.clk), 0.6);
}

TEST_F(EncoderTest, ARecordWithNothingToEncodeHasNoClk) {
  const auto t = encoder_.Encode(Child("", "", "", "", ""));
  EXPECT_FALSE(t.has_clk);
  EXPECT_EQ(PopCount(t.clk), 0u);
  EXPECT_FALSE(t.nhs);
}

TEST_F(EncoderTest, AFullNameAloneIsEncodedAsGivenAndFamily) {
  auto full = Child("", "");
  full.full_name = "Olivia Rose Smith";
  EXPECT_GT(Similarity(full, Child("Olivia", "Smith")), 0.95);
}

TEST_F(EncoderTest, TokenFileHoldsNothingOfTheRecordInTheClear) {
  auto r = Child("Philippa", "Featherstonehaugh", "2012-07-21", "F", "YO31 7EP", "9434765919");
  r.upn = "H801200001001";
  r.record_id = "case-77";
  std::ostringstream out;
  WriteTokens(out, encoder_.Encoding(), {encoder_.Encode(r)});
  const std::string text = out.str();
  for (std::string_view clear : {"hilipp", "eatherston", "2012", "0721", "YO31", "9434765919", "943", "H8012"}) {
    EXPECT_EQ(text.find(clear), std::string::npos) << clear << " in " << text;
  }
  EXPECT_NE(text.find("case-77,"), std::string::npos);
}

}  // namespace
}  // namespace kith::pprl
