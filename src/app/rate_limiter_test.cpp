#include "app/rate_limiter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/store_rate_limiter.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith::app {
namespace {

using std::chrono::seconds;

constexpr RateLimit kThreeAMinute{"test.three", 3, seconds(60)};

// Every RateLimiter behaves alike: these run over the one in memory and the one in the
// database (StoreRateLimiter, here over SQLite; the conformance suite checks its repository on
// PostgreSQL too, and tests/postgres/cluster_test.cpp several nodes at once).
class RateLimiterTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      limiter_ = std::make_unique<MemoryRateLimiter>(clock_);
      return;
    }
    dir_ = std::filesystem::temp_directory_path() / ("kith-limiter-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = storage::OpenSqliteStore({.path = (dir_ / "kith.db").string(), .readers = 1});
    limiter_ = std::make_unique<StoreRateLimiter>(*store_, clock_);
  }
  void TearDown() override {
    limiter_.reset();
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  ManualClock clock_{FromMicros(1'800'000'000'000'000)};
  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<RateLimiter> limiter_;
};

INSTANTIATE_TEST_SUITE_P(Limiters, RateLimiterTest, ::testing::Values("memory", "store"),
                         [](const auto& param_info) { return std::string(param_info.param); });

class MemoryRateLimiterTest : public ::testing::Test {
 protected:
  ManualClock clock_{FromMicros(1'800'000'000'000'000)};
  MemoryRateLimiter limiter_{clock_};
};

TEST_P(RateLimiterTest, TakeAllowsTheCountThenSaysHowLongToWait) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter_->Take(kThreeAMinute, "a"), std::nullopt) << i;
    clock_.Advance(seconds(10));
  }
  // Events at 0, 10 and 20 s; now 30 s: the first leaves the window at 60 s.
  EXPECT_EQ(limiter_->Take(kThreeAMinute, "a"), seconds(30));
  EXPECT_EQ(limiter_->Check(kThreeAMinute, "a"), seconds(30));
  EXPECT_EQ(limiter_->Take(kThreeAMinute, "b"), std::nullopt) << "keys are counted apart";
  clock_.Advance(seconds(29));
  EXPECT_EQ(limiter_->Take(kThreeAMinute, "a"), seconds(1));
  clock_.Advance(seconds(1));
  EXPECT_EQ(limiter_->Take(kThreeAMinute, "a"), std::nullopt) << "a refused attempt was not counted";
  EXPECT_EQ(limiter_->Take(kThreeAMinute, "a"), seconds(10));
}

TEST_P(RateLimiterTest, LimitsWithTheSameKeyAreApart) {
  constexpr RateLimit kOther{"test.other", 1, seconds(60)};
  EXPECT_EQ(limiter_->Take(kOther, "a"), std::nullopt);
  EXPECT_EQ(limiter_->Take(kThreeAMinute, "a"), std::nullopt);
  EXPECT_EQ(limiter_->Take(kOther, "a"), seconds(60));
}

TEST_P(RateLimiterTest, AddCountsFailuresAndResetForgetsThem) {
  for (int i = 0; i < 5; ++i) limiter_->Add(kThreeAMinute, "pair");
  EXPECT_EQ(limiter_->Check(kThreeAMinute, "pair"), seconds(60));
  limiter_->Reset(kThreeAMinute, "pair");
  EXPECT_EQ(limiter_->Check(kThreeAMinute, "pair"), std::nullopt);
  EXPECT_EQ(limiter_->Check(kThreeAMinute, "never"), std::nullopt);
}

TEST_P(RateLimiterTest, ResetPrefixForgetsEveryMatchingKeyOfThatLimitOnly) {
  constexpr RateLimit kOther{"test.other", 1, seconds(60)};
  for (const char* key : {"ann\n10.0.0.1", "ann\n10.0.0.2", "anna\n10.0.0.1"}) {
    for (int i = 0; i < 3; ++i) limiter_->Add(kThreeAMinute, key);
  }
  limiter_->Add(kOther, "ann\n10.0.0.1");
  limiter_->ResetPrefix(kThreeAMinute, "ann\n");
  EXPECT_EQ(limiter_->Check(kThreeAMinute, "ann\n10.0.0.1"), std::nullopt);
  EXPECT_EQ(limiter_->Check(kThreeAMinute, "ann\n10.0.0.2"), std::nullopt);
  EXPECT_EQ(limiter_->Check(kThreeAMinute, "anna\n10.0.0.1"), seconds(60));
  EXPECT_EQ(limiter_->Check(kOther, "ann\n10.0.0.1"), seconds(60));
}

TEST_F(MemoryRateLimiterTest, IdleKeysAreSweptAway) {
  for (int i = 0; i < 100; ++i) limiter_.Take(kThreeAMinute, "k" + std::to_string(i));
  EXPECT_EQ(limiter_.Keys(), 100u);
  clock_.Advance(seconds(61));
  limiter_.Take(kThreeAMinute, "new");
  EXPECT_EQ(limiter_.Keys(), 1u);
}

TEST_F(MemoryRateLimiterTest, AFullLimiterRefusesNewKeysRatherThanForgetCounts) {
  MemoryRateLimiter small(clock_, 2);
  EXPECT_EQ(small.Take(kThreeAMinute, "a"), std::nullopt);
  EXPECT_EQ(small.Take(kThreeAMinute, "b"), std::nullopt);
  EXPECT_EQ(small.Take(kThreeAMinute, "c"), seconds(60)) << "no room: refused";
  EXPECT_EQ(small.Take(kThreeAMinute, "a"), std::nullopt) << "known keys still count";
  clock_.Advance(seconds(61));
  EXPECT_EQ(small.Take(kThreeAMinute, "c"), std::nullopt) << "room again once others expired";
}

TEST_F(MemoryRateLimiterTest, CheckCreatesNothing) {
  EXPECT_EQ(limiter_.Check(kThreeAMinute, "never"), std::nullopt);
  EXPECT_EQ(limiter_.Keys(), 0u);
}

// Two nodes over one database (two StoreRateLimiters over one store) count the same events:
// three a minute in all, not three from each; a reset on one is a reset on both.
TEST(StoreRateLimiterTest, NodesOverOneDatabaseShareTheirCounts) {
  const auto dir = std::filesystem::temp_directory_path() / ("kith-limiter-shared-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    ManualClock clock{FromMicros(1'800'000'000'000'000)};
    auto store = storage::OpenSqliteStore({.path = (dir / "kith.db").string(), .readers = 1});
    StoreRateLimiter one(*store, clock), two(*store, clock);
    EXPECT_EQ(one.Take(kThreeAMinute, "10.0.0.1"), std::nullopt);
    EXPECT_EQ(two.Take(kThreeAMinute, "10.0.0.1"), std::nullopt);
    clock.Advance(seconds(5));
    EXPECT_EQ(one.Take(kThreeAMinute, "10.0.0.1"), std::nullopt);
    EXPECT_EQ(two.Take(kThreeAMinute, "10.0.0.1"), seconds(55));
    EXPECT_EQ(one.Check(kThreeAMinute, "10.0.0.1"), seconds(55));
    // Failures added beyond the count are kept to the newest `count`: still a full window.
    for (int i = 0; i < 10; ++i) two.Add(kThreeAMinute, "pair");
    EXPECT_EQ(one.Check(kThreeAMinute, "pair"), seconds(60));
    one.Reset(kThreeAMinute, "pair");
    EXPECT_EQ(two.Check(kThreeAMinute, "pair"), std::nullopt);
    clock.Advance(seconds(55));
    EXPECT_EQ(two.Take(kThreeAMinute, "10.0.0.1"), std::nullopt) << "the first two have left the window";
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kith::app
