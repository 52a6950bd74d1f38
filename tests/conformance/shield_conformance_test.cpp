// Conformance of the shield override repository: every back end listed in backends.cpp must
// pass it unchanged.
#include <gtest/gtest.h>

#include "conformance/fixture.h"

namespace kith::conformance {
namespace {

using domain::ShieldOverride;
using std::chrono::hours;
using storage::Repositories;

class ShieldConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Write([](Repositories& r) {
      InsertAuthority(r);
      EXPECT_TRUE(r.Authorities().Insert({"la2", "E09000098", "Southmere", false}));
      InsertUsers(r, {"u1", "u2", "m1"});
      InsertChildren(r, {"c1", "c2"});
    });
  }

  static ShieldOverride Override(std::string id, std::string user, std::string child, TimePoint from, int length_hours,
                                 std::string authority = "la1") {
    ShieldOverride o;
    o.id = std::move(id);
    o.child_id = std::move(child);
    o.authority_id = std::move(authority);
    o.user_id = std::move(user);
    o.reason_code = domain::OverrideReason::kMissingChild;
    o.reason = "Reported missing by the school this morning";
    o.starts_at = from;
    o.ends_at = from + hours(length_hours);
    return o;
  }
};

TEST_P(ShieldConformance, InsertKeepsEveryValueAndRefusesADuplicateId) {
  auto o = Override("o1", "u1", "c1", kT0, 24);
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.ShieldOverrides().Insert(o));
    EXPECT_EQ(r.ShieldOverrides().Insert(o).error().code, ErrorCode::kConflict);
  });
  auto got = Read([](Repositories& r) { return r.ShieldOverrides().Get("o1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->child_id, "c1");
  EXPECT_EQ(got->authority_id, "la1");
  EXPECT_EQ(got->user_id, "u1");
  EXPECT_EQ(got->reason_code, domain::OverrideReason::kMissingChild);
  EXPECT_EQ(got->reason, o.reason);
  EXPECT_EQ(got->starts_at, kT0);
  EXPECT_EQ(got->ends_at, kT0 + hours(24));
  EXPECT_FALSE(got->ended_early_at);
  EXPECT_FALSE(got->reviewed_at);
  EXPECT_FALSE(Read([](Repositories& r) { return r.ShieldOverrides().Get("nope"); }));
}

TEST_P(ShieldConformance, ActiveForFindsOnlyTheUsersOverrideOfTheChildInForce) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.ShieldOverrides().Insert(Override("o1", "u1", "c1", kT0, 2)));
    EXPECT_TRUE(r.ShieldOverrides().Insert(Override("o2", "u1", "c1", kT0, 5)));
    EXPECT_TRUE(r.ShieldOverrides().Insert(Override("o3", "u2", "c2", kT0, 5)));
  });
  auto active = [&](const char* user, const char* child, TimePoint at) {
    auto o = Read([&](Repositories& r) { return r.ShieldOverrides().ActiveFor(user, child, at); });
    return o ? o->id : std::string("none");
  };
  EXPECT_EQ(active("u1", "c1", kT0), "o2");  // the one ending last
  EXPECT_EQ(active("u1", "c1", kT0 - hours(1)), "none");
  EXPECT_EQ(active("u1", "c1", kT0 + hours(5)), "none");  // the time limit is exclusive
  EXPECT_EQ(active("u1", "c2", kT0), "none");
  EXPECT_EQ(active("u2", "c1", kT0), "none");

  auto o2 = Read([](Repositories& r) { return r.ShieldOverrides().Get("o2"); });
  o2->ended_early_at = kT0 + hours(1);
  o2->ended_by = "m1";
  Write([&](Repositories& r) { EXPECT_TRUE(r.ShieldOverrides().UpdateReview(*o2)); });
  EXPECT_EQ(active("u1", "c1", kT0 + hours(1)), "o1");  // o2 ended early, o1 still runs
  EXPECT_EQ(active("u1", "c1", kT0 + hours(3)), "none");
}

TEST_P(ShieldConformance, UpdateReviewStoresTheReviewAndEarlyEnd) {
  Write([&](Repositories& r) { EXPECT_TRUE(r.ShieldOverrides().Insert(Override("o1", "u1", "c1", kT0, 24))); });
  auto o = Override("o1", "u1", "c1", kT0, 24);
  o.reviewed_at = kT0 + hours(2);
  o.reviewed_by = "m1";
  o.review_note = "Checked with the police; justified";
  o.ended_early_at = kT0 + hours(2);
  o.ended_by = "m1";
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.ShieldOverrides().UpdateReview(o));
    EXPECT_EQ(r.ShieldOverrides().UpdateReview(Override("nope", "u1", "c1", kT0, 1)).error().code,
              ErrorCode::kNotFound);
  });
  auto got = Read([](Repositories& r) { return r.ShieldOverrides().Get("o1"); });
  EXPECT_EQ(got->reviewed_at, kT0 + hours(2));
  EXPECT_EQ(got->reviewed_by, "m1");
  EXPECT_EQ(got->review_note, o.review_note);
  EXPECT_EQ(got->ended_early_at, kT0 + hours(2));
  EXPECT_EQ(got->ended_by, "m1");
  EXPECT_EQ(got->ends_at, kT0 + hours(24));  // the time limit as granted is kept
}

TEST_P(ShieldConformance, ForAuthorityListsUnreviewedAndRecentNewestFirst) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.ShieldOverrides().Insert(Override("old_unreviewed", "u1", "c1", kT0, 1)));
    auto reviewed_old = Override("old_reviewed", "u1", "c1", kT0 + hours(1), 1);
    reviewed_old.reviewed_at = kT0 + hours(2);
    reviewed_old.reviewed_by = "m1";
    reviewed_old.review_note = "Justified, checked with the lead";
    EXPECT_TRUE(r.ShieldOverrides().Insert(reviewed_old));
    auto reviewed_active = Override("reviewed_active", "u2", "c2", kT0 + hours(3), 48);
    reviewed_active.reviewed_at = kT0 + hours(4);
    reviewed_active.reviewed_by = "m1";
    reviewed_active.review_note = "Justified, checked with the lead";
    EXPECT_TRUE(r.ShieldOverrides().Insert(reviewed_active));
    EXPECT_TRUE(r.ShieldOverrides().Insert(Override("elsewhere", "u1", "c1", kT0, 1, "la2")));
  });
  auto ids = [&](TimePoint since, int limit) {
    auto list = Read([&](Repositories& r) { return r.ShieldOverrides().ForAuthority("la1", since, limit); });
    std::vector<std::string> out;
    for (const auto& o : list) out.push_back(o.id);
    return out;
  };
  EXPECT_EQ(ids(kT0 + hours(24), 10), (std::vector<std::string>{"reviewed_active", "old_unreviewed"}));
  EXPECT_EQ(ids(kT0, 10), (std::vector<std::string>{"reviewed_active", "old_reviewed", "old_unreviewed"}));
  EXPECT_EQ(ids(kT0, 1), (std::vector<std::string>{"reviewed_active"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, ShieldConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
