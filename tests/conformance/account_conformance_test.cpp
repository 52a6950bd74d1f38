// Conformance of the child's-account repositories (chronology, forum, wheel, word statistics,
// feed and alerts): every back end listed in backends.cpp must pass it unchanged.
#include <gtest/gtest.h>

#include <filesystem>

#include "conformance/fixture.h"

namespace kith::conformance {
namespace {

using domain::AgencyKind;
using domain::ChronologyEntry;
using domain::EntryType;
using domain::Significance;
using storage::Repositories;
using storage::StoredEntry;

class AccountConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Write([](Repositories& r) {
      InsertAuthority(r);
      EXPECT_TRUE(r.Agencies().Insert({"ag-school", "la1", "Hillside Primary", AgencyKind::kSchool, "", "", ""}));
      EXPECT_TRUE(r.Agencies().Insert({"ag-gp", "la1", "Brook Surgery", AgencyKind::kGpPractice, "", "", ""}));
      InsertUsers(r, {"u1", "u2"}, "ag-school");
      InsertChildren(r, {"c1", "c2"});
      r.Teams().AddMember({"c1", "u1", "Teacher", "Class teacher of the child", kT0, true});
    });
  }

  static StoredEntry Entry(std::string id, std::string child, Date on, std::optional<domain::TimeOfDay> time = {},
                           TimePoint recorded = kT0) {
    ChronologyEntry e;
    e.id = id;
    e.lineage_id = id;
    e.child_id = std::move(child);
    e.occurred_on = on;
    e.occurred_time = time;
    e.agency_id = "ag-school";
    e.agency_kind = AgencyKind::kSchool;
    e.author_id = "u1";
    e.type = EntryType::kIncident;
    e.significance = Significance::kNotable;
    e.summary = "Summary of " + id;
    e.detail = "Detail of " + id;
    e.recorded_at = recorded;
    return {e, ""};
  }

  static StoredEntry CorrectionOf(const StoredEntry& old, std::string id, std::string summary) {
    StoredEntry c = old;
    c.entry.id = std::move(id);
    c.entry.version = old.entry.version + 1;
    c.entry.supersedes_id = old.entry.id;
    c.entry.lineage_id = old.entry.lineage_id;
    c.entry.summary = std::move(summary);
    c.entry.correction_reason = "Wrong date given at first";
    c.entry.recorded_at = old.entry.recorded_at + std::chrono::seconds(60);
    return c;
  }
};

TEST_P(AccountConformance, ChronologyEntryRoundTripsEveryField) {
  auto e = Entry("e1", "c1", {2026, 3, 4}, domain::TimeOfDay{14, 35, 0});
  e.source_thread_id = "";
  Write([&](Repositories& r) { EXPECT_TRUE(r.Chronology().Insert(e)); });
  auto got = Read([](Repositories& r) { return r.Chronology().Get("e1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->entry.child_id, "c1");
  EXPECT_EQ(got->entry.occurred_on, (Date{2026, 3, 4}));
  ASSERT_TRUE(got->entry.occurred_time);
  EXPECT_EQ(got->entry.occurred_time->hour, 14);
  EXPECT_EQ(got->entry.occurred_time->minute, 35);
  EXPECT_EQ(got->entry.agency_kind, AgencyKind::kSchool);
  EXPECT_EQ(got->entry.type, EntryType::kIncident);
  EXPECT_EQ(got->entry.significance, Significance::kNotable);
  EXPECT_EQ(got->entry.summary, "Summary of e1");
  EXPECT_EQ(got->entry.detail, "Detail of e1");
  EXPECT_EQ(got->entry.recorded_at, kT0);
  EXPECT_EQ(got->entry.version, 1);
  EXPECT_EQ(got->entry.lineage_id, "e1");
  EXPECT_TRUE(got->entry.supersedes_id.empty());
  Write([&](Repositories& r) { EXPECT_EQ(r.Chronology().Insert(e).error().code, ErrorCode::kConflict); });
}

TEST_P(AccountConformance, CorrectionsKeepEveryVersionAndOnlyTheLatestIsCurrent) {
  auto v1 = Entry("e1", "c1", {2026, 3, 4});
  auto v2 = CorrectionOf(v1, "e1b", "Corrected summary");
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Chronology().Insert(v1));
    EXPECT_TRUE(r.Chronology().InsertCorrection(v2));
  });
  auto current = Read([](Repositories& r) { return r.Chronology().Current("c1", 0); });
  ASSERT_EQ(current.size(), 1u);
  EXPECT_EQ(current[0].entry.id, "e1b");
  EXPECT_EQ(current[0].entry.correction_reason, "Wrong date given at first");
  auto versions = Read([](Repositories& r) { return r.Chronology().Versions("e1"); });
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].entry.summary, "Summary of e1");
  EXPECT_EQ(versions[1].entry.summary, "Corrected summary");
  EXPECT_TRUE(Read([](Repositories& r) { return r.Chronology().IsSuperseded("e1"); }));
  EXPECT_FALSE(Read([](Repositories& r) { return r.Chronology().IsSuperseded("e1b"); }));
}

TEST_P(AccountConformance, ASecondCorrectionOfTheSameVersionConflicts) {
  auto v1 = Entry("e1", "c1", {2026, 3, 4});
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Chronology().Insert(v1));
    EXPECT_TRUE(r.Chronology().InsertCorrection(CorrectionOf(v1, "e1b", "First correction")));
    auto again = r.Chronology().InsertCorrection(CorrectionOf(v1, "e1c", "Racing correction"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    auto missing = r.Chronology().InsertCorrection(CorrectionOf(Entry("nope", "c1", {2026, 1, 1}), "x", "y"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  });
  EXPECT_EQ(Read([](Repositories& r) { return r.Chronology().Versions("e1"); }).size(), 2u);
}

TEST_P(AccountConformance, CurrentIsNewestFirstWithDateOnlyEntriesAfterTimedOnesOfTheirDay) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Chronology().Insert(Entry("a", "c1", {2026, 1, 10})));
    EXPECT_TRUE(r.Chronology().Insert(Entry("b", "c1", {2026, 1, 12}, domain::TimeOfDay{9, 0, 0})));
    EXPECT_TRUE(r.Chronology().Insert(Entry("c", "c1", {2026, 1, 12})));
    EXPECT_TRUE(r.Chronology().Insert(Entry("d", "c1", {2026, 1, 12}, domain::TimeOfDay{17, 0, 0})));
    EXPECT_TRUE(r.Chronology().Insert(Entry("z", "c2", {2026, 2, 1})));
  });
  auto current = Read([](Repositories& r) { return r.Chronology().Current("c1", 0); });
  std::vector<std::string> ids;
  for (const auto& e : current) ids.push_back(e.entry.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"d", "b", "c", "a"}));
  EXPECT_EQ(Read([](Repositories& r) { return r.Chronology().Current("c1", 2); }).size(), 2u);
  auto contacts = Read([](Repositories& r) { return r.Chronology().Contacts("c1"); });
  EXPECT_EQ(contacts.size(), 4u);
  EXPECT_EQ(Read([](Repositories& r) {
              return r.Chronology().LastContactOn("c1", {2026, 1, 11});
            }),
            (Date{2026, 1, 10}));
  EXPECT_EQ(Read([](Repositories& r) { return r.Chronology().LastContactOn("c1", {2025, 1, 1}); }), std::nullopt);
  EXPECT_EQ(Read([](Repositories& r) { return r.Chronology().ChildrenWithEntries(); }),
            (std::vector<std::string>{"c1", "c2"}));
}

TEST_P(AccountConformance, ForumThreadsPostsEditsAndPromotion) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Forum().InsertThread({"t1", "c1", "concern", "Bruising", "u1", kT0, "", 0, {}}));
    storage::ForumPost p{"p1", "t1", "c1", "u1", "Saw bruising on his arm @user.u2", kT0, {}, 1, "", {"u2"}};
    EXPECT_TRUE(r.Forum().InsertPost(p));
    storage::ForumPost reply{"p2", "t1", "c1", "u2", "Thanks, noted", kT0 + std::chrono::seconds(5), {}, 1, "p1", {}};
    EXPECT_TRUE(r.Forum().InsertPost(reply));
    EXPECT_EQ(r.Forum().InsertPost(reply).error().code, ErrorCode::kConflict);
  });
  auto threads = Read([](Repositories& r) { return r.Forum().Threads("c1"); });
  ASSERT_EQ(threads.size(), 1u);
  EXPECT_EQ(threads[0].post_count, 2);
  EXPECT_EQ(threads[0].last_post_at, kT0 + std::chrono::seconds(5));
  auto posts = Read([](Repositories& r) { return r.Forum().Posts("t1"); });
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].mentions, (std::vector<std::string>{"u2"}));
  EXPECT_EQ(posts[1].reply_to, "p1");

  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Forum().EditPost("p1", 1, "Saw bruising on his left arm", {}, kT0 + std::chrono::seconds(60)));
    EXPECT_EQ(r.Forum().EditPost("p1", 1, "stale", {}, kT0).error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.Forum().EditPost("nope", 1, "x", {}, kT0).error().code, ErrorCode::kNotFound);
  });
  auto p1 = Read([](Repositories& r) { return r.Forum().GetPost("p1"); });
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->version, 2);
  EXPECT_EQ(p1->edited_at, kT0 + std::chrono::seconds(60));
  EXPECT_TRUE(p1->mentions.empty());
  auto history = Read([](Repositories& r) { return r.Forum().History("p1"); });
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].body, "Saw bruising on his arm @user.u2");
  EXPECT_EQ(history[0].at, kT0);
  EXPECT_EQ(history[1].body, "Saw bruising on his left arm");

  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Chronology().Insert(Entry("e1", "c1", {2026, 3, 4})));
    EXPECT_TRUE(r.Forum().SetPromoted("t1", "e1"));
    EXPECT_EQ(r.Forum().SetPromoted("t1", "e1").error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.Forum().SetPromoted("nope", "e1").error().code, ErrorCode::kNotFound);
  });
  EXPECT_EQ(Read([](Repositories& r) { return r.Forum().GetThread("t1"); })->promoted_entry_id, "e1");
  auto texts = Read([](Repositories& r) { return r.Forum().PostTexts("c1"); });
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0].second, "Saw bruising on his left arm");
  EXPECT_EQ(Read([](Repositories& r) { return r.Forum().ChildrenWithPosts(); }), (std::vector<std::string>{"c1"}));
}

TEST_P(AccountConformance, WheelPeopleRoundTripAndVersionedUpdates) {
  storage::StoredPerson p;
  p.id = "w1";
  p.child_id = "c1";
  p.name = "Jason Kerr";
  p.relationship = domain::RelationshipType::kParentsPartner;
  p.lives_with_child = true;
  p.since = Date{2026, 5, 1};
  p.adult = true;
  p.notes = "Moved in recently";
  p.created_by = "u1";
  p.created_at = kT0;
  p.updated_at = kT0;
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Wheel().Insert(p));
    EXPECT_EQ(r.Wheel().Insert(p).error().code, ErrorCode::kConflict);
  });
  auto got = Read([](Repositories& r) { return r.Wheel().Get("w1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->relationship, domain::RelationshipType::kParentsPartner);
  EXPECT_EQ(got->since, (Date{2026, 5, 1}));
  EXPECT_EQ(got->adult, true);
  EXPECT_FALSE(got->date_of_birth);
  EXPECT_FALSE(got->verified);
  EXPECT_EQ(got->version, 1);
  got->verified = true;
  got->verified_by_agency_id = "ag-gp";
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Wheel().Update(*got));
    EXPECT_EQ(r.Wheel().Update(*got).error().code, ErrorCode::kConflict);
  });
  auto people = Read([](Repositories& r) { return r.Wheel().ForChild("c1"); });
  ASSERT_EQ(people.size(), 1u);
  EXPECT_TRUE(people[0].verified);
  EXPECT_EQ(people[0].verified_by_agency_id, "ag-gp");
  EXPECT_EQ(people[0].version, 2);
  EXPECT_TRUE(Read([](Repositories& r) { return r.Wheel().ForChild("c2"); }).empty());
}

TEST_P(AccountConformance, WordStatisticsCountDocumentsPerTerm) {
  Write([](Repositories& r) {
    r.WordStats().Apply({"bruis", "nurseri"}, {}, 1);
    r.WordStats().Apply({"bruis"}, {}, 1);
    r.WordStats().Apply({}, {"nurseri"}, 0);
  });
  EXPECT_EQ(Read([](Repositories& r) { return r.WordStats().Documents(); }), 2);
  std::vector<std::pair<std::string, int64_t>> all;
  store_->Read([&](Repositories& r) {
    r.WordStats().ForEach([&](const std::string& t, int64_t df) { all.emplace_back(t, df); });
  });
  EXPECT_EQ(all, (std::vector<std::pair<std::string, int64_t>>{{"bruis", 2}}));
  Write([](Repositories& r) { r.WordStats().Clear(); });
  EXPECT_EQ(Read([](Repositories& r) { return r.WordStats().Documents(); }), 0);
}

TEST_P(AccountConformance, AChildsTextVersionMovesOnWithEachTouchAndOnlyWhenCommitted) {
  EXPECT_EQ(Read([](Repositories& r) { return r.WordStats().ChildVersion("c1"); }), 0);
  int64_t first = 0, second = 0;
  Write([&](Repositories& r) {
    first = r.WordStats().TouchChild("c1");
    second = r.WordStats().TouchChild("c1");
  });
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 2);
  store_->Write([](Repositories& r) {
    r.WordStats().TouchChild("c1");
    return false;  // undone
  });
  EXPECT_EQ(Read([](Repositories& r) { return r.WordStats().ChildVersion("c1"); }), 2);
  EXPECT_EQ(Read([](Repositories& r) { return r.WordStats().ChildVersion("c2"); }), 0);
  Write([](Repositories& r) { r.WordStats().Clear(); });
  EXPECT_EQ(Read([](Repositories& r) { return r.WordStats().ChildVersion("c1"); }), 2);
}

TEST_P(AccountConformance, FeedShowsOnlyTheUsersChildrenAndTheirOwnMentions) {
  Write([](Repositories& r) {
    r.Feed().Append({"f1", kT0, "c1", "chronology_entry", "Bruise noticed", "u1", "serious", "e1", "", ""});
    r.Feed().Append({"f2", kT0 + std::chrono::seconds(1), "c2", "forum_post", "Other child", "u2", "", "p9", "", ""});
    r.Feed().Append(
        {"f3", kT0 + std::chrono::seconds(2), "c1", "mention", "You were mentioned", "u2", "", "p1", "u2", ""});
    r.Feed().Append({"f4", kT0 + std::chrono::seconds(3), "c1", "mention", "Mentioned u1", "u2", "", "p1", "u1", ""});
    r.Teams().AppendEvent({"c1", "u1", "joined", "Teacher", "Class teacher", "u1", kT0 - std::chrono::seconds(1)});
  });
  auto feed = Read([](Repositories& r) { return r.Feed().ForUser("u1", 50); });
  std::vector<std::string> ids;
  for (const auto& f : feed) ids.push_back(f.id);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], "f4");
  EXPECT_EQ(ids[1], "f1");
  EXPECT_EQ(feed[2].kind, "team_change");
  EXPECT_EQ(feed[2].summary, "joined");
  EXPECT_EQ(feed[2].role, "Teacher");
  EXPECT_EQ(Read([](Repositories& r) { return r.Feed().ForUser("u1", 1); }).size(), 1u);
  EXPECT_TRUE(Read([](Repositories& r) { return r.Feed().ForUser("u2", 50); }).empty());  // on no team
}

TEST_P(AccountConformance, AlertsBelongToOneUserAndAreMarkedReadOnce) {
  Write([](Repositories& r) {
    r.Feed().InsertAlert({"a1", "u1", "c1", kT0, "serious_entry", "Serious entry", "e1", {}});
    r.Feed().InsertAlert({"a2", "u1", "c1", kT0 + std::chrono::seconds(1), "finding", "New finding", "w1", {}});
  });
  auto alerts = Read([](Repositories& r) { return r.Feed().Alerts("u1", 10); });
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].id, "a2");
  EXPECT_FALSE(alerts[0].read_at);
  Write([](Repositories& r) {
    EXPECT_EQ(r.Feed().MarkRead("a1", "u2", kT0).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(r.Feed().MarkRead("a1", "u1", kT0 + std::chrono::seconds(5)));
    EXPECT_TRUE(r.Feed().MarkRead("a1", "u1", kT0 + std::chrono::seconds(9)));
  });
  auto after = Read([](Repositories& r) { return r.Feed().Alerts("u1", 10); });
  EXPECT_EQ(after[1].read_at, kT0 + std::chrono::seconds(5));
  EXPECT_TRUE(Read([](Repositories& r) { return r.Feed().Alerts("u2", 10); }).empty());
}

TEST_P(AccountConformance, AnAlertMayBeAboutNoChild) {
  Write([](Repositories& r) {
    r.Feed().InsertAlert({"a1", "u2", "", kT0, "account_change", "Your role was changed", "u2", {}});
  });
  auto alerts = Read([](Repositories& r) { return r.Feed().Alerts("u2", 10); });
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].child_id, "");
  EXPECT_EQ(alerts[0].summary, "Your role was changed");
}

// --- Family portal (issue 5) ----------------------------------------------------------------

TEST_P(AccountConformance, VisibilityIsOneRowPerSubjectReplacedOnChange) {
  using domain::Visibility;
  storage::VisibilityRow row{"E1",
                             "c1",
                             "entry",
                             {Visibility::kTeam, domain::RestrictionReason::kOther, "Mother's new address",
                              domain::RestrictionReview::kPending},
                             "u1",
                             kT0,
                             "",
                             std::nullopt,
                             "ag-police"};
  Write([&](Repositories& r) {
    r.Family().SetVisibility(row);
    r.Family().SetVisibility({"T1", "c1", "thread", {}, "u1", kT0, "", std::nullopt});
    r.Family().SetVisibility({"E9", "c2", "entry", {Visibility::kTeamAndFamily, {}, "", {}}, "u1", kT0, "", {}});
  });
  auto got = Read([](Repositories& r) { return r.Family().Visibility("E1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->record.reason, domain::RestrictionReason::kOther);
  EXPECT_EQ(got->record.reason_text, "Mother's new address");
  EXPECT_EQ(got->record.review, domain::RestrictionReview::kPending);
  EXPECT_FALSE(got->reviewed_at);
  EXPECT_EQ(got->set_by_agency_id, "ag-police");
  row.record = {Visibility::kTeamAndFamily, domain::RestrictionReason::kOther, "Mother's new address",
                domain::RestrictionReview::kLifted};
  row.reviewed_by = "u2";
  row.reviewed_at = kT0 + std::chrono::seconds(60);
  Write([&](Repositories& r) { r.Family().SetVisibility(row); });
  auto all = Read([](Repositories& r) { return r.Family().VisibilityForChild("c1"); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].subject_id, "E1");
  EXPECT_EQ(all[0].record.visibility, Visibility::kTeamAndFamily);
  EXPECT_EQ(all[0].record.review, domain::RestrictionReview::kLifted);
  EXPECT_EQ(all[0].reviewed_by, "u2");
  EXPECT_EQ(all[0].reviewed_at, kT0 + std::chrono::seconds(60));
  EXPECT_EQ(all[0].set_by_agency_id, "ag-police");
  EXPECT_EQ(all[1].record.visibility, Visibility::kTeam);
  EXPECT_FALSE(all[1].record.reason);
  EXPECT_EQ(all[1].set_by_agency_id, "");
  EXPECT_FALSE(Read([](Repositories& r) { return r.Family().Visibility("E404"); }));
}

TEST_P(AccountConformance, FamilyDefaultsAndSettingsPerAuthority) {
  EXPECT_TRUE(Read([](Repositories& r) { return r.Family().Defaults("la1"); }).empty());
  EXPECT_FALSE(Read([](Repositories& r) { return r.Family().YoungPersonMinAge("la1"); }));
  Write([](Repositories& r) {
    r.Family().SetDefault("la1", "home_visit", domain::Visibility::kTeam);
    r.Family().SetDefault("la1", "contact", domain::Visibility::kTeamAndFamily);
    r.Family().SetDefault("la1", "home_visit", domain::Visibility::kTeamAndFamily);
    r.Family().SetYoungPersonMinAge("la1", 12);
  });
  auto d = Read([](Repositories& r) { return r.Family().Defaults("la1"); });
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].first, "contact");
  EXPECT_EQ(d[1].first, "home_visit");
  EXPECT_EQ(d[1].second, domain::Visibility::kTeamAndFamily);
  EXPECT_EQ(Read([](Repositories& r) { return r.Family().YoungPersonMinAge("la1"); }), 12);
}

TEST_P(AccountConformance, InvitationsLinksAndFamilyEntries) {
  storage::FamilyInvitation inv;
  inv.id = "I1";
  inv.code_hash = "hash-1";
  inv.child_id = "c1";
  inv.relation = domain::FamilyRelation::kParentCarer;
  inv.name = "Sarah Carter";
  inv.invited_by = "u1";
  inv.created_at = kT0;
  inv.expires_at = kT0 + std::chrono::hours(24 * 14);
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Family().InsertInvitation(inv));
    auto dup = inv;
    dup.id = "I2";
    EXPECT_EQ(r.Family().InsertInvitation(dup).error().code, ErrorCode::kConflict);  // same hash
  });
  auto got = Read([](Repositories& r) { return r.Family().InvitationByCodeHash("hash-1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "Sarah Carter");
  EXPECT_TRUE(got->wheel_person_id.empty());
  EXPECT_FALSE(got->redeemed_at);
  got->failed_checks = 2;
  got->redeemed_at = kT0 + std::chrono::seconds(10);
  got->redeemed_by = "u2";
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Family().UpdateInvitation(*got));
    auto missing = *got;
    missing.id = "I404";
    EXPECT_EQ(r.Family().UpdateInvitation(missing).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(r.Family().Link({"u2", "c1", domain::FamilyRelation::kParentCarer, kT0, "I1"}));
    EXPECT_TRUE(
        r.Family().Link({"u2", "c2", domain::FamilyRelation::kParentCarer, kT0 + std::chrono::seconds(1), "I3"}));
    EXPECT_EQ(r.Family().Link({"u2", "c1", domain::FamilyRelation::kParentCarer, kT0, "I1"}).error().code,
              ErrorCode::kConflict);
    EXPECT_TRUE(
        r.Family().InsertEntry({"FE1", "c1", "u2", domain::FamilyEntryKind::kThoughts, "", "We are coping.", kT0}));
    EXPECT_TRUE(r.Family().InsertEntry({"FE2", "c1", "u2", domain::FamilyEntryKind::kDisagreement, "E1",
                                        "That is not what happened.", kT0 + std::chrono::seconds(5)}));
  });
  auto after = Read([](Repositories& r) { return r.Family().InvitationsForChild("c1"); });
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].failed_checks, 2);
  EXPECT_EQ(after[0].redeemed_by, "u2");
  auto links = Read([](Repositories& r) { return r.Family().LinksOf("u2"); });
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].child_id, "c1");
  EXPECT_EQ(links[1].child_id, "c2");
  EXPECT_EQ(Read([](Repositories& r) { return r.Family().LinksToChild("c2"); }).size(), 1u);
  auto entries = Read([](Repositories& r) { return r.Family().Entries("c1"); });
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].id, "FE2");  // newest first
  EXPECT_EQ(entries[0].about_entry_id, "E1");
  EXPECT_EQ(entries[0].kind, domain::FamilyEntryKind::kDisagreement);
  EXPECT_EQ(Read([](Repositories& r) { return r.Family().ChildrenWithEntries(); }), std::vector<std::string>{"c1"});
}

TEST_P(AccountConformance, ReleaseRequestsAreKeptWithTheirDecisions) {
  using domain::ReleaseStatus;
  storage::ReleaseRequest police{
      "RR1", "R1",         "c1", "E1", "ag-police", "u1", kT0, "The family asked about it", ReleaseStatus::kPending,
      "",    std::nullopt, ""};
  storage::ReleaseRequest health = police;
  health.id = "RR2";
  health.agency_id = "ag-health";
  storage::ReleaseRequest later = police;
  later.id = "RR3";
  later.request_id = "R2";
  later.requested_at = kT0 + std::chrono::seconds(30);
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Family().InsertReleaseRequest(police));
    EXPECT_TRUE(r.Family().InsertReleaseRequest(health));
    EXPECT_TRUE(r.Family().InsertReleaseRequest(later));
    EXPECT_EQ(r.Family().InsertReleaseRequest(police).error().code, ErrorCode::kConflict);
    auto other_child = police;
    other_child.id = "RR9";
    other_child.child_id = "c2";
    EXPECT_TRUE(r.Family().InsertReleaseRequest(other_child));
  });
  auto got = Read([](Repositories& r) { return r.Family().ReleaseRequests("c1"); });
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].id, "RR3");  // newest first, then by id descending
  EXPECT_EQ(got[1].id, "RR2");
  EXPECT_EQ(got[2].id, "RR1");
  EXPECT_EQ(got[2].request_id, "R1");
  EXPECT_EQ(got[2].agency_id, "ag-police");
  EXPECT_EQ(got[2].reason, "The family asked about it");
  EXPECT_EQ(got[2].status, ReleaseStatus::kPending);
  EXPECT_FALSE(got[2].decided_at);
  police.status = ReleaseStatus::kAgreed;
  police.decided_by = "u7";
  police.decided_at = kT0 + std::chrono::seconds(90);
  police.decision_reason = "The investigation is closed";
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Family().UpdateReleaseRequest(police));
    auto missing = police;
    missing.id = "RR404";
    EXPECT_EQ(r.Family().UpdateReleaseRequest(missing).error().code, ErrorCode::kNotFound);
  });
  auto after = Read([](Repositories& r) { return r.Family().ReleaseRequests("c1"); });
  EXPECT_EQ(after[2].status, ReleaseStatus::kAgreed);
  EXPECT_EQ(after[2].decided_by, "u7");
  EXPECT_EQ(after[2].decided_at, kT0 + std::chrono::seconds(90));
  EXPECT_EQ(after[2].decision_reason, "The investigation is closed");
  EXPECT_EQ(after[1].status, ReleaseStatus::kPending);
  EXPECT_EQ(Read([](Repositories& r) { return r.Family().ReleaseRequests("c2"); }).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
