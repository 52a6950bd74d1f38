#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "app/account_service.h"
#include "app/context.h"
#include "domain/account/family.h"
#include "server/demo.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith::server {
namespace {

// Leo Carter's account tells the story the demo is for: about 60 contacts from many agencies
// over 8 months, rising; missed health appointments, A&E attendances and police call-outs; and
// a new adult in the household whom no agency has checked, which the wheel flags.
TEST(DemoAccountTest, LeoCarterHasARisingMultiAgencyPictureAndAnUncheckedAdult) {
  const auto dir = std::filesystem::temp_directory_path() / ("kith-demo-account-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = storage::OpenSqliteStore({.path = (dir / "kith.db").string()});
  app::PasswordHasher hasher(app::HashCost::kMinimum);
  const TimePoint now = FromMicros(1'795'000'000'000'000);
  auto summary = CreateDemoData(*store, hasher, now, 2026);
  EXPECT_GE(summary.chronology_entries, 60);

  ManualClock clock(now);
  SeededRandom random(1);
  app::Context ctx{*store, clock, random, hasher, app::Policy{}};
  app::WordIndex words;
  words.LoadCorpus(*store);  // the demo's text gets its statistics here
  EXPECT_GT(words.corpus().documents(), 1);
  app::AccountService account(ctx, words);
  auto user = store->ReadValue([](storage::Repositories& r) { return r.Users().GetByUsername("sw.hughes"); });
  ASSERT_TRUE(user);
  const app::Principal lead{*user, {}, app::SessionState::kComplete, "127.0.0.1"};
  std::string leo;
  store->Read([&](storage::Repositories& r) {
    for (const auto& id : r.Teams().ChildrenOf(user->id)) {
      if (r.Children().Get(id)->given_names == "Leo") leo = id;
    }
  });
  ASSERT_FALSE(leo.empty());

  auto entries = account.Chronology(lead, leo, {});
  ASSERT_TRUE(entries);
  EXPECT_GE(entries->size(), 55u);
  EXPECT_LE(entries->size(), 70u);
  std::set<std::string> agencies;
  int recent = 0, early = 0, not_brought = 0, hospital = 0, police = 0, shared = 0;
  const int64_t today = Date::FromTime(now).ToDays();
  for (const auto& e : *entries) {
    const auto& x = e.stored.entry;
    agencies.insert(x.agency_id);
    const int64_t age = today - x.occurred_on.ToDays();
    EXPECT_LE(age, 245) << x.summary;  // within about 8 months
    recent += age < 80;
    early += age >= 160;
    not_brought += x.type == domain::EntryType::kWasNotBrought;
    hospital += x.type == domain::EntryType::kHospitalAttendance;
    police += x.type == domain::EntryType::kPoliceCallOut;
    auto row = store->ReadValue([&](storage::Repositories& r) { return r.Family().Visibility(x.lineage_id); });
    ASSERT_TRUE(row) << x.summary;
    EXPECT_EQ(row->set_by_agency_id, x.agency_id) << x.summary;
    // What the police shared is kept from the family, waiting on the lead's review.
    if (x.agency_id == "APOL") {
      EXPECT_EQ(row->record.visibility, domain::Visibility::kTeam) << x.summary;
      EXPECT_EQ(row->record.reason, domain::RestrictionReason::kPoliceInvestigation) << x.summary;
      EXPECT_EQ(row->record.review, domain::RestrictionReview::kPending) << x.summary;
    }
    // Nothing sensitive or serious reaches the family; what does was shared deliberately.
    if (domain::OnTheFloor(domain::ToString(x.type), x.significance == domain::Significance::kSerious)) {
      EXPECT_EQ(row->record.visibility, domain::Visibility::kTeam) << x.summary;
    }
    shared += row->record.visibility == domain::Visibility::kTeamAndFamily;
  }
  EXPECT_GE(agencies.size(), 6u);
  EXPECT_GT(recent, 2 * early);  // contact rises
  EXPECT_GE(not_brought, 3);
  EXPECT_GE(hospital, 2);
  EXPECT_GE(police, 1);
  EXPECT_GE(shared, 5) << "the family has something to see";

  auto wheel = account.Wheel(lead, leo);
  ASSERT_TRUE(wheel);
  std::string jason;
  for (const auto& p : wheel->people) {
    if (p.person.name == "Jason Kerr") jason = p.person.id;
  }
  ASSERT_FALSE(jason.empty());
  bool flagged = false;
  for (const auto& f : wheel->findings) {
    flagged |= f.kind == domain::FindingKind::kUnverifiedAdult && f.person_ids == std::vector<std::string>{jason};
  }
  EXPECT_TRUE(flagged);
  EXPECT_FALSE(account.Threads(lead, leo)->empty());
  EXPECT_FALSE(account.Alerts(lead, 50)->empty());
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kith::server
