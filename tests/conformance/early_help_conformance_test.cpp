// Conformance of the early help repository: every back end listed in backends.cpp must pass it
// unchanged.
#include <gtest/gtest.h>

#include <filesystem>

#include "conformance/fixture.h"

namespace kith::conformance {
namespace {

namespace eh = domain::early_help;
using storage::Repositories;

const TimePoint kT0 = FromMicros(1'790'000'000'000'000);
const Date kToday{2026, 11, 20};

class EarlyHelpConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Write([](Repositories& r) {
      InsertAuthority(r);
      InsertUsers(r, {"u1", "u2"});
      InsertChildren(r, {"c1", "c2"});
    });
  }

  std::optional<eh::Assessment> Get(const std::string& id) {
    return store_->ReadValue([&](Repositories& r) { return r.EarlyHelp().Get(id); });
  }

  // An assessment with every part filled: two versions (one locked), a meeting, two actions, a
  // review, a handover and a closure.
  static eh::Assessment Full() {
    eh::Content c;
    c.consent = {"Sarah Hart, mother", Date{2026, 11, 2}, ""};
    c.elements = {{"health", "Well", "Dentist", "Fine"}, {"wider_family", "Gran nearby", "", "Gran helps"}};
    c.child_view = "I like art.";
    c.parents_view = "Mornings are hard.";
    c.conclusion = "Routines.";
    c.agreed_needs = {{"N1", "Attendance"}, {"N2", "Dentist"}};
    auto a = *eh::Start("H1", "c1", "u1", c, "u1", kT0, kToday);
    EXPECT_TRUE(eh::Complete(a, "u1", kT0 + std::chrono::seconds(1)));
    EXPECT_TRUE(eh::HoldMeeting(a, {"M1", {2026, 11, 10}, {"u1, teacher", "Sarah Hart"}, "Chart", "u1", kT0}, kToday));
    eh::Action x{"X1", "Routine chart",   "u2", {2026, 11, 15}, eh::ActionStatus::kInProgress, "N1", "M1", kT0,
                 kT0,  Date{2026, 11, 16}};
    EXPECT_TRUE(eh::AddAction(a, x));
    x.id = "X2";
    x.need_id = "";
    x.overdue_alerted_on.reset();
    EXPECT_TRUE(eh::AddAction(a, x));
    EXPECT_TRUE(eh::RecordReview(a,
                                 {"R1",
                                  {2026, 11, 18},
                                  {{"N1", eh::Progress::kSomeProgress, "88%"}, {"N2", eh::Progress::kMet, ""}},
                                  0,
                                  "Ok",
                                  "u2",
                                  kT0},
                                 kToday));
    EXPECT_TRUE(eh::HandOver(a, "u2", "u1", "Going on leave", kT0));
    EXPECT_TRUE(eh::StartNewVersion(a, "u2", kT0));
    return a;
  }
};

TEST_P(EarlyHelpConformance, AnAssessmentRoundTripsEveryField) {
  const auto a = Full();
  Write([&](Repositories& r) { EXPECT_TRUE(r.EarlyHelp().Insert(a)); });
  auto got = Get("H1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->revision, 1);
  EXPECT_EQ(got->child_id, "c1");
  EXPECT_EQ(got->stage, eh::Stage::kReview);
  EXPECT_EQ(got->lead_id, "u2");
  EXPECT_EQ(got->opened_at, kT0);
  ASSERT_EQ(got->lead_history.size(), 2u);
  EXPECT_EQ(got->lead_history[1].reason, "Going on leave");
  ASSERT_EQ(got->versions.size(), 2u);
  const auto& v1 = got->versions[0];
  EXPECT_TRUE(v1.locked);
  EXPECT_EQ(v1.completed_at, kT0 + std::chrono::seconds(1));
  EXPECT_EQ(v1.content.consent.given_by, "Sarah Hart, mother");
  EXPECT_EQ(v1.content.consent.given_on, (Date{2026, 11, 2}));
  ASSERT_EQ(v1.content.elements.size(), 2u);
  EXPECT_EQ(v1.content.elements[1].family_view, "Gran helps");
  EXPECT_EQ(v1.content.parents_view, "Mornings are hard.");
  EXPECT_EQ(v1.content.agreed_needs[1].text, "Dentist");
  EXPECT_FALSE(got->versions[1].locked);
  EXPECT_FALSE(got->versions[1].completed_at);
  ASSERT_EQ(got->meetings.size(), 1u);
  EXPECT_EQ(got->meetings[0].attendees[1], "Sarah Hart");
  ASSERT_EQ(got->actions.size(), 2u);
  EXPECT_EQ(got->actions[0].status, eh::ActionStatus::kInProgress);
  EXPECT_EQ(got->actions[0].overdue_alerted_on, (Date{2026, 11, 16}));
  EXPECT_EQ(got->actions[1].need_id, "");
  ASSERT_EQ(got->reviews.size(), 1u);
  EXPECT_EQ(got->reviews[0].progress[0].progress, eh::Progress::kSomeProgress);
  EXPECT_EQ(got->reviews[0].progress[0].note, "88%");
  EXPECT_FALSE(got->outcome);
}

TEST_P(EarlyHelpConformance, InsertRefusesADuplicateId) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.EarlyHelp().Insert(Full()));
    EXPECT_EQ(r.EarlyHelp().Insert(Full()).error().code, ErrorCode::kConflict);
  });
}

TEST_P(EarlyHelpConformance, UpdateChecksTheRevisionAndKeepsHistory) {
  Write([&](Repositories& r) { EXPECT_TRUE(r.EarlyHelp().Insert(Full())); });
  auto a = *Get("H1");
  auto edited = a.versions[1].content;
  edited.conclusion = "Routines and housing.";
  ASSERT_TRUE(eh::EditDraft(a, edited, kToday));
  ASSERT_TRUE(eh::Complete(a, "u2", kT0));
  ASSERT_TRUE(eh::SetActionStatus(a, "X1", eh::ActionStatus::kDone, kT0 + std::chrono::seconds(9)));
  ASSERT_TRUE(eh::Close(a, eh::Outcome::kNeedsMet, "All met", "u2", kT0 + std::chrono::seconds(10)));
  // Changing a stored locked version is ignored: history is never rewritten.
  a.versions[0].content.conclusion = "Rewritten";
  Write([&](Repositories& r) { EXPECT_TRUE(r.EarlyHelp().Update(a)); });
  auto got = *Get("H1");
  EXPECT_EQ(got.revision, 2);
  EXPECT_EQ(got.stage, eh::Stage::kClosed);
  EXPECT_EQ(got.outcome, eh::Outcome::kNeedsMet);
  EXPECT_EQ(got.closure_summary, "All met");
  EXPECT_EQ(got.closed_at, kT0 + std::chrono::seconds(10));
  EXPECT_EQ(got.versions[0].content.conclusion, "Routines.");
  EXPECT_TRUE(got.versions[1].locked);
  EXPECT_EQ(got.versions[1].content.conclusion, "Routines and housing.");
  EXPECT_EQ(got.actions[0].status, eh::ActionStatus::kDone);
  EXPECT_FALSE(got.actions[0].overdue_alerted_on);
  // The first writer wins; a second writer with the old revision is told it is stale.
  Write([&](Repositories& r) { EXPECT_EQ(r.EarlyHelp().Update(a).error().code, ErrorCode::kConflict); });
  a.id = "H9";
  Write([&](Repositories& r) { EXPECT_EQ(r.EarlyHelp().Update(a).error().code, ErrorCode::kNotFound); });
}

TEST_P(EarlyHelpConformance, ForChildIsNewestFirstAndOnlyThatChilds) {
  auto first = Full();
  auto second = Full();
  second.id = "H2";
  second.opened_at = kT0 + std::chrono::hours(1);
  auto other = Full();
  other.id = "H3";
  other.child_id = "c2";
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.EarlyHelp().Insert(first));
    EXPECT_TRUE(r.EarlyHelp().Insert(second));
    EXPECT_TRUE(r.EarlyHelp().Insert(other));
  });
  auto list = store_->ReadValue([](Repositories& r) { return r.EarlyHelp().ForChild("c1"); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, "H2");
  EXPECT_EQ(list[1].id, "H1");
  EXPECT_EQ(list[1].actions.size(), 2u);
  EXPECT_TRUE(store_->ReadValue([](Repositories& r) { return r.EarlyHelp().ForChild("c9"); }).empty());
}

TEST_P(EarlyHelpConformance, OverdueActionsNotYetAlertedOfOpenAssessments) {
  auto a = Full();  // X1 alerted already, X2 not; both due 2026-11-15
  auto closed = Full();
  closed.id = "H2";
  closed.actions[0].id = "X3";
  closed.actions[1].id = "X4";
  closed.stage = eh::Stage::kClosed;
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.EarlyHelp().Insert(a));
    EXPECT_TRUE(r.EarlyHelp().Insert(closed));
  });
  auto ids = [&](Date today) {
    return store_->ReadValue([&](Repositories& r) { return r.EarlyHelp().WithUnalertedOverdueActions(today); });
  };
  EXPECT_TRUE(ids({2026, 11, 15}).empty());  // due today is not overdue
  EXPECT_EQ(ids({2026, 11, 16}), std::vector<std::string>{"H1"});
  a.revision = 1;
  a.actions[1].overdue_alerted_on = Date{2026, 11, 16};
  Write([&](Repositories& r) { EXPECT_TRUE(r.EarlyHelp().Update(a)); });
  EXPECT_TRUE(ids({2026, 11, 16}).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, EarlyHelpConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
