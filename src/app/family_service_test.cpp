#include "app/family_service.h"

#include <gtest/gtest.h>

#include "app/child_service.h"
#include "app/early_help_service.h"
#include "app/team_service.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

using domain::EntryType;
using domain::FamilyRelation;
using domain::RestrictionReason;
using domain::Visibility;
using domain::VisibilityChoice;

class FamilyServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    children_ = std::make_unique<ChildService>(*ctx_);
    hub_ = std::make_unique<LiveHub>([this](const std::string& u, const LiveEvent& e) {
      return account_->MaySee(u, e.child_id) || family_->MaySeeLive(u, e);
    });
    account_ = std::make_unique<AccountService>(*ctx_, words_, hub_.get());
    family_ = std::make_unique<FamilyService>(*ctx_, words_, hub_.get());
    leo_ = MakeChild("Leo", Date{2019, 3, 14}, "NB1 4QT");
    mia_ = MakeChild("Mia", Date{2012, 6, 1}, "NB1 4QT");
    ASSERT_TRUE(TeamService(*ctx_).ChangeLead(As("sw"), leo_, "u-sw", "Allocated social worker takes the lead"));
    AddToTeam(leo_, "teacher", "Class teacher");
  }

  std::string MakeChild(const std::string& name, Date dob, const std::string& postcode) {
    domain::Child c;
    c.given_names = name;
    c.family_name = "Carter";
    c.date_of_birth = dob;
    c.postcode = postcode;
    c.address = "4 Mill Row";
    auto created = children_->Create(As("sw"), c, "Referral received");
    EXPECT_TRUE(created) << created.error().message;
    return created->child.id;
  }

  // Invites and redeems; returns the new family member's principal.
  Principal Family(const std::string& child, const std::string& username, FamilyRelation relation, Date dob,
                   const std::string& postcode = "NB1 4QT") {
    auto inv = family_->Invite(As("sw"), child, {relation, "Sarah Carter", ""});
    EXPECT_TRUE(inv) << inv.error().message;
    auto member = family_->Redeem({inv->code, dob, postcode, username, kPassword, "Sarah Carter"}, "127.0.0.1");
    EXPECT_TRUE(member) << member.error().message;
    return As(username);
  }

  std::string AddEntry(const std::string& summary, EntryType type, std::optional<VisibilityChoice> v = std::nullopt,
                       const std::string& by = "sw",
                       domain::Significance significance = domain::Significance::kRoutine) {
    NewEntry e;
    e.occurred_on = {2026, 11, 2};
    e.type = type;
    e.significance = significance;
    e.summary = summary;
    e.visibility = v;
    auto added = account_->AddEntry(As(by), leo_, e);
    EXPECT_TRUE(added) << added.error().message;
    return added->stored.entry.id;
  }

  std::vector<std::string> SeenBy(const Principal& p, const std::string& child) {
    auto view = family_->Child(p, child);
    if (!view) return {};
    std::vector<std::string> out;
    for (const auto& e : view->entries) out.push_back(e.stored.entry.summary);
    return out;
  }

  WordIndex words_;
  std::unique_ptr<ChildService> children_;
  std::unique_ptr<LiveHub> hub_;
  std::unique_ptr<AccountService> account_;
  std::unique_ptr<FamilyService> family_;
  std::string leo_, mia_;
};

TEST_F(FamilyServiceTest, NothingIsSharedByDefaultAndRestrictionsNeedAReason) {
  AddEntry("Home visit, all well", EntryType::kHomeVisit);
  AddEntry("Police called to the house", EntryType::kPoliceCallOut);
  NewEntry bad;
  bad.occurred_on = {2026, 11, 2};
  bad.type = EntryType::kHomeVisit;
  bad.summary = "Restricted with an empty reason";
  bad.visibility = VisibilityChoice{Visibility::kTeam, RestrictionReason::kOther, " "};
  auto refused = account_->AddEntry(As("sw"), leo_, bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "restriction_text");
  auto listed = account_->Chronology(As("sw"), leo_, {});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  for (const auto& e : *listed) {
    ASSERT_TRUE(e.visibility);
    EXPECT_EQ(e.visibility->record.visibility, Visibility::kTeam);
    EXPECT_FALSE(e.visibility->record.reason);
    EXPECT_EQ(e.visibility->set_by_agency_id, "ag-csc");
  }
}

TEST_F(FamilyServiceTest, VisibilityMatrixOverViewers) {
  AddEntry("Visible home visit", EntryType::kHomeVisit, VisibilityChoice{Visibility::kTeamAndFamily, {}, ""});
  AddEntry("Default team home visit", EntryType::kHomeVisit);
  AddEntry("Default team police call", EntryType::kPoliceCallOut);
  AddEntry("Restricted visit", EntryType::kHomeVisit,
           VisibilityChoice{Visibility::kTeam, RestrictionReason::kRiskOfHarm, ""});
  AddEntry("Shared police call", EntryType::kPoliceCallOut, VisibilityChoice{Visibility::kTeamAndFamily, {}, ""});
  auto parent = Family(leo_, "sarah.carter", FamilyRelation::kParentCarer, {2019, 3, 14});
  auto sibling_parent = Family(mia_, "dan.carter", FamilyRelation::kParentCarer, {2012, 6, 1});
  auto young = Family(mia_, "mia.carter", FamilyRelation::kYoungPerson, {2012, 6, 1});
  const std::vector<std::string> expected = {"Shared police call", "Visible home visit"};
  auto seen = SeenBy(parent, leo_);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, expected);
  EXPECT_FALSE(family_->Child(sibling_parent, leo_));
  EXPECT_FALSE(family_->Child(young, leo_));
  EXPECT_TRUE(family_->Child(young, mia_));
  // Practitioners' pages refuse family members.
  EXPECT_EQ(account_->Chronology(parent, leo_, {}).error().code, ErrorCode::kForbidden);
  // A team member not on this team sees nothing (teacher is on Leo's, not Mia's).
  EXPECT_EQ(family_->Members(As("teacher"), mia_).error().code, ErrorCode::kForbidden);
}

TEST_F(FamilyServiceTest, RestrictionsAreConfirmedByTheLeadAndReleasedWithTheRestrictingAgency) {
  const std::string id =
      AddEntry("Mother's new address", EntryType::kHomeVisit,
               VisibilityChoice{Visibility::kTeam, RestrictionReason::kOther, "Address of a third party"});
  auto parent = Family(leo_, "sarah.carter", FamilyRelation::kParentCarer, {2019, 3, 14});
  auto list = family_->Restrictions(As("teacher"), leo_);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().title, "Mother's new address");
  EXPECT_EQ(list->front().row.record.review, domain::RestrictionReview::kPending);
  EXPECT_EQ(list->front().restricting_agency_name, "Northbrook Children's Services");
  EXPECT_EQ(list->front().agreement_needed, std::vector<std::string>{"Northbrook Children's Services"});
  EXPECT_TRUE(family_->Restrictions(As("sw"), leo_)->front().agreement_needed.empty());
  EXPECT_EQ(family_->Confirm(As("teacher"), leo_, id, "").error().code, ErrorCode::kForbidden);
  ASSERT_TRUE(family_->Confirm(As("sw"), leo_, id, "Keep it back for now"));
  EXPECT_EQ(family_->Confirm(As("sw"), leo_, id, "").error().code, ErrorCode::kConflict);

  // The teacher cannot share what social care restricted: social care is asked, and alerted.
  EXPECT_EQ(family_->SetVisibility(As("teacher"), leo_, id, {Visibility::kTeamAndFamily, {}, ""}).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(family_->Release(As("teacher"), leo_, id, " ").error().field, "reason");
  auto asked = family_->Release(As("teacher"), leo_, id, "The mother told the school her new address herself");
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_FALSE(asked->released);
  ASSERT_EQ(asked->requests.size(), 1u);
  EXPECT_EQ(asked->requests[0].request.agency_id, "ag-csc");
  EXPECT_TRUE(asked->requests[0].agency_on_team);
  EXPECT_TRUE(SeenBy(parent, leo_).empty());
  EXPECT_EQ(account_->Alerts(As("sw"), 10)->front().alert.kind, "release_request");
  EXPECT_EQ(family_->DecideRelease(As("teacher"), leo_, id, true, "I agree").error().code, ErrorCode::kNotFound);
  auto releases = family_->Releases(As("sw"), leo_);
  ASSERT_TRUE(releases);
  ASSERT_EQ(releases->size(), 1u);
  EXPECT_TRUE(releases->front().may_decide);
  EXPECT_FALSE(family_->Releases(As("teacher"), leo_)->front().may_decide);

  std::vector<LiveEvent> to_parent;
  hub_->Subscribe(parent.user.id, [&](const LiveEvent& e) { to_parent.push_back(e); });
  auto agreed = family_->DecideRelease(As("sw"), leo_, id, true, "The mother already knows it");
  ASSERT_TRUE(agreed) << agreed.error().message;
  EXPECT_TRUE(agreed->released);
  EXPECT_EQ(agreed->row.record.review, domain::RestrictionReview::kLifted);
  EXPECT_EQ(SeenBy(parent, leo_), std::vector<std::string>{"Mother's new address"});
  EXPECT_EQ(to_parent.size(), 1u) << "the family's page is told to reload";
  EXPECT_EQ(account_->Alerts(As("teacher"), 10)->front().alert.kind, "release_agreed");
  EXPECT_EQ(family_->Release(As("sw"), leo_, id, "Again").error().code, ErrorCode::kConflict);
}

TEST_F(FamilyServiceTest, ARequestToAnAgencyNobodyOnTheTeamActsForReachesWhoRecordedItOrElseItsManagers) {
  const std::string id = AddEntry("School's concern", EntryType::kNote,
                                  VisibilityChoice{Visibility::kTeam, RestrictionReason::kThirdParty, ""}, "teacher");
  ASSERT_TRUE(TeamService(*ctx_).Leave(As("teacher"), leo_, "Leo has moved to another school"));
  AddUser("head", domain::Role::kManager, "ag-school");
  auto asked = family_->Release(As("sw"), leo_, id, "The family asked to see what the school said");
  ASSERT_TRUE(asked) << asked.error().message;
  ASSERT_EQ(asked->requests.size(), 1u);
  EXPECT_FALSE(asked->requests[0].agency_on_team);
  EXPECT_EQ(asked->requests[0].told, std::vector<std::string>{"teacher"}) << "who recorded it, not the managers";
  auto alerts = account_->Alerts(As("teacher"), 10);
  ASSERT_TRUE(alerts);
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ(alerts->front().alert.kind, "release_request");
  EXPECT_NE(alerts->front().alert.summary.find("ask to join the team"), std::string::npos)
      << alerts->front().alert.summary;
  EXPECT_TRUE(account_->Alerts(As("head"), 10)->empty());
  // Answering needs a place on the team; once on it, the teacher answers.
  EXPECT_FALSE(family_->DecideRelease(As("teacher"), leo_, id, true, "The school agrees"));
  AddToTeam(leo_, "teacher", "Former class teacher");
  auto agreed = family_->DecideRelease(As("teacher"), leo_, id, true, "The school agrees");
  ASSERT_TRUE(agreed) << agreed.error().message;
  EXPECT_TRUE(agreed->released);

  // With nobody left in the agency who recorded or restricted it, its managers are told.
  const std::string other = AddEntry("School's second concern", EntryType::kNote,
                                     VisibilityChoice{Visibility::kTeam, RestrictionReason::kThirdParty, ""}, "teacher");
  ASSERT_TRUE(TeamService(*ctx_).Leave(As("teacher"), leo_, "Leo has moved to another school"));
  store_->Write([&](storage::Repositories& r) {
    auto u = r.Users().Get("u-teacher");
    u->active = false;
    EXPECT_TRUE(r.Users().Update(*u));
    return true;
  });
  auto again = family_->Release(As("sw"), leo_, other, "The family asked to see this too");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->requests.at(0).told, std::vector<std::string>{"head"});
  EXPECT_EQ(account_->Alerts(As("head"), 10)->size(), 1u);
  // The list of requests says nobody from the school is on the team; it does not repeat who was told.
  for (const auto& v : *family_->Releases(As("sw"), leo_)) EXPECT_TRUE(v.told.empty());
}

TEST_F(FamilyServiceTest, AnotherAgencysRestrictionCannotBeReplacedAndOneRefusalEndsTheRequest) {
  const std::string id = AddEntry("School's concern", EntryType::kNote,
                                  VisibilityChoice{Visibility::kTeam, RestrictionReason::kThirdParty, ""}, "teacher");
  auto parent = Family(leo_, "sarah.carter", FamilyRelation::kParentCarer, {2019, 3, 14});
  EXPECT_EQ(family_->SetVisibility(As("sw"), leo_, id, {Visibility::kTeam, RestrictionReason::kOther, "Mine now"})
                .error()
                .code,
            ErrorCode::kConflict);
  EXPECT_EQ(family_->SetVisibility(As("sw"), leo_, id, {Visibility::kTeam, {}, ""}).error().code, ErrorCode::kConflict);
  ASSERT_TRUE(family_->Release(As("sw"), leo_, id, "The family asked"));
  auto declined = family_->DecideRelease(As("teacher"), leo_, id, false, "It names another pupil");
  ASSERT_TRUE(declined) << declined.error().message;
  EXPECT_FALSE(declined->released);
  EXPECT_TRUE(SeenBy(parent, leo_).empty());
  EXPECT_EQ(family_->Releases(As("sw"), leo_)->front().request_status, domain::ReleaseStatus::kDeclined);
  EXPECT_EQ(account_->Alerts(As("sw"), 10)->front().alert.kind, "release_declined");
  // The school shares its own entry itself, with a reason.
  auto own = family_->Release(As("teacher"), leo_, id, "The other pupil's name is removed now");
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_TRUE(own->released);
  EXPECT_EQ(SeenBy(parent, leo_), std::vector<std::string>{"School's concern"});
}

TEST_F(FamilyServiceTest, SeriousEntriesAndSensitiveTypesStayWithTheTeamWhateverTheAuthoritySets) {
  ASSERT_TRUE(family_->UpdateSettings(As("admin"), {{"home_visit", Visibility::kTeamAndFamily}}, std::nullopt));
  auto refused = family_->UpdateSettings(As("admin"), {{"referral", Visibility::kTeamAndFamily}}, std::nullopt);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "defaults.referral");
  auto parent = Family(leo_, "sarah.carter", FamilyRelation::kParentCarer, {2019, 3, 14});
  AddEntry("Routine visit", EntryType::kHomeVisit);
  AddEntry("Serious visit", EntryType::kHomeVisit, std::nullopt, "sw", domain::Significance::kSerious);
  for (auto type : domain::AllEntryTypes()) {
    if (domain::IsSensitiveSubject(domain::ToString(type))) {
      AddEntry("Sensitive " + std::string(domain::ToString(type)), type);
    }
  }
  EXPECT_EQ(SeenBy(parent, leo_), std::vector<std::string>{"Routine visit"});
  auto settings = family_->Settings(As("admin"));
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->fixed.size(), domain::SensitiveSubjectTypes().size());
}

TEST_F(FamilyServiceTest, CorrectionsKeepVisibilityUnlessChanged) {
  const std::string id = AddEntry("Visit", EntryType::kHomeVisit, VisibilityChoice{Visibility::kTeamAndFamily, {}, ""});
  auto parent = Family(leo_, "sarah.carter", FamilyRelation::kParentCarer, {2019, 3, 14});
  EntryCorrection c;
  c.summary = "Visit (corrected)";
  c.reason = "Typo";
  auto corrected = account_->CorrectEntry(As("sw"), leo_, id, c);
  ASSERT_TRUE(corrected);
  EXPECT_EQ(SeenBy(parent, leo_), std::vector<std::string>{"Visit (corrected)"});
  c.summary = "Visit (restricted)";
  c.visibility = VisibilityChoice{Visibility::kTeam, RestrictionReason::kPoliceInvestigation, ""};
  ASSERT_TRUE(account_->CorrectEntry(As("sw"), leo_, corrected->stored.entry.id, c));
  EXPECT_TRUE(SeenBy(parent, leo_).empty());
}

TEST_F(FamilyServiceTest, RedemptionChecksIdentityAndIsOneTime) {
  auto inv = family_->Invite(As("sw"), leo_, {FamilyRelation::kParentCarer, "Sarah Carter", ""});
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->code.size(), 14u);
  auto wrong = family_->Redeem({inv->code, {2019, 3, 15}, "NB1 4QT", "sarah.carter", kPassword, "Sarah"}, "c");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidInput);
  auto ok = family_->Redeem({inv->code, {2019, 3, 14}, "nb14qt", "sarah.carter", kPassword, "Sarah"}, "c");
  ASSERT_TRUE(ok) << ok.error().message;
  auto again = family_->Redeem({inv->code, {2019, 3, 14}, "NB1 4QT", "sarah.two", kPassword, "Sarah"}, "c");
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  auto invitations = family_->Invitations(As("sw"), leo_);
  ASSERT_TRUE(invitations);
  EXPECT_EQ(invitations->front().status, "redeemed");
  EXPECT_EQ(invitations->front().invitation.failed_checks, 1);
}

// Issue 14: POST /api/v1/family/redeem hashed the password (argon2id) before checking the code,
// so invented codes cost the server a hash each; 60 at once made a normal sign-in take 14 s.
TEST_F(FamilyServiceTest, RedeemingAnInventedCodeHashesNothing) {
  auto inv = family_->Invite(As("sw"), leo_, {FamilyRelation::kParentCarer, "Sarah Carter", ""});
  ASSERT_TRUE(inv);
  const uint64_t before = hasher_.Computations();
  auto invented = family_->Redeem({"ABCD-EFGH-JKMN", {2019, 3, 14}, "NB1 4QT", "sarah.carter", kPassword, "S"}, "c");
  EXPECT_EQ(invented.error().code, ErrorCode::kNotFound);
  auto wrong_identity = family_->Redeem({inv->code, {2000, 1, 1}, "NB1 4QT", "sarah.carter", kPassword, "S"}, "c");
  EXPECT_EQ(wrong_identity.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(hasher_.Computations(), before) << "no password was hashed for a redemption that cannot succeed";
  ASSERT_TRUE(family_->Redeem({inv->code, {2019, 3, 14}, "NB1 4QT", "sarah.carter", kPassword, "S"}, "c"));
  EXPECT_EQ(hasher_.Computations(), before + 1);
}

TEST_F(FamilyServiceTest, InvitationsExpireAndCancelAfterTooManyChecks) {
  auto inv = family_->Invite(As("sw"), leo_, {FamilyRelation::kParentCarer, "Sarah Carter", ""});
  clock_.Advance(kInvitationLifetime + std::chrono::seconds(1));
  EXPECT_EQ(family_->Redeem({inv->code, {2019, 3, 14}, "NB1 4QT", "sarah.carter", kPassword, "S"}, "c").error().code,
            ErrorCode::kNotFound);
  auto second = family_->Invite(As("sw"), leo_, {FamilyRelation::kParentCarer, "Sarah Carter", ""});
  for (int i = 0; i < kMaxIdentityChecks; ++i) {
    EXPECT_FALSE(family_->Redeem({second->code, {2000, 1, 1}, "NB1 4QT", "sarah.carter", kPassword, "S"}, "c"));
  }
  EXPECT_EQ(family_->Redeem({second->code, {2019, 3, 14}, "NB1 4QT", "sarah.carter", kPassword, "S"}, "c").error().code,
            ErrorCode::kNotFound);
}

TEST_F(FamilyServiceTest, YoungPeopleFromTheAuthorityAgeAndOnlyThemselves) {
  auto too_young = family_->Invite(As("sw"), leo_, {FamilyRelation::kYoungPerson, "Leo", ""});
  ASSERT_FALSE(too_young);
  EXPECT_EQ(too_young.error().field, "relation");
  AddToTeam(mia_, "teacher", "Class teacher");
  auto young = Family(mia_, "mia.carter", FamilyRelation::kYoungPerson, {2012, 6, 1});
  auto sibling = family_->Invite(As("sw"), leo_, {FamilyRelation::kParentCarer, "Mia", ""});
  auto linked = family_->AddLink(young, {sibling->code, {2019, 3, 14}, "NB1 4QT", "", "", ""});
  ASSERT_FALSE(linked);
  EXPECT_EQ(linked.error().code, ErrorCode::kConflict);
}

TEST_F(FamilyServiceTest, ParentLinksSiblingAndSeesBoth) {
  auto parent = Family(leo_, "sarah.carter", FamilyRelation::kParentCarer, {2019, 3, 14});
  auto inv = family_->Invite(As("sw"), mia_, {FamilyRelation::kParentCarer, "Sarah Carter", ""});
  ASSERT_TRUE(family_->AddLink(parent, {inv->code, {2012, 6, 1}, "NB1 4QT", "", "", ""}));
  auto kids = family_->Children(parent);
  ASSERT_TRUE(kids);
  EXPECT_EQ(kids->size(), 2u);
  EXPECT_TRUE(family_->Child(parent, mia_));
}

TEST_F(FamilyServiceTest, FamilyVoiceReachesTheTeamLiveAndTheWordCloud) {
  const std::string visible =
      AddEntry("Visible visit", EntryType::kHomeVisit, VisibilityChoice{Visibility::kTeamAndFamily, {}, ""});
  const std::string restricted = AddEntry("Hidden visit", EntryType::kHomeVisit,
                                          VisibilityChoice{Visibility::kTeam, RestrictionReason::kThirdParty, ""});
  auto parent = Family(leo_, "sarah.carter", FamilyRelation::kParentCarer, {2019, 3, 14});
  std::vector<LiveEvent> to_lead, to_parent;
  hub_->Subscribe("u-sw", [&](const LiveEvent& e) { to_lead.push_back(e); });
  hub_->Subscribe(parent.user.id, [&](const LiveEvent& e) { to_parent.push_back(e); });
  EXPECT_EQ(family_->AddEntry(parent, leo_, domain::FamilyEntryKind::kDisagreement, restricted, "No").error().field,
            "about_entry_id");
  auto added = family_->AddEntry(parent, leo_, domain::FamilyEntryKind::kDisagreement, visible,
                                 "The trampoline accident was explained to the nurse.");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->about_kind, "entry");
  ASSERT_EQ(to_lead.size(), 1u);
  EXPECT_EQ(to_lead[0].item->kind, "family_entry");
  EXPECT_TRUE(to_parent.empty());
  auto team_view = family_->FamilyEntries(As("teacher"), leo_);
  ASSERT_TRUE(team_view);
  ASSERT_EQ(team_view->size(), 1u);
  auto alerts = account_->Alerts(As("sw"), 10);
  ASSERT_TRUE(alerts);
  EXPECT_EQ(alerts->front().alert.kind, "family_entry");
  auto cloud = account_->WordCloud(As("sw"), leo_, 50);
  ASSERT_TRUE(cloud);
  EXPECT_TRUE(std::any_of(cloud->begin(), cloud->end(), [](const auto& t) { return t.term == "trampolin"; }) ||
              std::any_of(cloud->begin(), cloud->end(), [](const auto& t) { return t.display == "trampoline"; }));
  // Live: a family-visible entry reaches the parent; a restricted one does not.
  to_parent.clear();
  AddEntry("Another shared visit", EntryType::kHomeVisit, VisibilityChoice{Visibility::kTeamAndFamily, {}, ""});
  AddEntry("Another hidden visit", EntryType::kHomeVisit,
           VisibilityChoice{Visibility::kTeam, RestrictionReason::kRiskOfHarm, ""});
  ASSERT_EQ(to_parent.size(), 1u);
  EXPECT_NE(to_parent[0].item->summary.find("Another shared visit"), std::string::npos);
}

TEST_F(FamilyServiceTest, SuspendedFamilyMembersSeeNothing) {
  AddEntry("Visible visit", EntryType::kHomeVisit);
  auto parent = Family(leo_, "sarah.carter", FamilyRelation::kParentCarer, {2019, 3, 14});
  ASSERT_TRUE(family_->SetMemberActive(As("teacher"), leo_, parent.user.id, false, "Threats made to the teacher"));
  EXPECT_FALSE(family_->Child(As("sarah.carter"), leo_));
  // An administrator may suspend but never let a family member back in: that is the team's.
  EXPECT_EQ(family_->SetMemberActive(As("admin"), leo_, parent.user.id, true, "Reviewed at the strategy meeting")
                .error()
                .code,
            ErrorCode::kForbidden);
  EXPECT_FALSE(family_->Child(As("sarah.carter"), leo_));
  ASSERT_TRUE(family_->SetMemberActive(As("teacher"), leo_, parent.user.id, true, "Reviewed at the strategy meeting"));
  EXPECT_TRUE(family_->Child(As("sarah.carter"), leo_));
}

// Issue 14, reproduction 3: the family portal of a child shielded after the family was linked
// still showed the team's agencies and phone numbers.
TEST_F(FamilyServiceTest, Issue14_AChildShieldedAfterTheFamilyWasLinkedShowsThemNoAgencyOrContact) {
  AddEntry("Home visit with mum", EntryType::kHomeVisit,
           VisibilityChoice{Visibility::kTeamAndFamily, std::nullopt, ""});
  const Principal parent = Family(leo_, "sarah.carter", FamilyRelation::kParentCarer, {2019, 3, 14});
  auto before = family_->Child(parent, leo_);
  ASSERT_TRUE(before);
  ASSERT_FALSE(before->team.empty());
  EXPECT_FALSE(before->team[0].agency_phone.empty());
  EXPECT_TRUE(before->contact_through.empty());

  ASSERT_TRUE(children_->SetShield(As("sw"), leo_, true, "Mother and Leo moved to a refuge last night"));
  auto after = family_->Child(parent, leo_);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->team.empty());
  EXPECT_EQ(after->contact_through, "Contact through Northbrook Children's Services");
  ASSERT_FALSE(after->entries.empty());
  for (const auto& e : after->entries) EXPECT_EQ(e.agency_name, "") << e.stored.entry.summary;
  // The shield's record says a family account is linked (the alert to the team says so too).
  auto audit = store_->ReadValue([&](storage::Repositories& r) { return r.Audit().ForChild(leo_, 50); });
  auto shield = std::find_if(audit.begin(), audit.end(), [](const auto& a) { return a.action == "child.shield"; });
  ASSERT_NE(shield, audit.end());
  EXPECT_NE(shield->detail.find("\"family_accounts_linked\":1"), std::string::npos);
}

// Issue 14, reproduction 2: an administrator got the full case file through subject access.
TEST_F(FamilyServiceTest, Issue14_AdministratorsNoLongerExportCaseFilesThroughSubjectAccess) {
  GrantInformationGovernance("admin");  // a stored grant an administrator must never be able to use
  EXPECT_EQ(family_->SubjectAccess(As("admin"), leo_, "SAR 2026/14 from the mother").error().code,
            ErrorCode::kForbidden);
}

TEST_F(FamilyServiceTest, SubjectAccessIsInformationGovernancesAlertsTheLeadAndMarksRestrictions) {
  AddEntry("Visible visit", EntryType::kHomeVisit, VisibilityChoice{Visibility::kTeamAndFamily, {}, ""});
  AddEntry("Hidden visit", EntryType::kHomeVisit,
           VisibilityChoice{Visibility::kTeam, RestrictionReason::kThirdParty, ""});
  EXPECT_EQ(family_->SubjectAccess(As("sw"), leo_, "SAR 2026/14 from the mother").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(family_->SubjectAccess(As("auditor"), leo_, "SAR 2026/14 from the mother").error().code,
            ErrorCode::kForbidden);
  GrantInformationGovernance("auditor");
  EXPECT_EQ(family_->SubjectAccess(As("auditor"), leo_, "SAR").error().code, ErrorCode::kInvalidInput);
  auto sar = family_->SubjectAccess(As("auditor"), leo_, "SAR 2026/14 from the mother");
  ASSERT_TRUE(sar);
  auto alerts = store_->ReadValue([&](storage::Repositories& r) { return r.Feed().Alerts("u-sw", 50); });
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(alerts[0].kind, "subject_access");
  EXPECT_NE(alerts[0].summary.find("SAR 2026/14 from the mother"), std::string::npos);
  ASSERT_EQ(sar->entries.size(), 2u);
  int restricted = 0;
  for (const auto& e : sar->entries) restricted += e.visibility->record.visibility == Visibility::kTeam;
  EXPECT_EQ(restricted, 1);
}

TEST_F(FamilyServiceTest, EarlyHelpIsSharedOnlyWhenSomeoneSharesItThenTheVersionOfRecordOnly) {
  EarlyHelpService early_help(*ctx_, words_, hub_.get());
  domain::early_help::Content c;
  c.consent = {"Sarah Carter, mother", Date{2026, 11, 1}, ""};
  c.elements = {{"health", "Registered with a GP", "Missed reviews", ""}};
  c.conclusion = "Support with health reviews.";
  c.agreed_needs = {{"", "Health reviews attended"}};
  auto parent = Family(leo_, "sarah.carter", FamilyRelation::kParentCarer, {2019, 3, 14});
  auto young = Family(mia_, "mia.carter", FamilyRelation::kYoungPerson, {2012, 6, 1});
  auto started = early_help.Start(As("sw"), leo_, c, "");
  ASSERT_TRUE(started) << started.error().message;
  const std::string id = started->assessment.id;
  EXPECT_TRUE(family_->Child(parent, leo_)->early_help.empty()) << "a draft stays with the team";
  std::vector<LiveEvent> to_parent;
  hub_->Subscribe(parent.user.id, [&](const LiveEvent& e) { to_parent.push_back(e); });

  // Completed, it still stays within the team until someone decides to share it (ADR 0017):
  // the family is not even told that something changed.
  ASSERT_TRUE(early_help.Complete(As("sw"), leo_, id, std::nullopt));
  EXPECT_TRUE(family_->Child(parent, leo_)->early_help.empty()) << "nobody has shared it yet";
  EXPECT_TRUE(to_parent.empty());
  auto shared = family_->Release(As("sw"), leo_, id, "Completed with Sarah, who asked to see it online");
  ASSERT_TRUE(shared) << shared.error().message;
  EXPECT_TRUE(shared->released) << "shared by the lead professional's agency: at once";
  to_parent.clear();
  ASSERT_TRUE(early_help.HoldMeeting(As("sw"), leo_, id, std::nullopt,
                                     {Date{2026, 11, 17},
                                      {"Sarah Carter", "A neighbour"},
                                      "Health visitor helps",
                                      {{"Book the review", "u-teacher", Date{2099, 1, 1}, "N1"}}}));
  ASSERT_TRUE(early_help.NewVersion(As("sw"), leo_, id, std::nullopt));
  auto draft = c;
  draft.conclusion = "Words still being drafted";
  ASSERT_TRUE(early_help.EditDraft(As("sw"), leo_, id, std::nullopt, draft));

  auto view = family_->Child(parent, leo_);
  ASSERT_TRUE(view);
  ASSERT_EQ(view->early_help.size(), 1u);
  const auto& seen = view->early_help[0];
  EXPECT_EQ(seen.version, 1);
  EXPECT_EQ(seen.content.conclusion, "Support with health reviews.");
  ASSERT_EQ(seen.meetings.size(), 1u);
  EXPECT_EQ(seen.meetings[0].decisions, "Health visitor helps");
  ASSERT_EQ(seen.actions.size(), 1u);
  EXPECT_EQ(seen.actions[0].description, "Book the review");
  EXPECT_EQ(seen.actions[0].owner_name,
            ctx_->store.ReadValue([](storage::Repositories& r) { return r.Users().Get("u-teacher")->display_name; }));
  EXPECT_FALSE(seen.actions[0].owner_agency.empty());
  EXPECT_FALSE(seen.lead_name.empty());
  EXPECT_NE(seen.lead_name, "A member of the team");
  // Where the shield meets early help: a shielded child's family sees the shared assessment but
  // no practitioner's name or agency in it, as in the chronology (issue 14, reproduction 3).
  ASSERT_TRUE(children_->SetShield(As("sw"), leo_, true, "Mother and Leo moved to a refuge last night"));
  {
    const auto shielded = family_->Child(parent, leo_)->early_help.at(0);
    EXPECT_EQ(shielded.lead_name, "A member of the team");
    EXPECT_EQ(shielded.actions.at(0).owner_name, "A member of the team");
    EXPECT_EQ(shielded.actions.at(0).owner_agency, "");
    EXPECT_EQ(shielded.actions.at(0).description, "Book the review") << "what was shared is still shared";
    const auto exported = family_->Export(parent)->children.at(0).early_help.at(0);
    EXPECT_EQ(exported.lead_name, "A member of the team");
    EXPECT_EQ(exported.actions.at(0).owner_name, "A member of the team");
  }
  ASSERT_TRUE(children_->SetShield(As("sw"), leo_, false, "Risk assessed at the strategy meeting"));
  EXPECT_FALSE(family_->Child(young, leo_)) << "the young person sees only themselves";
  EXPECT_FALSE(to_parent.empty()) << "a meeting on a shared assessment reloads the family's page";

  auto restricted =
      family_->SetVisibility(As("teacher"), leo_, id, {Visibility::kTeam, RestrictionReason::kThirdParty, ""});
  ASSERT_TRUE(restricted) << restricted.error().message;
  EXPECT_EQ(restricted->subject_kind, "assessment");
  EXPECT_TRUE(family_->Child(parent, leo_)->early_help.empty());
  EXPECT_TRUE(family_->Export(parent)->children.at(0).early_help.empty());

  // A subject-access export holds the whole assessment, the draft too, marked for redaction
  // review while it is restricted from the family.
  GrantInformationGovernance("auditor");
  auto sar = family_->SubjectAccess(As("auditor"), leo_, "SAR 2026/31 from the father");
  ASSERT_TRUE(sar) << sar.error().message;
  ASSERT_EQ(sar->assessments.size(), 1u);
  const auto& held = sar->assessments[0];
  EXPECT_EQ(held.view.assessment.id, id);
  ASSERT_EQ(held.view.assessment.versions.size(), 2u);
  EXPECT_TRUE(held.view.assessment.versions[0].locked);
  ASSERT_NE(held.view.assessment.Draft(), nullptr);
  EXPECT_EQ(held.view.assessment.Draft()->content.conclusion, "Words still being drafted");
  EXPECT_EQ(held.view.assessment.meetings.size(), 1u);
  EXPECT_EQ(held.view.assessment.actions.size(), 1u);
  EXPECT_FALSE(held.view.names.at("u-teacher").empty()) << "names for every user it mentions";
  ASSERT_TRUE(held.visibility);
  EXPECT_EQ(held.visibility->record.reason, RestrictionReason::kThirdParty);
  EXPECT_FALSE(held.family_may_see);

  // The school restricted it, but the lead professional's agency holds the assessment: sharing it
  // again waits for social care's agreement.
  auto released = family_->Release(As("teacher"), leo_, id, "Agreed with the family");
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_FALSE(released->released);
  EXPECT_TRUE(family_->Child(parent, leo_)->early_help.empty());
  auto agreed = family_->DecideRelease(As("sw"), leo_, id, true, "The lead agrees");
  ASSERT_TRUE(agreed) << agreed.error().message;
  EXPECT_TRUE(agreed->released);
  EXPECT_EQ(family_->Child(parent, leo_)->early_help.size(), 1u);
  auto view_on_it = family_->AddEntry(parent, leo_, domain::FamilyEntryKind::kResponse, id, "We agree with the plan.");
  ASSERT_TRUE(view_on_it) << view_on_it.error().message;
  EXPECT_EQ(view_on_it->about_kind, "assessment") << "labelled as a view on the assessment, not an entry";
  EXPECT_TRUE(
      family_->SubjectAccess(As("auditor"), leo_, "SAR 2026/31 from the father")->assessments.at(0).family_may_see);
  EXPECT_TRUE(family_->SubjectAccess(As("auditor"), mia_, "SAR 2026/32 from the father")->assessments.empty());
}

TEST_F(FamilyServiceTest, SettingsPerAuthority) {
  EXPECT_EQ(family_->Settings(As("sw")).error().code, ErrorCode::kForbidden);
  auto s = family_->UpdateSettings(As("admin"), {{"home_visit", Visibility::kTeam}}, 12);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->young_person_min_age, 12);
  EXPECT_FALSE(family_->UpdateSettings(As("admin"), {{"nonsense", Visibility::kTeam}}, std::nullopt));
  AddEntry("Visit now team by default", EntryType::kHomeVisit);
  auto listed = account_->Chronology(As("sw"), leo_, {});
  EXPECT_EQ(listed->front().visibility->record.visibility, Visibility::kTeam);
}

}  // namespace
}  // namespace kith::app
