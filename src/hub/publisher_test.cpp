#include "hub/publisher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "hub/hub_service.h"
#include "pprl/test_secret.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith::hub {
namespace {

// The hub in the same process, reachable or not.
class InProcessChannel final : public HubChannel {
 public:
  InProcessChannel(HubService& hub, std::string authority) : hub_(hub), authority_(std::move(authority)) {}
  Result<uint64_t> Publish(const std::string& encoding, const std::vector<HubChange>& changes) override {
    if (down) return Error::NotFound("the hub cannot be reached");
    ++requests;
    return hub_.Publish(authority_, encoding, changes);
  }
  Result<uint64_t> Cursor() override {
    if (down) return Error::NotFound("the hub cannot be reached");
    return hub_.LastSeq(authority_);
  }
  bool down = false;
  int requests = 0;

 private:
  HubService& hub_;
  std::string authority_;
};

class PublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kith_publisher_test_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = storage::OpenSqliteStore({.path = (dir_ / "kith.db").string(), .readers = 1});
    store_->Write([](storage::Repositories& r) {
      return r.Authorities().Insert({"la1", "A", "Northbrook", false}).ok();
    });
    hub_store_ = OpenSqliteHubStore((dir_ / "hub.db").string());
    hub_ = std::make_unique<HubService>(*hub_store_, std::vector<std::string>{"A", "B"});
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Put(std::string id, std::string given, std::string family, Date dob, int64_t version = 0) {
    domain::Child c;
    c.id = std::move(id);
    c.authority_id = "la1";
    c.given_names = std::move(given);
    c.family_name = std::move(family);
    c.date_of_birth = dob;
    c.sex = domain::Sex::kFemale;
    c.postcode = "LS6 2AB";
    c.version = version;
    store_->Write([&](storage::Repositories& r) {
      return (version == 0 ? r.Children().Insert(c) : r.Children().Update(c)).ok();
    });
  }
  size_t FoundFromB(const std::string& given, const std::string& family, Date dob) {
    linkage::InputRecord q;
    q.given_name = given;
    q.family_name = family;
    q.date_of_birth = dob.ToString();
    q.sex = "F";
    q.postcode = "LS6 2AB";
    return hub_->Query("B", encoder_.Encoding(), encoder_.Encode(q))->size();
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<HubStore> hub_store_;
  std::unique_ptr<HubService> hub_;
  pprl::Encoder encoder_{pprl::TestSecret()};
};

TEST_F(PublisherTest, PublishesCreatedChangedAndRemovedChildrenAndCatchesUpAfterTheHubWasDown) {
  InProcessChannel channel(*hub_, "A");
  const std::string journal = (dir_ / "journal.db").string();
  Put("K1", "Olivia", "Hartley", {2015, 3, 14});
  Put("K2", "Noah", "Fenwick", {2010, 1, 20});
  {
    Publisher publisher(*store_, "la1", encoder_, channel, journal);
    EXPECT_EQ(publisher.Reconcile(), 2u);
    ASSERT_TRUE(publisher.Flush());
    EXPECT_EQ(hub_->Size(), 2u);
    EXPECT_EQ(publisher.Reconcile(), 0u);  // nothing changed: nothing sent
    EXPECT_EQ(FoundFromB("Olivia", "Hartley", {2015, 3, 14}), 1u);

    // The hub goes down; Olivia's record is corrected meanwhile.
    channel.down = true;
    Put("K1", "Olivia", "Hartley-Osei", {2015, 3, 14}, 1);
    EXPECT_EQ(publisher.Reconcile(), 1u);
    EXPECT_FALSE(publisher.Flush());
    EXPECT_EQ(publisher.Stats().pending, 1u);
  }
  // The node restarts too; its journal kept the change.
  channel.down = false;
  Publisher publisher(*store_, "la1", encoder_, channel, journal);
  EXPECT_EQ(publisher.Reconcile(), 0u);
  ASSERT_TRUE(publisher.Flush());
  EXPECT_EQ(publisher.Stats().pending, 0u);
  EXPECT_EQ(hub_->LastSeq("A"), 3u);
  EXPECT_EQ(FoundFromB("Olivia", "Hartley-Osei", {2015, 3, 14}), 1u);

  // Noah is merged into Olivia's record (a mistake, but it shows a merge): K2 leaves the hub.
  store_->Write([](storage::Repositories& r) {
    storage::ChildMerge m;
    m.id = "M1";
    m.survivor_id = "K1";
    m.merged_id = "K2";
    m.merged_by = "u1";
    return r.Merges().Insert(m).ok();
  });
  EXPECT_EQ(publisher.Reconcile(), 1u);
  ASSERT_TRUE(publisher.Flush());
  EXPECT_EQ(hub_->Size(), 1u);
  EXPECT_EQ(FoundFromB("Noah", "Fenwick", {2010, 1, 20}), 0u);
}

TEST_F(PublisherTest, AnAnswerLostOnTheWayIsResentAndSkippedByTheHub) {
  InProcessChannel channel(*hub_, "A");
  Publisher publisher(*store_, "la1", encoder_, channel, (dir_ / "journal.db").string());
  Put("K1", "Olivia", "Hartley", {2015, 3, 14});
  publisher.Reconcile();
  // The hub applied the change but the node never heard: the hub already holds it.
  ASSERT_TRUE(hub_->Publish("A", encoder_.Encoding(), {{1, "K1", encoder_.Encode({})}}));
  ASSERT_TRUE(publisher.Flush());
  EXPECT_EQ(hub_->LastSeq("A"), 1u);
  EXPECT_EQ(publisher.Stats().pending, 0u);
}

}  // namespace
}  // namespace kith::hub
