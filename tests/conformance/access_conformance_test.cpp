// Conformance of the repositories of access beyond the team — break-glass and requests to join
// a team: every back end listed in backends.cpp must pass it unchanged.
#include <gtest/gtest.h>

#include "conformance/fixture.h"

namespace kith::conformance {
namespace {

using domain::BreakGlass;
using domain::JoinRequest;
using domain::JoinRequestStatus;
using std::chrono::hours;
using storage::Repositories;

class BreakGlassConformance : public ConformanceTest {
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

  static BreakGlass Glass(std::string id, std::string user, std::string child, TimePoint from, int length_hours,
                          std::string authority = "la1") {
    BreakGlass o;
    o.id = std::move(id);
    o.child_id = std::move(child);
    o.authority_id = std::move(authority);
    o.user_id = std::move(user);
    o.reason_code = domain::BreakGlassReason::kMissingChild;
    o.reason = "Reported missing by the school this morning";
    o.starts_at = from;
    o.ends_at = from + hours(length_hours);
    return o;
  }
};

TEST_P(BreakGlassConformance, InsertKeepsEveryValueAndRefusesADuplicateId) {
  auto o = Glass("o1", "u1", "c1", kT0, 24);
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.BreakGlass().Insert(o));
    EXPECT_EQ(r.BreakGlass().Insert(o).error().code, ErrorCode::kConflict);
  });
  auto got = Read([](Repositories& r) { return r.BreakGlass().Get("o1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->child_id, "c1");
  EXPECT_EQ(got->authority_id, "la1");
  EXPECT_EQ(got->user_id, "u1");
  EXPECT_EQ(got->reason_code, domain::BreakGlassReason::kMissingChild);
  EXPECT_EQ(got->reason, o.reason);
  EXPECT_EQ(got->starts_at, kT0);
  EXPECT_EQ(got->ends_at, kT0 + hours(24));
  EXPECT_FALSE(got->ended_early_at);
  EXPECT_FALSE(got->reviewed_at);
  EXPECT_FALSE(got->justified);
  EXPECT_FALSE(Read([](Repositories& r) { return r.BreakGlass().Get("nope"); }));
}

TEST_P(BreakGlassConformance, ActiveForFindsOnlyTheUsersOverrideOfTheChildInForce) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.BreakGlass().Insert(Glass("o1", "u1", "c1", kT0, 2)));
    EXPECT_TRUE(r.BreakGlass().Insert(Glass("o2", "u1", "c1", kT0, 5)));
    EXPECT_TRUE(r.BreakGlass().Insert(Glass("o3", "u2", "c2", kT0, 5)));
  });
  auto active = [&](const char* user, const char* child, TimePoint at) {
    auto o = Read([&](Repositories& r) { return r.BreakGlass().ActiveFor(user, child, at); });
    return o ? o->id : std::string("none");
  };
  EXPECT_EQ(active("u1", "c1", kT0), "o2");  // the one ending last
  EXPECT_EQ(active("u1", "c1", kT0 - hours(1)), "none");
  EXPECT_EQ(active("u1", "c1", kT0 + hours(5)), "none");  // the time limit is exclusive
  EXPECT_EQ(active("u1", "c2", kT0), "none");
  EXPECT_EQ(active("u2", "c1", kT0), "none");

  auto o2 = Read([](Repositories& r) { return r.BreakGlass().Get("o2"); });
  o2->ended_early_at = kT0 + hours(1);
  o2->ended_by = "m1";
  Write([&](Repositories& r) { EXPECT_TRUE(r.BreakGlass().UpdateReview(*o2)); });
  EXPECT_EQ(active("u1", "c1", kT0 + hours(1)), "o1");  // o2 ended early, o1 still runs
  EXPECT_EQ(active("u1", "c1", kT0 + hours(3)), "none");
}

TEST_P(BreakGlassConformance, UpdateReviewStoresTheReviewAndEarlyEnd) {
  Write([&](Repositories& r) { EXPECT_TRUE(r.BreakGlass().Insert(Glass("o1", "u1", "c1", kT0, 24))); });
  auto o = Glass("o1", "u1", "c1", kT0, 24);
  o.reviewed_at = kT0 + hours(2);
  o.reviewed_by = "m1";
  o.review_note = "Checked with the police; justified";
  o.justified = false;
  o.ended_early_at = kT0 + hours(2);
  o.ended_by = "m1";
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.BreakGlass().UpdateReview(o));
    EXPECT_EQ(r.BreakGlass().UpdateReview(Glass("nope", "u1", "c1", kT0, 1)).error().code, ErrorCode::kNotFound);
  });
  auto got = Read([](Repositories& r) { return r.BreakGlass().Get("o1"); });
  EXPECT_EQ(got->reviewed_at, kT0 + hours(2));
  EXPECT_EQ(got->reviewed_by, "m1");
  EXPECT_EQ(got->review_note, o.review_note);
  EXPECT_EQ(got->justified, false);  // a verdict of "not justified" is kept, not lost as absent
  EXPECT_EQ(got->ended_early_at, kT0 + hours(2));
  EXPECT_EQ(got->ended_by, "m1");
  EXPECT_EQ(got->ends_at, kT0 + hours(24));  // the time limit as granted is kept
}

TEST_P(BreakGlassConformance, ForAuthorityListsUnreviewedAndRecentNewestFirst) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.BreakGlass().Insert(Glass("old_unreviewed", "u1", "c1", kT0, 1)));
    auto reviewed_old = Glass("old_reviewed", "u1", "c1", kT0 + hours(1), 1);
    reviewed_old.reviewed_at = kT0 + hours(2);
    reviewed_old.reviewed_by = "m1";
    reviewed_old.review_note = "Justified, checked with the lead";
    EXPECT_TRUE(r.BreakGlass().Insert(reviewed_old));
    auto reviewed_active = Glass("reviewed_active", "u2", "c2", kT0 + hours(3), 48);
    reviewed_active.reviewed_at = kT0 + hours(4);
    reviewed_active.reviewed_by = "m1";
    reviewed_active.review_note = "Justified, checked with the lead";
    EXPECT_TRUE(r.BreakGlass().Insert(reviewed_active));
    EXPECT_TRUE(r.BreakGlass().Insert(Glass("elsewhere", "u1", "c1", kT0, 1, "la2")));
  });
  auto ids = [&](TimePoint since, int limit) {
    auto list = Read([&](Repositories& r) { return r.BreakGlass().ForAuthority("la1", since, limit); });
    std::vector<std::string> out;
    for (const auto& o : list) out.push_back(o.id);
    return out;
  };
  EXPECT_EQ(ids(kT0 + hours(24), 10), (std::vector<std::string>{"reviewed_active", "old_unreviewed"}));
  EXPECT_EQ(ids(kT0, 10), (std::vector<std::string>{"reviewed_active", "old_reviewed", "old_unreviewed"}));
  EXPECT_EQ(ids(kT0, 1), (std::vector<std::string>{"reviewed_active"}));
}

class JoinRequestConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Write([](Repositories& r) {
      InsertAuthority(r);
      EXPECT_TRUE(r.Authorities().Insert({"la2", "E09000098", "Southmere", false}));
      InsertUsers(r, {"u1", "u2", "lead"});
      InsertChildren(r, {"c1", "c2"});
    });
  }

  static JoinRequest Request(std::string id, std::string user, std::string child, TimePoint at,
                             std::string authority = "la1") {
    JoinRequest q;
    q.id = std::move(id);
    q.child_id = std::move(child);
    q.authority_id = std::move(authority);
    q.user_id = std::move(user);
    q.role = "School nurse";
    q.reason = "Named as the school nurse in the health plan";
    q.created_at = at;
    return q;
  }

  static std::vector<std::string> Ids(const std::vector<JoinRequest>& list) {
    std::vector<std::string> out;
    for (const auto& q : list) out.push_back(q.id);
    return out;
  }
};

TEST_P(JoinRequestConformance, InsertKeepsEveryValueAndRefusesADuplicateId) {
  auto q = Request("j1", "u1", "c1", kT0);
  auto automatic = Request("j2", "u2", "c1", kT0 + hours(1));
  automatic.status = JoinRequestStatus::kApproved;
  automatic.automatic = true;
  automatic.decided_at = kT0 + hours(1);
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.JoinRequests().Insert(q));
    EXPECT_TRUE(r.JoinRequests().Insert(automatic));
    EXPECT_EQ(r.JoinRequests().Insert(q).error().code, ErrorCode::kConflict);
  });
  auto got = Read([](Repositories& r) { return r.JoinRequests().Get("j1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->child_id, "c1");
  EXPECT_EQ(got->authority_id, "la1");
  EXPECT_EQ(got->user_id, "u1");
  EXPECT_EQ(got->role, "School nurse");
  EXPECT_EQ(got->reason, q.reason);
  EXPECT_EQ(got->created_at, kT0);
  EXPECT_EQ(got->status, JoinRequestStatus::kPending);
  EXPECT_FALSE(got->automatic);
  EXPECT_FALSE(got->decided_at);
  EXPECT_FALSE(got->escalated_at);
  auto got2 = Read([](Repositories& r) { return r.JoinRequests().Get("j2"); });
  EXPECT_EQ(got2->status, JoinRequestStatus::kApproved);
  EXPECT_TRUE(got2->automatic);
  EXPECT_EQ(got2->decided_at, kT0 + hours(1));
  EXPECT_FALSE(Read([](Repositories& r) { return r.JoinRequests().Get("nope"); }));
}

TEST_P(JoinRequestConformance, ListsByChildUserAndPendingInAuthority) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.JoinRequests().Insert(Request("j1", "u1", "c1", kT0)));
    EXPECT_TRUE(r.JoinRequests().Insert(Request("j2", "u2", "c1", kT0 + hours(1))));
    auto decided = Request("j3", "u1", "c2", kT0 + hours(2));
    decided.status = JoinRequestStatus::kDeclined;
    decided.decided_by = "lead";
    decided.decided_at = kT0 + hours(3);
    decided.decision_reason = "Not involved with this child";
    EXPECT_TRUE(r.JoinRequests().Insert(decided));
    EXPECT_TRUE(r.JoinRequests().Insert(Request("j4", "u1", "c2", kT0 + hours(4), "la2")));
  });
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.JoinRequests().ForChild("c1", 10); })),
            (std::vector<std::string>{"j2", "j1"}));
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.JoinRequests().ForChild("c1", 1); })),
            (std::vector<std::string>{"j2"}));
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.JoinRequests().ForUser("u1", 10); })),
            (std::vector<std::string>{"j4", "j3", "j1"}));
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.JoinRequests().PendingInAuthority("la1", 10); })),
            (std::vector<std::string>{"j1", "j2"}));
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.JoinRequests().PendingInAuthority("la2", 10); })),
            (std::vector<std::string>{"j4"}));
}

TEST_P(JoinRequestConformance, UpdateStoresADecisionOnlyWhilePending) {
  Write([&](Repositories& r) { EXPECT_TRUE(r.JoinRequests().Insert(Request("j1", "u1", "c1", kT0))); });
  auto q = Request("j1", "u1", "c1", kT0);
  q.status = JoinRequestStatus::kApproved;
  q.decided_by = "lead";
  q.decided_at = kT0 + hours(1);
  q.decision_reason = "Known to the school nursing team";
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.JoinRequests().Update(q));
    // Someone else deciding the same request afterwards is told it is no longer pending.
    auto late = q;
    late.status = JoinRequestStatus::kDeclined;
    late.decided_by = "u2";
    EXPECT_EQ(r.JoinRequests().Update(late).error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.JoinRequests().Update(Request("nope", "u1", "c1", kT0)).error().code, ErrorCode::kNotFound);
  });
  auto got = Read([](Repositories& r) { return r.JoinRequests().Get("j1"); });
  EXPECT_EQ(got->status, JoinRequestStatus::kApproved);
  EXPECT_EQ(got->decided_by, "lead");
  EXPECT_EQ(got->decided_at, kT0 + hours(1));
  EXPECT_EQ(got->decision_reason, "Known to the school nursing team");
  EXPECT_TRUE(Read([](Repositories& r) { return r.JoinRequests().PendingInAuthority("la1", 10); }).empty());
}

TEST_P(JoinRequestConformance, DueForEscalationFindsOldPendingRequestsNotYetEscalated) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.JoinRequests().Insert(Request("old", "u1", "c1", kT0)));
    EXPECT_TRUE(r.JoinRequests().Insert(Request("new", "u2", "c1", kT0 + hours(30))));
    EXPECT_TRUE(r.JoinRequests().Insert(Request("other_la", "u1", "c2", kT0 + hours(1), "la2")));
  });
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.JoinRequests().DueForEscalation(kT0 + hours(24), 10); })),
            (std::vector<std::string>{"old", "other_la"}));
  auto old = Read([](Repositories& r) { return r.JoinRequests().Get("old"); });
  old->escalated_at = kT0 + hours(24);
  Write([&](Repositories& r) { EXPECT_TRUE(r.JoinRequests().Update(*old)); });
  auto got = Read([](Repositories& r) { return r.JoinRequests().Get("old"); });
  EXPECT_EQ(got->status, JoinRequestStatus::kPending);  // still waiting for a decision
  EXPECT_EQ(got->escalated_at, kT0 + hours(24));
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.JoinRequests().DueForEscalation(kT0 + hours(48), 10); })),
            (std::vector<std::string>{"other_la", "new"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, JoinRequestConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

INSTANTIATE_TEST_SUITE_P(Backends, BreakGlassConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
