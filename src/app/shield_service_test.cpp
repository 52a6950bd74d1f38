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
    // A GP practice near the refuge: its name and address tell where the family lives.
    store_->Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.Agencies().Insert({"ag-gp", "la1", "Mill Lane Surgery", domain::AgencyKind::kGpPractice,
                                       "01632 960002", "reception@mill-lane.example", "6 Mill Lane, Northbrook"}));
      return true;
    });
    c.services.push_back({"ag-gp", "Registered patient", *Date::Parse("2016-05-01"), std::nullopt});
    c.services.push_back({"ag-school", "Year 5", *Date::Parse("2025-09-01"), std::nullopt});
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

// Without an override, outside the team: the services' agencies (only their kind) and the lead
// professional (only that there is one) are withheld, and the named broker is given instead.
TEST_F(ShieldServiceTest, SignpostingWithholdsAgenciesAndTheLeadAndNamesTheBroker) {
  ChildService children(*ctx_);
  auto s = children.Signpost(Fresh("teacher"), child_, "Checking who to call");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(s->shielded);
  EXPECT_TRUE(s->withheld);
  EXPECT_TRUE(s->has_lead_professional);
  EXPECT_FALSE(s->lead_professional);
  ASSERT_EQ(s->services.size(), 2u);
  for (const auto& v : s->services) {
    EXPECT_FALSE(v.agency) << v.service.description;
    EXPECT_EQ(v.service.agency_id, "") << v.service.description;
    EXPECT_TRUE(v.agency_kind) << v.service.description;
  }
  EXPECT_EQ(s->services[0].agency_kind, domain::AgencyKind::kGpPractice);
  ASSERT_TRUE(s->contact_broker);
  EXPECT_EQ(s->contact_broker->id, "ag-csc");
  EXPECT_EQ(s->contact_broker->phone, "01632 960000");
  EXPECT_EQ(s->contact_through, "Contact through Northbrook Children's Services");

  // With the teacher's override in force everything is shown, and the broker still named.
  ASSERT_TRUE(ShieldService(*ctx_, {}).Override(Fresh("teacher"), child_, Request(2)));
  auto during = children.Signpost(Fresh("teacher"), child_, "Checking who to call");
  ASSERT_TRUE(during);
  EXPECT_FALSE(during->withheld);
  ASSERT_TRUE(during->lead_professional);
  EXPECT_EQ(during->lead_professional->member.user_id, "u-sw");
  ASSERT_EQ(during->services.size(), 2u);
  ASSERT_TRUE(during->services[0].agency);
  EXPECT_EQ(during->services[0].agency->address, "6 Mill Lane, Northbrook");
  EXPECT_EQ(during->contact_through, "Contact through Northbrook Children's Services");

  // Someone else without an override still sees it withheld.
  AddUser("gp", domain::Role::kPractitioner, "ag-school");
  auto other = children.Signpost(Fresh("gp"), child_, "Checking who to call");
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->withheld);
  EXPECT_FALSE(other->services[0].agency);

  // The team sees everything and needs no broker.
  auto team = children.Signpost(Fresh("sw"), child_, "Checking who to call");
  ASSERT_TRUE(team);
  EXPECT_FALSE(team->shielded);
  EXPECT_FALSE(team->withheld);
  ASSERT_TRUE(team->lead_professional);
  ASSERT_TRUE(team->services[0].agency);
  EXPECT_EQ(team->services[0].agency->name, "Mill Lane Surgery");
  EXPECT_FALSE(team->contact_broker);
  EXPECT_EQ(team->contact_through, "");
}

TEST_F(ShieldServiceTest, WithoutAChildrensSocialCareAgencyTheAuthorityIsNamed) {
  store_->Write([&](storage::Repositories& r) {
    auto csc = r.Agencies().Get("ag-csc");
    csc->kind = domain::AgencyKind::kVoluntarySector;
    EXPECT_TRUE(r.Agencies().Update(*csc));
    return true;
  });
  auto s = ChildService(*ctx_).Signpost(Fresh("teacher"), child_, "Checking who to call");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->withheld);
  EXPECT_FALSE(s->contact_broker);
  EXPECT_EQ(s->contact_through, "Contact through the children's social care of Northbrook");
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
