#include "app/rate_limiter.h"

#include <gtest/gtest.h>

namespace kith::app {
namespace {

using std::chrono::seconds;

constexpr RateLimit kThreeAMinute{"test.three", 3, seconds(60)};

class RateLimiterTest : public ::testing::Test {
 protected:
  ManualClock clock_{FromMicros(1'800'000'000'000'000)};
  MemoryRateLimiter limiter_{clock_};
};

TEST_F(RateLimiterTest, TakeAllowsTheCountThenSaysHowLongToWait) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter_.Take(kThreeAMinute, "a"), std::nullopt) << i;
    clock_.Advance(seconds(10));
  }
  // Events at 0, 10 and 20 s; now 30 s: the first leaves the window at 60 s.
  EXPECT_EQ(limiter_.Take(kThreeAMinute, "a"), seconds(30));
  EXPECT_EQ(limiter_.Check(kThreeAMinute, "a"), seconds(30));
  EXPECT_EQ(limiter_.Take(kThreeAMinute, "b"), std::nullopt) << "keys are counted apart";
  clock_.Advance(seconds(29));
  EXPECT_EQ(limiter_.Take(kThreeAMinute, "a"), seconds(1));
  clock_.Advance(seconds(1));
  EXPECT_EQ(limiter_.Take(kThreeAMinute, "a"), std::nullopt) << "a refused attempt was not counted";
  EXPECT_EQ(limiter_.Take(kThreeAMinute, "a"), seconds(10));
}

TEST_F(RateLimiterTest, LimitsWithTheSameKeyAreApart) {
  constexpr RateLimit kOther{"test.other", 1, seconds(60)};
  EXPECT_EQ(limiter_.Take(kOther, "a"), std::nullopt);
  EXPECT_EQ(limiter_.Take(kThreeAMinute, "a"), std::nullopt);
  EXPECT_EQ(limiter_.Take(kOther, "a"), seconds(60));
}

TEST_F(RateLimiterTest, AddCountsFailuresAndResetForgetsThem) {
  for (int i = 0; i < 5; ++i) limiter_.Add(kThreeAMinute, "pair");
  EXPECT_EQ(limiter_.Check(kThreeAMinute, "pair"), seconds(60));
  limiter_.Reset(kThreeAMinute, "pair");
  EXPECT_EQ(limiter_.Check(kThreeAMinute, "pair"), std::nullopt);
  EXPECT_EQ(limiter_.Check(kThreeAMinute, "never"), std::nullopt);
  EXPECT_EQ(limiter_.Keys(), 0u) << "Check creates nothing";
}

TEST_F(RateLimiterTest, ResetPrefixForgetsEveryMatchingKeyOfThatLimitOnly) {
  constexpr RateLimit kOther{"test.other", 1, seconds(60)};
  for (const char* key : {"ann\n10.0.0.1", "ann\n10.0.0.2", "anna\n10.0.0.1"}) {
    for (int i = 0; i < 3; ++i) limiter_.Add(kThreeAMinute, key);
  }
  limiter_.Add(kOther, "ann\n10.0.0.1");
  limiter_.ResetPrefix(kThreeAMinute, "ann\n");
  EXPECT_EQ(limiter_.Check(kThreeAMinute, "ann\n10.0.0.1"), std::nullopt);
  EXPECT_EQ(limiter_.Check(kThreeAMinute, "ann\n10.0.0.2"), std::nullopt);
  EXPECT_EQ(limiter_.Check(kThreeAMinute, "anna\n10.0.0.1"), seconds(60));
  EXPECT_EQ(limiter_.Check(kOther, "ann\n10.0.0.1"), seconds(60));
}

TEST_F(RateLimiterTest, IdleKeysAreSweptAway) {
  for (int i = 0; i < 100; ++i) limiter_.Take(kThreeAMinute, "k" + std::to_string(i));
  EXPECT_EQ(limiter_.Keys(), 100u);
  clock_.Advance(seconds(61));
  limiter_.Take(kThreeAMinute, "new");
  EXPECT_EQ(limiter_.Keys(), 1u);
}

TEST_F(RateLimiterTest, AFullLimiterRefusesNewKeysRatherThanForgetCounts) {
  MemoryRateLimiter small(clock_, 2);
  EXPECT_EQ(small.Take(kThreeAMinute, "a"), std::nullopt);
  EXPECT_EQ(small.Take(kThreeAMinute, "b"), std::nullopt);
  EXPECT_EQ(small.Take(kThreeAMinute, "c"), seconds(60)) << "no room: refused";
  EXPECT_EQ(small.Take(kThreeAMinute, "a"), std::nullopt) << "known keys still count";
  clock_.Advance(seconds(61));
  EXPECT_EQ(small.Take(kThreeAMinute, "c"), std::nullopt) << "room again once others expired";
}

}  // namespace
}  // namespace kith::app
