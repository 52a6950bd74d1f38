#include "domain/early_help/assessment.h"

#include <gtest/gtest.h>

namespace kith::domain::early_help {
namespace {

const Date kToday{2026, 11, 20};
const TimePoint kAt = FromMicros(1'790'000'000'000'000);

Content Ready() {
  Content c;
  c.consent = {"Sarah Carter, mother", Date{2026, 11, 2}, ""};
  c.elements = {{"learning_progress", "Reads well", "Attendance 82%", "Mum worries about mornings"},
                {"health", "Registered with a GP", "Missed dental checks", ""}};
  c.child_view = "I like football.";
  c.conclusion = "Help with routines and attendance.";
  c.agreed_needs = {{"N1", "School attendance above 95%"}, {"N2", "Dental check-up"}};
  return c;
}

Assessment Started() { return *Start("H1", "K1", "u-lead", Ready(), "u-lead", kAt, kToday); }

Assessment Completed() {
  auto a = Started();
  EXPECT_TRUE(Complete(a, "u-lead", kAt).ok());
  return a;
}

Meeting AMeeting() {
  return {"M1", Date{2026, 11, 10}, {"Sam Hughes, social worker", "Sarah Carter"}, "Weekly check-ins", "u", kAt};
}

Assessment InPlan() {
  auto a = Completed();
  EXPECT_TRUE(HoldMeeting(a, AMeeting(), kToday).ok());
  return a;
}

Action AnAction(std::string id = "X1") {
  Action x;
  x.id = std::move(id);
  x.description = "Morning routine chart";
  x.owner_id = "u-teacher";
  x.due_on = Date{2026, 11, 30};
  x.need_id = "N1";
  x.meeting_id = "M1";
  return x;
}

Review AReview() {
  return {"R1", Date{2026, 11, 18}, {{"N1", Progress::kSomeProgress, "88%"}, {"N2", Progress::kMet, ""}}, 0, "", "u",
          kAt};
}

void ExpectConflict(const Status& s, std::string_view words) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_NE(s.error().message.find(words), std::string::npos) << s.error().message;
}

TEST(EarlyHelpElements, CoverTheThreeDomainsOfTheCafTriangle) {
  int development = 0, parenting = 0, environment = 0;
  for (const auto& e : Elements()) {
    development += e.domain == "development";
    parenting += e.domain == "parenting";
    environment += e.domain == "family_environment";
    EXPECT_EQ(FindElement(e.code), &e);
  }
  EXPECT_EQ(development, 9);  // six elements, learning in three parts
  EXPECT_EQ(parenting, 3);
  EXPECT_EQ(environment, 4);
  EXPECT_EQ(FindElement("nonsense"), nullptr);
}

TEST(EarlyHelpCodes, RoundTrip) {
  for (auto s : {Stage::kDraft, Stage::kCompleted, Stage::kPlan, Stage::kReview, Stage::kClosed}) {
    EXPECT_EQ(ParseStage(ToString(s)), s);
  }
  for (auto o : {Outcome::kNeedsMet, Outcome::kSteppedUp, Outcome::kSteppedDown, Outcome::kMovedAway}) {
    EXPECT_EQ(ParseOutcome(ToString(o)), o);
  }
  EXPECT_EQ(ParseActionStatus("done"), ActionStatus::kDone);
  EXPECT_EQ(ParseProgress("some_progress"), Progress::kSomeProgress);
  EXPECT_FALSE(ParseOutcome("Needs met"));
  EXPECT_EQ(Label(Outcome::kSteppedUp), "stepped up to children's social care");
}

TEST(EarlyHelpStart, OpensVersionOneInDraftWithTheLeadDesignated) {
  auto a = Started();
  EXPECT_EQ(a.stage, Stage::kDraft);
  ASSERT_EQ(a.versions.size(), 1u);
  EXPECT_FALSE(a.versions[0].locked);
  EXPECT_EQ(a.Draft(), &a.versions[0]);
  EXPECT_EQ(a.OfRecord(), nullptr);
  EXPECT_EQ(a.lead_id, "u-lead");
  ASSERT_EQ(a.lead_history.size(), 1u);
}

TEST(EarlyHelpStart, NeedsALeadAndValidContent) {
  EXPECT_EQ(Start("H", "K", "", Ready(), "u", kAt, kToday).error().field, "lead_user_id");
  auto c = Ready();
  c.elements.push_back({"astrology", "x", "", ""});
  EXPECT_EQ(Start("H", "K", "u", c, "u", kAt, kToday).error().field, "elements.code");
}

TEST(EarlyHelpContent, SortsElementsIntoFormOrderAndDropsEmptyOnes) {
  auto c = Ready();
  c.elements.push_back({"wider_family", " ", "", "\n"});
  ASSERT_TRUE(ValidateContent(c, kToday).ok());
  ASSERT_EQ(c.elements.size(), 2u);
  EXPECT_EQ(c.elements[0].code, "health");
  EXPECT_EQ(c.elements[1].code, "learning_progress");
}

TEST(EarlyHelpContent, RefusesRepeatsFutureConsentAndBadNeeds) {
  auto twice = Ready();
  twice.elements.push_back({"health", "again", "", ""});
  EXPECT_EQ(ValidateContent(twice, kToday).error().message, "'health' is given twice.");
  auto future = Ready();
  future.consent.given_on = Date{2026, 12, 1};
  EXPECT_EQ(ValidateContent(future, kToday).error().field, "consent.given_on");
  auto same_id = Ready();
  same_id.agreed_needs.push_back({"N1", "Another"});
  EXPECT_EQ(ValidateContent(same_id, kToday).error().field, "agreed_needs.id");
  auto blank = Ready();
  blank.agreed_needs.push_back({"N3", "  "});
  EXPECT_EQ(ValidateContent(blank, kToday).error().field, "agreed_needs.text");
  auto control = Ready();
  control.consent.given_by = "Sarah\x01";
  EXPECT_EQ(ValidateContent(control, kToday).error().field, "consent.given_by");
}

TEST(EarlyHelpContent, NewNeedsGetIdsNeverUsedBefore) {
  auto a = Completed();
  ASSERT_TRUE(StartNewVersion(a, "u", kAt).ok());
  auto c = Ready();
  c.agreed_needs = {{"N1", "School attendance above 95%"}, {"", "Housing repairs"}};  // N2 dropped
  ASSERT_TRUE(EditDraft(a, c, kToday).ok());
  EXPECT_EQ(a.versions[1].content.agreed_needs[1].id, "N3");
}

TEST(EarlyHelpDraft, CanBeEditedUntilCompleted) {
  auto a = Started();
  auto c = Ready();
  c.parents_view = "We want help with mornings.";
  ASSERT_TRUE(EditDraft(a, c, kToday).ok());
  EXPECT_EQ(a.versions[0].content.parents_view, "We want help with mornings.");
  ASSERT_TRUE(Complete(a, "u", kAt).ok());
  ExpectConflict(EditDraft(a, c, kToday), "start a new version");
}

TEST(EarlyHelpComplete, LocksTheDraftAndMovesToCompleted) {
  auto a = Completed();
  EXPECT_EQ(a.stage, Stage::kCompleted);
  EXPECT_TRUE(a.versions[0].locked);
  EXPECT_EQ(a.versions[0].completed_by, "u-lead");
  EXPECT_EQ(a.OfRecord(), &a.versions[0]);
  EXPECT_EQ(a.Draft(), nullptr);
  ExpectConflict(Complete(a, "u", kAt), "no draft to complete");
}

TEST(EarlyHelpComplete, NeedsConsentOrALawfulBasis) {
  auto a = Started();
  auto c = Ready();
  c.consent = {};
  ASSERT_TRUE(EditDraft(a, c, kToday).ok());
  auto s = Complete(a, "u", kAt);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "consent");
  EXPECT_EQ(a.stage, Stage::kDraft);
  c.consent.lawful_basis = "Proceeding under section 17 after a safeguarding discussion.";
  ASSERT_TRUE(EditDraft(a, c, kToday).ok());
  EXPECT_TRUE(Complete(a, "u", kAt).ok());
}

TEST(EarlyHelpComplete, NeedsAnElementAConclusionAndAgreedNeeds) {
  for (auto [field, strip] : std::vector<std::pair<std::string, void (*)(Content&)>>{
           {"elements", [](Content& c) { c.elements.clear(); }},
           {"conclusion", [](Content& c) { c.conclusion = " "; }},
           {"agreed_needs", [](Content& c) { c.agreed_needs.clear(); }}}) {
    auto a = Started();
    auto c = Ready();
    strip(c);
    ASSERT_TRUE(EditDraft(a, c, kToday).ok());
    auto s = Complete(a, "u", kAt);
    ASSERT_FALSE(s.ok()) << field;
    EXPECT_EQ(s.error().field, field);
    EXPECT_FALSE(a.versions[0].locked);
  }
}

TEST(EarlyHelpVersions, ANewVersionIsADraftCopyAndTheLockedOneStaysOfRecord) {
  auto a = InPlan();
  ASSERT_TRUE(StartNewVersion(a, "u2", kAt).ok());
  ASSERT_EQ(a.versions.size(), 2u);
  EXPECT_EQ(a.versions[1].number, 2);
  EXPECT_EQ(a.versions[1].content.conclusion, a.versions[0].content.conclusion);
  EXPECT_EQ(a.OfRecord(), &a.versions[0]);
  EXPECT_EQ(a.stage, Stage::kPlan);  // the plan goes on while the new version is drafted
  ExpectConflict(StartNewVersion(a, "u", kAt), "version 2 is still a draft");
  auto c = Ready();
  c.agreed_needs.push_back({"N3", "Housing repairs"});
  ASSERT_TRUE(EditDraft(a, c, kToday).ok());
  EXPECT_EQ(a.versions[0].content.agreed_needs.size(), 2u);  // the locked version is untouched
  ASSERT_TRUE(Complete(a, "u2", kAt).ok());
  EXPECT_EQ(a.OfRecord(), &a.versions[1]);
  EXPECT_EQ(a.stage, Stage::kPlan);
}

TEST(EarlyHelpVersions, NotBeforeTheFirstCompletion) {
  auto a = Started();
  ExpectConflict(StartNewVersion(a, "u", kAt), "version 1 is still a draft");
}

TEST(EarlyHelpMeeting, NeedsACompletedAssessmentAndMovesToPlan) {
  auto draft = Started();
  ExpectConflict(HoldMeeting(draft, AMeeting(), kToday), "complete and lock the assessment first");
  auto a = Completed();
  ASSERT_TRUE(HoldMeeting(a, AMeeting(), kToday).ok());
  EXPECT_EQ(a.stage, Stage::kPlan);
  auto second = AMeeting();
  second.id = "M2";
  ASSERT_TRUE(HoldMeeting(a, second, kToday).ok());
  EXPECT_EQ(a.meetings.size(), 2u);
}

TEST(EarlyHelpMeeting, NeedsAttendeesDecisionsAndAPastDate) {
  auto a = Completed();
  auto m = AMeeting();
  m.attendees = {" ", ""};
  EXPECT_EQ(HoldMeeting(a, m, kToday).error().field, "attendees");
  m = AMeeting();
  m.decisions = "";
  EXPECT_EQ(HoldMeeting(a, m, kToday).error().field, "decisions");
  m = AMeeting();
  m.held_on = Date{2026, 11, 21};
  EXPECT_EQ(HoldMeeting(a, m, kToday).error().field, "held_on");
  EXPECT_EQ(a.stage, Stage::kCompleted);
}

TEST(EarlyHelpActions, NeedAPlanFromATacMeeting) {
  auto a = Completed();
  ExpectConflict(AddAction(a, AnAction()), "TAC meeting first");
  auto p = InPlan();
  ASSERT_TRUE(AddAction(p, AnAction()).ok());
  EXPECT_EQ(p.actions.size(), 1u);
}

TEST(EarlyHelpActions, RefuseUnknownNeedsMeetingsAndMissingFields) {
  auto a = InPlan();
  auto x = AnAction();
  x.need_id = "N9";
  EXPECT_EQ(AddAction(a, x).error().field, "need_id");
  x = AnAction();
  x.meeting_id = "M9";
  EXPECT_EQ(AddAction(a, x).error().field, "meeting_id");
  x = AnAction();
  x.owner_id = "";
  EXPECT_EQ(AddAction(a, x).error().field, "owner_id");
  x = AnAction();
  x.description = " ";
  EXPECT_EQ(AddAction(a, x).error().field, "description");
  ASSERT_TRUE(AddAction(a, AnAction()).ok());
  EXPECT_EQ(AddAction(a, AnAction()).error().code, ErrorCode::kConflict);
}

TEST(EarlyHelpActions, StatusChangesAndOverdue) {
  auto a = InPlan();
  ASSERT_TRUE(AddAction(a, AnAction()).ok());
  EXPECT_TRUE(OverdueActions(a, Date{2026, 11, 30}).empty());  // due today is not overdue
  ASSERT_EQ(OverdueActions(a, Date{2026, 12, 1}).size(), 1u);
  a.actions[0].overdue_alerted_on = Date{2026, 12, 1};
  ASSERT_TRUE(SetActionStatus(a, "X1", ActionStatus::kInProgress, kAt).ok());
  EXPECT_EQ(OverdueActions(a, Date{2026, 12, 1}).size(), 1u);
  ASSERT_TRUE(SetActionStatus(a, "X1", ActionStatus::kDone, kAt).ok());
  EXPECT_TRUE(OverdueActions(a, Date{2026, 12, 1}).empty());
  EXPECT_FALSE(a.actions[0].overdue_alerted_on);
  EXPECT_EQ(SetActionStatus(a, "X9", ActionStatus::kDone, kAt).error().code, ErrorCode::kNotFound);
}

TEST(EarlyHelpReview, RecordsProgressOnEveryAgreedNeedAndMovesToReview) {
  auto a = InPlan();
  ASSERT_TRUE(RecordReview(a, AReview(), kToday).ok());
  EXPECT_EQ(a.stage, Stage::kReview);
  EXPECT_EQ(a.reviews[0].version_reviewed, 1);
  auto again = AReview();
  again.id = "R2";
  ASSERT_TRUE(RecordReview(a, again, kToday).ok());
  EXPECT_EQ(a.stage, Stage::kReview);
  // The plan goes on after a review: more meetings and actions.
  ASSERT_TRUE(AddAction(a, AnAction()).ok());
  auto m = AMeeting();
  m.id = "M2";
  ASSERT_TRUE(HoldMeeting(a, m, kToday).ok());
  EXPECT_EQ(a.stage, Stage::kReview);
}

TEST(EarlyHelpReview, RefusedBeforeAPlanAndWithMissingOrUnknownNeeds) {
  auto c = Completed();
  ExpectConflict(RecordReview(c, AReview(), kToday), "hold a TAC meeting");
  auto a = InPlan();
  auto missing = AReview();
  missing.progress.pop_back();
  auto s = RecordReview(a, missing, kToday);
  EXPECT_EQ(s.error().field, "progress");
  EXPECT_NE(s.error().message.find("Dental check-up"), std::string::npos);
  auto unknown = AReview();
  unknown.progress.push_back({"N7", Progress::kMet, ""});
  EXPECT_EQ(RecordReview(a, unknown, kToday).error().field, "progress.need_id");
  EXPECT_EQ(a.stage, Stage::kPlan);
}

TEST(EarlyHelpClose, FromCompletedPlanOrReviewWithAnOutcome) {
  for (auto a : {Completed(), InPlan()}) {
    ASSERT_TRUE(Close(a, Outcome::kSteppedDown, "Universal services only", "u", kAt).ok());
    EXPECT_EQ(a.stage, Stage::kClosed);
    EXPECT_EQ(a.outcome, Outcome::kSteppedDown);
    EXPECT_FALSE(a.IsOpen());
  }
  auto r = InPlan();
  ASSERT_TRUE(RecordReview(r, AReview(), kToday).ok());
  ASSERT_TRUE(Close(r, Outcome::kNeedsMet, "All needs met", "u", kAt).ok());
  EXPECT_EQ(r.closed_by, "u");
}

TEST(EarlyHelpClose, RefusedInDraftWithADraftOpenOrWithoutASummary) {
  auto d = Started();
  ExpectConflict(Close(d, Outcome::kMovedAway, "Moved", "u", kAt), "complete the assessment first");
  auto a = InPlan();
  ASSERT_TRUE(StartNewVersion(a, "u", kAt).ok());
  ExpectConflict(Close(a, Outcome::kNeedsMet, "Done", "u", kAt), "version 2 is still a draft");
  auto b = InPlan();
  EXPECT_EQ(Close(b, Outcome::kNeedsMet, " ", "u", kAt).error().field, "summary");
}

TEST(EarlyHelpClose, NothingHappensToAClosedAssessment) {
  auto a = InPlan();
  ASSERT_TRUE(AddAction(a, AnAction()).ok());
  ASSERT_TRUE(Close(a, Outcome::kSteppedUp, "Referred to children's social care", "u", kAt).ok());
  ExpectConflict(EditDraft(a, Ready(), kToday), "it is closed");
  ExpectConflict(Complete(a, "u", kAt), "it is closed");
  ExpectConflict(StartNewVersion(a, "u", kAt), "it is closed");
  ExpectConflict(HoldMeeting(a, AMeeting(), kToday), "it is closed");
  ExpectConflict(AddAction(a, AnAction("X2")), "it is closed");
  ExpectConflict(SetActionStatus(a, "X1", ActionStatus::kDone, kAt), "it is closed");
  ExpectConflict(RecordReview(a, AReview(), kToday), "it is closed");
  ExpectConflict(Close(a, Outcome::kNeedsMet, "Again", "u", kAt), "it is closed");
  ExpectConflict(HandOver(a, "u2", "u", "", kAt), "it is closed");
  EXPECT_TRUE(OverdueActions(a, Date{2027, 1, 1}).empty());
}

TEST(EarlyHelpLead, HandOverIsKeptInTheHistory) {
  auto a = Started();
  ASSERT_TRUE(HandOver(a, "u2", "u-lead", "Moving to the school nurse", kAt).ok());
  EXPECT_EQ(a.lead_id, "u2");
  ASSERT_EQ(a.lead_history.size(), 2u);
  EXPECT_EQ(a.lead_history[1].reason, "Moving to the school nurse");
  EXPECT_EQ(HandOver(a, "u2", "u", "", kAt).error().code, ErrorCode::kConflict);
  EXPECT_EQ(HandOver(a, "", "u", "", kAt).error().field, "user_id");
}

}  // namespace
}  // namespace kith::domain::early_help
