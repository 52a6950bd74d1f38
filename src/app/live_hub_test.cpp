#include "app/live_hub.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kith::app {
namespace {

// A subscriber as the WebSocket endpoint makes one: what it received, whether its session
// stands, and whether it was closed.
struct Connection {
  std::vector<std::string> received;
  bool session_stands = true;
  std::string closed;
};

class LiveHubTest : public ::testing::Test {
 protected:
  LiveHubTest()
      : hub_([this](const std::string& user, const LiveEvent& e) { return user != "outsider" && e.child_id == "K1"; },
             [this](const LiveEvent&, const std::vector<std::string>& users) { recorded_.push_back(users); }) {}

  uint64_t Connect(const std::string& user, Connection& c) {
    return hub_.Subscribe(
        user, [&c](const LiveEvent& e) { c.received.push_back(e.what); }, [&c] { return c.session_stands; },
        [&c](const std::string& reason) { c.closed = reason; });
  }

  LiveHub hub_;
  std::vector<std::vector<std::string>> recorded_;
};

TEST_F(LiveHubTest, DeliversOnlyToThoseAllowedAndRecordsWhoOnce) {
  Connection lead, outsider;
  Connect("lead", lead);
  Connect("outsider", outsider);
  EXPECT_EQ(hub_.Publish({"K1", "chronology", std::nullopt, "", false}), 1);
  EXPECT_EQ(lead.received, std::vector<std::string>{"chronology"});
  EXPECT_TRUE(outsider.received.empty());
  ASSERT_EQ(recorded_.size(), 1u);
  EXPECT_EQ(recorded_[0], std::vector<std::string>{"lead"});
  // Nothing delivered, nothing recorded.
  EXPECT_EQ(hub_.Publish({"K2", "chronology", std::nullopt, "", false}), 0);
  EXPECT_EQ(recorded_.size(), 1u);
}

// Issue 14, reproduction 4: a WebSocket opened before sign-out kept receiving entry summaries.
TEST_F(LiveHubTest, Issue14_AConnectionWhoseSessionFellIsClosedAndGetsNothingMore) {
  Connection lead;
  Connect("lead", lead);
  lead.session_stands = false;  // signed out, expired or disabled
  EXPECT_EQ(hub_.Publish({"K1", "chronology", std::nullopt, "", false}), 0);
  EXPECT_TRUE(lead.received.empty());
  EXPECT_EQ(lead.closed, "signed out");
  EXPECT_EQ(hub_.subscribers(), 0u);
  EXPECT_TRUE(recorded_.empty());
}

TEST_F(LiveHubTest, RevalidateClosesFallenSessionsEvenWhenNothingIsPublished) {
  Connection a, b;
  Connect("lead", a);
  Connect("lead", b);
  EXPECT_EQ(hub_.Revalidate(), 0);
  b.session_stands = false;
  EXPECT_EQ(hub_.Revalidate(), 1);
  EXPECT_EQ(b.closed, "signed out");
  EXPECT_TRUE(a.closed.empty());
  EXPECT_EQ(hub_.subscribers(), 1u);
}

}  // namespace
}  // namespace kith::app
