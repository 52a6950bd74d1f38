#include "app/contact_alerts.h"

#include <gtest/gtest.h>

#include "app/account_service.h"
#include "app/child_service.h"
#include "app/team_service.h"
#include "app/test_fixture.h"
#include "domain/account/uk_time.h"

namespace kith::app {
namespace {

class ContactAlertsTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    children_ = std::make_unique<ChildService>(*ctx_);
    account_ = std::make_unique<AccountService>(*ctx_, words_);
    domain::Child c;
    c.given_names = "Leo";
    c.family_name = "Carter";
    c.date_of_birth = Date{2022, 1, 1};
    auto created = children_->Create(As("sw"), c, "Referral received");
    ASSERT_TRUE(created) << created.error().message;
    child_ = created->child.id;
    ASSERT_TRUE(TeamService(*ctx_).ChangeLead(As("sw"), child_, "u-sw", "Allocated social worker"));
    AddToTeam(child_, "teacher", "Class teacher");
  }

  Date Today() const { return domain::UkDate(clock_.Now()); }

  void Add(const std::string& who, const Date& on, const std::string& summary) {
    NewEntry e;
    e.occurred_on = on;
    e.type = domain::EntryType::kContact;
    e.summary = summary;
    auto added = account_->AddEntry(As(who), child_, e);
    ASSERT_TRUE(added) << added.error().message;
    clock_.Advance(AccountService::kRiseCheckInterval);  // each entry checked as it is written
  }

  std::vector<storage::Alert> ContactAlertsOf(const std::string& user) {
    std::vector<storage::Alert> out;
    const auto all = account_->Alerts(As(user), 100);
    for (const auto& a : *all) {
      if (a.alert.kind.starts_with("contact_")) out.push_back(a.alert);
    }
    return out;
  }

  WordIndex words_;
  std::unique_ptr<ChildService> children_;
  std::unique_ptr<AccountService> account_;
  std::string child_;
};

TEST_F(ContactAlertsTest, ASignificantRiseAlertsTheLeadOnce) {
  // One contact a week for six weeks, then seven this week: a rise chance does not explain.
  const int64_t today = Today().ToDays();
  for (int w = 6; w >= 1; --w) Add("teacher", Date::FromDays(today - 7 * w), "Weekly check-in");
  EXPECT_TRUE(ContactAlertsOf("sw").empty()) << "steady contact is no rise";
  for (int i = 0; i < 7; ++i) Add("teacher", Today(), "Seen again");
  const auto alerts = ContactAlertsOf("sw");
  ASSERT_EQ(alerts.size(), 1u) << "once, however many entries follow";
  EXPECT_EQ(alerts[0].kind, "contact_sudden_rise");
  EXPECT_NE(alerts[0].summary.find("Sudden rise in agency contact: "), std::string::npos);
  EXPECT_EQ(alerts[0].summary.find("Leo Carter"), std::string::npos) << "the page names the child";
  EXPECT_TRUE(ContactAlertsOf("teacher").empty()) << "the lead professional is alerted";
}

// Entries written close together are checked at most once per kRiseCheckInterval (the check
// reads all of the child's entries); the check put off is made by CheckPendingRises once the
// interval has passed, so the rise the later entries made is still alerted, once.
TEST_F(ContactAlertsTest, ARiseFromEntriesWrittenCloseTogetherIsAlertedOnceTheCheckIsDue) {
  const int64_t today = Today().ToDays();
  for (int w = 6; w >= 1; --w) Add("teacher", Date::FromDays(today - 7 * w), "Weekly check-in");
  for (int i = 0; i < 7; ++i) {
    NewEntry e;
    e.occurred_on = Today();
    e.type = domain::EntryType::kContact;
    e.summary = "Seen again";
    ASSERT_TRUE(account_->AddEntry(As("teacher"), child_, e));  // the clock does not move
  }
  EXPECT_TRUE(ContactAlertsOf("sw").empty()) << "only the first of the seven was checked";
  EXPECT_EQ(account_->CheckPendingRises(), 0) << "not before the interval has passed";
  clock_.Advance(AccountService::kRiseCheckInterval);
  EXPECT_EQ(account_->CheckPendingRises(), 1);
  EXPECT_EQ(account_->CheckPendingRises(), 0) << "nothing left to check";
  const auto alerts = ContactAlertsOf("sw");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, "contact_sudden_rise");
}

TEST_F(ContactAlertsTest, TheDailySweepAlertsAnAgencyThatStoppedSeeingTheChildOnce) {
  // The school saw Leo every week for eight weeks, then nothing for seven.
  const int64_t today = Today().ToDays();
  for (int w = 15; w >= 8; --w) Add("teacher", Date::FromDays(today - 7 * w), "Seen in class");
  ContactAlerts alerts(*ctx_);
  EXPECT_EQ(alerts.Sweep(), 1);
  EXPECT_EQ(alerts.Sweep(), 0) << "once a day";
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(alerts.Sweep(), 0) << "the same stop is not alerted twice";
  const auto made = ContactAlertsOf("sw");
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].kind, "contact_stopped_seeing");
  EXPECT_NE(made[0].summary.find("Hillside Primary has stopped seeing the child"), std::string::npos);
}

}  // namespace
}  // namespace kith::app
