// Several nodes over one PostgreSQL database behave as one system (issue 16, part 2): each
// "node" here is a store of its own (its own pool of connections) with the app pieces on top,
// driven from threads at the same time.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/throttle.h"
#include "common/clock.h"
#include "storage/postgres/postgres_store.h"
#include "support/test_postgres.h"

namespace kith {
namespace {

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CreateKithDatabase(kDatabase);
    for (int i = 0; i < 2; ++i) {
      nodes_.push_back(storage::OpenPostgresStore(
          {.url = testing::AppUrl(kDatabase), .connections = 2, .apply_migrations = false}));
    }
  }
  void TearDown() override {
    nodes_.clear();
    testing::DropDatabase(kDatabase);
  }

  static constexpr const char* kDatabase = "kith_pg_cluster";
  ManualClock clock_{FromMicros(1'790'000'000'000'000)};
  std::vector<std::unique_ptr<storage::Store>> nodes_;
};

// SECURITY.md: at most 20 sign-in attempts a minute from one address. Two nodes, two threads
// each, all attempting at once from one address: 20 go ahead in all, not 20 per node.
TEST_F(ClusterTest, TheSignInLimitPerAddressHoldsAcrossNodes) {
  constexpr int kPerMinute = 20;
  std::vector<std::unique_ptr<app::AddressThrottle>> throttles;
  for (auto& node : nodes_) throttles.push_back(std::make_unique<app::AddressThrottle>(*node, clock_, kPerMinute));
  std::atomic<int> allowed{0}, refused{0};
  std::vector<std::thread> threads;
  for (auto& throttle : throttles) {
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, throttle = throttle.get()] {
        for (int i = 0; i < 15; ++i) (throttle->Attempt("10.7.7.7") ? refused : allowed)++;
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), kPerMinute);
  EXPECT_EQ(refused.load(), 60 - kPerMinute);
  // Another address is counted apart, on either node.
  EXPECT_FALSE(throttles[1]->Attempt("10.7.7.8"));
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_FALSE(throttles[0]->Attempt("10.7.7.7")) << "a minute later the address may try again";
}

}  // namespace
}  // namespace kith
