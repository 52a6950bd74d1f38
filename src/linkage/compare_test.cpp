#include "linkage/compare.h"

#include <gtest/gtest.h>

#include "linkage/model.h"
#include "linkage/text.h"

namespace kith::linkage {
namespace {

Record Child(std::string given, std::string family, std::string dob, std::string postcode = "") {
  InputRecord in;
  in.record_id = "x";
  in.given_name = std::move(given);
  in.family_name = std::move(family);
  in.date_of_birth = std::move(dob);
  in.postcode = std::move(postcode);
  return NormaliseRecord(in);
}

TEST(CompareGivenNameTest, Levels) {
  const Record william = Child("William", "Smith", "");
  EXPECT_EQ(CompareGivenName(william, Child("WILLIAM", "", "")), 5);
  EXPECT_EQ(CompareGivenName(william, Child("Bill", "", "")), 4);
  EXPECT_EQ(CompareGivenName(Child("Mohammed", "", ""), Child("Muhammad", "", "")), 4);
  EXPECT_EQ(CompareGivenName(Child("Mary Jane", "", ""), Child("Mary", "", "")), 4);
  EXPECT_EQ(CompareGivenName(william, Child("Wiliam", "", "")), 3);
  EXPECT_EQ(CompareGivenName(william, Child("Oscar", "", "")), 1);
  EXPECT_EQ(CompareGivenName(william, Child("", "", "")), 0);
  EXPECT_EQ(CompareGivenName(william, Child("W", "", "")), 0);  // an initial: no evidence
  EXPECT_EQ(CompareGivenName(william, Child("J", "", "")), 1);
}

// Name groups: a short form of several names, forms in other languages; not across sexes.
TEST(CompareGivenNameTest, NameGroups) {
  EXPECT_EQ(CompareGivenName(Child("Fred", "", ""), Child("Alfred", "", "")), 4);
  EXPECT_EQ(CompareGivenName(Child("Fred", "", ""), Child("Frederick", "", "")), 4);
  EXPECT_EQ(CompareGivenName(Child("Alfred", "", ""), Child("Frederick", "", "")), 1);
  EXPECT_EQ(CompareGivenName(Child("Carl", "", ""), Child("Charles", "", "")), 4);
  EXPECT_EQ(CompareGivenName(Child("Gwilym", "", ""), Child("Bill", "", "")), 4);
  EXPECT_EQ(CompareGivenName(Child("Jacob", "", ""), Child("James", "", "")), 1);  // twins' names
  Record jean = Child("Jean", "", "");
  Record john = Child("John", "", "");
  EXPECT_EQ(CompareGivenName(jean, john), 4);
  jean.sex = 'F';
  john.sex = 'M';
  EXPECT_LT(CompareGivenName(jean, john), 4);  // a sister and a brother
}

TEST(CompareFullNameTest, TokensAgreeBySpellingOrAsOneGivenName) {
  EXPECT_EQ(CompareFullName("thomas pilcher", "thomas pilcher"), 4);
  EXPECT_EQ(CompareFullName("tom pilcher", "thomas pilcher"), 3);  // tom is thomas
  EXPECT_EQ(CompareFullName("tom", "thomas pilcher"), 2);
  EXPECT_EQ(CompareFullName("fred pilcher", "alfred john"), 2);  // a name group
  EXPECT_EQ(CompareFullName("tom", "alfred pilcher"), 1);
  EXPECT_EQ(CompareFullName("", "alfred pilcher"), 0);
}

TEST(CompareFamilyNameTest, HyphenatedAndTypos) {
  auto level = [](std::string a, std::string b) {
    const Record x = Child("", a, "");
    const Record y = Child("", b, "");
    return CompareFamilyName(x.family, y.family, x.family_phonetic, y.family_phonetic);
  };
  EXPECT_EQ(level("Featherstonehaugh", "featherstonehaugh"), 4);
  EXPECT_EQ(level("Smith-Jones", "Jones"), 3);
  EXPECT_EQ(level("Smith", "Smiht"), 3);
  EXPECT_EQ(level("Smith", "Smyth"), 3);
  EXPECT_EQ(level("Jackson", "Jaxon"), 2);  // Jaro–Winkler 0.83
  EXPECT_EQ(level("Smith", "Schmidt"), 2);  // Jaro–Winkler 0.70, same phonetic code
  EXPECT_EQ(level("Smith", "Okafor"), 1);
}

TEST(CompareDateOfBirthTest, TranspositionAndOneDigit) {
  auto level = [](const char* a, const char* b) { return CompareDateOfBirth(ParseDateDigits(a), ParseDateDigits(b)); };
  EXPECT_EQ(level("2015-03-07", "20150307"), 5);
  EXPECT_EQ(level("2015-03-07", "2015-07-03"), 4);
  EXPECT_EQ(level("2015-03-07", "2015-03-08"), 3);
  EXPECT_EQ(level("2015-03-07", "2016-03-07"), 3);
  EXPECT_EQ(level("2015-03-07", "2015-05-09"), 2);
  EXPECT_EQ(level("2015-03-07", "2009-11-21"), 1);
  EXPECT_EQ(level("2015-03-07", ""), 0);
  // An impossible date still compares digit by digit.
  EXPECT_EQ(level("1856-06-18", "1856-86-18"), 3);
}

// A 1 January date is what a system records when only the year is known (a child born abroad):
// its day and month are no evidence.
TEST(CompareDateOfBirthTest, FirstOfJanuaryIsOnlyAYear) {
  auto level = [](const char* a, const char* b) { return CompareDateOfBirth(ParseDateDigits(a), ParseDateDigits(b)); };
  EXPECT_TRUE(ParseDateDigits("2015-01-01").defaulted);
  EXPECT_FALSE(ParseDateDigits("2015-01-02").defaulted);
  EXPECT_EQ(level("2015-01-01", "2015-06-14"), 0);  // was "within a year": no evidence either way
  EXPECT_EQ(level("2015-06-14", "2015-01-01"), 0);
  EXPECT_EQ(level("2015-01-01", "2015-01-01"), 2);  // the same year, not the same day
  EXPECT_EQ(level("2015-01-01", "2011-01-01"), 1);
  EXPECT_EQ(level("2015-01-01", "2012-07-30"), 1);
}

TEST(NormaliseRecordTest, PlaceholdersReadAsMissing) {
  for (const char* given : {"Baby", "BABY BOY", "Baby Girl", "Unknown", "not known", "NK", "Infant"}) {
    const Record r = Child(given, "Unknown", "2024-03-02", "ZZ99 3VZ");
    EXPECT_TRUE(r.given.empty()) << given;
    EXPECT_EQ(r.given_phonetic, 0u) << given;
    EXPECT_TRUE(r.family.empty()) << given;
    EXPECT_EQ(r.family_phonetic, 0u) << given;
    EXPECT_TRUE(r.postcode.empty()) << given;
  }
  // Names and postcodes with a placeholder word among real ones are kept.
  const Record named = Child("Baby Amara", "Okafor", "2024-03-02", "ZZ1 1AA");
  EXPECT_EQ(named.given, "baby amara");
  EXPECT_EQ(named.family, "okafor");
  EXPECT_EQ(named.postcode, "ZZ11AA");
  EXPECT_FALSE(IsPlaceholderName("knowles"));
  EXPECT_TRUE(IsPlaceholderPostcode("ZZ993WZ"));
  EXPECT_FALSE(IsPlaceholderPostcode("LS11AA"));
}

TEST(CompareGivenNameTest, PlaceholdersAreMissingNotAgreement) {
  // "Baby" in both records (a newborn's first records) says nothing; nor is it a different name.
  EXPECT_EQ(CompareGivenName(Child("Baby", "Okafor", ""), Child("Baby", "Okafor", "")), 0);
  EXPECT_EQ(CompareGivenName(Child("Baby Girl", "Okafor", ""), Child("Amara", "Okafor", "")), 0);
  EXPECT_EQ(CompareFamilyName(Child("Amara", "Unknown", "").family, Child("Amara", "Unknown", "").family, 0, 0), 0);
  EXPECT_EQ(ComparePostcode(Child("", "", "", "ZZ99 3VZ"), Child("", "", "", "ZZ99 3VZ")), 0);
}

TEST(ComparePostcodeTest, FullSectorDistrict) {
  const Record a = Child("", "", "", "SW1A 1AA");
  EXPECT_EQ(ComparePostcode(a, Child("", "", "", "sw1a1aa")), 4);
  EXPECT_EQ(ComparePostcode(a, Child("", "", "", "SW1A 1BB")), 3);
  EXPECT_EQ(ComparePostcode(a, Child("", "", "", "SW1A 2AA")), 2);
  EXPECT_EQ(ComparePostcode(a, Child("", "", "", "SW1 1AA")), 1);
  EXPECT_EQ(ComparePostcode(a, Child("", "", "", "")), 0);
  // Non-UK (FEBRL, Australian) postcodes: a one-character typo is partial agreement.
  EXPECT_EQ(ComparePostcode(Child("", "", "", "4011"), Child("", "", "", "4017")), 2);
}

TEST(ComparatorTest, SwappedNamesCountAsStrongAgreement) {
  Comparator comparator(
      {{ComparisonKind::kGivenName, 0, "given_name"}, {ComparisonKind::kFamilyName, 0, "family_name"}});
  uint8_t gamma[2];
  comparator.Compare(Child("Oliver", "Hughes", ""), Child("Hughes", "Oliver", ""), gamma);
  EXPECT_EQ(gamma[0], 4);
  EXPECT_EQ(gamma[1], 3);
  comparator.Compare(Child("Oliver", "Hughes", ""), Child("Oliver", "Hughes", ""), gamma);
  EXPECT_EQ(gamma[0], 5);
  EXPECT_EQ(gamma[1], 4);
}

TEST(ComparatorTest, ASingleNameIsComparedWithTheFamilyNameWhenItFitsBetter) {
  Comparator comparator(
      {{ComparisonKind::kGivenName, 0, "given_name"}, {ComparisonKind::kFamilyName, 0, "family_name"}});
  uint8_t gamma[2];
  // "Kerr" alone (a source that knows him by surname) against William Kerr: the family names
  // agree and the given names are unknown, not different.
  comparator.Compare(Child("Kerr", "", ""), Child("William", "Kerr", ""), gamma);
  EXPECT_EQ(gamma[0], 0);
  EXPECT_EQ(gamma[1], 4);
  comparator.Compare(Child("William", "Kerr", ""), Child("Kerr", "", ""), gamma);
  EXPECT_EQ(gamma[0], 0);
  EXPECT_EQ(gamma[1], 4);
  comparator.Compare(Child("Rookez", "", ""), Child("Ann", "Rookes", ""), gamma);  // one edit
  EXPECT_EQ(gamma[0], 0);
  EXPECT_EQ(gamma[1], 3);
  // A single given name that fits the given name stays a given-name comparison.
  comparator.Compare(Child("William", "", ""), Child("William", "Kerr", ""), gamma);
  EXPECT_EQ(gamma[0], 5);
  EXPECT_EQ(gamma[1], 0);
  comparator.Compare(Child("Oscar", "", ""), Child("William", "Kerr", ""), gamma);
  EXPECT_EQ(gamma[0], 1);
  EXPECT_EQ(gamma[1], 0);
}

TEST(CompareTermFrequencyTest, NamesPlacesAndFullNamesAreAdjusted) {
  Record r = Child("Amy", "Smith", "", "LS1 1AA");
  InputRecord in;
  in.full_name = "Amy Jane Smith";
  r.full_name = NormaliseRecord(in).full_name;
  EXPECT_EQ(TermValue({ComparisonKind::kGivenName, 0, "given_name"}, r), "amy");
  EXPECT_EQ(TermValue({ComparisonKind::kFamilyName, 0, "family_name"}, r), "smith");
  EXPECT_EQ(TermValue({ComparisonKind::kFullName, 0, "full_name"}, r), "amy jane smith");
  EXPECT_TRUE(UsesTermFrequency(ComparisonKind::kFullName));
  EXPECT_FALSE(UsesTermFrequency(ComparisonKind::kDateOfBirth));
  EXPECT_TRUE(TermValue({ComparisonKind::kDateOfBirth, 0, "date_of_birth"}, r).empty());
}

// Full names sharing a token: the weight of that level follows how common the shared token is
// (Model::Score takes the rarest shared token's frequency in place of u).
TEST(CompareTermFrequencyTest, SharedFullNameTokensAreAdjustedByTheirFrequency) {
  Model model({{ComparisonKind::kFullName, 0, "full_name"}});
  const uint8_t shared_token[] = {2};
  const uint8_t different[] = {1};
  const float rare[] = {1e-5f};
  const float common[] = {0.2f};
  const float none[] = {0.0f};
  EXPECT_GT(model.Score(shared_token, rare), model.Score(shared_token, none));
  EXPECT_LT(model.Score(shared_token, common), model.Score(shared_token, none));
  EXPECT_DOUBLE_EQ(model.Score(different, rare), model.Score(different, none));
}

TEST(CompareIdentifierTest, Levels) {
  EXPECT_EQ(CompareIdentifier("9434765919", "9434765919"), 3);
  EXPECT_EQ(CompareIdentifier("9434765919", "9434765991"), 2);
  EXPECT_EQ(CompareIdentifier("9434765919", "4010232137"), 1);
  EXPECT_EQ(CompareIdentifier("", "4010232137"), 0);
}

// Addresses and places are compared after FoldText, as NormaliseRecord leaves them.
uint8_t Address(std::string_view a, std::string_view b) { return CompareAddress(FoldText(a), FoldText(b)); }
uint8_t Place(std::string_view a, std::string_view b) { return CompareShortText(FoldText(a), FoldText(b)); }

TEST(CompareAddressTest, Levels) {
  // Exact after folding case and punctuation.
  EXPECT_EQ(Address("Flat 2, 14 Harrow Road", "FLAT 2 14 HARROW ROAD"), 4);
  EXPECT_EQ(Address("14 St. John's Close", "14 st johns close"), 4);
  // Abbreviations are not expanded, but a short abbreviation still leaves the text close.
  EXPECT_EQ(Address("12 High Street", "12 High St"), 3);
  EXPECT_EQ(Address("14 Harrow Road", "14 Harrow Rd"), 3);
  EXPECT_EQ(Address("14 Harrow Road", "14 Harow Road"), 3);  // a typo
  // A shared street word of three letters or more: moved along the street, or a house name.
  EXPECT_EQ(Address("Rose Cottage, Church Lane", "Church Lane Farm"), 2);
  EXPECT_EQ(Address("Flat 5, Jubilee Court, Mill Street", "Jubilee Court"), 2);
  // Nothing in common; a shared house number or a two-letter word is not enough.
  EXPECT_EQ(Address("14 Harrow Road", "9 Elm Grove"), 1);
  EXPECT_EQ(Address("14 Harrow Road", "14 Elm Grove"), 1);
  EXPECT_EQ(Address("4 Ox Close", "Ox Farm"), 1);
  // Missing on either side, or nothing left after folding: no evidence.
  EXPECT_EQ(Address("", "14 Harrow Road"), 0);
  EXPECT_EQ(Address("14 Harrow Road", ""), 0);
  EXPECT_EQ(Address(" , ", "14 Harrow Road"), 0);
}

// Jaro–Winkler does not look at what differs: a different flat or house number on the same
// street is nearly the same string. These pin that down so that a change to it is deliberate.
TEST(CompareAddressTest, OtherNumbersOnTheSameStreetStayClose) {
  EXPECT_EQ(Address("Flat 2, 14 Harrow Road", "Flat 3, 14 Harrow Road"), 3);
  EXPECT_EQ(Address("14 Harrow Road", "27 Harrow Road"), 3);
}

TEST(CompareAddressTest, ComparatorUsesTheNormalisedAddress) {
  InputRecord a;
  a.address = "Flat 2, 14 Harrow Road";
  InputRecord b;
  b.address = "flat 2 14 harrow road";
  const Comparator comparator({{ComparisonKind::kAddress, 0, "address"}});
  uint8_t gamma[1];
  comparator.Compare(NormaliseRecord(a), NormaliseRecord(b), gamma);
  EXPECT_EQ(gamma[0], 4);
  b.address = "9 Elm Grove";
  comparator.Compare(NormaliseRecord(a), NormaliseRecord(b), gamma);
  EXPECT_EQ(gamma[0], 1);
}

TEST(CompareShortTextTest, Levels) {
  EXPECT_EQ(Place("Headingley", "HEADINGLEY"), 3);
  EXPECT_EQ(Place("Newcastle-upon-Tyne", "Newcastle upon Tyne"), 3);
  EXPECT_EQ(Place("Headingley", "Headingly"), 2);                // a typo: JW >= 0.88
  EXPECT_EQ(Place("Newcastle upon Tyne", "Newcastle"), 2);       // a shared word
  EXPECT_EQ(Place("St Albans", "Saint Albans"), 2);              // abbreviation: shared word
  EXPECT_EQ(Place("Leeds", "Bradford"), 1);
  EXPECT_EQ(Place("Kings Lynn", "Kingston upon Hull"), 1);      // JW below 0.88, no shared word
  EXPECT_EQ(Place("", "Leeds"), 0);
  EXPECT_EQ(Place("Leeds", ""), 0);
  EXPECT_EQ(LevelCount(ComparisonKind::kLocality), 4);
}

TEST(CompareShortTextTest, LocalityAndTextColumnsUseIt) {
  InputRecord a;
  a.locality = "Headingley";
  a.texts = {"Teaching assistant"};
  InputRecord b;
  b.locality = "headingly";
  b.texts = {"TEACHING ASSISTANT"};
  const Comparator comparator({{ComparisonKind::kLocality, 0, "locality"}, {ComparisonKind::kText, 0, "occupation"}});
  uint8_t gamma[2];
  comparator.Compare(NormaliseRecord(a), NormaliseRecord(b), gamma);
  EXPECT_EQ(gamma[0], 2);
  EXPECT_EQ(gamma[1], 3);
  b.texts.clear();  // a record without the text column: no evidence
  comparator.Compare(NormaliseRecord(a), NormaliseRecord(b), gamma);
  EXPECT_EQ(gamma[1], 0);
}

TEST(CompareSexTest, Levels) {
  const Comparator comparator({{ComparisonKind::kSex, 0, "sex"}});
  auto level = [&](std::string a, std::string b) {
    InputRecord ra;
    ra.sex = std::move(a);
    InputRecord rb;
    rb.sex = std::move(b);
    uint8_t gamma[1];
    comparator.Compare(NormaliseRecord(ra), NormaliseRecord(rb), gamma);
    return gamma[0];
  };
  EXPECT_EQ(level("F", "female"), 2);
  EXPECT_EQ(level("Girl", "f"), 2);
  EXPECT_EQ(level("M", " Male "), 2);
  EXPECT_EQ(level("boy", "1"), 2);
  EXPECT_EQ(level("M", "F"), 1);
  EXPECT_EQ(level("male", "2"), 1);
  // Missing or not known on either side: no evidence.
  EXPECT_EQ(level("", "F"), 0);
  EXPECT_EQ(level("M", "unknown"), 0);
  EXPECT_EQ(level("not stated", "not stated"), 0);
  EXPECT_EQ(LevelCount(ComparisonKind::kSex), 3);
  EXPECT_EQ(LevelName(ComparisonKind::kSex, 2), "exact");
}

}  // namespace
}  // namespace kith::linkage
