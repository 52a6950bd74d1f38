#include "hub/hub_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "pprl/test_secret.h"

namespace kith::hub {
namespace {

linkage::InputRecord Child(std::string given, std::string family, std::string dob, std::string nhs = "") {
  linkage::InputRecord r;
  r.given_name = std::move(given);
  r.family_name = std::move(family);
  r.date_of_birth = std::move(dob);
  r.sex = "M";
  r.postcode = "BD1 1AA";
  r.nhs_number = std::move(nhs);
  return r;
}

class HubServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kith_hub_test_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Db() const { return (dir_ / "hub.db").string(); }
  HubChange Upsert(uint64_t seq, std::string ref, const linkage::InputRecord& r) const {
    return {seq, std::move(ref), encoder_.Encode(r)};
  }

  std::filesystem::path dir_;
  pprl::Encoder encoder_{pprl::TestSecret()};
  const std::vector<std::string> authorities_{"A", "B", "C"};
};

TEST_F(HubServiceTest, PublishedChildrenAreFoundFromAnotherAuthorityAndSurviveARestart) {
  const auto jack = Child("Jack", "Osei", "2012-11-02", "9434765919");
  {
    auto store = OpenSqliteHubStore(Db());
    HubService hub(*store, authorities_);
    ASSERT_EQ(*hub.Publish("A", encoder_.Encoding(), {Upsert(1, "a-jack", jack)}), 1u);
    ASSERT_EQ(*hub.Publish("C", encoder_.Encoding(), {Upsert(1, "c-jack", Child("John", "Osei", "2012-11-02"))}), 1u);
    auto found = hub.Query("B", encoder_.Encoding(), encoder_.Encode(jack));
    ASSERT_TRUE(found);
    ASSERT_EQ(found->size(), 2u);
    EXPECT_EQ((*found)[0].authority, "A");
    EXPECT_EQ((*found)[0].band, MatchBand::kCertain);
    EXPECT_EQ((*found)[1].authority, "C");
    // The asking authority's own records are not returned.
    EXPECT_EQ(hub.Query("A", encoder_.Encoding(), encoder_.Encode(jack))->size(), 1u);
  }
  auto store = OpenSqliteHubStore(Db());  // a restart: the index is rebuilt from the store
  HubService hub(*store, authorities_);
  EXPECT_EQ(hub.Size(), 2u);
  EXPECT_EQ(hub.LastSeq("A"), 1u);
  EXPECT_EQ(hub.Query("B", encoder_.Encoding(), encoder_.Encode(jack))->size(), 2u);
}

TEST_F(HubServiceTest, ResendsAreSkippedGapsRefusedAndRemovalsForget) {
  auto store = OpenSqliteHubStore(Db());
  HubService hub(*store, authorities_);
  const auto ava = Child("Ava", "Patel", "2016-02-29");
  ASSERT_EQ(*hub.Publish("A", encoder_.Encoding(),
                         {Upsert(1, "a1", ava), Upsert(2, "a2", Child("Noah", "Fenwick", "2010-01-20"))}),
            2u);
  // The node did not hear the answer and sends 1..3 again: 1 and 2 are skipped.
  ASSERT_EQ(
      *hub.Publish("A", encoder_.Encoding(), {Upsert(1, "a1", ava), Upsert(2, "a2", ava), HubChange{3, "a1", {}}}), 3u);
  EXPECT_EQ(hub.Size(), 1u);
  EXPECT_TRUE(hub.Query("B", encoder_.Encoding(), encoder_.Encode(ava))->empty());  // a1 removed, a2 unchanged
  auto gap = hub.Publish("A", encoder_.Encoding(), {Upsert(5, "a5", ava)});
  ASSERT_FALSE(gap);
  EXPECT_EQ(gap.error().code, ErrorCode::kConflict);
  EXPECT_NE(gap.error().message.find("next expected change 4"), std::string::npos) << gap.error().message;
  EXPECT_EQ(hub.LastSeq("A"), 3u);
}

TEST_F(HubServiceTest, TokensOfAnotherSecretAreRefused) {
  auto store = OpenSqliteHubStore(Db());
  HubService hub(*store, authorities_);
  ASSERT_TRUE(hub.Publish("A", encoder_.Encoding(), {Upsert(1, "a1", Child("Ava", "Patel", "2016-02-29"))}));
  const pprl::Encoder other(pprl::TestSecret('d'));
  auto refused = hub.Publish("B", other.Encoding(), {{1, "b1", other.Encode(Child("Ava", "Patel", "2016-02-29"))}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(hub.LastSeq("B"), 0u);
  EXPECT_FALSE(hub.Query("B", other.Encoding(), other.Encode(Child("Ava", "Patel", "2016-02-29"))));
}

TEST_F(HubServiceTest, NoncesAreRememberedAcrossARestart) {
  const TimePoint now = FromMicros(1'780'000'000'000'000);
  {
    auto store = OpenSqliteHubStore(Db());
    EXPECT_TRUE(store->Remember("A", "n1", now, now - std::chrono::minutes(10)));
    EXPECT_FALSE(store->Remember("A", "n1", now, now - std::chrono::minutes(10)));
    EXPECT_TRUE(store->Remember("B", "n1", now, now - std::chrono::minutes(10)));
  }
  auto store = OpenSqliteHubStore(Db());
  EXPECT_FALSE(store->Remember("A", "n1", now + std::chrono::seconds(1), now - std::chrono::minutes(10)));
  // Long past the window, an old nonce is forgotten.
  EXPECT_TRUE(store->Remember("A", "n1", now + std::chrono::hours(1), now + std::chrono::minutes(30)));
}

}  // namespace
}  // namespace kith::hub
