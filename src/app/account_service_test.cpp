#include "app/account_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>

#include "app/child_service.h"
#include "app/team_service.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

using domain::EntryType;
using domain::Significance;

class AccountServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    AddUser("mgr", domain::Role::kManager, "ag-csc");
    AddUser("gp", domain::Role::kPractitioner, "ag-school");
    children_ = std::make_unique<ChildService>(*ctx_);
    hub_ = std::make_unique<LiveHub>(
        [this](const std::string& u, const LiveEvent& e) { return account_->MaySee(u, e.child_id); });
    account_ = std::make_unique<AccountService>(*ctx_, words_, hub_.get());
    domain::Child c;
    c.given_names = "Leo";
    c.family_name = "Carter";
    c.date_of_birth = Date{2025, 1, 10};
    c.sex = domain::Sex::kMale;
    c.address = "4 Mill Row";
    c.postcode = "NB1 2AB";
    auto created = children_->Create(As("sw"), c, "Referral received from the hospital");
    ASSERT_TRUE(created) << created.error().message;
    child_ = created->child.id;
    AddToTeam(child_, "teacher", "Nursery teacher");
    ASSERT_TRUE(TeamService(*ctx_).ChangeLead(As("sw"), child_, "u-sw", "Allocated social worker takes the lead"));
  }

  NewEntry Entry(std::string summary, Significance s = Significance::kRoutine, Date on = {2026, 11, 2}) {
    NewEntry e;
    e.occurred_on = on;
    e.type = EntryType::kHomeVisit;
    e.significance = s;
    e.summary = std::move(summary);
    e.detail = "Seen at home with his mother.";
    return e;
  }

  int AuditCount(const std::string& action, domain::AuditOutcome outcome) {
    return store_->ReadValue([&](storage::Repositories& r) {
      int n = 0;
      for (const auto& a : r.Audit().ForChild(child_, 1000)) n += a.action == action && a.outcome == outcome;
      return n;
    });
  }

  WordIndex words_;
  std::unique_ptr<ChildService> children_;
  std::unique_ptr<LiveHub> hub_;
  std::unique_ptr<AccountService> account_;
  std::string child_;
};

TEST_F(AccountServiceTest, TeamMembersRecordAndReadTheChronologyAndOthersAreRefusedAndAudited) {
  auto added = account_->AddEntry(As("teacher"), child_, Entry("Bruise on cheek noticed", Significance::kNotable));
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->stored.entry.agency_id, "ag-school");
  EXPECT_EQ(added->agency_name, "Hillside Primary");
  EXPECT_EQ(added->author_name, "teacher");
  EXPECT_EQ(added->stored.entry.version, 1);

  auto list = account_->Chronology(As("sw"), child_, {});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].stored.entry.summary, "Bruise on cheek noticed");
  EXPECT_EQ(AuditCount("chronology.add", domain::AuditOutcome::kAllowed), 1);
  EXPECT_EQ(AuditCount("chronology.read", domain::AuditOutcome::kAllowed), 1);

  // Not on the team: refused, audited.
  auto outsider = account_->Chronology(As("gp"), child_, {});
  ASSERT_FALSE(outsider);
  EXPECT_EQ(outsider.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(AuditCount("chronology.read", domain::AuditOutcome::kDenied), 1);
  EXPECT_EQ(account_->AddEntry(As("gp"), child_, Entry("x")).error().code, ErrorCode::kForbidden);
  // A manager supervising a team member of their agency reads but does not write.
  EXPECT_TRUE(account_->Chronology(As("mgr"), child_, {}));
  EXPECT_EQ(account_->AddEntry(As("mgr"), child_, Entry("x")).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(account_->Chronology(As("admin"), child_, {}).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(account_->Chronology(As("sw"), "no-such-child", {}).error().code, ErrorCode::kNotFound);
}

TEST_F(AccountServiceTest, InvalidEntriesAreRefusedWithTheFieldNamedAndNothingStored) {
  auto e = Entry("");
  auto r = account_->AddEntry(As("sw"), child_, e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "summary");
  e = Entry("Future visit", Significance::kRoutine, Date{2027, 1, 1});
  EXPECT_EQ(account_->AddEntry(As("sw"), child_, e).error().field, "occurred_on");
  EXPECT_TRUE(account_->Chronology(As("sw"), child_, {})->empty());
}

TEST_F(AccountServiceTest, CorrectionsKeepHistoryAndAStaleCorrectionConflicts) {
  auto v1 = account_->AddEntry(As("sw"), child_, Entry("Home visit, mother present"));
  ASSERT_TRUE(v1);
  EntryCorrection c;
  c.summary = "Home visit, mother and her partner present";
  c.reason = "Partner was present but left out of the first note";
  auto v2 = account_->CorrectEntry(As("teacher"), child_, v1->stored.entry.id, c);
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->stored.entry.version, 2);
  EXPECT_EQ(v2->stored.entry.supersedes_id, v1->stored.entry.id);
  EXPECT_EQ(v2->stored.entry.lineage_id, v1->stored.entry.id);
  EXPECT_EQ(v2->stored.entry.agency_id, "ag-csc");  // still the recording agency's entry
  EXPECT_EQ(v2->stored.entry.author_id, "u-teacher");

  auto stale = account_->CorrectEntry(As("sw"), child_, v1->stored.entry.id, c);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EntryCorrection no_reason;
  no_reason.summary = "x";
  EXPECT_EQ(account_->CorrectEntry(As("sw"), child_, v2->stored.entry.id, no_reason).error().code,
            ErrorCode::kInvalidInput);

  auto history = account_->EntryHistory(As("sw"), child_, v2->stored.entry.id);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].stored.entry.summary, "Home visit, mother present");
  EXPECT_EQ(account_->Chronology(As("sw"), child_, {})->size(), 1u);
}

TEST_F(AccountServiceTest, FiltersNarrowTheChronology) {
  ASSERT_TRUE(account_->AddEntry(As("sw"), child_, Entry("Routine visit", Significance::kRoutine, {2026, 10, 1})));
  ASSERT_TRUE(
      account_->AddEntry(As("teacher"), child_, Entry("Serious injury", Significance::kSerious, {2026, 11, 1})));
  domain::ChronologyFilter f;
  f.min_significance = Significance::kNotable;
  auto serious = account_->Chronology(As("sw"), child_, f);
  ASSERT_EQ(serious->size(), 1u);
  EXPECT_EQ((*serious)[0].stored.entry.summary, "Serious injury");
  domain::ChronologyFilter by_agency;
  by_agency.agency_ids = {"ag-csc"};
  EXPECT_EQ(account_->Chronology(As("sw"), child_, by_agency)->size(), 1u);
  domain::ChronologyFilter range;
  range.to = Date{2026, 10, 15};
  EXPECT_EQ((*account_->Chronology(As("sw"), child_, range))[0].stored.entry.summary, "Routine visit");
}

TEST_F(AccountServiceTest, ImportKeepsGoodRowsAndReportsBadOnesWithLineNumbers) {
  const std::string csv =
      "date,time,agency,type,significance,summary,detail\n"
      "2026-10-01,09:30,Hillside Primary,school_absence,routine,Absent without explanation,\n"
      "2026-10-02,,Nowhere Agency,contact,routine,Unknown agency,\n"
      "2026-10-03,,ag-csc,Home visit,serious,Home visit found no food in the house,Cupboards empty\n"
      "not-a-date,,ag-csc,note,routine,Bad date,\n";
  auto report = account_->Import(As("teacher"), child_, csv);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->imported, 2);
  EXPECT_EQ(report->rows_read, 4);
  ASSERT_EQ(report->errors.size(), 2u);
  EXPECT_EQ(report->errors[0].line, 3);
  EXPECT_EQ(report->errors[0].field, "agency");
  EXPECT_EQ(report->errors[1].line, 5);
  EXPECT_EQ(account_->Chronology(As("sw"), child_, {})->size(), 2u);
  // The serious imported row alerts the lead professional.
  auto alerts = account_->Alerts(As("sw"), 10);
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].alert.kind, "serious_entry");
}

TEST_F(AccountServiceTest, SeriousEntriesAlertTheLeadAndAlertsAreMarkedRead) {
  ASSERT_TRUE(account_->AddEntry(As("teacher"), child_, Entry("Fracture seen at A&E", Significance::kSerious)));
  auto alerts = account_->Alerts(As("sw"), 10);
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].child_name, "Leo Carter");
  EXPECT_FALSE((*alerts)[0].alert.read_at);
  EXPECT_EQ(account_->MarkAlertRead(As("teacher"), (*alerts)[0].alert.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(account_->MarkAlertRead(As("sw"), (*alerts)[0].alert.id));
  EXPECT_TRUE((*account_->Alerts(As("sw"), 10))[0].alert.read_at);
  EXPECT_TRUE(account_->Alerts(As("teacher"), 10)->empty());  // the author is not alerted
}

TEST_F(AccountServiceTest, ContactSeriesCountsPerAgencyWithNames) {
  for (int day = 1; day <= 5; ++day) {
    ASSERT_TRUE(account_->AddEntry(As("teacher"), child_, Entry("Seen", Significance::kRoutine, {2026, 11, day})));
  }
  ASSERT_TRUE(account_->AddEntry(As("sw"), child_, Entry("Visit", Significance::kRoutine, {2026, 9, 1})));
  auto series = account_->ContactSeries(As("sw"), child_, {});
  ASSERT_TRUE(series) << series.error().message;
  ASSERT_EQ(series->agencies.size(), 2u);
  EXPECT_EQ(series->agencies[0].id, series->series.agencies[0].agency_id);
  int total = 0;
  for (const auto& a : series->series.agencies) total += a.total;
  EXPECT_EQ(total, 6);
  EXPECT_EQ(series->series.granularity, domain::Granularity::kWeek);
}

TEST_F(AccountServiceTest, WordCloudStaysCurrentAndThePersistedCorpusReloads) {
  ASSERT_TRUE(account_->AddEntry(As("sw"), child_, Entry("Bruising on the arm, Leo quiet")));
  auto before = account_->WordCloud(As("sw"), child_, 10);
  ASSERT_TRUE(before);
  bool has_bruise = false, has_name = false;
  for (const auto& t : *before) {
    has_bruise |= t.term == "bruis";
    has_name |= t.term == "leo";
  }
  EXPECT_TRUE(has_bruise);
  EXPECT_FALSE(has_name);  // the child's name is left out
  ASSERT_TRUE(account_->AddEntry(As("sw"), child_, Entry("Nursery reports hunger again")));
  auto after = account_->WordCloud(As("sw"), child_, 50);
  bool has_hunger = false;
  for (const auto& t : *after) has_hunger |= t.term == "hunger";
  EXPECT_TRUE(has_hunger);

  // A fresh index loaded from storage agrees with the incrementally maintained one.
  WordIndex reloaded;
  reloaded.LoadCorpus(*store_);
  EXPECT_EQ(reloaded.corpus().documents(), words_.corpus().documents());
  EXPECT_EQ(reloaded.corpus().DocumentFrequency("hunger"), 1);
  EXPECT_EQ(words_.corpus().DocumentFrequency("hunger"), 1);
  WordIndex rebuilt;
  EXPECT_EQ(rebuilt.Rebuild(*store_), 1);
  // Text stored without statistics (as by a bulk load) is counted at start-up.
  store_->Write([](storage::Repositories& r) {
    r.WordStats().Clear();
    return true;
  });
  WordIndex repaired;
  repaired.LoadCorpus(*store_);
  EXPECT_EQ(repaired.corpus().documents(), 1);
  EXPECT_EQ(repaired.corpus().DocumentFrequency("hunger"), 1);
  EXPECT_EQ(rebuilt.corpus().DocumentFrequency("bruis"), 1);
  EXPECT_EQ(account_->WordCloud(As("mgr"), child_, 10).ok(), true);
  EXPECT_EQ(account_->WordCloud(As("gp"), child_, 10).error().code, ErrorCode::kForbidden);
}

TEST_F(AccountServiceTest, TheWordCloudShowsTextAnotherNodeWrote) {
  // A second node over the same database: its own word index and account service.
  WordIndex other_words;
  other_words.LoadCorpus(*store_);
  AccountService other(*ctx_, other_words, nullptr);
  ASSERT_TRUE(account_->AddEntry(As("sw"), child_, Entry("Bruising on the arm")));
  auto terms = [](const Result<std::vector<domain::CloudTerm>>& cloud) {
    std::set<std::string> out;
    for (const auto& t : *cloud) out.insert(t.term);
    return out;
  };
  EXPECT_TRUE(terms(other.WordCloud(As("sw"), child_, 50)).contains("bruis"));  // built: both cache it now
  ASSERT_TRUE(other.AddEntry(As("sw"), child_, Entry("Nursery reports hunger again")));
  EXPECT_TRUE(terms(account_->WordCloud(As("sw"), child_, 50)).contains("hunger")) << "the first node's cached index";
  // Writes on both nodes in turn: each write starts from the other's, none is lost.
  ASSERT_TRUE(account_->AddEntry(As("sw"), child_, Entry("Missed the dentist")));
  ASSERT_TRUE(other.AddEntry(As("sw"), child_, Entry("Neighbours heard shouting late at night")));
  for (auto* node : {account_.get(), &other}) {
    const auto seen = terms(node->WordCloud(As("sw"), child_, 200));
    for (const char* t : {"bruis", "hunger", "dentist", "shout"}) EXPECT_TRUE(seen.contains(t)) << t;
  }
  // The corpus statistics follow when refreshed: every node's writes counted once.
  EXPECT_EQ(words_.corpus().DocumentFrequency("shout"), 0) << "not yet known to the first node's corpus";
  words_.RefreshCorpus(*store_);
  EXPECT_EQ(words_.corpus().DocumentFrequency("shout"), 1);
  EXPECT_EQ(words_.corpus().DocumentFrequency("hunger"), 1);
}

// Issue 17 (the soak's memory growth): a child's index grows with every text written to it, so
// the cache is bounded by its bytes, evicting the least recently used children's indexes; a
// child evicted, or one whose index alone is over the bound, is rebuilt from storage and gives
// the same cloud as an index that never forgot anything.
// A write run again after a conflict, or undone, takes the texts it added out of the child's index
// again instead of rebuilding it from storage (which cost more with every text the child had:
// docs/BENCHMARKS.md, "Soak", run 5); the cloud is then the same as an index built afresh.
TEST_F(AccountServiceTest, Issue17_AWriteRunAgainOrUndoneTakesItsTextsOutWithoutRebuildingTheIndex) {
  WordIndex words;
  words.LoadCorpus(*store_);
  AccountService writer(*ctx_, words, nullptr);
  for (const char* text : {"Home visit, mother said all well", "School attendance poor", "Home visit again"}) {
    ASSERT_TRUE(writer.AddEntry(As("sw"), child_, Entry(text)));
    clock_.Advance(std::chrono::seconds(1));  // stored in the order written, as an index built afresh reads them
  }
  ASSERT_TRUE(writer.WordCloud(As("sw"), child_, 50));
  const uint64_t builds = words.Stats().builds;
  {
    auto lease = words.Acquire(child_);
    lease.Get(*store_);
    // A first run that added a text and then was not committed (a conflict), then the run again.
    store_->Write([&](storage::Repositories& r) {
      lease.Begin(r);
      lease.Add(r, "E-first-run", "Bruising noted by the nursery");
      return false;
    });
    store_->Write([&](storage::Repositories& r) {
      lease.Begin(r);
      lease.Add(r, "E-second-run", "Nursery report: attended well");
      return false;  // undone as well: its text must go too
    });
    lease.Finish(false);
  }
  EXPECT_EQ(words.Stats().builds, builds) << "taken out, not rebuilt";
  WordIndex fresh;
  fresh.LoadCorpus(*store_);
  AccountService reference(*ctx_, fresh, nullptr);
  words.RefreshCorpus(*store_);
  auto got = writer.WordCloud(As("sw"), child_, 50);
  auto want = reference.WordCloud(As("sw"), child_, 50);
  ASSERT_TRUE(got && want);
  ASSERT_EQ(got->size(), want->size());
  for (size_t i = 0; i < got->size(); ++i) {
    EXPECT_EQ((*got)[i].term, (*want)[i].term);
    EXPECT_EQ((*got)[i].count, (*want)[i].count);
    EXPECT_EQ((*got)[i].entry_ids, (*want)[i].entry_ids);
  }
  for (const auto& t : *got) {
    for (const auto& id : t.entry_ids) EXPECT_TRUE(id != "E-first-run" && id != "E-second-run") << t.term;
  }
  EXPECT_EQ(words.Stats().builds, builds) << "the cloud was served from the kept index";
}

TEST_F(AccountServiceTest, Issue17_TheWordIndexStaysWithinItsBytesAndGivesTheSameCloudsAfterEviction) {
  constexpr size_t kMaxBytes = 48 * 1024;
  WordIndex bounded(512, kMaxBytes);
  bounded.LoadCorpus(*store_);
  AccountService writer(*ctx_, bounded, nullptr);
  WordIndex unbounded(512, SIZE_MAX);
  unbounded.LoadCorpus(*store_);
  AccountService reference(*ctx_, unbounded, nullptr);

  std::vector<std::string> kids{child_};
  for (const char* name : {"Ava", "Ben", "Cara", "Dan", "Eli"}) {
    domain::Child c;
    c.given_names = name;
    c.family_name = "Soak";
    c.date_of_birth = Date{2024, 3, 1};
    c.sex = domain::Sex::kFemale;
    auto created = children_->Create(As("sw"), c, "Referral received from the school");
    ASSERT_TRUE(created) << created.error().message;
    kids.push_back(created->child.id);
  }
  const std::vector<std::string> words{"home visit",   "school attendance", "missed appointment", "nursery report",
                                       "GP review",    "housing",           "mother said",        "father absent",
                                       "bruising",     "attended",          "positive",           "hungry"};
  size_t peak = 0;
  for (int round = 0; round < 30; ++round) {
    for (size_t k = 0; k < kids.size(); ++k) {
      const std::string text = words[(round + k) % words.size()] + ", " + words[(round * 7 + k * 3) % words.size()] +
                               " and " + words[(round * 5 + k) % words.size()];
      ASSERT_TRUE(writer.AddEntry(As("sw"), kids[k], Entry(text)));
      const auto stats = bounded.Stats();
      EXPECT_LE(stats.bytes, kMaxBytes) << "after round " << round << ", child " << k;
      peak = std::max(peak, stats.bytes);
    }
  }
  const auto stats = bounded.Stats();
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_LT(stats.indexes, kids.size()) << "some children's indexes were dropped";
  EXPECT_GT(peak, kMaxBytes / 2) << "the bound was approached (the test writes enough)";
  // Every child's cloud, evicted or not, is the never-evicted index's cloud, weighted against
  // the same persisted corpus.
  bounded.RefreshCorpus(*store_);
  unbounded.RefreshCorpus(*store_);
  auto same = [](const std::vector<domain::CloudTerm>& a, const std::vector<domain::CloudTerm>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].term != b[i].term || a[i].count != b[i].count || a[i].weight != b[i].weight ||
          a[i].entry_ids != b[i].entry_ids) {
        return false;
      }
    }
    return true;
  };
  for (const auto& kid : kids) {
    auto got = writer.WordCloud(As("sw"), kid, 50);
    auto want = reference.WordCloud(As("sw"), kid, 50);
    ASSERT_TRUE(got && want);
    EXPECT_FALSE(got->empty());
    EXPECT_TRUE(same(*got, *want)) << kid;
    EXPECT_LE(bounded.Stats().bytes, kMaxBytes);
  }

  // A bound smaller than any one child's index: nothing stays cached, every cloud is still right.
  WordIndex tiny(512, 1);
  tiny.LoadCorpus(*store_);
  AccountService uncached(*ctx_, tiny, nullptr);
  ASSERT_TRUE(uncached.AddEntry(As("sw"), child_, Entry("Bruising on the arm again")));
  auto got = uncached.WordCloud(As("sw"), child_, 50);
  unbounded.RefreshCorpus(*store_);
  tiny.RefreshCorpus(*store_);
  auto want = reference.WordCloud(As("sw"), child_, 50);
  ASSERT_TRUE(got && want);
  EXPECT_TRUE(same(*got, *want));
  EXPECT_EQ(tiny.Stats().bytes, 0u);
  EXPECT_EQ(tiny.Stats().indexes, 0u);
  EXPECT_GE(tiny.Stats().evictions, 2u);
}

TEST_F(AccountServiceTest, WheelFlagsAnUncheckedAdultInTheHouseholdAndAlertsTheLead) {
  NewPerson jason;
  jason.name = "Jason Kerr";
  jason.relationship = domain::RelationshipType::kParentsPartner;
  jason.lives_with_child = true;
  jason.since = Date{2026, 10, 1};
  auto added = account_->AddPerson(As("teacher"), child_, jason);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_TRUE(added->adult);
  auto wheel = account_->Wheel(As("sw"), child_);
  ASSERT_TRUE(wheel);
  EXPECT_EQ(wheel->people.size(), 3u);  // Jason and the two practitioners on the team
  bool unverified = false;
  for (const auto& f : wheel->findings) {
    if (f.kind == domain::FindingKind::kUnverifiedAdult) {
      unverified = true;
      EXPECT_EQ(f.person_ids, std::vector<std::string>{added->person.id});
    }
  }
  EXPECT_TRUE(unverified);
  auto alerts = account_->Alerts(As("sw"), 20);
  bool finding_alert = false;
  for (const auto& a : *alerts) finding_alert |= a.alert.kind == "finding";
  EXPECT_TRUE(finding_alert);

  jason.verified = true;
  auto checked = account_->UpdatePerson(As("sw"), child_, added->person.id, jason);
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_TRUE(checked->person.verified);
  EXPECT_EQ(checked->person.verified_by_agency_id, "ag-csc");
  auto rechecked = account_->Wheel(As("sw"), child_);
  ASSERT_TRUE(rechecked);
  for (const auto& f : rechecked->findings) {
    EXPECT_NE(f.kind, domain::FindingKind::kUnverifiedAdult);
  }
  jason.name = "";
  EXPECT_EQ(account_->AddPerson(As("sw"), child_, jason).error().field, "name");
}

TEST_F(AccountServiceTest, ForumMentionsEditsHistoryAndPromotion) {
  auto thread = account_->CreateThread(As("teacher"), child_, "concern", "Hungry at nursery",
                                       "He arrived hungry three days running. @sw can you visit?");
  ASSERT_TRUE(thread) << thread.error().message;
  ASSERT_EQ(thread->posts.size(), 1u);
  EXPECT_EQ(thread->posts[0].post.mentions, std::vector<std::string>{"u-sw"});
  auto alerts = account_->Alerts(As("sw"), 10);
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].alert.kind, "mention");

  const std::string thread_id = thread->thread.thread.id;
  auto reply = account_->AddPost(As("sw"), child_, thread_id, "Visiting tomorrow.", thread->posts[0].post.id);
  ASSERT_TRUE(reply);
  EXPECT_EQ(account_->EditPost(As("teacher"), child_, thread_id, reply->post.id, "changed").error().code,
            ErrorCode::kForbidden);
  auto edited = account_->EditPost(As("sw"), child_, thread_id, reply->post.id, "Visiting tomorrow at 10.");
  ASSERT_TRUE(edited);
  EXPECT_EQ(edited->post.version, 2);
  auto history = account_->PostHistory(As("teacher"), child_, thread_id, reply->post.id);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].body, "Visiting tomorrow.");

  EXPECT_EQ(account_->CreateThread(As("teacher"), child_, "gossip", "t", "b").error().field, "category");

  NewEntry promote;
  promote.occurred_on = Date{2026, 11, 17};
  promote.type = EntryType::kIncident;
  promote.significance = Significance::kNotable;
  auto entry = account_->Promote(As("sw"), child_, thread_id, promote);
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(entry->stored.source_thread_id, thread_id);
  EXPECT_EQ(entry->stored.entry.summary, "Hungry at nursery");
  EXPECT_EQ(account_->Thread(As("sw"), child_, thread_id)->thread.thread.promoted_entry_id, entry->stored.entry.id);
  EXPECT_EQ(account_->Promote(As("sw"), child_, thread_id, promote).error().code, ErrorCode::kConflict);
  auto threads = account_->Threads(As("sw"), child_);
  ASSERT_EQ(threads->size(), 1u);
  EXPECT_EQ((*threads)[0].thread.post_count, 2);
}

TEST_F(AccountServiceTest, FeedAndLiveUpdatesReachOnlyCurrentTeamMembers) {
  std::vector<std::string> sw_got, gp_got, teacher_got;
  hub_->Subscribe("u-sw", [&](const LiveEvent& e) { sw_got.push_back(e.what); });
  hub_->Subscribe("u-gp", [&](const LiveEvent& e) { gp_got.push_back(e.what); });
  hub_->Subscribe("u-teacher", [&](const LiveEvent& e) { teacher_got.push_back(e.what); });
  ASSERT_TRUE(account_->AddEntry(As("sw"), child_, Entry("Visit")));
  EXPECT_EQ(sw_got, std::vector<std::string>{"chronology"});
  EXPECT_EQ(teacher_got, std::vector<std::string>{"chronology"});
  EXPECT_TRUE(gp_got.empty());

  ASSERT_TRUE(TeamService(*ctx_).Leave(As("teacher"), child_, "Child has moved to another nursery"));
  ASSERT_TRUE(account_->AddEntry(As("sw"), child_, Entry("Second visit")));
  EXPECT_EQ(sw_got.size(), 2u);
  EXPECT_EQ(teacher_got.size(), 1u);  // checked at send time: no longer on the team

  auto feed = account_->Feed(As("sw"), 50);
  ASSERT_TRUE(feed);
  int entries = 0, team_changes = 0;
  for (const auto& i : *feed) {
    entries += i.kind == "chronology_entry";
    team_changes += i.kind == "team_change";
    EXPECT_EQ(i.child_name, "Leo Carter");
  }
  EXPECT_EQ(entries, 2);
  EXPECT_GE(team_changes, 3);  // joined, joined, lead, left
  EXPECT_TRUE(account_->Feed(As("gp"), 50)->empty());
  EXPECT_EQ(account_->Feed(As("admin"), 50).error().code, ErrorCode::kForbidden);
}

// Issue 14, reproduction 4: pushed summaries were not audited.
TEST_F(AccountServiceTest, Issue14_EveryEntrySummaryPushedLiveIsAuditedForItsReceiver) {
  LiveHub audited(
      [this](const std::string& u, const LiveEvent& e) { return account_->MaySee(u, e.child_id); },
      [this](const LiveEvent& e, const std::vector<std::string>& users) { account_->RecordLive(e, users); });
  AccountService writer(*ctx_, words_, &audited);
  audited.Subscribe("u-teacher", [](const LiveEvent&) {});
  audited.Subscribe("u-gp", [](const LiveEvent&) {});  // not on the team: receives and records nothing
  ASSERT_TRUE(writer.AddEntry(As("sw"), child_, Entry("Home visit")));
  auto records = store_->ReadValue([&](storage::Repositories& r) { return r.Audit().ForChild(child_, 50); });
  std::vector<std::string> pushed_to;
  for (const auto& a : records) {
    if (a.action == "live.push") pushed_to.push_back(a.actor_id);
  }
  EXPECT_EQ(pushed_to, std::vector<std::string>{"u-teacher"});
}

TEST_F(AccountServiceTest, SummaryHasLatestEntriesSeriesWordsAndFindings) {
  for (int i = 0; i < 25; ++i) {
    ASSERT_TRUE(
        account_->AddEntry(As("sw"), child_, Entry("Visit number " + std::to_string(i) + " about neglect concerns")));
  }
  auto s = account_->Summary(As("sw"), child_);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->latest.size(), 20u);
  EXPECT_FALSE(s->words.empty());
  EXPECT_EQ(s->contact.agencies.size(), 1u);
  EXPECT_EQ(s->contact.series.agencies[0].total, 25);
  EXPECT_EQ(account_->Summary(As("gp"), child_).error().code, ErrorCode::kForbidden);
}

}  // namespace
}  // namespace kith::app
