#include "pprl/token_file.h"

#include <gtest/gtest.h>

#include <sstream>

#include "pprl/test_secret.h"

namespace kith::pprl {
namespace {

std::vector<Tokens> Sample(const Encoder& encoder) {
  linkage::InputRecord a, b;
  a.record_id = "a1";
  a.given_name = "Ava";
  a.family_name = "Patel";
  a.nhs_number = "9434765919";
  a.date_of_birth = "2016-02-29";
  a.postcode = "M1 1AE";
  b.record_id = "b,2";  // quoted in the file
  b.given_name = "Noah";
  b.upn = "H801200001001";
  return {encoder.Encode(a), encoder.Encode(b)};
}

TEST(TokenFile, RoundTrips) {
  const Encoder encoder(TestSecret());
  const auto rows = Sample(encoder);
  std::stringstream file;
  WriteTokens(file, encoder.Encoding(), rows);
  auto read = ReadTokens(file, "t.csv");
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->errors.empty());
  EXPECT_EQ(read->encoding, encoder.Encoding());
  ASSERT_EQ(read->rows.size(), 2u);
  EXPECT_EQ(read->rows[1].record_id, "b,2");
  EXPECT_EQ(read->rows[0].nhs, rows[0].nhs);
  EXPECT_FALSE(read->rows[0].upn);
  EXPECT_EQ(read->rows[1].upn, rows[1].upn);
  EXPECT_EQ(read->rows[0].clk, rows[0].clk);
  EXPECT_EQ(read->rows[0].blocks, rows[0].blocks);
  EXPECT_EQ(read->rows[0].blocks.size(), BlockingRuleNames().size());
}

TEST(TokenFile, RefusesAnotherHeader) {
  std::istringstream file("record_id,given_name\nr1,Ava\n");
  auto read = ReadTokens(file, "people.csv");
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("people.csv line 1"), std::string::npos) << read.error().message;
  std::istringstream empty("");
  EXPECT_FALSE(ReadTokens(empty, "empty.csv"));
}

TEST(TokenFile, NamesEveryBadRowByLineAndKeepsTheGoodOnes) {
  const Encoder encoder(TestSecret());
  std::stringstream good;
  WriteTokens(good, encoder.Encoding(), Sample(encoder));
  std::string text = good.str();
  const std::string enc = encoder.Encoding();
  const std::string other = Encoder(TestSecret('c')).Encoding();
  text += "c3," + enc + ",zz,,,\n";                                  // line 4: bad NHS token
  text += "c4," + enc + ",,,,notbase64\n";                           // line 5: bad CLK
  text += "c5," + enc + ",,,\n";                                     // line 6: five columns
  text += "," + enc + ",,,,\n";                                      // line 7: no record id
  text += "c8," + other + ",00000000000000000000000000000000,,,\n";  // line 8: other secret
  text += "a1," + enc + ",00000000000000000000000000000000,,,\n";    // line 9: repeated id
  text += "c10," + enc + ",,,,\n";                                   // line 10: no token
  text += "c11,plain,,,,\n";                                         // line 11: not scheme:key
  text += "c12," + enc + ",,,00ff 12,\n";                            // line 12: short blocking token
  std::istringstream file(text);
  auto read = ReadTokens(file, "t.csv");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->rows.size(), 2u);
  ASSERT_EQ(read->errors.size(), 9u);
  const std::vector<std::pair<size_t, std::string>> expected = {
      {4, "nhs_token"},          {5, "clk is not base64"}, {6, "found 5"},
      {7, "record_id is empty"}, {8, "re-encode"},         {9, "repeats line 2"},
      {10, "no token"},          {11, "scheme:key-id"},    {12, "blocks is not"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(read->errors[i].line, expected[i].first);
    EXPECT_NE(read->errors[i].reason.find(expected[i].second), std::string::npos) << read->errors[i].reason;
  }
}

// Found by the token_file fuzz target (tests/fuzz/corpus/token_file/bad_first): the encoding of a
// bad first row became the file's, so every good row after it was refused as another secret's.
TEST(TokenFile, TheEncodingIsTheFirstGoodRowsNotABadRowsBeforeIt) {
  const Encoder encoder(TestSecret());
  const std::string enc = encoder.Encoding();
  const std::string other = Encoder(TestSecret('c')).Encoding();
  std::istringstream file(
      "record_id,encoding,nhs_token,upn_token,blocks,clk\n"
      "r0," +
      other +
      ",zz,,,\n"
      "r1," +
      enc +
      ",000102030405060708090a0b0c0d0e0f,,,\n"
      "r2," +
      enc + ",,0f0e0d0c0b0a09080706050403020100,,\n");
  auto read = ReadTokens(file, "t.csv");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->encoding, enc);
  EXPECT_EQ(read->rows.size(), 2u);
  ASSERT_EQ(read->errors.size(), 1u);
  EXPECT_EQ(read->errors[0].line, 2u);
  EXPECT_NE(read->errors[0].reason.find("nhs_token"), std::string::npos) << read->errors[0].reason;
}

}  // namespace
}  // namespace kith::pprl
