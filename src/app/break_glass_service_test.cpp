#include "app/break_glass_service.h"

#include <gtest/gtest.h>

#include <map>

#include "app/account_service.h"
#include "app/child_service.h"
#include "app/credentials.h"
#include "app/live_hub.h"
#include "app/team_service.h"
#include "app/test_fixture.h"
#include "app/word_index.h"

namespace kith::app {
namespace {

using std::chrono::hours;

// A shielded child created by "sw" (its lead professional), a practitioner "teacher" who is not, and a
// manager "mgr" of the authority who reviews.
class BreakGlassServiceTest : public AppFixture {
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

  BreakGlassRequest Request(std::optional<int64_t> hours_ = std::nullopt) {
    return {"missing_child", "Amelia did not arrive at school; police need the address", hours_, kPassword,
            std::nullopt};
  }

  std::vector<storage::Alert> AlertsOf(const std::string& user_id) {
    return store_->ReadValue([&](storage::Repositories& r) { return r.Feed().Alerts(user_id, 50); });
  }

  std::vector<domain::AuditRecord> Audit() {
    return store_->ReadValue([&](storage::Repositories& r) { return r.Audit().ForChild(child_, 100); });
  }

  std::string child_;
};

TEST_F(BreakGlassServiceTest, BreakGlassShowsTheShieldedDetailsUntilItsTimeLimitAndAlertsTheAuthority) {
  ChildService children(*ctx_);
  auto before = children.Signpost(Fresh("teacher"), child_, "Checking who to call");
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->shielded);
  EXPECT_EQ(before->address, "");
  EXPECT_TRUE(before->carers.empty());

  BreakGlassService glass(*ctx_);
  auto o = glass.Break(Fresh("teacher"), child_, Request(2));
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_TRUE(o->active);
  EXPECT_EQ(o->break_glass.ends_at, clock_.Now() + hours(2));
  EXPECT_EQ(o->user_name, "teacher");
  EXPECT_EQ(o->user_agency, "Hillside Primary");

  auto during = children.Signpost(Fresh("teacher"), child_, "Checking who to call");
  ASSERT_TRUE(during);
  EXPECT_TRUE(during->shielded);
  ASSERT_TRUE(during->break_glass);
  EXPECT_EQ(during->break_glass->id, o->break_glass.id);
  EXPECT_EQ(during->address, "4 Mill Lane, Northbrook");
  EXPECT_EQ(during->postcode, "NB1 2AB");
  ASSERT_EQ(during->carers.size(), 1u);
  EXPECT_EQ(during->carers[0].phone, "07700 900123");

  // Only the one who broke the glass sees the details.
  AddUser("gp", domain::Role::kPractitioner, "ag-school");
  EXPECT_EQ(children.Signpost(Fresh("gp"), child_, "Checking who to call")->address, "");

  // The manager and the lead professional are alerted; not the actor, not the administrator.
  for (const char* user : {"u-mgr", "u-sw"}) {
    auto alerts = AlertsOf(user);
    ASSERT_EQ(alerts.size(), 1u) << user;
    EXPECT_EQ(alerts[0].kind, "break_glass");
    EXPECT_EQ(alerts[0].subject_id, o->break_glass.id);
    EXPECT_NE(alerts[0].summary.find("teacher"), std::string::npos);
    EXPECT_NE(alerts[0].summary.find("police need the address"), std::string::npos);
  }
  EXPECT_TRUE(AlertsOf("u-teacher").empty());
  EXPECT_TRUE(AlertsOf("u-admin").empty());

  clock_.Advance(hours(2));
  auto after = children.Signpost(Fresh("teacher"), child_, "Checking who to call");
  EXPECT_FALSE(after->break_glass);
  EXPECT_EQ(after->address, "");
  EXPECT_TRUE(after->carers.empty());

  auto audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const auto& a) {
    return a.action == "break_glass.start" && a.outcome == domain::AuditOutcome::kAllowed &&
           a.target_id == o->break_glass.id && a.reason == o->break_glass.reason;
  }));
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const auto& a) {
    return a.action == "child.signposting" && a.detail.find(o->break_glass.id) != std::string::npos;
  }));
}

// Without break-glass, outside the team: the services' agencies (only their kind) and the lead
// professional (only that there is one) are withheld, and the named broker is given instead.
TEST_F(BreakGlassServiceTest, SignpostingWithholdsAgenciesAndTheLeadAndNamesTheBroker) {
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

  // With the teacher's break-glass in force everything is shown, and the broker still named.
  ASSERT_TRUE(BreakGlassService(*ctx_).Break(Fresh("teacher"), child_, Request(2)));
  auto during = children.Signpost(Fresh("teacher"), child_, "Checking who to call");
  ASSERT_TRUE(during);
  EXPECT_FALSE(during->withheld);
  ASSERT_TRUE(during->lead_professional);
  EXPECT_EQ(during->lead_professional->member.user_id, "u-sw");
  ASSERT_EQ(during->services.size(), 2u);
  ASSERT_TRUE(during->services[0].agency);
  EXPECT_EQ(during->services[0].agency->address, "6 Mill Lane, Northbrook");
  EXPECT_EQ(during->contact_through, "Contact through Northbrook Children's Services");

  // Someone else without break-glass still sees it withheld.
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

TEST_F(BreakGlassServiceTest, WithoutAChildrensSocialCareAgencyTheAuthorityIsNamed) {
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

TEST_F(BreakGlassServiceTest, BreakGlassIsRefusedAndAuditedWhenThePolicySaysNo) {
  BreakGlassService glass(*ctx_);
  EXPECT_EQ(glass.Break(Fresh("sw"), child_, Request()).error().code, ErrorCode::kForbidden);  // on the team
  EXPECT_EQ(glass.Break(Fresh("admin"), child_, Request()).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(glass.Break(Fresh("teacher"), "Knope", Request()).error().code, ErrorCode::kNotFound);
  auto bad = Request();
  bad.reason_code = "curious";
  EXPECT_EQ(glass.Break(Fresh("teacher"), child_, bad).error().field, "reason_code");
  EXPECT_EQ(glass.Break(Fresh("teacher"), child_, Request(73)).error().field, "duration_hours");
  auto audit = Audit();
  EXPECT_EQ(std::count_if(audit.begin(), audit.end(),
                          [](const auto& a) {
                            return a.action == "break_glass.start" && a.outcome == domain::AuditOutcome::kDenied;
                          }),
            2);
  EXPECT_TRUE(AlertsOf("u-mgr").empty());
}

TEST_F(BreakGlassServiceTest, EveryBreakGlassNeedsThePasswordOrASecondFactorCodeAgain) {
  BreakGlassService glass(*ctx_);
  auto none = Request();
  none.password.reset();
  // Even a session that signed in a moment ago must re-authenticate.
  auto refused = glass.Break(Fresh("teacher"), child_, none);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(refused.error().field, "password");
  auto wrong = Request();
  wrong.password = "not my password at all";
  EXPECT_EQ(glass.Break(Fresh("teacher"), child_, wrong).error().code, ErrorCode::kUnauthenticated);
  // A second-factor code works once; the same code again is refused.
  const std::string secret = "JBSWY3DPEHPK3PXP";
  store_->Write([&](storage::Repositories& r) {
    auto u = r.Users().Get("u-teacher");
    u->totp_secret = secret;
    u->totp_enrolled = true;
    EXPECT_TRUE(r.Users().Update(*u));
    return true;
  });
  auto by_code = none;
  by_code.code = Totp::Code(secret, clock_.Now());
  EXPECT_TRUE(glass.Break(Fresh("teacher"), child_, by_code));
  EXPECT_EQ(glass.Break(Fresh("teacher"), child_, by_code).error().code, ErrorCode::kUnauthenticated);
  auto audit = Audit();
  EXPECT_EQ(
      std::count_if(audit.begin(), audit.end(), [](const auto& a) { return a.why == "re-authentication failed"; }), 3);
}

TEST_F(BreakGlassServiceTest, BreakGlassReadsAnyChildsAccountButChangesNothingAndEnds) {
  // An unshielded child: break-glass is for any child's account, not only shielded ones.
  domain::Child c;
  c.given_names = "Noah";
  c.family_name = "Price";
  c.date_of_birth = Date::Parse("2019-06-01");
  auto created = ChildService(*ctx_).Create(As("sw"), c, "Referral from the health visitor");
  ASSERT_TRUE(created);
  const std::string noah = created->child.id;
  ChildService children(*ctx_);
  WordIndex words;
  AccountService account(*ctx_, words);
  EXPECT_EQ(children.Account(Fresh("teacher"), noah).error().code, ErrorCode::kForbidden);

  BreakGlassService glass(*ctx_);
  auto g = glass.Break(Fresh("teacher"), noah, Request(1));
  ASSERT_TRUE(g) << g.error().message;
  auto read = children.Account(Fresh("teacher"), noah);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->access, "break-glass");
  ASSERT_TRUE(read->break_glass);
  EXPECT_EQ(read->break_glass->id, g->break_glass.id);
  EXPECT_TRUE(account.Chronology(Fresh("teacher"), noah, {}));
  // Read-only: no entry, no change to the record, no shield.
  NewEntry entry;
  entry.occurred_on = *Date::Parse("2026-11-17");
  entry.summary = "Seen at the school gate";
  EXPECT_EQ(account.AddEntry(Fresh("teacher"), noah, entry).error().code, ErrorCode::kForbidden);
  ChildChanges change;
  change.version = read->child.version;
  change.address = "1 New Road";
  EXPECT_EQ(children.Update(Fresh("teacher"), noah, change).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(children.SetShield(Fresh("teacher"), noah, true, "Family fled last night").error().code,
            ErrorCode::kForbidden);

  // The reads are audited as break-glass and counted for the reviewer.
  auto list = glass.ForReview(Fresh("mgr"));
  ASSERT_TRUE(list);
  auto it =
      std::find_if(list->begin(), list->end(), [&](const auto& v) { return v.break_glass.id == g->break_glass.id; });
  ASSERT_NE(it, list->end());
  EXPECT_EQ(it->reads, 2);

  clock_.Advance(hours(1));
  EXPECT_EQ(children.Account(Fresh("teacher"), noah).error().code, ErrorCode::kForbidden);
}

// Access review finding 14: an entry pushed live to the holder of a break-glass is case content read
// under it, so the review counts it as it counts the holder's reads; the team's pushes say "team".
TEST_F(BreakGlassServiceTest, AnEntryPushedLiveUnderBreakGlassIsCountedForTheReviewer) {
  WordIndex words;
  AccountService reader(*ctx_, words);
  LiveHub hub([&](const std::string& u, const LiveEvent& e) { return reader.MaySee(u, e.child_id); },
              [&](const LiveEvent& e, const std::vector<std::string>& users) { reader.RecordLive(e, users); });
  AccountService writer(*ctx_, words, &hub);
  hub.Subscribe("u-teacher", [](const LiveEvent&) {});
  hub.Subscribe("u-sw", [](const LiveEvent&) {});
  BreakGlassService glass(*ctx_);
  auto g = glass.Break(Fresh("teacher"), child_, Request(1));
  ASSERT_TRUE(g) << g.error().message;

  NewEntry entry;
  entry.occurred_on = *Date::Parse("2026-11-17");
  entry.summary = "Strategy discussion held";
  ASSERT_TRUE(writer.AddEntry(Fresh("sw"), child_, entry));

  std::map<std::string, std::string> why_pushed;
  for (const auto& a : Audit()) {
    if (a.action == "live.push") why_pushed[a.actor_id] = a.why;
  }
  EXPECT_EQ(why_pushed["u-teacher"], "break-glass");
  EXPECT_NE(why_pushed["u-sw"], "");
  EXPECT_NE(why_pushed["u-sw"], "break-glass");
  auto list = glass.ForReview(Fresh("mgr"));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().reads, 1);  // the push; Break itself reads nothing
}

TEST_F(BreakGlassServiceTest, ManagersReviewEveryUseAsJustifiedOrNotAndMayEndIt) {
  BreakGlassService glass(*ctx_);
  auto o = glass.Break(Fresh("teacher"), child_, Request());
  ASSERT_TRUE(o);
  const std::string id = o->break_glass.id;

  EXPECT_EQ(glass.ForReview(Fresh("teacher")).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(glass.Review(Fresh("teacher"), id, true, "Looks fine to me, honestly", false).error().code,
            ErrorCode::kForbidden);
  auto list = glass.ForReview(Fresh("mgr"));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].break_glass.id, id);
  EXPECT_EQ((*list)[0].child_name, "Amelia Hart");
  EXPECT_TRUE((*list)[0].active);

  EXPECT_EQ(glass.Review(Fresh("mgr"), id, true, "short", false).error().field, "note");
  EXPECT_EQ(glass.Review(Fresh("mgr"), "Gnope", true, "Checked with the police", false).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(glass.Review(Fresh("mgr"), id, std::nullopt, "Checked with the police", false).error().field, "justified");
  auto reviewed = glass.Review(Fresh("mgr"), id, true, "Checked with the police: justified", false);
  ASSERT_TRUE(reviewed);
  EXPECT_EQ(reviewed->reviewed_by_name, "mgr");
  EXPECT_EQ(reviewed->break_glass.justified, true);
  EXPECT_TRUE(reviewed->active);

  clock_.Advance(hours(1));
  auto ended = glass.Review(Fresh("mgr"), id, std::nullopt, "Amelia is found safe; access no longer needed", true);
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_FALSE(ended->active);
  EXPECT_EQ(ended->ended_by_name, "mgr");
  EXPECT_EQ(ChildService(*ctx_).Signpost(Fresh("teacher"), child_, "Checking who to call")->address, "");

  // Nobody reviews their own break-glass, and the refusal is audited.
  auto own = glass.Break(Fresh("mgr"), child_, Request());
  ASSERT_TRUE(own);
  EXPECT_EQ(glass.Review(Fresh("mgr"), own->break_glass.id, true, "Reviewing my own break-glass", false).error().code,
            ErrorCode::kForbidden);

  auto audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const auto& a) {
    return a.action == "break_glass.review" && a.outcome == domain::AuditOutcome::kDenied && a.why == "own break-glass";
  }));
  for (const char* action : {"break_glass.review", "break_glass.end"}) {
    EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const auto& a) { return a.action == action; })) << action;
  }
}

TEST_F(BreakGlassServiceTest, JoiningAShieldedChildsTeamIsNeverAtOnceAndAlertsTheAuthorityAndTheLead) {
  // The teacher's school is a current service of Amelia's: for an unshielded child that would
  // approve the request at once. A shield means someone decides.
  TeamService team(*ctx_);
  auto asked = team.RequestJoin(Fresh("teacher"), child_, "Class teacher", "She starts in my class on Monday");
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_EQ(asked->request.status, domain::JoinRequestStatus::kPending);
  EXPECT_EQ(ChildService(*ctx_).Account(Fresh("teacher"), child_).error().code, ErrorCode::kForbidden);
  for (const char* user : {"u-mgr", "u-sw"}) {
    auto alerts = AlertsOf(user);
    ASSERT_EQ(alerts.size(), 1u) << user;
    EXPECT_EQ(alerts[0].kind, "join_request");
    EXPECT_NE(alerts[0].summary.find("teacher (Class teacher, Hillside Primary)"), std::string::npos);
  }
  ASSERT_TRUE(team.DecideJoin(Fresh("sw"), child_, asked->request.id, true, "Confirmed with the school office"));
  auto alerts = AlertsOf("u-mgr");
  ASSERT_EQ(alerts.size(), 2u);
  auto joined = std::find_if(alerts.begin(), alerts.end(), [](const auto& a) { return a.kind == "shielded_join"; });
  ASSERT_NE(joined, alerts.end());
  EXPECT_NE(joined->summary.find("approved by sw"), std::string::npos);
  EXPECT_TRUE(ChildService(*ctx_).Account(Fresh("teacher"), child_));
}

TEST_F(BreakGlassServiceTest, RepeatedWrongReentriesSignThePractitionerOut) {
  BreakGlassService glass(*ctx_);
  store_->Write([&](storage::Repositories& r) {
    r.Sessions().Insert({"hash-teacher", "u-teacher", "csrf", clock_.Now(), clock_.Now(), true, "test", ""});
    return true;
  });
  auto wrong = Request();
  wrong.password = "not my password at all";
  const int threshold = ctx_->policy.lockout_threshold;
  for (int i = 1; i < threshold; ++i) {
    auto refused = glass.Break(Fresh("teacher"), child_, wrong);
    EXPECT_EQ(refused.error().field, "password") << i;
    EXPECT_TRUE(store_->ReadValue([&](storage::Repositories& r) { return r.Sessions().Get("hash-teacher"); })) << i;
  }
  auto last = glass.Break(Fresh("teacher"), child_, wrong);
  EXPECT_EQ(last.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(last.error().message.find("signed out"), std::string::npos) << last.error().message;
  EXPECT_FALSE(store_->ReadValue([&](storage::Repositories& r) { return r.Sessions().Get("hash-teacher"); }));
  const auto audit = Audit();
  EXPECT_EQ(std::count_if(audit.begin(), audit.end(),
                          [](const auto& a) {
                            return a.action == "break_glass.start" && a.outcome == domain::AuditOutcome::kDenied;
                          }),
            threshold);
  // The right password afterwards works (nobody is locked out by someone else's guesses).
  EXPECT_TRUE(glass.Break(Fresh("teacher"), child_, Request()));
}

TEST_F(BreakGlassServiceTest, AfterAUseJudgedUnjustifiedThePractitionerAsksToJoinInstead) {
  BreakGlassService glass(*ctx_);
  auto first = glass.Break(Fresh("teacher"), child_, Request());
  ASSERT_TRUE(first);
  ASSERT_TRUE(glass.Review(Fresh("mgr"), first->break_glass.id, false, "Not an emergency: ended at once", true));
  auto again = glass.Break(Fresh("teacher"), child_, Request());
  EXPECT_EQ(again.error().code, ErrorCode::kForbidden);
  EXPECT_NE(again.error().message.find("unjustified"), std::string::npos);
  // Others are not affected.
  AddUser("nurse", domain::Role::kPractitioner, "ag-school");
  EXPECT_TRUE(glass.Break(Fresh("nurse"), child_, Request()));
}

// Found by the property-based test of access (issue 17): the verdict was looked for among the
// authority's 200 newest break-glass uses (every unreviewed one and those of the last 30 days),
// so in a busy authority, or one whose managers are behind with reviews, it was not found and
// the practitioner broke the glass again against it.
TEST_F(BreakGlassServiceTest, AVerdictOfUnjustifiedHoldsHoweverManyUsesTheAuthorityHas) {
  BreakGlassService glass(*ctx_);
  auto first = glass.Break(Fresh("teacher"), child_, Request());
  ASSERT_TRUE(first);
  ASSERT_TRUE(glass.Review(Fresh("mgr"), first->break_glass.id, false, "Not an emergency: ended at once", true));
  // Since then, 250 other uses in the authority, none reviewed yet.
  clock_.Advance(std::chrono::hours(1));
  store_->Write([&](storage::Repositories& r) {
    for (int i = 0; i < 250; ++i) {
      auto g = domain::NewBreakGlass(child_, "la1", "u-sw", "immediate_risk", "Another emergency elsewhere today",
                                     std::nullopt, ctx_->policy.break_glass, clock_.Now() + std::chrono::seconds(i));
      EXPECT_TRUE(g);
      g->id = "G-busy-" + std::to_string(i);
      EXPECT_TRUE(r.BreakGlass().Insert(*g));
    }
    return true;
  });
  clock_.Advance(std::chrono::hours(1));
  auto again = glass.Break(Fresh("teacher"), child_, Request());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kForbidden);
}

}  // namespace
}  // namespace kith::app
