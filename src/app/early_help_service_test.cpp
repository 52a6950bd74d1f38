#include "app/early_help_service.h"

#include <gtest/gtest.h>

#include "app/child_service.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

namespace eh = domain::early_help;

class EarlyHelpServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    AddUser("outsider", domain::Role::kPractitioner, "ag-school");
    children_ = std::make_unique<ChildService>(*ctx_);
    service_ = std::make_unique<EarlyHelpService>(*ctx_, words_);
    domain::Child c;
    c.given_names = "Mia";
    c.family_name = "Harper";
    c.date_of_birth = Date{2022, 6, 1};
    auto created = children_->Create(As("sw"), c, "Referral from the health visitor");
    ASSERT_TRUE(created) << created.error().message;
    child_ = created->child.id;
    AddToTeam(child_, "teacher", "Nursery teacher");
  }

  static eh::Content Ready() {
    eh::Content c;
    c.consent = {"Chloe Harper, mother", Date{2026, 11, 1}, ""};
    c.elements = {{"health", "", "Missed reviews", ""}};
    c.conclusion = "Support with health reviews.";
    c.agreed_needs = {{"", "Health reviews attended"}};
    return c;
  }

  // An assessment with a TAC meeting and one action owned by the teacher, due `due`.
  std::string InPlan(Date due) {
    auto a = service_->Start(As("sw"), child_, Ready(), "");
    EXPECT_TRUE(a) << a.error().message;
    EXPECT_TRUE(service_->Complete(As("sw"), child_, a->assessment.id, std::nullopt));
    auto m = service_->HoldMeeting(
        As("sw"), child_, a->assessment.id, std::nullopt,
        {Date{2026, 11, 17}, {"sw", "teacher"}, "Book the review", {{"Book the review", "u-teacher", due, "N1"}}});
    EXPECT_TRUE(m) << m.error().message;
    return a->assessment.id;
  }

  std::vector<storage::Alert> Alerts(const std::string& user) {
    auto all = store_->ReadValue([&](storage::Repositories& r) { return r.Feed().Alerts(user, 100); });
    std::erase_if(all, [](const storage::Alert& a) { return a.kind != "overdue_action"; });
    return all;
  }

  WordIndex words_;
  std::unique_ptr<ChildService> children_;
  std::unique_ptr<EarlyHelpService> service_;
  std::string child_;
};

TEST_F(EarlyHelpServiceTest, StartDesignatesTheCallerWhenTheTeamHasNoLeadAndSetsTheFlag) {
  auto a = service_->Start(As("teacher"), child_, {}, "");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->assessment.lead_id, "u-teacher");
  EXPECT_EQ(a->names.at("u-teacher"), "teacher");
  auto account = children_->Account(As("sw"), child_);
  EXPECT_TRUE(account->child.flags.early_help_assessment);
  const auto team = store_->ReadValue([&](auto& r) { return r.Teams().Members(child_); });
  const auto* lead = domain::FindLead(team);
  ASSERT_TRUE(lead);
  EXPECT_EQ(lead->user_id, "u-teacher");
}

TEST_F(EarlyHelpServiceTest, OnlyTheTeamReadsOrWritesAndRefusalsAreAudited) {
  auto refused = service_->List(As("outsider"), child_);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service_->Start(As("outsider"), child_, {}, "").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service_->List(As("sw"), "K-none").error().code, ErrorCode::kNotFound);
  auto trail = store_->ReadValue([&](auto& r) { return r.Audit().ForChild(child_, 50); });
  int denied = 0;
  for (const auto& a : trail)
    denied += a.action.starts_with("early_help.") && a.outcome == domain::AuditOutcome::kDenied;
  EXPECT_EQ(denied, 2);
}

TEST_F(EarlyHelpServiceTest, AnOverdueActionAlertsItsOwnerAndTheLeadOnceByTheClock) {
  InPlan(Date{2026, 11, 20});
  EXPECT_EQ(service_->SweepOverdue(), 0);      // 18 November: not due yet
  clock_.Advance(std::chrono::hours(24 * 3));  // 21 November: due yesterday
  EXPECT_EQ(service_->SweepOverdue(), 1);
  EXPECT_EQ(service_->SweepOverdue(), 0);
  ASSERT_EQ(Alerts("u-teacher").size(), 1u);
  EXPECT_EQ(Alerts("u-teacher")[0].summary,
            "Overdue early help action: Book the review (was due 2026-11-20)");
  EXPECT_EQ(Alerts("u-sw").size(), 1u);
  auto list = service_->List(As("teacher"), child_);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].overdue_action_ids.size(), 1u);
}

TEST_F(EarlyHelpServiceTest, ADoneActionIsNotOverdueAndClosingClearsTheFlag) {
  const std::string id = InPlan(Date{2026, 11, 20});
  auto a = service_->Get(As("sw"), child_, id);
  const std::string action = a->assessment.actions[0].id;
  ASSERT_TRUE(service_->SetActionStatus(As("teacher"), child_, id, action, std::nullopt, eh::ActionStatus::kDone));
  clock_.Advance(std::chrono::hours(24 * 10));
  EXPECT_EQ(service_->SweepOverdue(), 0);
  EXPECT_TRUE(Alerts("u-teacher").empty());
  auto closed = service_->Close(As("sw"), child_, id, std::nullopt, eh::Outcome::kNeedsMet, "Reviews attended");
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_FALSE(children_->Account(As("sw"), child_)->child.flags.early_help_assessment);
}

TEST_F(EarlyHelpServiceTest, AStaleRevisionIsRefusedAndNothingChanges) {
  auto a = service_->Start(As("sw"), child_, Ready(), "");
  ASSERT_TRUE(a);
  ASSERT_TRUE(service_->EditDraft(As("sw"), child_, a->assessment.id, 1, Ready()));
  auto stale = service_->EditDraft(As("teacher"), child_, a->assessment.id, 1, {});
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  auto now = service_->Get(As("sw"), child_, a->assessment.id);
  EXPECT_EQ(now->assessment.versions[0].content.conclusion, "Support with health reviews.");
}

}  // namespace
}  // namespace kith::app
