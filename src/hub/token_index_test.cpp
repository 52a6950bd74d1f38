#include "hub/token_index.h"

#include <gtest/gtest.h>

#include "linkage/synthetic.h"
#include "pprl/test_secret.h"

namespace kith::hub {
namespace {

linkage::InputRecord Child(std::string given, std::string family, std::string dob, std::string nhs = "") {
  linkage::InputRecord r;
  r.given_name = std::move(given);
  r.family_name = std::move(family);
  r.date_of_birth = std::move(dob);
  r.sex = "F";
  r.postcode = "LS6 2AB";
  r.nhs_number = std::move(nhs);
  return r;
}

class TokenIndexTest : public ::testing::Test {
 protected:
  pprl::Tokens Encode(const linkage::InputRecord& r) const { return encoder_.Encode(r); }
  pprl::Encoder encoder_{pprl::TestSecret()};
  TokenIndex index_;
};

TEST_F(TokenIndexTest, FindsByIdentifierAndByClkWithBands) {
  index_.Upsert(1, "A-olivia", Encode(Child("Olivia", "Hartley", "2015-03-14", "9434765919")));
  index_.Upsert(2, "C-olivia", Encode(Child("Olivia", "Hartley", "2015-03-14")));
  index_.Upsert(2, "C-noah", Encode(Child("Noah", "Fenwick", "2010-01-20")));
  EXPECT_EQ(index_.Size(), 3u);

  const auto found = index_.Query(Encode(Child("Olivai", "Hartley", "2015-03-14", "9434765919")));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].authority, 1);
  EXPECT_EQ(found[0].ref, "A-olivia");
  EXPECT_EQ(found[0].band, MatchBand::kCertain);
  EXPECT_EQ(found[1].authority, 2);
  EXPECT_EQ(found[1].ref, "C-olivia");
  EXPECT_NE(found[1].band, MatchBand::kCertain);
  EXPECT_TRUE(index_.Query(Encode(Child("Evie", "Marsh", "2016-07-07"))).empty());
}

TEST_F(TokenIndexTest, ADifferentNhsNumberIsNeverAMatch) {
  index_.Upsert(1, "twin-a", Encode(Child("Olivia", "Hartley", "2015-03-14", "9434765919")));
  // The same name and date but another NHS number (a different child).
  EXPECT_TRUE(index_.Query(Encode(Child("Olivia", "Hartley", "2015-03-14", "9434765870"))).empty());
}

TEST_F(TokenIndexTest, UpsertReplacesAndRemoveForgets) {
  index_.Upsert(1, "r1", Encode(Child("Olivia", "Hartley", "2015-03-14")));
  index_.Upsert(1, "r1", Encode(Child("Noah", "Fenwick", "2010-01-20")));  // identity corrected
  EXPECT_EQ(index_.Size(), 1u);
  EXPECT_TRUE(index_.Query(Encode(Child("Olivia", "Hartley", "2015-03-14"))).empty());
  ASSERT_EQ(index_.Query(Encode(Child("Noah", "Fenwick", "2010-01-20"))).size(), 1u);
  EXPECT_TRUE(index_.Remove(1, "r1"));
  EXPECT_FALSE(index_.Remove(1, "r1"));
  EXPECT_EQ(index_.Size(), 0u);
  EXPECT_TRUE(index_.Query(Encode(Child("Noah", "Fenwick", "2010-01-20"))).empty());
  // The same reference in another authority is another child.
  index_.Upsert(1, "r1", Encode(Child("Noah", "Fenwick", "2010-01-20")));
  index_.Upsert(2, "r1", Encode(Child("Noah", "Fenwick", "2010-01-20")));
  EXPECT_EQ(index_.Query(Encode(Child("Noah", "Fenwick", "2010-01-20"))).size(), 2u);
}

TEST_F(TokenIndexTest, KeepsFindingEveryChildAsItGrowsAndChurns) {
  linkage::SyntheticConfig config;
  config.seed = 4;
  std::vector<pprl::Tokens> held;
  linkage::ForEachSyntheticChild(config, 3000, [&](const linkage::SyntheticChild& c) {
    linkage::InputRecord r;
    r.given_name = c.given_name;
    r.family_name = c.family_name;
    r.date_of_birth = c.date_of_birth.ToString();
    r.sex = std::string(1, c.sex);
    r.postcode = c.postcode;
    held.push_back(Encode(r));
  });
  for (size_t i = 0; i < held.size(); ++i)
    index_.Upsert(static_cast<uint16_t>(i % 3), "c" + std::to_string(i), held[i]);
  for (size_t i = 0; i < held.size(); i += 2) index_.Remove(static_cast<uint16_t>(i % 3), "c" + std::to_string(i));
  for (size_t i = 0; i < held.size(); i += 4)
    index_.Upsert(static_cast<uint16_t>(i % 3), "c" + std::to_string(i), held[i]);
  size_t found = 0, expected = 0;
  for (size_t i = 0; i < held.size(); ++i) {
    const bool live = i % 2 == 1 || i % 4 == 0;
    expected += live;
    const auto matches = index_.Query(held[i]);
    const bool hit = std::any_of(matches.begin(), matches.end(), [&](const IndexMatch& m) {
      return m.ref == "c" + std::to_string(i) && m.authority == i % 3;
    });
    EXPECT_EQ(hit, live) << i;
    found += hit;
  }
  EXPECT_EQ(found, expected);
  EXPECT_EQ(index_.Size(), expected);
}

}  // namespace
}  // namespace kith::hub
