#include "server/demo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "domain/identifiers.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith::server {
namespace {

TEST(DemoTest, CreatesAValidBelievableAuthorityOnce) {
  const auto dir = std::filesystem::temp_directory_path() / ("kith-demo-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = storage::OpenSqliteStore({.path = (dir / "kith.db").string()});
  app::PasswordHasher hasher(app::HashCost::kMinimum);
  const TimePoint now = FromMicros(1'795'000'000'000'000);
  auto summary = CreateDemoData(*store, hasher, now, 7);
  EXPECT_EQ(summary.children, 200);
  EXPECT_GE(summary.users, 25);
  EXPECT_GE(summary.agencies, 12);
  EXPECT_THROW(CreateDemoData(*store, hasher, now, 7), storage::StorageError);

  // Every generated child passes the same validation as one entered through the API.
  const Date today = Date::FromTime(now);
  int children = 0, leads = 0;
  store->Read([&](storage::Repositories& r) {
    std::string after;
    for (;;) {
      auto page = r.Children().ListByAuthority("LNORTHBROOK000000", after, 50);
      if (page.empty()) break;
      for (auto c : page) {
        ++children;
        ASSERT_TRUE(domain::NormaliseChild(c, today)) << c.id;
        EXPECT_TRUE(domain::IsValidNhsNumber(c.nhs_number));
        if (!c.upn.empty()) {
          EXPECT_TRUE(domain::IsValidUpn(c.upn)) << c.upn;
        }
        auto team = r.Teams().Members(c.id);
        int lead_count = 0;
        for (const auto& m : team) lead_count += m.lead;
        EXPECT_LE(lead_count, 1);
        leads += lead_count;
      }
      after = page.back().id;
    }
  });
  EXPECT_EQ(children, 200);
  EXPECT_GE(leads, 5);
  auto user = store->ReadValue([](storage::Repositories& r) { return r.Users().GetByUsername("sw.hughes"); });
  ASSERT_TRUE(user);
  EXPECT_TRUE(hasher.Verify(user->password_hash, summary.password));

  // One child other than Leo has an early help assessment in progress, consistent with its
  // team (the lead is the team's lead) and flag, with a TAC meeting and an overdue action.
  store->Read([&](storage::Repositories& r) {
    int open = 0;
    std::string after;
    for (;;) {
      auto page = r.Children().ListByAuthority("LNORTHBROOK000000", after, 50);
      if (page.empty()) break;
      for (const auto& c : page) {
        for (const auto& a : r.EarlyHelp().ForChild(c.id)) {
          if (!a.IsOpen()) continue;
          ++open;
          EXPECT_EQ(c.given_names, "Amira");
          EXPECT_TRUE(c.flags.early_help_assessment);
          const auto team = r.Teams().Members(c.id);
          const auto* lead = domain::FindLead(team);
          ASSERT_TRUE(lead);
          EXPECT_EQ(lead->user_id, a.lead_id);
          EXPECT_FALSE(a.meetings.empty());
          EXPECT_EQ(domain::early_help::OverdueActions(a, today).size(), 1u);
        }
      }
      after = page.back().id;
    }
    EXPECT_EQ(open, 1);
  });
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kith::server
