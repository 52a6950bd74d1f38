#include "linkage/csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace kith::linkage {
namespace {

TEST(CsvTest, ReadsFebrlStyleWithSpacesAndCrlf) {
  std::istringstream in(
      "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, "
      "date_of_birth, soc_sec_id\r\n"
      "rec-1-org, lachlan, berry, 69, giblin street, killarney, bittern, 4814, qld, 19990219, 7364009\r\n"
      "rec-1-dup-0, , berry, 69, giblin st, , bittern, 4814, qld, 19990291, 7364009\r\n");
  auto loaded = ReadRecordsCsv(in, {});
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_EQ(loaded->records.size(), 2u);
  EXPECT_TRUE(loaded->errors.empty());
  const InputRecord& r = loaded->records[0];
  EXPECT_EQ(r.record_id, "rec-1-org");
  EXPECT_EQ(r.given_name, "lachlan");
  EXPECT_EQ(r.family_name, "berry");
  EXPECT_EQ(r.address, "69 giblin street killarney");  // street_number, address_1, address_2
  EXPECT_EQ(r.locality, "bittern");
  EXPECT_EQ(r.identifier, "7364009");
  EXPECT_EQ(r.date_of_birth, "19990219");
  ASSERT_EQ(r.texts.size(), 1u);  // state
  EXPECT_EQ(r.texts[0], "qld");
  EXPECT_EQ(loaded->schema.text_columns, std::vector<std::string>{"state"});
  EXPECT_EQ(loaded->records[1].given_name, "");
}

TEST(CsvTest, ReadsSplinkHeaderAndQuotedFields) {
  std::istringstream in(
      "unique_id,cluster,full_name,first_and_surname,first_name,surname,dob,birth_place,postcode_fake,gender,"
      "occupation\n"
      "Q1-1,Q1,\"thomas clifford, 1st baron\",thomas clifford,thomas,clifford,1630-08-01,devon,tq13 "
      "8df,male,politician\n");
  auto loaded = ReadRecordsCsv(in, {});
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->records.size(), 1u);
  const InputRecord& r = loaded->records[0];
  EXPECT_EQ(r.record_id, "Q1-1");
  EXPECT_EQ(r.cluster, "Q1");
  EXPECT_EQ(r.full_name, "thomas clifford, 1st baron");
  EXPECT_EQ(r.postcode, "tq13 8df");
  EXPECT_EQ(r.sex, "male");
  EXPECT_EQ(r.locality, "devon");
}

TEST(CsvTest, BadRowsAreReportedWithLineNumbersAndGoodRowsKept) {
  std::istringstream in(
      "record_id,given_name,family_name\n"
      "a,Amy,Smith\n"
      "b,Bea\n"
      ",Cal,Jones\n"
      "a,Amy,Smith\n"
      "d,\"Dan\"x,Lee\n"
      "e,Eve,Ng\n");
  auto loaded = ReadRecordsCsv(in, {});
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->records.size(), 2u);
  EXPECT_EQ(loaded->records[1].record_id, "e");
  ASSERT_EQ(loaded->errors.size(), 4u);
  EXPECT_EQ(loaded->errors[0].line, 3u);
  EXPECT_EQ(loaded->errors[0].reason, "expected 3 fields, found 2");
  EXPECT_EQ(loaded->errors[1].line, 4u);
  EXPECT_EQ(loaded->errors[1].reason, "missing record id");
  EXPECT_EQ(loaded->errors[2].line, 5u);
  EXPECT_NE(loaded->errors[2].reason.find("duplicate"), std::string::npos);
  EXPECT_EQ(loaded->errors[3].line, 6u);
}

TEST(CsvTest, QuotedNewlineCountsLines) {
  std::istringstream in("record_id,address\n\"a\",\"1 High St\nLeeds\"\nb,\"x\n");
  auto loaded = ReadRecordsCsv(in, {});
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->records.size(), 1u);
  EXPECT_EQ(loaded->records[0].address, "1 High St\nLeeds");
  ASSERT_EQ(loaded->errors.size(), 1u);
  EXPECT_EQ(loaded->errors[0].line, 4u);
  EXPECT_EQ(loaded->errors[0].reason, "unterminated quoted field");
}

TEST(CsvTest, FieldOverrides) {
  std::istringstream in("key,forename,house\nk1,Amy,Rose Cottage\n");
  auto loaded = ReadRecordsCsv(in, {"key=record_id", "house=address"});
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->records[0].record_id, "k1");
  EXPECT_EQ(loaded->records[0].given_name, "Amy");
  EXPECT_EQ(loaded->records[0].address, "Rose Cottage");

  std::istringstream again("key,forename\nk1,Amy\n");
  EXPECT_FALSE(ReadRecordsCsv(again, {}).ok());  // no record id column
  EXPECT_FALSE(ResolveSchema({"id"}, {"id=colour"}).ok());
  EXPECT_FALSE(ResolveSchema({"id"}, {"nope=text"}).ok());
  EXPECT_FALSE(ResolveSchema({"id"}, {"id"}).ok());
}

TEST(DateDigitsTest, ParsesEveryShapeAndKeepsImpossibleDates) {
  const DateDigits iso = ParseDateDigits("2015-03-07");
  EXPECT_TRUE(iso.valid);
  EXPECT_EQ(ParseDateDigits("20150307").digits, iso.digits);
  EXPECT_EQ(ParseDateDigits("07/03/2015").digits, iso.digits);
  const DateDigits bad = ParseDateDigits("1856-86-18");
  EXPECT_TRUE(bad.present);
  EXPECT_FALSE(bad.valid);
  EXPECT_EQ(bad.month, 86);
  EXPECT_FALSE(ParseDateDigits("March 2015").present);
  EXPECT_FALSE(ParseDateDigits("").present);
}

}  // namespace
}  // namespace kith::linkage
