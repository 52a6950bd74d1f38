#include "app/retention_service.h"

#include <gtest/gtest.h>

#include "app/test_fixture.h"

namespace kith::app {
namespace {

const Date kToday{2026, 11, 18};  // the fixture clock's day

class RetentionServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    store_->Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.Authorities().Insert({"la2", "E2", "Southmoor", false}));
      return true;
    });
  }

  void Child(const std::string& id, std::optional<Date> dob, TimePoint created, const std::string& la = "la1") {
    store_->Write([&](storage::Repositories& r) {
      domain::Child c;
      c.id = id;
      c.authority_id = la;
      c.given_names = "Leo";
      c.family_name = "Carter";
      c.date_of_birth = dob;
      c.created_at = created;
      c.updated_at = created;
      EXPECT_TRUE(r.Children().Insert(c));
      return true;
    });
  }

  static std::vector<std::string> Ids(const std::vector<DueChild>& list) {
    std::vector<std::string> out;
    for (const auto& d : list) out.push_back(d.child_id);
    return out;
  }
};

TEST_F(RetentionServiceTest, ListsWhatIsDueHeldAndUndatedUnderEachAuthoritysRules) {
  const TimePoint long_ago = FromMicros(1'704'067'200'000'000);  // 2024-01-01
  Child("K18", Date{2008, 11, 18}, long_ago);    // 18 today, with a team: archive
  Child("K17", Date{2008, 11, 19}, long_ago);    // 18 tomorrow
  Child("Knodob", std::nullopt, long_ago);        // a team, no date of birth: no rule applies
  Child("Kunused", Date{2020, 1, 1}, long_ago);  // no team, no service since 2024-01-01: removal
  Child("Kheld", Date{2020, 1, 1}, long_ago);    // the same, under a hold
  Child("Kmerged", Date{2020, 1, 1}, long_ago);  // merged into K18: not listed itself
  Child("Kother", Date{2008, 1, 1}, long_ago, "la2");
  for (const char* id : {"K18", "K17", "Knodob"}) AddToTeam(id, "sw", "Social worker");
  store_->Write([&](storage::Repositories& r) {
    domain::LegalHold h;
    h.id = "H1";
    h.child_id = "Kheld";
    h.authority_id = "la1";
    h.reason = "Civil claim against the authority";
    h.starts_on = Date{2026, 1, 1};
    h.ends_on = Date{2027, 1, 1};
    h.placed_by = "u-admin";
    EXPECT_TRUE(r.Retention().InsertHold(h));
    EXPECT_TRUE(r.Merges().Insert({"M1", "K18", "Kmerged", {}, "u-sw", clock_.Now(), "Same child: same NHS number",
                                   "", std::nullopt, ""}));
    return true;
  });

  std::vector<std::pair<std::string, int64_t>> progress;
  auto listing = ListDue(*store_, "la1", kToday,
                         [&](const std::string& la, int64_t checked) { progress.emplace_back(la, checked); }, 2);
  EXPECT_EQ(listing.checked, 5);
  EXPECT_EQ(Ids(listing.due), (std::vector<std::string>{"K18", "Kunused"}));
  EXPECT_EQ(listing.due[0].assessment.due, domain::RetentionStep::kArchive);
  EXPECT_EQ(listing.due[0].assessment.next_on, kToday);
  EXPECT_EQ(listing.due[1].assessment.due, domain::RetentionStep::kRemoveFromIndex);
  EXPECT_EQ(listing.due[1].assessment.next_on, (Date{2026, 1, 1}));
  ASSERT_EQ(Ids(listing.held), (std::vector<std::string>{"Kheld"}));
  EXPECT_EQ(listing.held[0].assessment.held_by, (std::vector<std::string>{"H1"}));
  EXPECT_EQ(listing.no_date, (std::vector<std::string>{"Knodob"}));
  EXPECT_EQ(progress, (std::vector<std::pair<std::string, int64_t>>{{"la1", 2}, {"la1", 4}, {"la1", 5}}));

  // Every authority when none is named.
  auto all = ListDue(*store_, "", kToday);
  EXPECT_EQ(all.checked, 6);
  EXPECT_EQ(Ids(all.due), (std::vector<std::string>{"K18", "Kunused", "Kother"}));

  // The authority's own rules, once stored, replace the defaults.
  store_->Write([&](storage::Repositories& r) {
    storage::StoredRetentionRules rules;
    rules.authority_id = "la1";
    rules.rules.remove_unused_after_months = 36;
    rules.rules.archive_age_years = 17;
    rules.updated_by = "u-admin";
    EXPECT_TRUE(r.Retention().PutRules(rules, 0));
    return true;
  });
  auto stored = ListDue(*store_, "la1", kToday);
  EXPECT_EQ(Ids(stored.due), (std::vector<std::string>{"K17", "K18"}));
  EXPECT_TRUE(stored.held.empty()) << "a removal three years on is not due, held or not";
}

// The administrators' use cases, tried as an attacker would: by people who are not administrators
// of the authority, and with rules that would purge a child under a hold.
class RetentionAdminTest : public RetentionServiceTest {
 protected:
  void SetUp() override {
    RetentionServiceTest::SetUp();
    store_->Write([&](storage::Repositories& r) {
      domain::User other;
      other.id = "u-admin2";
      other.username = "admin2";
      other.display_name = "admin2";
      other.role = domain::Role::kAuthorityAdmin;
      other.authority_id = "la2";
      other.active = true;
      other.password_hash = "$argon2id$stub";
      EXPECT_TRUE(r.Users().Insert(other));
      return true;
    });
  }

  // Audit records with this action, oldest first.
  std::vector<domain::AuditRecord> Audited(const std::string& action) {
    std::vector<domain::AuditRecord> out;
    for (const auto& a : store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 100000); })) {
      if (a.action == action) out.push_back(a);
    }
    return out;
  }

  RetentionAdmin Admin() { return RetentionAdmin(*ctx_); }
};

TEST_F(RetentionAdminTest, OnlyTheAuthoritysAdministratorsReadAndChangeTheRulesAndEveryActIsAudited) {
  auto rules = Admin().GetRules(As("admin"), "la1");
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->version, 0);
  EXPECT_EQ(rules->rules.archive_age_years, 18);
  for (const char* who : {"sw", "auditor", "admin2"}) {
    EXPECT_EQ(Admin().GetRules(As(who), "la1").error().code, ErrorCode::kForbidden) << who;
    EXPECT_EQ(Admin().PutRules(As(who), "la1", {}, 0).error().code, ErrorCode::kForbidden) << who;
  }
  const auto reads = Audited("retention.rules.read");
  ASSERT_EQ(reads.size(), 4u);
  EXPECT_EQ(reads[0].outcome, domain::AuditOutcome::kAllowed);
  EXPECT_EQ(reads[1].outcome, domain::AuditOutcome::kDenied);
  EXPECT_EQ(Audited("retention.rules.update").size(), 3u);

  domain::RetentionRules contradictory;
  contradictory.purge_after_archive_years = 0;
  EXPECT_EQ(Admin().PutRules(As("admin"), "la1", contradictory, 0).error().field, "purge_after_archive_years");
  domain::RetentionRules seven;
  seven.purge_after_archive_years = 7;
  auto stored = Admin().PutRules(As("admin"), "la1", seven, 0);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->version, 1);
  EXPECT_EQ(stored->updated_by, "u-admin");
  EXPECT_EQ(Admin().PutRules(As("admin"), "la1", seven, 0).error().code, ErrorCode::kConflict) << "stale version";
  EXPECT_EQ(Admin().GetRules(As("admin"), "la1")->rules.purge_after_archive_years, 7);
  const auto updates = Audited("retention.rules.update");
  ASSERT_EQ(updates.size(), 4u);
  EXPECT_EQ(updates.back().outcome, domain::AuditOutcome::kAllowed);
  EXPECT_NE(updates.back().detail.find("\"purge_after_archive_years\":7"), std::string::npos) << updates.back().detail;
}

TEST_F(RetentionAdminTest, AHoldIsPlacedAndReleasedOnlyByTheChildsAdministratorsAndBlocksRulesThatWouldPurgeIt) {
  const TimePoint june_2025 = FromMicros(1'748'736'000'000'000);  // 2025-06-01
  Child("Kheld", Date{2019, 1, 1}, june_2025);                    // no team, no service: removal in 2027
  Child("Kother", Date{2019, 1, 1}, june_2025, "la2");
  EXPECT_EQ(Admin().PlaceHold(As("sw"), "Kheld", "litigation", "Civil claim against the authority", Date{2027, 6, 1})
                .error()
                .code,
            ErrorCode::kForbidden);
  EXPECT_EQ(Admin().PlaceHold(As("admin"), "Kother", "litigation", "Civil claim against the authority",
                             Date{2027, 6, 1})
                .error()
                .code,
            ErrorCode::kNotFound)
      << "another authority's child answers as missing";
  EXPECT_EQ(Admin().PlaceHold(As("admin"), "Knone", "litigation", "Civil claim against the authority",
                             Date{2027, 6, 1})
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(Admin().PlaceHold(As("admin"), "Kheld", "litigation", "Civil claim", Date{2026, 11, 17}).error().field,
            "ends_on");
  auto hold = Admin().PlaceHold(As("admin"), "Kheld", "litigation", "Civil claim against the authority",
                               Date{2027, 6, 1});
  ASSERT_TRUE(hold) << hold.error().message;
  EXPECT_EQ(hold->starts_on, kToday);
  EXPECT_EQ(hold->authority_id, "la1");
  const auto placed = Audited("retention.hold.place");
  ASSERT_EQ(placed.size(), 5u) << "the practitioner's refusal, three failures and the placement";
  EXPECT_EQ(placed[0].outcome, domain::AuditOutcome::kDenied);
  // Probing another authority's child, or an id that is no child, is on the record with the id.
  EXPECT_EQ(placed[1].outcome, domain::AuditOutcome::kFailed);
  EXPECT_EQ(placed[1].child_id, "Kother");
  EXPECT_EQ(placed[2].child_id, "Knone");
  EXPECT_EQ(placed[3].outcome, domain::AuditOutcome::kFailed);
  EXPECT_NE(placed[3].detail.find("error"), std::string::npos) << placed[3].detail;
  EXPECT_EQ(placed.back().outcome, domain::AuditOutcome::kAllowed);
  EXPECT_EQ(placed.back().child_id, "Kheld");
  EXPECT_EQ(placed.back().target_id, hold->id);

  // Twelve months unused would bring the removal to 2026-06-01, inside the hold: refused, named.
  domain::RetentionRules sooner;
  sooner.remove_unused_after_months = 12;
  auto refused = Admin().PutRules(As("admin"), "la1", sooner, 0);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("child Kheld"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("hold " + hold->id), std::string::npos) << refused.error().message;
  EXPECT_EQ(Audited("retention.rules.update").back().outcome, domain::AuditOutcome::kDenied);
  EXPECT_EQ(Admin().GetRules(As("admin"), "la1")->version, 0) << "nothing was stored";
  domain::RetentionRules later;
  later.remove_unused_after_months = 36;
  EXPECT_TRUE(Admin().PutRules(As("admin"), "la1", later, 0));

  // Released (once) by an administrator of the child's authority, the hold no longer blocks.
  EXPECT_EQ(Admin().ReleaseHold(As("admin2"), hold->id, "Claim withdrawn by the family").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(Admin().ReleaseHold(As("admin"), hold->id, "short").error().field, "reason");
  auto released = Admin().ReleaseHold(As("admin"), hold->id, "Claim withdrawn by the family");
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_EQ(released->released_on, kToday);
  EXPECT_EQ(Admin().ReleaseHold(As("admin"), hold->id, "Claim withdrawn by the family").error().code,
            ErrorCode::kConflict);
  EXPECT_TRUE(Admin().PutRules(As("admin"), "la1", sooner, 1));
  const auto releases = Audited("retention.hold.release");
  ASSERT_EQ(releases.size(), 4u) << "another authority's administrator, a short reason, the release, a second release";
  EXPECT_EQ(releases[0].outcome, domain::AuditOutcome::kFailed);
  EXPECT_EQ(releases[0].target_id, hold->id);
  EXPECT_EQ(releases[0].child_id, "") << "another authority's child is not named to its administrator's record";
  EXPECT_EQ(releases[1].outcome, domain::AuditOutcome::kFailed);
  EXPECT_EQ(releases[2].outcome, domain::AuditOutcome::kAllowed);
  EXPECT_EQ(releases[3].outcome, domain::AuditOutcome::kFailed);
}

TEST_F(RetentionAdminTest, AdministratorsSeeTheHoldsInForceAndWhatFallsDueInTheNextNinetyDays) {
  const TimePoint june_2024 = FromMicros(1'717'200'000'000'000);  // 2024-06-01
  Child("Know", Date{2008, 11, 18}, june_2024);    // 18 today: archive due now
  Child("Ksoon", Date{2008, 12, 1}, june_2024);    // 18 in 13 days
  Child("Klater", Date{2009, 6, 1}, june_2024);    // 18 next June: beyond 90 days
  Child("Kheld", Date{2019, 1, 1}, june_2024);     // no team, unused since 2024-06-01: removal overdue, held
  Child("Knodob", std::nullopt, june_2024);        // a team, no date of birth: no rule applies
  Child("Kother", Date{2008, 11, 18}, june_2024, "la2");
  for (const char* id : {"Know", "Ksoon", "Klater", "Knodob"}) AddToTeam(id, "sw", "Social worker");
  auto hold = Admin().PlaceHold(As("admin"), "Kheld", "inquiry", "Local child safeguarding practice review",
                               Date{2027, 6, 1});
  ASSERT_TRUE(hold) << hold.error().message;

  auto holds = Admin().HoldsInForce(As("admin"), "la1");
  ASSERT_TRUE(holds) << holds.error().message;
  ASSERT_EQ(holds->size(), 1u);
  EXPECT_EQ(holds->front().id, hold->id);
  EXPECT_TRUE(Admin().HoldsInForce(As("admin2"), "la2")->empty());
  for (const char* who : {"sw", "auditor", "admin2"}) {
    EXPECT_EQ(Admin().HoldsInForce(As(who), "la1").error().code, ErrorCode::kForbidden) << who;
    EXPECT_EQ(Admin().Upcoming(As(who), "la1", 90).error().code, ErrorCode::kForbidden) << who;
  }
  EXPECT_EQ(Admin().HoldsInForce(As("admin"), "la1").value().size(), 1u);

  auto outlook = Admin().Upcoming(As("admin"), "la1", 90);
  ASSERT_TRUE(outlook) << outlook.error().message;
  EXPECT_EQ(outlook->from, kToday);
  EXPECT_EQ(outlook->until, (Date{2027, 2, 16}));
  EXPECT_EQ(outlook->checked, 5);
  EXPECT_EQ(outlook->no_date, 1);
  ASSERT_EQ(Ids(outlook->steps), (std::vector<std::string>{"Know", "Ksoon", "Kheld"}))
      << "by the day each falls due; the held removal after the hold ends";
  EXPECT_EQ(outlook->steps[0].assessment.due, domain::RetentionStep::kArchive);
  EXPECT_EQ(outlook->steps[1].assessment.due, domain::RetentionStep::kNone);
  EXPECT_EQ(outlook->steps[1].assessment.next_on, (Date{2026, 12, 1}));
  EXPECT_EQ(outlook->steps[2].assessment.next, domain::RetentionStep::kRemoveFromIndex);
  EXPECT_EQ(outlook->steps[2].assessment.held_by, (std::vector<std::string>{hold->id}));
  EXPECT_GT(*outlook->steps[2].assessment.next_on, outlook->until);

  EXPECT_EQ(Admin().Upcoming(As("admin"), "la1", 0).error().field, "days");
  EXPECT_EQ(Admin().Upcoming(As("admin"), "la1", kMaxOutlookDays + 1).error().field, "days");
  EXPECT_EQ(Admin().Upcoming(As("admin"), "la2", 90).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(Admin().Upcoming(As("admin"), "la1", 90)->steps.size(), 3u);
  // A year ahead takes in next June's birthday too; a short limit counts what it leaves out.
  EXPECT_EQ(Admin().Upcoming(As("admin"), "la1", 366)->steps.size(), 4u);
  auto limited = ListUpcoming(*store_, "la1", kToday, Date{2027, 2, 16}, 2, 2);
  EXPECT_EQ(Ids(limited.steps), (std::vector<std::string>{"Know", "Ksoon"}));
  EXPECT_EQ(limited.more, 1);

  const auto reads = Audited("retention.due.read");
  ASSERT_EQ(reads.size(), 7u) << "four refusals, three answers (invalid input is refused before any read)";
  EXPECT_EQ(reads.front().outcome, domain::AuditOutcome::kDenied);
  EXPECT_NE(reads[3].detail.find("\"steps\":3"), std::string::npos) << reads[3].detail;
  EXPECT_EQ(Audited("retention.hold.list").size(), 6u);
}

}  // namespace
}  // namespace kith::app
