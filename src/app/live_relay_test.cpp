#include "app/live_relay.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/store.h"

namespace kith::app {
namespace {

// The bus of one database shared by the nodes of a test: a payload sent reaches every listener,
// the sender's own included, at once on the sender's thread (PostgreSQL's bus delivers on a
// thread of its own; the relay does not depend on which).
class SharedBus {
 public:
  class Node final : public storage::MessageBus {
   public:
    explicit Node(SharedBus& shared) : shared_(shared) { shared_.nodes_.push_back(this); }
    ~Node() override { std::erase(shared_.nodes_, this); }
    void Send(const std::string& payload) override {
      if (payload.size() > kMaxPayload) throw std::invalid_argument("too long");
      shared_.sent.push_back(payload);
      for (const auto* node : shared_.nodes_) {
        if (node->receive_) node->receive_(payload);
      }
    }
    void Listen(Receive receive) override { receive_ = std::move(receive); }

   private:
    SharedBus& shared_;
    Receive receive_;
  };
  std::unique_ptr<storage::MessageBus> Join() { return std::make_unique<Node>(*this); }
  std::vector<std::string> sent;

 private:
  std::vector<Node*> nodes_;
};

// One node: its hub (the lead may see K1; the outsider nothing), one connection per user.
struct TestNode {
  TestNode(std::unique_ptr<storage::MessageBus> bus, const std::string& id)
      : hub([](const std::string& user, const LiveEvent& e) { return user == "lead" && e.child_id == "K1"; },
            [this](const LiveEvent& e, const std::vector<std::string>& users) {
              for (const auto& u : users) recorded.push_back(e.child_id + ":" + u);
            }),
        relay(hub, std::move(bus), id) {
    relay.Start();
  }
  void Connect(const std::string& user) {
    hub.Subscribe(user, [this, user](const LiveEvent& e) {
      received.push_back(user + ":" + e.what + (e.item ? ":" + e.item->summary : ""));
    });
  }
  LiveHub hub;
  LiveRelay relay;
  std::vector<std::string> received;
  std::vector<std::string> recorded;  // the audit of deliveries, per node
};

LiveEvent Entry(const std::string& child_id, const std::string& summary) {
  FeedItemView item{"F1", FromMicros(1'790'000'000'000'000), child_id, "Leo Carter", "chronology_entry", summary,
                    "Sam Hughes", "serious"};
  return {child_id, "chronology", item, "", false};
}

TEST(LiveRelayTest, AnEventPublishedOnOneNodeReachesTheOthersConnectionsOnceAndIsAuditedWhereDelivered) {
  SharedBus bus;
  TestNode one(bus.Join(), "node-one"), two(bus.Join(), "node-two");
  one.Connect("lead");
  two.Connect("lead");
  two.Connect("outsider");
  EXPECT_EQ(one.hub.Publish(Entry("K1", "Home visit: bruise to the arm")), 1);
  EXPECT_EQ(one.received, std::vector<std::string>{"lead:chronology:Home visit: bruise to the arm"})
      << "once on its own node: its own event back from the bus is ignored";
  EXPECT_EQ(two.received, std::vector<std::string>{"lead:chronology:Home visit: bruise to the arm"})
      << "the other node delivers it to whom it may, deciding as for its own";
  EXPECT_EQ(one.recorded, std::vector<std::string>{"K1:lead"});
  EXPECT_EQ(two.recorded, std::vector<std::string>{"K1:lead"}) << "each node audits what it delivered";
  EXPECT_EQ(bus.sent.size(), 1u) << "relayed once, not relayed again by the node that received it";

  EXPECT_EQ(two.hub.Publish(Entry("K2", "Not the lead's child")), 0);
  EXPECT_EQ(one.received.size(), 1u);
  EXPECT_EQ(two.received.size(), 1u);
}

TEST(LiveRelayTest, TheEventCrossesTheBusWhole) {
  LiveEvent e = Entry("K1", "Strategy discussion — police and school; “quoted” ünïcode");
  e.recipient_id = "U7";
  e.family_visible = true;
  const auto decoded = DecodeLiveEvent(EncodeLiveEvent(e, "node-x"));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->first, "node-x");
  const LiveEvent& d = decoded->second;
  EXPECT_EQ(d.child_id, "K1");
  EXPECT_EQ(d.what, "chronology");
  EXPECT_EQ(d.recipient_id, "U7");
  EXPECT_TRUE(d.family_visible);
  ASSERT_TRUE(d.item);
  EXPECT_EQ(d.item->summary, e.item->summary);
  EXPECT_EQ(d.item->at, e.item->at);
  EXPECT_EQ(d.item->significance, "serious");
  EXPECT_EQ(d.item->actor_name, "Sam Hughes");

  LiveEvent bare{"K3", "wheel", std::nullopt, "", false};
  const auto b = DecodeLiveEvent(EncodeLiveEvent(bare, "n"));
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->second.item);
  EXPECT_EQ(b->second.what, "wheel");
}

TEST(LiveRelayTest, AnItemTooLargeForTheBusGoesWithoutItsTextAndNonsenseIsRefused) {
  LiveEvent big = Entry("K1", std::string(20'000, 'x'));
  const std::string payload = EncodeLiveEvent(big, "n");
  EXPECT_LE(payload.size(), storage::MessageBus::kMaxPayload);
  const auto d = DecodeLiveEvent(payload);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->second.child_id, "K1");
  EXPECT_FALSE(d->second.item) << "clients refetch the item";

  for (const char* bad : {"", "{", "[]", R"({"node":"n"})", R"({"node":1,"child_id":"K1","what":"x",
      "recipient_id":"","family_visible":false})"}) {
    EXPECT_FALSE(DecodeLiveEvent(bad)) << bad;
  }
}

TEST(LiveRelayTest, AFailedSendLosesTheRelayNotTheRequest) {
  class DownBus final : public storage::MessageBus {
   public:
    void Send(const std::string&) override { throw storage::StorageUnavailable("the database is away"); }
    void Listen(Receive) override {}
  };
  TestNode one(std::make_unique<DownBus>(), "node-one");
  one.Connect("lead");
  EXPECT_EQ(one.hub.Publish(Entry("K1", "Seen at home")), 1) << "delivered here; the relay's failure is logged";
}

}  // namespace
}  // namespace kith::app
