#include "linkage/search_index.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/error.h"

namespace kith::linkage {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

IndexedChild Child(std::string id, std::string given, std::string family, const char* dob, std::string postcode = "",
                   std::string nhs = "", std::string upn = "", bool shielded = false) {
  return {std::move(id),       std::move(given), std::move(family), D(dob),
          std::move(postcode), std::move(nhs),   std::move(upn),    shielded};
}

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SearchIndexBuilder b;
    for (const auto& c : {
             Child("K1", "Oliver", "Smith", "2015-03-07", "SW1A 1AA", "943 476 5919"),
             Child("K2", "Olivia", "Smith", "2015-03-07", "SW1A 1AA"),  // twin
             Child("K3", "Muhammad", "Khan", "2012-11-02", "B8 1AA"),
             Child("K4", "William", "Jones", "2014-06-05", "LS1 4AP", "", "R801120010012"),
             Child("K5", "Katherine", "O'Brien", "2013-01-12", "M1 1AE"),
             Child("K6", "Amelia", "Watson", "2016-08-20", "M1 1AE", "4010232137", "", true),
             Child("K7", "Oliver", "Smyth", "2010-01-01", "SW1A 2AA"),
             Child("K8", "Oliver", "Brown", "2015-03-07", "SW1A 1AA"),
             Child("K9", "Oliver", "Smith", "2015-03-08", "NE1 4ST"),
             Child("K10", "Zofia", "Nowak", "2011-05-30", "SW1A 1AB"),
         }) {
      ASSERT_TRUE(b.Add(c));
    }
    index_ = b.Finish(2);
  }

  SearchResults Find(SearchQuery q) {
    q.today = D("2025-09-01");
    auto r = index_->Search(q);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : SearchResults{};
  }

  static std::vector<std::string> Ids(const SearchResults& r) {
    std::vector<std::string> ids;
    for (const auto& h : r.hits) ids.push_back(h.id);
    return ids;
  }

  static const SearchHit* Hit(const SearchResults& r, const std::string& id) {
    for (const auto& h : r.hits) {
      if (h.id == id) return &h;
    }
    return nullptr;
  }

  std::unique_ptr<SearchIndex> index_;
};

TEST_F(SearchIndexTest, ExactNamesAndDateRankTheChildFirstWithFullScore) {
  auto r = Find({.given_name = "Oliver", .family_name = "Smith", .date_of_birth = D("2015-03-07")});
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "K1");
  EXPECT_DOUBLE_EQ(r.hits[0].score, 1.0);
  EXPECT_EQ(r.hits[0].postcode_district, "SW1A");
  // A day out ranks next; the twin (other given name) and a namesake by family only rank lower.
  ASSERT_NE(Hit(r, "K9"), nullptr);
  ASSERT_NE(Hit(r, "K2"), nullptr);
  EXPECT_GT(Hit(r, "K9")->score, Hit(r, "K2")->score);
  for (size_t i = 1; i < r.hits.size(); ++i) EXPECT_GE(r.hits[i - 1].score, r.hits[i].score);
  EXPECT_EQ(Hit(r, "K3"), nullptr);  // nothing alike is returned
}

TEST_F(SearchIndexTest, ToleratesTyposAndCase) {
  for (auto [given, family] :
       {std::pair{"Olivr", "Smith"}, {"Oliver", "Smiht"}, {"OLIVER", "smith"}, {"Olliver", "Smtih"}}) {
    auto r = Find({.given_name = given, .family_name = family, .date_of_birth = D("2015-03-07")});
    ASSERT_FALSE(r.hits.empty()) << given << " " << family;
    EXPECT_EQ(r.hits[0].id, "K1") << given << " " << family;
    EXPECT_GE(r.hits[0].score, 0.85);
  }
}

// Issue 19: a typo in both names returned nothing, even with the exact date of birth and
// postcode (a doubled letter in the surname and a neighbouring key in the given name).
TEST_F(SearchIndexTest, TyposInBothNamesWithTheDateOrThePostcode) {
  // Both codes change: "Zofua" (neighbouring key) and "Nowwak" (doubled letter) share no
  // phonetic code with Zofia Nowak.
  auto both = Find({.given_name = "Zofua", .family_name = "Nowwak", .date_of_birth = D("2011-05-30"),
                    .postcode = "SW1A 1AB"});
  ASSERT_FALSE(both.hits.empty());
  EXPECT_EQ(both.hits[0].id, "K10");
  // The date alone with the names (no postcode), and the postcode alone (no date).
  auto date_only = Find({.given_name = "Zofua", .family_name = "Nowwak", .date_of_birth = D("2011-05-30")});
  ASSERT_FALSE(date_only.hits.empty());
  EXPECT_EQ(date_only.hits[0].id, "K10");
  auto postcode_only = Find({.given_name = "Zofua", .family_name = "Nowwak", .postcode = "SW1A 1AB"});
  ASSERT_FALSE(postcode_only.hits.empty());
  EXPECT_EQ(postcode_only.hits[0].id, "K10");
  // Two slips in one name.
  auto two = Find({.given_name = "Kahterin", .family_name = "O'Brien", .postcode = "M1 1AE"});
  ASSERT_FALSE(two.hits.empty());
  EXPECT_EQ(two.hits[0].id, "K5");
}

// A mistyped date and no postcode: the names' codes with the year (or day and month) find the
// child, even when a slip changed a name's code (the index's names within two slips are tried).
TEST_F(SearchIndexTest, MistypedDateWithoutPostcodeAndASlipThatChangesTheCode) {
  // "Kjan" (a neighbouring key) codes as K250, Khan as K500; the day's digits are swapped.
  auto r = Find({.given_name = "Muhammad", .family_name = "Kjan", .date_of_birth = D("2012-11-20")});
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "K3");
  auto year = Find({.given_name = "Katherine", .family_name = "Obtien", .date_of_birth = D("2013-01-21")});
  ASSERT_FALSE(year.hits.empty());
  EXPECT_EQ(year.hits[0].id, "K5");
}

TEST_F(SearchIndexTest, NicknamesAndTransliterations) {
  auto bill = Find({.given_name = "Bill", .family_name = "Jones", .date_of_birth = D("2014-06-05")});
  ASSERT_FALSE(bill.hits.empty());
  EXPECT_EQ(bill.hits[0].id, "K4");
  for (const char* spelling : {"Mohammed", "Mohamed", "Muhammed", "Mohammad"}) {
    auto r = Find({.given_name = spelling, .family_name = "Khan", .date_of_birth = D("2012-11-02")});
    ASSERT_FALSE(r.hits.empty()) << spelling;
    EXPECT_EQ(r.hits[0].id, "K3") << spelling;
    EXPECT_GE(r.hits[0].score, 0.9) << spelling;
  }
  auto kate = Find({.given_name = "Kate", .family_name = "OBrien", .date_of_birth = D("2013-01-12")});
  ASSERT_FALSE(kate.hits.empty());
  EXPECT_EQ(kate.hits[0].id, "K5");
}

TEST_F(SearchIndexTest, SwappedGivenAndFamilyNames) {
  auto r = Find({.given_name = "Khan", .family_name = "Muhammad", .date_of_birth = D("2012-11-02")});
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "K3");
  EXPECT_GE(r.hits[0].score, 0.9);
  EXPECT_LT(r.hits[0].score, 1.0);
}

TEST_F(SearchIndexTest, MistypedDatesOfBirth) {
  // Day and month swapped, a day out, one digit of the year wrong, one digit of the day wrong.
  for (const char* dob : {"2012-02-11", "2012-11-03", "2013-11-02", "2012-11-09"}) {
    auto r = Find({.given_name = "Muhammad", .family_name = "Khan", .date_of_birth = D(dob)});
    ASSERT_FALSE(r.hits.empty()) << dob;
    EXPECT_EQ(r.hits[0].id, "K3") << dob;
    EXPECT_GE(r.hits[0].score, 0.9) << dob;
    EXPECT_LT(r.hits[0].score, 1.0) << dob;
  }
  // A wholly different date still finds exact names, but lower.
  auto far = Find({.given_name = "Muhammad", .family_name = "Khan", .date_of_birth = D("2009-04-20")});
  ASSERT_FALSE(far.hits.empty());
  EXPECT_EQ(far.hits[0].id, "K3");
  EXPECT_LT(far.hits[0].score, 0.7);
}

TEST_F(SearchIndexTest, MissingFieldsAndIdentifiers) {
  auto names_only = Find({.given_name = "Zofia", .family_name = "Nowak"});
  ASSERT_EQ(Ids(names_only), std::vector<std::string>{"K10"});
  auto nhs = Find({.nhs_number = "943-476-5919"});
  ASSERT_EQ(Ids(nhs), std::vector<std::string>{"K1"});
  EXPECT_DOUBLE_EQ(nhs.hits[0].score, 1.0);
  auto upn = Find({.family_name = "Jonse", .upn = "r801 1200 10012"});
  ASSERT_FALSE(upn.hits.empty());
  EXPECT_EQ(upn.hits[0].id, "K4");
  auto household = Find({.family_name = "Smith", .postcode = "sw1a1aa"});
  auto ids = Ids(household);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"K1", "K2"}));
}

TEST_F(SearchIndexTest, AgeRangeAndDistrict) {
  auto r = Find({.family_name = "Smith", .age_from = 10, .age_to = 10});
  auto ids = Ids(r);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"K1", "K2", "K9"}));  // not Oliver Smyth, aged 15
  auto district = Find({.given_name = "Oliver", .family_name = "Smith", .postcode = "NE1"});
  ASSERT_FALSE(district.hits.empty());
  EXPECT_EQ(district.hits[0].id, "K9");
}

TEST_F(SearchIndexTest, ShieldedChildFoundOnlyByExactNameAndDateWithoutLocation) {
  auto exact = Find({.given_name = "amelia", .family_name = "WATSON", .date_of_birth = D("2016-08-20")});
  ASSERT_EQ(Ids(exact), std::vector<std::string>{"K6"});
  EXPECT_TRUE(exact.hits[0].shielded);
  EXPECT_EQ(exact.hits[0].postcode_district, "");
  // The postcode asked does not change the score: it would reveal the location.
  auto with_pc =
      Find({.given_name = "Amelia", .family_name = "Watson", .date_of_birth = D("2016-08-20"), .postcode = "M1 1AE"});
  ASSERT_EQ(Ids(with_pc), std::vector<std::string>{"K6"});
  EXPECT_DOUBLE_EQ(with_pc.hits[0].score, 1.0);
  for (const SearchQuery& q : {
           SearchQuery{.given_name = "Amelia", .family_name = "Watsen", .date_of_birth = D("2016-08-20")},
           SearchQuery{.given_name = "Amelia", .family_name = "Watson", .date_of_birth = D("2016-08-21")},
           SearchQuery{.given_name = "Amelia", .family_name = "Watson"},
           SearchQuery{.given_name = "Watson", .family_name = "Amelia", .date_of_birth = D("2016-08-20")},
           SearchQuery{.nhs_number = "4010232137"},
           SearchQuery{.family_name = "Watson", .postcode = "M1 1AE"},
       }) {
    EXPECT_TRUE(Find(q).hits.empty()) << q.given_name << " " << q.family_name;
  }
}

TEST_F(SearchIndexTest, RefusesThinOrMalformedQueries) {
  SearchQuery thin{.given_name = "Oliver"};
  auto r = index_->Search(thin);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  auto bad_nhs = index_->Search({.family_name = "Smith", .nhs_number = "9434765918"});
  ASSERT_FALSE(bad_nhs);
  EXPECT_EQ(bad_nhs.error().field, "nhs_number");
  auto bad_pc = index_->Search({.family_name = "Smith", .postcode = "not a postcode"});
  ASSERT_FALSE(bad_pc);
  EXPECT_EQ(bad_pc.error().field, "postcode");
  // A given name with an age range has nothing to look up.
  auto no_key = index_->Search({.given_name = "Oliver", .age_from = 9, .age_to = 11, .today = D("2025-09-01")});
  ASSERT_FALSE(no_key);
}

TEST_F(SearchIndexTest, UpsertAddsAndReplaces) {
  ASSERT_TRUE(index_->Upsert(Child("K11", "Freddie", "Mercer", "2019-02-02", "SW1A 1AA")));
  auto added = Find({.given_name = "Fred", .family_name = "Mercer", .date_of_birth = D("2019-02-02")});
  ASSERT_FALSE(added.hits.empty());
  EXPECT_EQ(added.hits[0].id, "K11");
  // K10 moves and takes a new surname: found by the new values, with the new district.
  ASSERT_TRUE(index_->Upsert(Child("K10", "Zofia", "Kowalska", "2011-05-30", "LS2 9JT")));
  EXPECT_EQ(index_->Size(), 11u);
  auto moved = Find({.given_name = "Zofia", .family_name = "Kowalska", .date_of_birth = D("2011-05-30")});
  ASSERT_EQ(Ids(moved), std::vector<std::string>{"K10"});
  EXPECT_EQ(moved.hits[0].postcode_district, "LS2");
  EXPECT_TRUE(Find({.family_name = "Nowak", .postcode = "SW1A 1AB"}).hits.empty());
  // Shielding a child takes effect at once.
  ASSERT_TRUE(index_->Upsert(Child("K3", "Muhammad", "Khan", "2012-11-02", "B8 1AA", "", "", true)));
  EXPECT_TRUE(Find({.given_name = "Mohammed", .family_name = "Khan", .date_of_birth = D("2012-11-02")}).hits.empty());
  EXPECT_FALSE(index_->Upsert(Child("", "A", "B", "2012-11-02")));
}

TEST(SearchIndexLimitTest, AtMostTwentyResultsAndTruncated) {
  SearchIndex index;
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(index.Upsert(Child("T" + std::to_string(i), "Jack", "Taylor", "2018-04-04")));
  }
  auto r = index.Search({.given_name = "Jack", .family_name = "Taylor", .date_of_birth = D("2018-04-04")});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->hits.size(), 20u);
  EXPECT_TRUE(r->truncated);
  auto few = index.Search({.given_name = "Jack", .family_name = "Taylor", .date_of_birth = D("2018-04-04")}, 5);
  ASSERT_TRUE(few);
  EXPECT_EQ(few->hits.size(), 5u);
}

}  // namespace
}  // namespace kith::linkage
