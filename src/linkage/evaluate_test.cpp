#include "linkage/evaluate.h"

#include <gtest/gtest.h>

namespace kith::linkage {
namespace {

TEST(EvaluateTest, CountsPairsThroughIntersections) {
  // Truth: {0,1,2} and {3,4}. Predicted: {0,1} {2,3,4}.
  const std::vector<std::string> truth = {"a", "a", "a", "b", "b"};
  const std::vector<uint32_t> clusters = {0, 0, 1, 1, 1};
  const PairwiseMetrics m = EvaluatePairwise(clusters, truth);
  EXPECT_EQ(m.true_pairs, 4u);       // 3 + 1
  EXPECT_EQ(m.predicted_pairs, 4u);  // 1 + 3
  EXPECT_EQ(m.true_positives, 2u);   // (0,1) and (3,4)
  EXPECT_DOUBLE_EQ(m.precision, 0.5);
  EXPECT_DOUBLE_EQ(m.recall, 0.5);
  EXPECT_DOUBLE_EQ(m.f1, 0.5);
}

TEST(EvaluateTest, UnlabelledRecordsShareNothing) {
  const PairwiseMetrics m = EvaluatePairwise({0, 0}, {"", ""});
  EXPECT_EQ(m.true_pairs, 0u);
  EXPECT_EQ(m.predicted_pairs, 1u);
  EXPECT_DOUBLE_EQ(m.precision, 0.0);
  EXPECT_DOUBLE_EQ(m.recall, 1.0);
}

TEST(EvaluateTest, FebrlEntity) {
  EXPECT_EQ(FebrlEntity("rec-12-org"), "12");
  EXPECT_EQ(FebrlEntity("rec-12-dup-3"), "12");
  EXPECT_EQ(FebrlEntity("rec-12-copy"), "rec-12-copy");
  EXPECT_EQ(FebrlEntity("Q1-1"), "Q1-1");
}

}  // namespace
}  // namespace kith::linkage
