#include "pprl/token_link.h"

#include <gtest/gtest.h>

#include <set>

#include "linkage/evaluate.h"
#include "linkage/linker.h"
#include "linkage/synthetic.h"
#include "pprl/test_secret.h"

namespace kith::pprl {
namespace {

IdToken Id(uint8_t v) {
  IdToken t{};
  t[0] = v;
  return t;
}

Tokens WithIds(std::string id, std::optional<IdToken> nhs, std::optional<IdToken> upn) {
  Tokens t;
  t.record_id = std::move(id);
  t.nhs = nhs;
  t.upn = upn;
  return t;
}

TEST(TokenLink, SharedIdentifierTokensMatchAndDifferentOnesNeverJoin) {
  // r0 and r1 share an NHS token; r2 shares r1's UPN but has another NHS token than r0's: it
  // must stay apart. r3 shares r2's UPN.
  std::vector<Tokens> records = {WithIds("r0", Id(1), std::nullopt), WithIds("r1", Id(1), Id(9)),
                                 WithIds("r2", Id(2), Id(9)), WithIds("r3", std::nullopt, Id(9))};
  auto linked = LinkTokens(records, {});
  ASSERT_TRUE(linked);
  const auto& c = linked->cluster_of;
  EXPECT_EQ(c[0], c[1]);
  EXPECT_NE(c[2], c[0]);
  EXPECT_EQ(c[3], c[0]);  // joined through r1's UPN first (r0/r1 before r1/r3 by index)
  EXPECT_EQ(linked->stats.identifier_conflicts, 1u);
}

TEST(TokenLink, RefusesAThresholdOutsideZeroToOne) {
  EXPECT_FALSE(LinkTokens({}, {.threshold = 0}));
  EXPECT_FALSE(LinkTokens({}, {.threshold = 1.5}));
  auto empty = LinkTokens({}, {});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->cluster_of.empty());
}

// The accuracy target of issue 20 on a small synthetic population: linking by tokens alone
// is within 0.01 of plaintext linkage and merges no twins or siblings.
TEST(TokenLink, SyntheticChildrenLinkAlmostAsWellAsPlaintextAndNoSiblingsMerge) {
  linkage::SyntheticConfig config;
  config.records = 6'000;
  config.seed = 11;
  const auto pop = linkage::GenerateChildren(config);
  const auto truth = linkage::SyntheticTruth(pop);
  auto plain = linkage::Link(pop.records, {});
  ASSERT_TRUE(plain);
  const Encoder encoder(TestSecret());
  std::vector<Tokens> tokens;
  for (const auto& r : pop.records) tokens.push_back(encoder.Encode(r));
  auto linked = LinkTokens(tokens, {});
  ASSERT_TRUE(linked);
  const auto p = linkage::EvaluatePairwise(plain->cluster_of, truth);
  const auto t = linkage::EvaluatePairwise(linked->cluster_of, truth);
  EXPECT_GT(t.f1, p.f1 - 0.01) << "plaintext " << p.f1 << ", tokens " << t.f1;
  size_t merged = 0;
  std::vector<std::set<uint32_t>> children(linked->stats.clusters);
  for (size_t i = 0; i < tokens.size(); ++i) children[linked->cluster_of[i]].insert(pop.child_of[i]);
  for (const auto& members : children) {
    for (auto a = members.begin(); a != members.end(); ++a) {
      for (auto b = std::next(a); b != members.end(); ++b) {
        merged += pop.children[*a].family == pop.children[*b].family;
      }
    }
  }
  EXPECT_EQ(merged, 0u);
}

}  // namespace
}  // namespace kith::pprl
