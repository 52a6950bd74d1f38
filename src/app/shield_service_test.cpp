#include "app/shield_service.h"

#include <gtest/gtest.h>

#include "app/child_service.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

using std::chrono::hours;

// A shielded child created by "sw" (its lead professional), a practitioner "teacher" who is not, and a
// manager "mgr" of the authority who reviews.
class ShieldServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    AddUser("mgr", domain::Role::kManager, "ag-csc");
    domain::Child c;
    c.given_names = "Amelia";
    c.family_name = "Hart";
    c.date_of_birth = Date::Parse("2016-04-02");
    c.address = "4 Mill Lane, Northbrook";
    c.postcode = "NB1 2AB";
    c.carers.push_back({"Sarah Hart", "Mother", true, "07700 900123", "", ""});
    c.shielded = true;
    auto created = ChildService(*ctx_).Create(As("sw"), c, "New referral from the refuge");
    ASSERT_TRUE(created) << created.error().message;
    child_ = created->child.id;
    store_->Write([&](storage::Repositories& r) {
      r.Teams().SetLead(child_, "u-sw", true);
      return true;
    });
  }

  // A principal signed in just now, so no re-authentication is due.
  Principal Fresh(const std::string& name) {
    auto p = As(name);
    p.session.created_at = clock_.Now();
    return p;
  }

  OverrideRequest Request(std::optional<int64_t> hours_ = std::nullopt) {
    return {"missing_child", "Amelia did not arrive at school; police need the address", hours_, std::nullopt};
  }

  std::vector<storage::Alert> AlertsOf(const std::string& user_id) {
    return store_->ReadValue([&](storage::Repositories& r) { return r.Feed().Alerts(user_id, 50); });
  }

  std::vector<domain::AuditRecord> Audit() {
    return store_->ReadValue([&](storage::Repositories& r) { return r.Audit().ForChild(child_, 100); });
  }

  std::string child_;
};

TEST_F(ShieldServiceTest, OverrideShowsTheDetailsUntilItsTimeLimitAndAlertsTheAuthority) {
  ChildService children(*ctx_);
  auto before = children.Signpost(Fresh("teacher"), child_, "Checking who to call");
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->shielded);
  EXPECT_EQ(before->address, "");
  EXPECT_TRUE(before->carers.empty());

  ShieldService shield(*ctx_, {});
  auto o = shield.Override(Fresh("teacher"), child_, Request(2));
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_TRUE(o->active);
  EXPECT_EQ(o->shield_override.ends_at, clock_.Now() + hours(2));
  EXPECT_EQ(o->user_name, "teacher");
  EXPECT_EQ(o->user_agency, "Hillside Primary");

  auto during = children.Signpost(Fresh("teacher"), child_, "Checking who to call");
  ASSERT_TRUE(during);
  EXPECT_TRUE(during->shielded);
  ASSERT_TRUE(during->shield_override);
  EXPECT_EQ(during->shield_override->id, o->shield_override.id);
  EXPECT_EQ(during->address, "4 Mill Lane, Northbrook");
  EXPECT_EQ(during->postcode, "NB1 2AB");
  ASSERT_EQ(during->carers.size(), 1u);
  EXPECT_EQ(during->carers[0].phone, "07700 900123");

  // Only the one who overrode sees the details.
  AddUser("gp", domain::Role::kPractitioner, "ag-school");
  EXPECT_EQ(children.Signpost(Fresh("gp"), child_, "Checking who to call")->address, "");

  // The manager and the lead professional are alerted; not the actor, not the administrator.
  for (const char* user : {"u-mgr", "u-sw"}) {
    auto alerts = AlertsOf(user);
    ASSERT_EQ(alerts.size(), 1u) << user;
    EXPECT_EQ(alerts[0].kind, "shield_override");
    EXPECT_EQ(alerts[0].subject_id, o->shield_override.id);
    EXPECT_NE(alerts[0].summary.find("teacher"), std::string::npos);
    EXPECT_NE(alerts[0].summary.find("police need the address"), std::string::npos);
  }
  EXPECT_TRUE(AlertsOf("u-teacher").empty());
  EXPECT_TRUE(AlertsOf("u-admin").empty());

  clock_.Advance(hours(2));
  auto after = children.Signpost(Fresh("teacher"), child_, "Checking who to call");
  EXPECT_FALSE(after->shield_override);
  EXPECT_EQ(after->address, "");
  EXPECT_TRUE(after->carers.empty());

  auto audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const auto& a) {
    return a.action == "shield.override" && a.outcome == domain::AuditOutcome::kAllowed &&
           a.target_id == o->shield_override.id && a.reason == o->shield_override.reason;
  }));
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const auto& a) {
    return a.action == "child.signposting" && a.detail.find(o->shield_override.id) != std::string::npos;
  }));
}

TEST_F(ShieldServiceTest, OverrideIsRefusedAndAuditedWhenThePolicySaysNo) {
  ShieldService shield(*ctx_, {});
  EXPECT_EQ(shield.Override(Fresh("sw"), child_, Request()).error().code, ErrorCode::kForbidden);  // on the team
  EXPECT_EQ(shield.Override(Fresh("admin"), child_, Request()).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(shield.Override(Fresh("teacher"), "Knope", Request()).error().code, ErrorCode::kNotFound);
  auto bad = Request();
  bad.reason_code = "curious";
  EXPECT_EQ(shield.Override(Fresh("teacher"), child_, bad).error().field, "reason_code");
  EXPECT_EQ(shield.Override(Fresh("teacher"), child_, Request(73)).error().field, "duration_hours");
  auto audit = Audit();
  EXPECT_EQ(std::count_if(audit.begin(), audit.end(),
                          [](const auto& a) {
                            return a.action == "shield.override" && a.outcome == domain::AuditOutcome::kDenied;
                          }),
            2);
  EXPECT_TRUE(AlertsOf("u-mgr").empty());
}

TEST_F(ShieldServiceTest, AnOldSessionMustGiveThePasswordAgain) {
  ShieldService shield(*ctx_, {});
  auto stale = As("teacher");
  stale.session.created_at = clock_.Now() - std::chrono::minutes(6);
  auto refused = shield.Override(stale, child_, Request());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(refused.error().field, "password");
  auto wrong = Request();
  wrong.password = "not my password at all";
  EXPECT_EQ(shield.Override(Fresh("teacher"), child_, wrong).error().code, ErrorCode::kUnauthenticated);
  auto right = Request();
  right.password = kPassword;
  EXPECT_TRUE(shield.Override(stale, child_, right));
}

TEST_F(ShieldServiceTest, ManagersReviewAndEndOverridesOfTheirAuthority) {
  ShieldService shield(*ctx_, {});
  auto o = shield.Override(Fresh("teacher"), child_, Request());
  ASSERT_TRUE(o);
  const std::string id = o->shield_override.id;

  EXPECT_EQ(shield.ForReview(Fresh("teacher")).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(shield.Review(Fresh("teacher"), id, "Looks fine to me, honestly", false).error().code,
            ErrorCode::kForbidden);
  auto list = shield.ForReview(Fresh("mgr"));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].shield_override.id, id);
  EXPECT_EQ((*list)[0].child_name, "Amelia Hart");
  EXPECT_TRUE((*list)[0].active);

  EXPECT_EQ(shield.Review(Fresh("mgr"), id, "short", false).error().field, "note");
  EXPECT_EQ(shield.Review(Fresh("mgr"), "Onope", "Checked with the police", false).error().code, ErrorCode::kNotFound);
  auto reviewed = shield.Review(Fresh("mgr"), id, "Checked with the police: justified", false);
  ASSERT_TRUE(reviewed);
  EXPECT_EQ(reviewed->reviewed_by_name, "mgr");
  EXPECT_TRUE(reviewed->active);

  clock_.Advance(hours(1));
  auto ended = shield.Review(Fresh("mgr"), id, "Amelia is found safe; access no longer needed", true);
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_FALSE(ended->active);
  EXPECT_EQ(ended->ended_by_name, "mgr");
  EXPECT_EQ(ChildService(*ctx_).Signpost(Fresh("teacher"), child_, "Checking who to call")->address, "");

  // Nobody reviews their own override, and the refusal is audited.
  auto own = shield.Override(Fresh("mgr"), child_, Request());
  ASSERT_TRUE(own);
  EXPECT_EQ(shield.Review(Fresh("mgr"), own->shield_override.id, "Reviewing my own override", false).error().code,
            ErrorCode::kForbidden);

  auto audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const auto& a) {
    return a.action == "shield.override.review" && a.outcome == domain::AuditOutcome::kDenied &&
           a.why == "own override";
  }));
  for (const char* action : {"shield.override.review", "shield.override.end"}) {
    EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const auto& a) { return a.action == action; })) << action;
  }
}

TEST_F(ShieldServiceTest, JoiningAShieldedChildsTeamAlertsTheAuthorityAndTheLead) {
  auto joined = ChildService(*ctx_).Join(Fresh("teacher"), child_, "Class teacher", "She starts in my class on Monday");
  ASSERT_TRUE(joined) << joined.error().message;
  for (const char* user : {"u-mgr", "u-sw"}) {
    auto alerts = AlertsOf(user);
    ASSERT_EQ(alerts.size(), 1u) << user;
    EXPECT_EQ(alerts[0].kind, "shielded_join");
    EXPECT_EQ(alerts[0].child_id, child_);
    EXPECT_NE(alerts[0].summary.find("teacher (Class teacher, Hillside Primary)"), std::string::npos);
    EXPECT_NE(alerts[0].summary.find("She starts in my class on Monday"), std::string::npos);
  }
  EXPECT_TRUE(AlertsOf("u-teacher").empty());
}

}  // namespace
}  // namespace kith::app
