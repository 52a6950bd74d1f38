#include "app/team_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "app/child_service.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

using domain::JoinRequestStatus;
using std::chrono::hours;

// Ellie, whose school is Hillside Primary, with "sw" (children's social care) as lead
// professional. "teacher" works at Hillside Primary (an involved agency), "nurse" at a health
// visiting service that is not involved, "duty" is another social worker (the duty team) and
// "mgr" a manager of the authority.
class TeamServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    team_ = std::make_unique<TeamService>(*ctx_);
    store_->Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.Agencies().Insert(
          {"ag-hv", "la1", "Northbrook Health Visiting", domain::AgencyKind::kHealthVisiting, "01632 960003", "", ""}));
      return true;
    });
    AddUser("nurse", domain::Role::kPractitioner, "ag-hv");
    AddUser("duty", domain::Role::kPractitioner, "ag-csc");
    AddUser("mgr", domain::Role::kManager, "ag-hv");
    domain::Child c;
    c.given_names = "Ellie";
    c.family_name = "Stone";
    c.date_of_birth = Date::Parse("2017-03-09");
    c.school_agency_id = "ag-school";
    auto created = ChildService(*ctx_).Create(As("sw"), c, "Referral from the school nurse");
    ASSERT_TRUE(created) << created.error().message;
    child_ = created->child.id;
    store_->Write([&](storage::Repositories& r) {
      r.Teams().SetLead(child_, "u-sw", true);
      return true;
    });
  }

  bool Member(const std::string& user_id) {
    return store_->ReadValue(
        [&](storage::Repositories& r) {
          const auto team = r.Teams().Members(child_);
          return domain::FindMember(team, user_id) != nullptr;
        });
  }
  std::vector<storage::Alert> AlertsOf(const std::string& user_id) {
    return store_->ReadValue([&](storage::Repositories& r) { return r.Feed().Alerts(user_id, 50); });
  }
  std::vector<domain::AuditRecord> Audit() {
    return store_->ReadValue([&](storage::Repositories& r) { return r.Audit().ForChild(child_, 200); });
  }
  bool Audited(const std::string& action, domain::AuditOutcome outcome, const std::string& actor) {
    auto audit = Audit();
    return std::any_of(audit.begin(), audit.end(), [&](const auto& a) {
      return a.action == action && a.outcome == outcome && a.actor_id == actor;
    });
  }

  std::unique_ptr<TeamService> team_;
  std::string child_;
};

TEST_F(TeamServiceTest, APractitionerOfAnInvolvedAgencyJoinsAtOnce) {
  auto joined = team_->RequestJoin(As("teacher"), child_, "Class teacher", "Ellie is in my Year 4 class");
  ASSERT_TRUE(joined) << joined.error().message;
  EXPECT_EQ(joined->request.status, JoinRequestStatus::kApproved);
  EXPECT_TRUE(joined->request.automatic);
  EXPECT_TRUE(Member("u-teacher"));
  EXPECT_TRUE(ChildService(*ctx_).Account(As("teacher"), child_));
  EXPECT_TRUE(Audited("team.join", domain::AuditOutcome::kAllowed, "u-teacher"));
  // Nothing for anyone to decide, but the lead professional is told who joined and why.
  const auto alerts = AlertsOf("u-sw");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, "team_joined");
  EXPECT_NE(alerts[0].summary.find("Ellie is in my Year 4 class"), std::string::npos);
}

// Where rules meet (issue 14): editing the record is every team member's, joining at once is an
// involved agency's. A team member naming another agency as involved must not open the team to
// that agency's staff; the lead professional's confirmation does.
TEST_F(TeamServiceTest, AnAgencyATeamMemberNamesLetsItsStaffJoinAtOnceOnlyOnceTheLeadConfirmsIt) {
  store_->Write([&](storage::Repositories& r) {
    EXPECT_TRUE(r.Agencies().Insert(
        {"ag-youth", "la1", "Northbrook Youth Service", domain::AgencyKind::kYouthService, "01632 960004", "", ""}));
    return true;
  });
  AddUser("youth", domain::Role::kPractitioner, "ag-youth");
  AddUser("youth2", domain::Role::kPractitioner, "ag-youth");
  AddUser("nurse2", domain::Role::kPractitioner, "ag-hv");
  auto asked = team_->RequestJoin(As("nurse"), child_, "Health visitor", "Ellie's baby brother is on my caseload");
  ASSERT_TRUE(asked);
  ASSERT_TRUE(team_->DecideJoin(As("sw"), child_, asked->request.id, true, "The family agreed to health visiting"));

  ChildService children(*ctx_);
  auto version = [&] { return children.Account(As("sw"), child_)->child.version; };
  ChildChanges named;
  named.version = version();
  named.services = std::vector<domain::ServiceInvolvement>{
      {"ag-youth", "Detached youth work", {2026, 1, 5}, std::nullopt},
      {"ag-hv", "Healthy Child Programme", {2026, 1, 5}, std::nullopt}};
  auto updated = children.Update(As("nurse"), child_, named);
  ASSERT_TRUE(updated) << updated.error().message;
  // The nurse's own agency counts at once; the youth service does not.
  EXPECT_EQ(updated->child.unconfirmed_agencies, std::vector<std::string>{"ag-youth"});
  auto colleague = team_->RequestJoin(As("nurse2"), child_, "Health visitor", "Covering the caseload");
  ASSERT_TRUE(colleague);
  EXPECT_EQ(colleague->request.status, JoinRequestStatus::kApproved);
  auto youth = team_->RequestJoin(As("youth"), child_, "Youth worker", "I see Ellie at the youth club");
  ASSERT_TRUE(youth);
  EXPECT_EQ(youth->request.status, JoinRequestStatus::kPending);
  EXPECT_FALSE(Member("u-youth"));
  EXPECT_EQ(children.Account(As("youth"), child_).error().code, ErrorCode::kForbidden);
  // Another edit by the nurse, not naming the involvement, leaves it unconfirmed.
  ChildChanges moved;
  moved.version = version();
  moved.address = "12 Canal Street, Northbrook";
  EXPECT_EQ(children.Update(As("nurse"), child_, moved)->child.unconfirmed_agencies,
            std::vector<std::string>{"ag-youth"});

  // The lead sends the involvement back: confirmed, and the youth service's staff join at once.
  ChildChanges confirmed = named;
  confirmed.version = version();
  auto by_lead = children.Update(As("sw"), child_, confirmed);
  ASSERT_TRUE(by_lead) << by_lead.error().message;
  EXPECT_TRUE(by_lead->child.unconfirmed_agencies.empty());
  auto youth2 = team_->RequestJoin(As("youth2"), child_, "Youth worker", "I run the Tuesday group Ellie attends");
  ASSERT_TRUE(youth2);
  EXPECT_EQ(youth2->request.status, JoinRequestStatus::kApproved);
  // Who named what is in the audit trail.
  const auto audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const domain::AuditRecord& a) {
    return a.action == "child.update" && a.actor_id == "u-nurse" &&
           a.detail.find("\"unconfirmed_agencies\":[\"ag-youth\"]") != std::string::npos;
  }));
}

// A practitioner who is not the duty team creates a record: the agencies they name, but for
// their own, wait for whoever decides joins.
TEST_F(TeamServiceTest, AgenciesNamedAtCreationByAnotherAgencyAreUnconfirmed) {
  domain::Child c;
  c.given_names = "Noah";
  c.family_name = "Stone";
  c.date_of_birth = Date::Parse("2023-06-01");
  c.school_agency_id = "ag-school";
  c.services = {{"ag-hv", "Healthy Child Programme", {2023, 6, 10}, std::nullopt}};
  auto created = ChildService(*ctx_).Create(As("nurse"), c, "New birth visit");
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->child.unconfirmed_agencies, std::vector<std::string>{"ag-school"});
  auto teacher = team_->RequestJoin(As("teacher"), created->child.id, "Class teacher", "Noah starts nursery here");
  ASSERT_TRUE(teacher);
  EXPECT_EQ(teacher->request.status, JoinRequestStatus::kPending);
}

TEST_F(TeamServiceTest, AnyoneElseAsksAndTheLeadDecides) {
  auto asked = team_->RequestJoin(As("nurse"), child_, "Health visitor", "Ellie's baby brother is on my caseload");
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_EQ(asked->request.status, JoinRequestStatus::kPending);
  EXPECT_FALSE(Member("u-nurse"));
  // Meanwhile: signposting, not the case file.
  EXPECT_TRUE(ChildService(*ctx_).Signpost(As("nurse"), child_, "Who works with Ellie?"));
  EXPECT_EQ(ChildService(*ctx_).Account(As("nurse"), child_).error().code, ErrorCode::kForbidden);
  // Asking twice while a request waits is refused.
  EXPECT_EQ(team_->RequestJoin(As("nurse"), child_, "Health visitor", "Asking again, more politely").error().code,
            ErrorCode::kConflict);

  auto lead_alerts = AlertsOf("u-sw");
  ASSERT_EQ(lead_alerts.size(), 1u);
  EXPECT_EQ(lead_alerts[0].kind, "join_request");
  EXPECT_EQ(lead_alerts[0].subject_id, asked->request.id);
  EXPECT_NE(lead_alerts[0].summary.find("nurse (Health visitor, Northbrook Health Visiting)"), std::string::npos);
  EXPECT_TRUE(AlertsOf("u-mgr").empty());  // the lead decides; managers hear only of escalations

  // The team sees the request, with the reason.
  auto seen = team_->JoinRequests(As("sw"), child_);
  ASSERT_TRUE(seen);
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ((*seen)[0].request.reason, "Ellie's baby brother is on my caseload");
  EXPECT_EQ(team_->JoinRequests(As("nurse"), child_).error().code, ErrorCode::kForbidden);

  // Decisions need a reason; the requester cannot decide their own request.
  EXPECT_EQ(team_->DecideJoin(As("sw"), child_, asked->request.id, true, "ok").error().field, "reason");
  auto approved = team_->DecideJoin(As("sw"), child_, asked->request.id, true, "The family agreed to health visiting");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->request.status, JoinRequestStatus::kApproved);
  EXPECT_EQ(approved->decided_by_name, "sw");
  EXPECT_TRUE(Member("u-nurse"));
  EXPECT_TRUE(ChildService(*ctx_).Account(As("nurse"), child_));
  auto nurse_alerts = AlertsOf("u-nurse");
  ASSERT_EQ(nurse_alerts.size(), 1u);
  EXPECT_EQ(nurse_alerts[0].kind, "join_approved");
  // Decided once: a second decision is a conflict.
  EXPECT_EQ(team_->DecideJoin(As("mgr"), child_, asked->request.id, false, "Too late to decline this").error().code,
            ErrorCode::kConflict);
  EXPECT_TRUE(Audited("team.join_request", domain::AuditOutcome::kAllowed, "u-nurse"));
  EXPECT_TRUE(Audited("team.join_approve", domain::AuditOutcome::kAllowed, "u-sw"));
}

TEST_F(TeamServiceTest, ADeclinedRequestLeavesTheTeamAsItWas) {
  auto asked = team_->RequestJoin(As("nurse"), child_, "Health visitor", "Following up a referral");
  ASSERT_TRUE(asked);
  auto declined = team_->DecideJoin(As("sw"), child_, asked->request.id, false, "Not our family: wrong Ellie Stone");
  ASSERT_TRUE(declined);
  EXPECT_EQ(declined->request.status, JoinRequestStatus::kDeclined);
  EXPECT_FALSE(Member("u-nurse"));
  EXPECT_EQ(AlertsOf("u-nurse").at(0).kind, "join_declined");
  // A new request may follow a decision.
  EXPECT_TRUE(team_->RequestJoin(As("nurse"), child_, "Health visitor", "The referral is about this Ellie after all"));
}

TEST_F(TeamServiceTest, WhoMayDecide) {
  auto asked = team_->RequestJoin(As("nurse"), child_, "Health visitor", "Following up a referral");
  ASSERT_TRUE(asked);
  const std::string id = asked->request.id;
  ASSERT_TRUE(team_->RequestJoin(As("teacher"), child_, "Class teacher", "Ellie is in my Year 4 class"));  // at once
  // A member who is not the lead, the duty team while there is a lead, and the requester: no.
  EXPECT_EQ(team_->DecideJoin(As("teacher"), child_, id, true, "Seems fine to me").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(team_->DecideJoin(As("duty"), child_, id, true, "Seems fine to me").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(team_->DecideJoin(As("nurse"), child_, id, true, "Seems fine to me").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(team_->DecideJoin(As("admin"), child_, id, true, "Seems fine to me").error().code, ErrorCode::kForbidden);
  EXPECT_TRUE(Audited("team.join_approve", domain::AuditOutcome::kDenied, "u-duty"));
  // Without a lead the duty team decides, and the managers of the authority always may.
  store_->Write([&](storage::Repositories& r) {
    r.Teams().SetLead(child_, "u-sw", false);
    return true;
  });
  EXPECT_TRUE(team_->DecideJoin(As("duty"), child_, id, false, "Not known to this family"));
  auto again = team_->RequestJoin(As("nurse"), child_, "Health visitor", "New information from the GP");
  ASSERT_TRUE(again);
  EXPECT_TRUE(team_->DecideJoin(As("mgr"), child_, again->request.id, true, "Agreed at the duty meeting"));
  EXPECT_TRUE(Member("u-nurse"));
}

TEST_F(TeamServiceTest, OnlyTheRequesterWithdrawsAPendingRequest) {
  auto asked = team_->RequestJoin(As("nurse"), child_, "Health visitor", "Following up a referral");
  ASSERT_TRUE(asked);
  EXPECT_EQ(team_->WithdrawJoin(As("duty"), child_, asked->request.id).error().code, ErrorCode::kNotFound);
  auto withdrawn = team_->WithdrawJoin(As("nurse"), child_, asked->request.id);
  ASSERT_TRUE(withdrawn);
  EXPECT_EQ(withdrawn->request.status, JoinRequestStatus::kWithdrawn);
  EXPECT_EQ(team_->DecideJoin(As("sw"), child_, asked->request.id, true, "Approving a withdrawn request").error().code,
            ErrorCode::kConflict);
}

TEST_F(TeamServiceTest, AnUndecidedRequestIsEscalatedToTheManagersOnce) {
  auto asked = team_->RequestJoin(As("nurse"), child_, "Health visitor", "Following up a referral");
  ASSERT_TRUE(asked);
  clock_.Advance(hours(23));
  EXPECT_EQ(team_->SweepEscalations(), 0);
  clock_.Advance(hours(1));
  EXPECT_EQ(team_->SweepEscalations(), 1);
  EXPECT_EQ(team_->SweepEscalations(), 0);  // once
  auto alerts = AlertsOf("u-mgr");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, "join_request_escalated");
  EXPECT_NE(alerts[0].summary.find("No decision for 24 hours"), std::string::npos);
  auto audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const auto& a) {
    return a.action == "team.join_escalate" && a.target_id == asked->request.id && a.actor_role == "system";
  }));
  // Still pending: a manager decides it.
  auto inbox = team_->Inbox(As("mgr"));
  ASSERT_TRUE(inbox);
  ASSERT_EQ(inbox->to_decide.size(), 1u);
  EXPECT_TRUE(inbox->to_decide[0].request.escalated_at);
  EXPECT_TRUE(team_->DecideJoin(As("mgr"), child_, asked->request.id, true, "Escalated; agreed with the team"));
}

TEST_F(TeamServiceTest, TheInboxListsWhatToDecideAndOnesOwnRequests) {
  ASSERT_TRUE(team_->RequestJoin(As("nurse"), child_, "Health visitor", "Following up a referral"));
  auto lead = team_->Inbox(As("sw"));
  ASSERT_TRUE(lead);
  EXPECT_EQ(lead->to_decide.size(), 1u);
  EXPECT_TRUE(lead->mine.empty());
  auto nurse = team_->Inbox(As("nurse"));
  ASSERT_TRUE(nurse);
  EXPECT_TRUE(nurse->to_decide.empty());
  ASSERT_EQ(nurse->mine.size(), 1u);
  EXPECT_EQ(nurse->mine[0].child_name, "Ellie Stone");
  EXPECT_TRUE(team_->Inbox(As("duty"))->to_decide.empty());  // there is a lead
  EXPECT_EQ(team_->Inbox(As("admin")).error().code, ErrorCode::kForbidden);
}

// Found by the property-based test of access (issue 17): a lead professional of another
// authority (a child placed out of area, a school across the border) was alerted to a request but
// never saw it on their "Requests to join" page, which listed only their own authority's.
TEST_F(TeamServiceTest, TheInboxOfALeadOfAnotherAuthorityListsTheChildsRequests) {
  store_->Write([&](storage::Repositories& r) {
    EXPECT_TRUE(r.Authorities().Insert({"la2", "E2", "Southmoor", false}));
    EXPECT_TRUE(r.Agencies().Insert({"ag2-school", "la2", "Southmoor High", domain::AgencyKind::kSchool, "", "", ""}));
    auto u = *r.Users().GetByUsername("teacher");
    u.id = "u-across";
    u.username = "across";
    u.authority_id = "la2";
    u.agency_id = "ag2-school";
    EXPECT_TRUE(r.Users().Insert(u));
    r.Teams().SetLead(child_, "u-sw", false);
    return true;
  });
  AddToTeam(child_, "across", "Head of year", /*lead=*/true);
  auto asked = team_->RequestJoin(As("nurse"), child_, "Health visitor", "Following up a referral");
  ASSERT_TRUE(asked);
  auto inbox = team_->Inbox(As("across"));
  ASSERT_TRUE(inbox);
  ASSERT_EQ(inbox->to_decide.size(), 1u);
  EXPECT_EQ(inbox->to_decide[0].request.id, asked->request.id);
  EXPECT_TRUE(team_->Inbox(As("sw"))->to_decide.empty());  // on the team, no longer the lead
  EXPECT_TRUE(team_->DecideJoin(As("across"), child_, asked->request.id, true, "Agreed: the nurse visits weekly"));
}

TEST_F(TeamServiceTest, LeavingAndHandingOverAreAuditedWithTheirReasons) {
  ASSERT_TRUE(team_->RequestJoin(As("teacher"), child_, "Class teacher", "Ellie is in my Year 4 class"));
  EXPECT_EQ(team_->Leave(As("nurse"), child_, "Not my case any more").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(team_->Leave(As("sw"), child_, "Moving to another team").error().code, ErrorCode::kConflict);
  ASSERT_TRUE(team_->ChangeLead(As("sw"), child_, "u-teacher", "The school leads the plan from now"));
  ASSERT_TRUE(team_->Leave(As("sw"), child_, "Case closed to social care"));
  EXPECT_FALSE(Member("u-sw"));
  EXPECT_TRUE(Audited("team.lead_change", domain::AuditOutcome::kAllowed, "u-sw"));
  EXPECT_TRUE(Audited("team.leave", domain::AuditOutcome::kAllowed, "u-sw"));
}

}  // namespace
}  // namespace kith::app
