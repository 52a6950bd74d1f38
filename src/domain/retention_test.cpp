#include "domain/retention.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kith::domain {
namespace {

Date D(const char* text) {
  auto d = Date::Parse(text);
  EXPECT_TRUE(d) << text;
  return d.value_or(Date{});
}

TimePoint At(const char* day) { return FromMicros(D(day).ToDays() * 86'400'000'000LL + 3'600'000'000LL); }

LegalHold Hold(const char* id, const char* from, const char* to, const char* child = "K1") {
  LegalHold h;
  h.id = id;
  h.child_id = child;
  h.authority_id = "L1";
  h.reason = "Civil claim against the authority";
  h.starts_on = D(from);
  h.ends_on = D(to);
  return h;
}

// A child with a case (a team once), born on 2008-05-10.
RetentionFacts WithCase() {
  RetentionFacts f;
  f.child_id = "K1";
  f.date_of_birth = D("2008-05-10");
  f.created_on = D("2015-01-01");
  f.ever_had_team = true;
  return f;
}

RetentionFacts Archived(const char* on) {
  RetentionFacts f = WithCase();
  f.archived_on = D(on);
  return f;
}

TEST(RetentionDatesTest, AddYearsAndMonthsMoveAMissingDayToTheFirstOfTheNextMonth) {
  EXPECT_EQ(AddYears(D("2008-02-29"), 18), D("2026-03-01"));
  EXPECT_EQ(AddYears(D("2008-02-29"), 16), D("2024-02-29"));
  EXPECT_EQ(AddYears(D("2008-05-10"), 18), D("2026-05-10"));
  EXPECT_EQ(AddMonths(D("2025-01-31"), 1), D("2025-03-01"));
  EXPECT_EQ(AddMonths(D("2025-11-30"), 3), D("2026-03-01"));
  EXPECT_EQ(AddMonths(D("2025-11-15"), 14), D("2027-01-15"));
  EXPECT_EQ(AddMonths(D("2025-12-31"), 24), D("2027-12-31"));
}

TEST(RetentionDatesTest, AddYearsIsTheFirstDayOfThatAgeForEveryBirthday) {
  for (int64_t day = D("2003-01-01").ToDays(); day <= D("2012-12-31").ToDays(); ++day) {
    const Date dob = Date::FromDays(day);
    const Date at18 = AddYears(dob, 18);
    ASSERT_EQ(dob.AgeOn(at18), 18) << dob.ToString();
    ASSERT_EQ(dob.AgeOn(Date::FromDays(at18.ToDays() - 1)), 17) << dob.ToString();
  }
}

TEST(RetentionRulesTest, TheDefaultsAreValid) { EXPECT_TRUE(ValidateRetentionRules(RetentionRules{})); }

TEST(RetentionRulesTest, ContradictoryRulesAreRefusedNamingTheField) {
  auto refused = [](RetentionRules r) {
    auto s = ValidateRetentionRules(r);
    EXPECT_FALSE(s);
    return s ? std::string("ok") : s.error().field + ": " + s.error().message;
  };
  RetentionRules r;
  r.purge_after_archive_years = -1;
  EXPECT_EQ(refused(r), "purge_after_archive_years: purge_after_archive_years cannot be negative (it is -1).");
  r = {};
  r.purge_after_archive_years = 0;
  EXPECT_NE(refused(r).find("would come with the archive, not after it"), std::string::npos);
  r = {};
  r.purge_after_death_years = 0;
  EXPECT_EQ(refused(r).rfind("purge_after_death_years:", 0), 0u);
  r = {};
  r.extended_archive_age_years = 16;
  EXPECT_EQ(refused(r),
            "extended_archive_age_years: extended_archive_age_years (16) is below archive_age_years (18): care "
            "leavers and young people with SEN would be archived before every other child.");
  r = {};
  r.archive_age_years = 0;
  EXPECT_EQ(refused(r).rfind("archive_age_years:", 0), 0u);
  r = {};
  r.remove_unused_after_months = -24;
  EXPECT_EQ(refused(r).rfind("remove_unused_after_months:", 0), 0u);
  r = {};
  r.remove_unused_after_months = 0;
  EXPECT_EQ(refused(r).rfind("remove_unused_after_months:", 0), 0u);
  r = {};
  r.purge_after_archive_years = 2'000'000'000;  // would overflow a date
  EXPECT_EQ(refused(r).rfind("purge_after_archive_years:", 0), 0u);
  r = {};
  r.archive_age_years = 25;  // equal ages are consistent
  EXPECT_TRUE(ValidateRetentionRules(r));
}

TEST(RetentionAssessTest, ArchivedOnTheEighteenthBirthdayNotTheDayBefore) {
  const RetentionFacts f = WithCase();
  auto before = Assess(f, {}, D("2026-05-09"));
  EXPECT_EQ(before.due, RetentionStep::kNone);
  EXPECT_EQ(before.next, RetentionStep::kArchive);
  EXPECT_EQ(before.next_on, D("2026-05-10"));
  EXPECT_EQ(before.rule, RetentionRule::kArchiveAge);
  auto on = Assess(f, {}, D("2026-05-10"));
  EXPECT_EQ(on.due, RetentionStep::kArchive);
  EXPECT_EQ(Assess(f, {}, D("2031-01-01")).due, RetentionStep::kArchive);  // overdue stays due
}

TEST(RetentionAssessTest, CareLeaversAndYoungPeopleWithSenAreArchivedAtTheExtendedAge) {
  RetentionFacts f = WithCase();
  f.care_leaver = true;
  auto a = Assess(f, {}, D("2026-05-10"));
  EXPECT_EQ(a.due, RetentionStep::kNone);
  EXPECT_EQ(a.next_on, D("2033-05-10"));
  EXPECT_EQ(a.rule, RetentionRule::kExtendedArchiveAge);
  f.care_leaver = false;
  f.special_educational_needs = true;
  EXPECT_EQ(Assess(f, {}, D("2033-05-10")).due, RetentionStep::kArchive);
  RetentionRules r;
  r.extended_archive_age_years = 21;
  EXPECT_EQ(Assess(f, r, D("2026-05-10")).next_on, D("2029-05-10"));
}

TEST(RetentionAssessTest, PurgedTheConfiguredYearsAfterTheDayItWasArchived) {
  // Archived late (the run was not made on the birthday): the purge counts from the archive.
  const RetentionFacts f = Archived("2026-06-01");
  auto a = Assess(f, {}, D("2032-05-31"));
  EXPECT_EQ(a.due, RetentionStep::kNone);
  EXPECT_EQ(a.next, RetentionStep::kPurge);
  EXPECT_EQ(a.next_on, D("2032-06-01"));
  EXPECT_EQ(a.rule, RetentionRule::kPurgeAfterArchive);
  EXPECT_EQ(Assess(f, {}, D("2032-06-01")).due, RetentionStep::kPurge);
  RetentionRules r;
  r.purge_after_archive_years = 2;
  EXPECT_EQ(Assess(f, r, D("2028-06-01")).due, RetentionStep::kPurge);
}

TEST(RetentionAssessTest, DeathArchivesOnTheDayAndStartsItsOwnPurgeClock) {
  RetentionFacts f = WithCase();
  f.date_of_death = D("2019-03-02");
  auto a = Assess(f, {}, D("2019-03-02"));
  EXPECT_EQ(a.due, RetentionStep::kArchive);
  EXPECT_EQ(a.rule, RetentionRule::kDeath);
  EXPECT_EQ(Assess(f, {}, D("2019-03-01")).due, RetentionStep::kNone);

  f.archived_on = D("2019-04-01");  // archived a month after the death was recorded
  RetentionRules r;
  r.purge_after_death_years = 10;
  auto p = Assess(f, r, D("2029-03-01"));
  EXPECT_EQ(p.next, RetentionStep::kPurge);
  EXPECT_EQ(p.next_on, D("2029-03-02"));  // from the death, not from the archive
  EXPECT_EQ(p.rule, RetentionRule::kPurgeAfterDeath);

  // A death after the account was archived by age replaces the age rule's purge.
  RetentionFacts adult = Archived("2026-05-10");
  adult.date_of_death = D("2030-01-15");
  EXPECT_EQ(Assess(adult, r, D("2032-05-10")).due, RetentionStep::kNone);  // the age rule's date
  EXPECT_EQ(Assess(adult, r, D("2032-05-10")).next_on, D("2040-01-15"));
}

TEST(RetentionAssessTest, AChildWhoNeverHadATeamLeavesTheIndexAfterThePeriodWithoutInvolvement) {
  RetentionFacts f;
  f.child_id = "K2";
  f.date_of_birth = D("2019-01-01");
  f.created_on = D("2020-02-01");
  f.last_service_on = D("2024-07-31");  // left the school
  auto a = Assess(f, {}, D("2026-07-30"));
  EXPECT_EQ(a.due, RetentionStep::kNone);
  EXPECT_EQ(a.next, RetentionStep::kRemoveFromIndex);
  EXPECT_EQ(a.next_on, D("2026-07-31"));
  EXPECT_EQ(a.rule, RetentionRule::kUnused);
  EXPECT_EQ(Assess(f, {}, D("2026-07-31")).due, RetentionStep::kRemoveFromIndex);

  // Never involved with a service: counted from the record's creation.
  f.last_service_on.reset();
  EXPECT_EQ(Assess(f, {}, D("2022-01-01")).next_on, D("2022-02-01"));

  // Involved now, or a team once: the archive rule instead, never removal.
  f.involved_now = true;
  EXPECT_EQ(Assess(f, {}, D("2030-01-01")).next, RetentionStep::kArchive);
  f.involved_now = false;
  f.ever_had_team = true;
  auto with_case = Assess(f, {}, D("2030-01-01"));
  EXPECT_EQ(with_case.next, RetentionStep::kArchive);
  EXPECT_EQ(with_case.next_on, D("2037-01-01"));
}

TEST(RetentionAssessTest, AnUnusedRecordIsArchivedIfItsArchiveComesFirst) {
  RetentionFacts f;
  f.child_id = "K3";
  f.date_of_birth = D("2008-06-01");
  f.created_on = D("2010-01-01");
  f.last_service_on = D("2025-07-20");
  auto a = Assess(f, {}, D("2026-06-01"));
  EXPECT_EQ(a.due, RetentionStep::kArchive);
  // Removal wins a tie: the same day, and it goes further.
  f.last_service_on = D("2024-06-01");
  EXPECT_EQ(Assess(f, {}, D("2026-06-01")).due, RetentionStep::kRemoveFromIndex);
}

TEST(RetentionAssessTest, NoDateOfBirthAndNoDeathGivesNoDate) {
  RetentionFacts f = WithCase();
  f.date_of_birth.reset();
  auto a = Assess(f, {}, D("2090-01-01"));
  EXPECT_EQ(a.due, RetentionStep::kNone);
  EXPECT_EQ(a.next, RetentionStep::kNone);
  EXPECT_FALSE(a.next_on);
}

// --- Holds, tried as an attacker would: every way a held record might still be purged. ---

TEST(RetentionHoldTest, AHoldInForceStopsAPurgeThatIsDue) {
  RetentionFacts f = Archived("2026-05-10");
  f.holds = {Hold("H1", "2031-01-01", "2033-12-31")};
  auto a = Assess(f, {}, D("2032-05-10"));  // the day the purge would have fallen due
  EXPECT_EQ(a.due, RetentionStep::kNone);
  EXPECT_EQ(a.next, RetentionStep::kPurge);
  EXPECT_EQ(a.held_by, std::vector<std::string>{"H1"});
  // The clock stopped from 2031-01-01: the purge falls as many days after the hold ends as were
  // left when it began.
  const int64_t left = D("2032-05-10").ToDays() - D("2031-01-01").ToDays();
  EXPECT_EQ(a.next_on, Date::FromDays(D("2034-01-01").ToDays() + left));
  EXPECT_EQ(Assess(f, {}, D("2034-01-01")).due, RetentionStep::kNone);
  EXPECT_EQ(Assess(f, {}, *a.next_on).due, RetentionStep::kPurge);
  EXPECT_TRUE(Assess(f, {}, *a.next_on).held_by.empty());
}

TEST(RetentionHoldTest, AReleasedHoldStopsTheClockOnlyWhileItWasInForce) {
  RetentionFacts f = Archived("2026-05-10");
  LegalHold h = Hold("H1", "2030-03-01", "2035-12-31");
  ASSERT_TRUE(ReleaseLegalHold(h, "Claim settled out of court", "U9", D("2030-03-11")));
  f.holds = {h};
  auto a = Assess(f, {}, D("2032-05-10"));
  EXPECT_TRUE(a.held_by.empty());
  EXPECT_EQ(a.next_on, D("2032-05-20"));  // ten days held
  EXPECT_EQ(a.due, RetentionStep::kNone);
  EXPECT_EQ(Assess(f, {}, D("2032-05-20")).due, RetentionStep::kPurge);
  // A second release is refused: it is no longer in force.
  EXPECT_EQ(ReleaseLegalHold(h, "Released again by mistake", "U9", D("2030-03-12")).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(h.released_on, D("2030-03-11"));
}

TEST(RetentionHoldTest, AHoldPlacedAfterThePurgeFellDueStillStopsItWhileInForce) {
  RetentionFacts f = Archived("2026-05-10");
  f.holds = {Hold("H1", "2033-01-01", "2033-06-30")};  // the purge was due on 2032-05-10, not yet run
  auto a = Assess(f, {}, D("2033-02-01"));
  EXPECT_EQ(a.due, RetentionStep::kNone);
  EXPECT_EQ(a.held_by, std::vector<std::string>{"H1"});
  EXPECT_EQ(a.next_on, D("2033-07-01"));
  EXPECT_EQ(Assess(f, {}, D("2033-06-30")).due, RetentionStep::kNone);  // the last day of the hold
  EXPECT_EQ(Assess(f, {}, D("2033-07-01")).due, RetentionStep::kPurge);
}

TEST(RetentionHoldTest, AHoldStartingOnTheDueDayHoldsThatDay) {
  RetentionFacts f = Archived("2026-05-10");
  f.holds = {Hold("H1", "2032-05-10", "2032-05-10")};
  auto a = Assess(f, {}, D("2032-05-10"));
  EXPECT_EQ(a.due, RetentionStep::kNone);
  EXPECT_EQ(a.next_on, D("2032-05-11"));
  EXPECT_EQ(Assess(f, {}, D("2032-05-11")).due, RetentionStep::kPurge);
}

TEST(RetentionHoldTest, OverlappingHoldsCountEachDayOnceAndOnlyAfterTheClockStarts) {
  RetentionFacts f = Archived("2026-05-10");
  f.holds = {Hold("H1", "2025-01-01", "2026-05-19"),  // 10 days after the archive
             Hold("H2", "2028-01-01", "2028-01-10"), Hold("H3", "2028-01-06", "2028-01-20")};  // 20 days
  EXPECT_EQ(Assess(f, {}, D("2030-01-01")).next_on, D("2032-06-09"));
}

TEST(RetentionHoldTest, HoldsPlacedAfterTheAsOfDateAreNotCounted) {
  RetentionFacts f = Archived("2026-05-10");
  f.holds = {Hold("H1", "2031-01-01", "2031-01-31")};
  EXPECT_EQ(Assess(f, {}, D("2030-12-31")).next_on, D("2032-05-10"));
  EXPECT_EQ(Assess(f, {}, D("2031-01-01")).next_on, D("2032-06-10"));
}

TEST(RetentionHoldTest, AHoldOnARecordMergedIntoTheChildProtectsTheSurvivor) {
  RetentionFacts survivor = Archived("2026-05-10");
  survivor.holds = {Hold("H7", "2032-01-01", "2034-01-01", "K-merged")};
  auto a = Assess(survivor, {}, D("2032-05-10"));
  EXPECT_EQ(a.due, RetentionStep::kNone);
  EXPECT_EQ(a.held_by, std::vector<std::string>{"H7"});
}

TEST(RetentionHoldTest, AHoldStopsRemovalFromTheIndexButNotArchive) {
  RetentionFacts unused;
  unused.child_id = "K2";
  unused.created_on = D("2020-01-01");
  unused.holds = {Hold("H1", "2021-06-01", "2022-06-30", "K2")};
  auto a = Assess(unused, {}, D("2022-01-01"));
  EXPECT_EQ(a.next, RetentionStep::kRemoveFromIndex);
  EXPECT_EQ(a.due, RetentionStep::kNone);
  EXPECT_EQ(a.held_by, std::vector<std::string>{"H1"});
  EXPECT_EQ(a.next_on, D("2023-01-31"));  // 2022-01-01 plus the 395 held days

  // Archive only restricts who may see a record; it keeps every row, so a hold does not stop it.
  RetentionFacts f = WithCase();
  f.holds = {Hold("H2", "2026-01-01", "2027-01-01")};
  auto b = Assess(f, {}, D("2026-05-10"));
  EXPECT_EQ(b.due, RetentionStep::kArchive);
  EXPECT_TRUE(b.held_by.empty());
}

TEST(RetentionHoldTest, NewHoldsAreCheckedNamingTheField) {
  const TimePoint now = At("2027-03-01");
  auto h = NewLegalHold("K1", "L1", "inquiry", "  Independent inquiry into the authority  ", D("2029-03-01"), "U1", now);
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->kind, LegalHoldKind::kInquiry);
  EXPECT_EQ(h->reason, "Independent inquiry into the authority");
  EXPECT_EQ(h->starts_on, D("2027-03-01"));
  EXPECT_TRUE(h->InForceOn(D("2029-03-01")));
  EXPECT_FALSE(h->InForceOn(D("2029-03-02")));
  auto field = [&](const char* kind, const char* reason, const char* ends) {
    auto r = NewLegalHold("K1", "L1", kind, reason, D(ends), "U1", now);
    return r ? std::string("ok") : r.error().field;
  };
  EXPECT_EQ(field("whim", "Independent inquiry", "2028-01-01"), "kind");
  EXPECT_EQ(field("litigation", "short", "2028-01-01"), "reason");
  EXPECT_EQ(field("litigation", "Claim against the authority", "2027-02-28"), "ends_on");
  EXPECT_EQ(field("litigation", "Claim against the authority", "2037-03-02"), "ends_on");
  EXPECT_EQ(field("safeguarding_review", "Child safeguarding practice review", "2037-03-01"), "ok");
  EXPECT_EQ(field("litigation", "Claim against the authority", "2027-03-01"), "ok");
  for (auto k : {LegalHoldKind::kLitigation, LegalHoldKind::kInquiry, LegalHoldKind::kSafeguardingReview}) {
    EXPECT_EQ(ParseLegalHoldKind(ToString(k)), k);
  }
}

TEST(RetentionHoldTest, AHoldReleasedTheDayItWasPlacedStopsNoDays) {
  LegalHold h = Hold("H1", "2030-03-01", "2031-01-01");
  EXPECT_EQ(ReleaseLegalHold(h, "short", "U9", D("2030-03-01")).error().field, "reason");
  EXPECT_FALSE(h.released_on);
  ASSERT_TRUE(ReleaseLegalHold(h, "Placed on the wrong child", "U9", D("2030-03-01")));
  EXPECT_FALSE(h.InForceOn(D("2030-03-01")));
  RetentionFacts f = Archived("2026-05-10");
  f.holds = {h};
  EXPECT_EQ(Assess(f, {}, D("2032-05-10")).due, RetentionStep::kPurge);
}

TEST(RetentionRuleChangeTest, ARuleChangeThatWouldPurgeAHeldChildIsRefused) {
  RetentionFacts held = Archived("2026-05-10");
  held.holds = {Hold("H1", "2028-01-01", "2030-12-31")};
  const std::vector<RetentionFacts> children{held};
  RetentionRules shorter;
  shorter.purge_after_archive_years = 2;  // 2028-05-10: inside the hold
  auto s = CheckRuleChange({}, shorter, children, D("2028-02-01"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_EQ(s.error().message,
            "These rules would bring the purge of child K1 to 2028-05-10, while hold H1 (litigation) keeps the record "
            "until 2030-12-31: release the hold first, or choose rules that do not purge a child under a hold.");
  // Overdue under the new rules (before today) is refused all the more.
  shorter.purge_after_archive_years = 1;
  EXPECT_FALSE(CheckRuleChange({}, shorter, children, D("2028-02-01")));
  // Shorter, but still after the hold ends: allowed.
  shorter.purge_after_archive_years = 5;
  EXPECT_TRUE(CheckRuleChange({}, shorter, children, D("2028-02-01")));
  // Longer: allowed.
  RetentionRules longer;
  longer.purge_after_archive_years = 10;
  EXPECT_TRUE(CheckRuleChange({}, longer, children, D("2028-02-01")));
  // The same shortening once the hold is released: allowed.
  LegalHold released = held.holds[0];
  ASSERT_TRUE(ReleaseLegalHold(released, "Claim withdrawn by the family", "U9", D("2028-01-15")));
  const std::vector<RetentionFacts> after_release{[&] {
    RetentionFacts f = held;
    f.holds = {released};
    return f;
  }()};
  shorter.purge_after_archive_years = 2;
  EXPECT_TRUE(CheckRuleChange({}, shorter, after_release, D("2028-02-01")));
}

// A hold placed because a purge was near: the purge already falls inside it under the current
// rules, so a change that leaves it there or moves it later is not what the refusal is for.
TEST(RetentionRuleChangeTest, AChangeThatBringsNothingEarlierIsAllowedWhileAHoldCoversThePurge) {
  RetentionFacts held = Archived("2026-05-10");
  held.holds = {Hold("H1", "2031-01-01", "2035-12-31")};  // the purge (2032-05-10) falls inside
  const std::vector<RetentionFacts> children{held};
  RetentionRules unrelated;
  unrelated.remove_unused_after_months = 36;
  EXPECT_TRUE(CheckRuleChange({}, unrelated, children, D("2031-06-01")));
  RetentionRules later;
  later.purge_after_archive_years = 7;  // 2033-05-10: later, still inside the hold
  EXPECT_TRUE(CheckRuleChange({}, later, children, D("2031-06-01")));
  RetentionRules earlier;
  earlier.purge_after_archive_years = 5;  // 2031-05-10: earlier, and inside the hold
  EXPECT_FALSE(CheckRuleChange({}, earlier, children, D("2031-06-01")));
}

TEST(RetentionRuleChangeTest, AChangeThatMakesAHeldChildRemovableOrItsDeathPurgeEarlierIsRefused) {
  RetentionFacts unused;
  unused.child_id = "K2";
  unused.date_of_birth = D("2015-01-01");
  unused.created_on = D("2024-01-01");
  unused.holds = {Hold("H2", "2024-06-01", "2026-06-01", "K2")};
  RetentionRules r;
  r.remove_unused_after_months = 6;
  EXPECT_EQ(CheckRuleChange({}, r, std::vector<RetentionFacts>{unused}, D("2025-01-01")).error().code,
            ErrorCode::kConflict);

  RetentionFacts died = WithCase();
  died.date_of_death = D("2020-01-01");
  died.archived_on = D("2020-01-05");
  died.holds = {Hold("H3", "2024-01-01", "2026-12-31")};
  RetentionRules sooner;
  sooner.purge_after_death_years = 5;  // 2025-01-01
  auto s = CheckRuleChange({}, sooner, std::vector<RetentionFacts>{died}, D("2024-06-01"));
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("hold H3 (litigation)"), std::string::npos);
}

TEST(RetentionRuleChangeTest, InvalidRulesAreRefusedBeforeAnyChildIsLookedAt) {
  RetentionRules r;
  r.purge_after_archive_years = -3;
  auto s = CheckRuleChange({}, r, {}, D("2028-02-01"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(s.error().field, "purge_after_archive_years");
}

}  // namespace
}  // namespace kith::domain
