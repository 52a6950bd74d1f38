// Several nodes over one PostgreSQL database behave as one system (issue 16, part 2): each
// "node" here is a store of its own (its own pool of connections) with the app pieces on top,
// driven from threads at the same time.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/store_rate_limiter.h"
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

// SECURITY.md: at most 20 sign-in attempts a minute from one address (the sign-in route's
// limit, http/pipeline.cpp). Two nodes, two threads each, all taking at once for one address:
// 20 go ahead in all, not 20 per node.
TEST_F(ClusterTest, ARateLimitHoldsAcrossNodes) {
  constexpr app::RateLimit kSignIn{"route.sign-in", 20, std::chrono::minutes(1)};
  std::vector<std::unique_ptr<app::StoreRateLimiter>> limiters;
  for (auto& node : nodes_) limiters.push_back(std::make_unique<app::StoreRateLimiter>(*node, clock_));
  std::atomic<int> allowed{0}, refused{0};
  std::vector<std::thread> threads;
  for (auto& limiter : limiters) {
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, limiter = limiter.get()] {
        for (int i = 0; i < 15; ++i) (limiter->Take(kSignIn, "10.7.7.7") ? refused : allowed)++;
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), kSignIn.count);
  EXPECT_EQ(refused.load(), 60 - kSignIn.count);
  EXPECT_EQ(limiters[0]->Check(kSignIn, "10.7.7.7"), std::chrono::seconds(60));
  EXPECT_FALSE(limiters[1]->Take(kSignIn, "10.7.7.8")) << "another address is counted apart, on either node";
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_FALSE(limiters[0]->Take(kSignIn, "10.7.7.7")) << "a minute later the address may try again";
}

}  // namespace
}  // namespace kith
