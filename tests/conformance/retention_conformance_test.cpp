// Retention's repository (storage/repositories.h, RetentionRepository) and the child facts it
// needs: care leaver and SEN flags, date of death, rules per authority, legal holds (a merged
// record's hold protecting the survivor) and the facts domain::Assess reads.
#include <gtest/gtest.h>

#include "conformance/fixture.h"
#include "domain/organisation.h"

namespace kith::conformance {
namespace {

using domain::LegalHold;
using storage::Repositories;
using storage::StoredRetentionRules;

const Date kToday{2026, 9, 21};  // the UTC day of kT0

LegalHold Hold(const char* id, const char* child, Date from, Date to) {
  LegalHold h;
  h.id = id;
  h.child_id = child;
  h.authority_id = "la1";
  h.kind = domain::LegalHoldKind::kInquiry;
  h.reason = "Independent inquiry into the authority";
  h.starts_on = from;
  h.ends_on = to;
  h.placed_by = "u1";
  h.placed_at = kT0;
  return h;
}

std::vector<std::string> Ids(const std::vector<LegalHold>& holds) {
  std::vector<std::string> out;
  for (const auto& h : holds) out.push_back(h.id);
  return out;
}

class RetentionConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Write([](Repositories& r) {
      InsertAuthority(r);
      EXPECT_TRUE(r.Authorities().Insert({"la2", "E09000098", "Southmoor", false}));
      EXPECT_TRUE(r.Agencies().Insert({"ag-school", "la1", "Brook Primary", domain::AgencyKind::kSchool, "", "", ""}));
      InsertUsers(r, {"u1"});
    });
  }

  StoredRetentionRules Rules(int purge_years, const char* by = "u1") {
    StoredRetentionRules r;
    r.authority_id = "la1";
    r.rules.purge_after_archive_years = purge_years;
    r.updated_by = by;
    r.updated_at = kT0;
    return r;
  }

  void Merge(const char* id, const char* survivor, const char* merged) {
    Write([&](Repositories& r) {
      EXPECT_TRUE(r.Merges().Insert({id, survivor, merged, {}, "u1", kT0, "Same child: same NHS number", "",
                                     std::nullopt, ""}));
    });
  }
};

TEST_P(RetentionConformance, TheFlagsAndDateOfDeathAreStoredReadAndChanged) {
  Write([](Repositories& r) {
    domain::Child c;
    c.id = "c1";
    c.authority_id = "la1";
    c.given_names = "Amelia";
    c.family_name = "Hart";
    c.date_of_birth = Date{2009, 3, 4};
    c.flags.care_leaver = true;
    c.created_at = kT0;
    c.updated_at = kT0;
    EXPECT_TRUE(r.Children().Insert(c));
  });
  auto c = Read([](Repositories& r) { return r.Children().Get("c1"); });
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->flags.care_leaver);
  EXPECT_FALSE(c->flags.special_educational_needs);
  EXPECT_FALSE(c->date_of_death);
  c->flags.care_leaver = false;
  c->flags.special_educational_needs = true;
  c->date_of_death = Date{2026, 8, 30};
  Write([&](Repositories& r) { EXPECT_TRUE(r.Children().Update(*c)); });
  const auto page = Read([](Repositories& r) { return r.Children().ListRecordsByAuthority("la1", "", 10); });
  ASSERT_EQ(page.size(), 1u);
  EXPECT_FALSE(page[0].flags.care_leaver);
  EXPECT_TRUE(page[0].flags.special_educational_needs);
  EXPECT_EQ(page[0].date_of_death, (Date{2026, 8, 30}));
  const auto changed = Read([](Repositories& r) { return r.Children().ChangedSince(0); });
  ASSERT_EQ(changed.records.size(), 1u);
  EXPECT_EQ(changed.records[0].date_of_death, (Date{2026, 8, 30}));
}

TEST_P(RetentionConformance, RulesAreStoredPerAuthorityWithOptimisticVersions) {
  EXPECT_FALSE(Read([](Repositories& r) { return r.Retention().GetRules("la1"); }));
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Retention().PutRules(Rules(7), 0));
    EXPECT_EQ(r.Retention().PutRules(Rules(8), 0).error().code, ErrorCode::kConflict) << "someone stored rules first";
  });
  auto stored = Read([](Repositories& r) { return r.Retention().GetRules("la1"); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->version, 1);
  EXPECT_EQ(stored->rules.purge_after_archive_years, 7);
  EXPECT_EQ(stored->rules.archive_age_years, 18);
  EXPECT_EQ(stored->rules.extended_archive_age_years, 25);
  EXPECT_EQ(stored->rules.purge_after_death_years, 6);
  EXPECT_EQ(stored->rules.remove_unused_after_months, 24);
  EXPECT_EQ(stored->updated_by, "u1");
  EXPECT_EQ(stored->updated_at, kT0);
  EXPECT_FALSE(Read([](Repositories& r) { return r.Retention().GetRules("la2"); }));

  Write([&](Repositories& r) {
    EXPECT_EQ(r.Retention().PutRules(Rules(9), 2).error().code, ErrorCode::kConflict) << "stale version";
    auto next = Rules(10);
    next.rules.remove_unused_after_months = 36;
    EXPECT_TRUE(r.Retention().PutRules(next, 1));
  });
  stored = Read([](Repositories& r) { return r.Retention().GetRules("la1"); });
  EXPECT_EQ(stored->version, 2);
  EXPECT_EQ(stored->rules.purge_after_archive_years, 10);
  EXPECT_EQ(stored->rules.remove_unused_after_months, 36);
}

// The database refuses contradictory rules even if a caller skipped domain validation.
TEST_P(RetentionConformance, TheDatabaseRefusesContradictoryRules) {
  auto refused = [&](StoredRetentionRules r) {
    EXPECT_THROW(Write([&](Repositories& repos) { (void)repos.Retention().PutRules(r, 0); }), storage::StorageError);
  };
  refused(Rules(0));   // purge with the archive
  refused(Rules(-1));  // purge before the archive
  auto younger = Rules(6);
  younger.rules.extended_archive_age_years = 16;
  refused(younger);
  auto unused = Rules(6);
  unused.rules.remove_unused_after_months = 0;
  refused(unused);
  EXPECT_FALSE(Read([](Repositories& r) { return r.Retention().GetRules("la1"); }));
}

TEST_P(RetentionConformance, AHoldIsStoredAndReleasedOnceOnly) {
  Write([](Repositories& r) {
    InsertChildren(r, {"c1"});
    EXPECT_TRUE(r.Retention().InsertHold(Hold("H1", "c1", Date{2026, 9, 1}, Date{2027, 9, 1})));
    EXPECT_EQ(r.Retention().InsertHold(Hold("H1", "c1", Date{2026, 9, 1}, Date{2027, 9, 1})).error().code,
              ErrorCode::kConflict);
  });
  auto h = Read([](Repositories& r) { return r.Retention().GetHold("H1"); });
  ASSERT_TRUE(h);
  EXPECT_EQ(h->child_id, "c1");
  EXPECT_EQ(h->authority_id, "la1");
  EXPECT_EQ(h->kind, domain::LegalHoldKind::kInquiry);
  EXPECT_EQ(h->reason, "Independent inquiry into the authority");
  EXPECT_EQ(h->starts_on, (Date{2026, 9, 1}));
  EXPECT_EQ(h->ends_on, (Date{2027, 9, 1}));
  EXPECT_EQ(h->placed_by, "u1");
  EXPECT_EQ(h->placed_at, kT0);
  EXPECT_FALSE(h->released_on);

  h->released_on = Date{2026, 10, 1};
  h->released_by = "u1";
  h->release_reason = "The inquiry has closed its evidence";
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Retention().ReleaseHold(*h));
    auto again = *h;
    again.released_on = Date{2026, 11, 1};
    EXPECT_EQ(r.Retention().ReleaseHold(again).error().code, ErrorCode::kConflict);
    again.id = "H-none";
    EXPECT_EQ(r.Retention().ReleaseHold(again).error().code, ErrorCode::kNotFound);
  });
  const auto released = Read([](Repositories& r) { return r.Retention().GetHold("H1"); });
  EXPECT_EQ(released->released_on, (Date{2026, 10, 1}));
  EXPECT_EQ(released->released_by, "u1");
  EXPECT_EQ(released->release_reason, "The inquiry has closed its evidence");
}

TEST_P(RetentionConformance, HoldsInForceOnADayAreListedByTheirEnd) {
  Write([](Repositories& r) {
    InsertChildren(r, {"c1", "c2"});
    EXPECT_TRUE(r.Retention().InsertHold(Hold("Hb", "c1", Date{2026, 1, 1}, Date{2026, 12, 31})));
    EXPECT_TRUE(r.Retention().InsertHold(Hold("Ha", "c2", Date{2026, 1, 1}, Date{2026, 9, 21})));  // ends today
    EXPECT_TRUE(r.Retention().InsertHold(Hold("Hc", "c2", Date{2026, 9, 22}, Date{2027, 1, 1})));  // not yet
    EXPECT_TRUE(r.Retention().InsertHold(Hold("Hd", "c2", Date{2025, 1, 1}, Date{2026, 9, 20})));  // ended
    auto released = Hold("He", "c1", Date{2026, 1, 1}, Date{2027, 1, 1});
    released.released_on = kToday;  // released today: not in force today
    released.released_by = "u1";
    released.release_reason = "Claim withdrawn by the family";
    EXPECT_TRUE(r.Retention().InsertHold(released));
    auto other = Hold("Hf", "c1", Date{2026, 1, 1}, Date{2027, 1, 1});
    other.authority_id = "la2";
    EXPECT_TRUE(r.Retention().InsertHold(other));
  });
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.Retention().InForce("la1", kToday, 10); })),
            (std::vector<std::string>{"Ha", "Hb"}));
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.Retention().InForce("la1", kToday, 1); })),
            (std::vector<std::string>{"Ha"}));
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.Retention().InForce("la1", Date{2026, 9, 22}, 10); })),
            (std::vector<std::string>{"Hb", "Hc"}));
}

// A hold on a record merged into another protects the survivor, through merges of merges; an
// un-merge takes it back.
TEST_P(RetentionConformance, AMergedRecordsHoldProtectsTheSurvivor) {
  Write([](Repositories& r) {
    InsertChildren(r, {"c1", "c2", "c3", "c4"});
    EXPECT_TRUE(r.Retention().InsertHold(Hold("H2", "c2", Date{2026, 2, 1}, Date{2027, 1, 1})));
    EXPECT_TRUE(r.Retention().InsertHold(Hold("H3", "c3", Date{2026, 3, 1}, Date{2027, 1, 1})));
    EXPECT_TRUE(r.Retention().InsertHold(Hold("H1", "c1", Date{2026, 4, 1}, Date{2027, 1, 1})));
    EXPECT_TRUE(r.Retention().InsertHold(Hold("H4", "c4", Date{2026, 1, 1}, Date{2027, 1, 1})));
  });
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.Retention().HoldsProtecting("c1"); })),
            (std::vector<std::string>{"H1"}));
  Merge("m1", "c2", "c3");  // c3 into c2
  Merge("m2", "c1", "c2");  // then c2 into c1
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.Retention().HoldsProtecting("c1"); })),
            (std::vector<std::string>{"H2", "H3", "H1"}));
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.Retention().HoldsProtecting("c2"); })),
            (std::vector<std::string>{"H2", "H3"}));
  Write([](Repositories& r) {
    auto m = *r.Merges().Get("m2");
    m.unmerged_by = "u1";
    m.unmerged_at = kT0;
    m.unmerge_reason = "Twins: different GP records";
    EXPECT_TRUE(r.Merges().Undo(m));
  });
  EXPECT_EQ(Ids(Read([](Repositories& r) { return r.Retention().HoldsProtecting("c1"); })),
            (std::vector<std::string>{"H1"}));
}

TEST_P(RetentionConformance, FactsSayWhatTheRulesNeedForEachChild) {
  Write([](Repositories& r) {
    InsertChildren(r, {"c1", "c2", "c3", "c4", "c5", "c6"});
    auto c1 = *r.Children().Get("c1");  // a care leaver with a team, who has died
    c1.date_of_birth = Date{2008, 5, 10};
    c1.flags.care_leaver = true;
    c1.date_of_death = Date{2026, 6, 1};
    EXPECT_TRUE(r.Children().Update(c1));
    r.Teams().AddMember({"c1", "u1", "Social worker", "Allocated by the duty manager", kT0, true});
    auto c2 = *r.Children().Get("c2");  // SEN, a school place now
    c2.flags.special_educational_needs = true;
    c2.services = {{"ag-school", "Year 9", {2024, 9, 1}, std::nullopt}};
    EXPECT_TRUE(r.Children().Update(c2));
    auto c3 = *r.Children().Get("c3");  // left school; once had a team that has left
    c3.services = {{"ag-school", "Year 6", {2019, 9, 1}, Date{2025, 7, 20}},
                   {"ag-school", "Year 5", {2018, 9, 1}, Date{2019, 7, 20}}};
    EXPECT_TRUE(r.Children().Update(c3));
    r.Teams().AppendEvent({"c3", "u1", "joined", "Class teacher", "Worried about attendance", "u1", kT0});
    r.Teams().AppendEvent({"c3", "u1", "left", "Class teacher", "Family moved away", "u1", kT0});
    auto c4 = *r.Children().Get("c4");  // a school place that ends today: still involved today
    c4.services = {{"ag-school", "Year 11", {2021, 9, 1}, kToday}};
    EXPECT_TRUE(r.Children().Update(c4));
    EXPECT_TRUE(r.Retention().InsertHold(Hold("H6", "c6", Date{2026, 1, 1}, Date{2027, 1, 1})));
  });
  Merge("m1", "c5", "c6");  // c6 merged into c5: c6 is not listed, and its hold protects c5

  const auto facts = Read([](Repositories& r) { return r.Retention().Facts("la1", "", 100, kToday); });
  ASSERT_EQ(facts.size(), 5u);
  const auto& f1 = facts[0];
  EXPECT_EQ(f1.child_id, "c1");
  EXPECT_EQ(f1.date_of_birth, (Date{2008, 5, 10}));
  EXPECT_TRUE(f1.care_leaver);
  EXPECT_FALSE(f1.special_educational_needs);
  EXPECT_EQ(f1.date_of_death, (Date{2026, 6, 1}));
  EXPECT_EQ(f1.created_on, kToday);
  EXPECT_TRUE(f1.involved_now);
  EXPECT_TRUE(f1.ever_had_team);
  EXPECT_FALSE(f1.last_service_on);
  EXPECT_FALSE(f1.archived_on);
  EXPECT_TRUE(f1.holds.empty());

  const auto& f2 = facts[1];
  EXPECT_EQ(f2.child_id, "c2");
  EXPECT_TRUE(f2.special_educational_needs);
  EXPECT_TRUE(f2.involved_now);
  EXPECT_FALSE(f2.ever_had_team);

  const auto& f3 = facts[2];
  EXPECT_EQ(f3.child_id, "c3");
  EXPECT_FALSE(f3.involved_now);
  EXPECT_TRUE(f3.ever_had_team);
  EXPECT_EQ(f3.last_service_on, (Date{2025, 7, 20}));

  EXPECT_EQ(facts[3].child_id, "c4");
  EXPECT_TRUE(facts[3].involved_now);
  EXPECT_EQ(facts[3].last_service_on, kToday);

  EXPECT_EQ(facts[4].child_id, "c5");
  EXPECT_FALSE(facts[4].involved_now);
  EXPECT_FALSE(facts[4].ever_had_team);
  EXPECT_EQ(Ids(facts[4].holds), (std::vector<std::string>{"H6"}));

  // The next day c4's school place has ended; paging goes on after the last id.
  const auto tomorrow = Read([](Repositories& r) { return r.Retention().Facts("la1", "c3", 1, Date{2026, 9, 22}); });
  ASSERT_EQ(tomorrow.size(), 1u);
  EXPECT_EQ(tomorrow[0].child_id, "c4");
  EXPECT_FALSE(tomorrow[0].involved_now);
  EXPECT_TRUE(Read([](Repositories& r) { return r.Retention().Facts("la2", "", 100, kToday); }).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, RetentionConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
