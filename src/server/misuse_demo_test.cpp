// The misuse report over the demo authority (issue 14): a week of ordinary work done through the
// real services — each practitioner opening the accounts of the children whose teams they are on,
// in working hours, and searching for them — raises no flag; then one planted pattern of each
// kind is flagged, for the planted practitioner and no one else, with the records behind it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "app/break_glass_service.h"
#include "app/child_service.h"
#include "app/misuse_service.h"
#include "app/search_service.h"
#include "app/team_service.h"
#include "domain/account/uk_time.h"
#include "linkage/text.h"
#include "server/demo.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith::server {
namespace {

using domain::MisuseKind;
using storage::Repositories;

constexpr const char* kAuthority = "LNORTHBROOK000000";

// Monday 1 June 2026 + `days`, at `hour`:`minute` UK time.
TimePoint At(int days, int hour, int minute = 0) {
  return domain::FromUkCivil(Date::FromDays(Date{2026, 6, 1}.ToDays() + days), {hour, minute, 0});
}

class MisuseDemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kith-misuse-demo-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = storage::OpenSqliteStore({.path = (dir_ / "kith.db").string(), .readers = 2});
    clock_.Set(At(-10, 8));
    password_ = CreateDemoData(*store_, hasher_, clock_.Now(), 2026).password;
    ctx_ = std::make_unique<app::Context>(app::Context{*store_, clock_, random_, hasher_, app::Policy{}});
    index_ = app::BuildSearchIndex(*store_, nullptr);
    search_ = std::make_unique<app::SearchService>(*ctx_, *index_);
    children_ = std::make_unique<app::ChildService>(*ctx_, search_.get());
    team_ = std::make_unique<app::TeamService>(*ctx_);
    misuse_ = std::make_unique<app::MisuseService>(*ctx_);
    store_->Read([&](Repositories& r) {
      for (const auto& u : r.Users().ListByAuthority(kAuthority)) {
        users_[u.id] = u;
        for (const auto& c : r.Teams().ChildrenOf(u.id)) teams_[u.id].insert(c);
      }
      std::string after;
      for (;;) {
        auto page = r.Children().ListByAuthority(kAuthority, after, 500);
        for (auto& c : page) kids_[c.id] = c;
        if (page.size() < 500) break;
        after = page.back().id;
      }
    });
  }

  void TearDown() override {
    misuse_.reset();
    team_.reset();
    children_.reset();
    search_.reset();
    ctx_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  app::Principal As(const std::string& user_id) { return {users_.at(user_id), {}, app::SessionState::kComplete, "10.0.0.1"}; }

  // A weekday of ordinary work: every team member opens each of their children's accounts once,
  // between 09:00 and 16:00, and searches for one of them by name and date of birth.
  void OrdinaryDay(int day) {
    int n = 0;
    for (const auto& [user_id, children] : teams_) {
      if (children.empty()) continue;
      for (const auto& child_id : children) {
        clock_.Set(At(day, 9 + n % 7, n % 60));
        ++n;
        ASSERT_TRUE(children_->Account(As(user_id), child_id)) << user_id << " " << child_id;
      }
      const domain::Child& c = kids_.at(*children.begin());
      ASSERT_TRUE(search_->Search(As(user_id),
                                  {.given_name = c.given_names, .family_name = c.family_name,
                                   .date_of_birth = c.date_of_birth},
                                  "Checking my own case before a visit"));
    }
  }

  // A practitioner on some teams, not yet used for a planted pattern.
  std::string Worker() {
    for (const auto& [id, children] : teams_) {
      if (!children.empty() && users_.at(id).role == domain::Role::kPractitioner && !planted_.count(id)) {
        planted_.insert(id);
        return id;
      }
    }
    ADD_FAILURE() << "the demo has too few practitioners on teams";
    return "";
  }

  // A child of the demo not on `user_id`'s team and not of their surname, shielded or not, with
  // a postcode, whom nobody at their agency works with.
  std::string Stranger(const std::string& user_id, bool shielded = false) {
    const std::string name = linkage::FoldName(users_.at(user_id).display_name);
    const std::string surname = name.substr(name.rfind(' ') + 1);
    for (const auto& [id, c] : kids_) {
      if (teams_[user_id].count(id) || c.shielded != shielded || c.postcode.empty() || used_.count(id)) continue;
      if (linkage::FoldName(c.family_name) == surname) continue;
      const auto& agency = users_.at(user_id).agency_id;
      if (c.school_agency_id == agency || c.gp_agency_id == agency) continue;
      bool involved = false;
      for (const auto& s : c.services) involved |= s.agency_id == agency;
      if (involved) continue;
      used_.insert(id);
      return id;
    }
    ADD_FAILURE() << "no child for " << user_id;
    return "";
  }

  std::vector<domain::MisuseFlag> Flags() {
    std::vector<domain::MisuseFlag> out;
    for (auto& f : store_->ReadValue([](Repositories& r) {
           return r.MisuseFlags().ForAuthority(kAuthority, Date{2000, 1, 1}, Date{2100, 1, 1}, true, 1000);
         })) {
      out.push_back(std::move(f.flag));
    }
    return out;
  }

  std::filesystem::path dir_;
  ManualClock clock_{FromMicros(0)};
  SeededRandom random_{14};
  app::PasswordHasher hasher_{app::HashCost::kMinimum};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<app::Context> ctx_;
  std::unique_ptr<linkage::SearchIndex> index_;
  std::unique_ptr<app::SearchService> search_;
  std::unique_ptr<app::ChildService> children_;
  std::unique_ptr<app::TeamService> team_;
  std::unique_ptr<app::MisuseService> misuse_;
  std::map<std::string, domain::User> users_;
  std::map<std::string, std::set<std::string>> teams_;
  std::map<std::string, domain::Child> kids_;
  std::set<std::string> planted_, used_;
  std::string password_;
};

TEST_F(MisuseDemoTest, OrdinaryWorkInTheDemoAuthorityRaisesNoFlag) {
  for (int day = -7; day <= 0; ++day) {
    if (domain::DayOfWeek(Date::FromDays(Date{2026, 6, 1}.ToDays() + day)) < 5) OrdinaryDay(day);
  }
  clock_.Set(At(1, 3));
  const auto run = misuse_->Run(kAuthority, Date{2026, 5, 25}, Date{2026, 6, 1});
  EXPECT_GT(run.records, 100);
  const auto flags = Flags();
  EXPECT_TRUE(flags.empty()) << flags.front().explanation;
}

TEST_F(MisuseDemoTest, EachPlantedPatternIsFlaggedForItsPractitionerOnly) {
  for (int day = -7; day < 0; ++day) {
    if (domain::DayOfWeek(Date::FromDays(Date{2026, 6, 1}.ToDays() + day)) < 5) OrdinaryDay(day);
  }
  OrdinaryDay(0);
  const std::string admin = [&] {
    for (const auto& [id, u] : users_) {
      if (u.role == domain::Role::kAuthorityAdmin) return id;
    }
    return std::string();
  }();

  // Surname: a child of the surname of `relative` (on no team of theirs), whom they search for.
  const std::string relative = Worker();
  const std::string surname = [&] {
    const std::string folded = linkage::FoldName(users_.at(relative).display_name);
    return folded.substr(folded.rfind(' ') + 1);
  }();
  std::string namesake;
  for (const auto& [id, c] : kids_) {
    if (!teams_[relative].count(id) && linkage::FoldName(c.family_name) == surname) namesake = id;
  }
  if (namesake.empty()) {
    // No such child in the demo: a colleague adds one.
    std::string creator;
    for (const auto& [id, children] : teams_) {
      if (id != relative && !children.empty()) creator = id;
    }
    domain::Child c;
    c.given_names = "Robin";
    c.family_name = users_.at(relative).display_name.substr(users_.at(relative).display_name.rfind(' ') + 1);
    c.date_of_birth = Date{2018, 5, 5};
    clock_.Set(At(-8, 12));
    auto created = children_->Create(As(creator), c, "A new referral from the school nurse");
    ASSERT_TRUE(created) << created.error().message;
    namesake = created->child.id;
    kids_[namesake] = created->child;
    teams_[creator].insert(namesake);
  }
  clock_.Set(At(0, 10, 30));
  const auto& kin = kids_.at(namesake);
  ASSERT_TRUE(search_->Search(As(relative), {.family_name = kin.family_name, .date_of_birth = kin.date_of_birth},
                              "Checking a child I may know"));

  // Address and postcode: `neighbour` lives at a child's address, and looks the child up.
  const std::string neighbour = Worker();
  const std::string next_door = Stranger(neighbour);
  ASSERT_TRUE(misuse_->SetHome(As(admin), neighbour, {kids_.at(next_door).address, kids_.at(next_door).postcode, {}}));
  clock_.Set(At(0, 11));
  ASSERT_TRUE(children_->Signpost(As(neighbour), next_door, "Checking who is involved with this child"));

  // Shielded: `curious` looks up a shielded child they do not work with.
  const std::string curious = Worker();
  const std::string hidden = Stranger(curious, true);
  clock_.Set(At(0, 11, 30));
  ASSERT_TRUE(children_->Signpost(As(curious), hidden, "Checking who is involved with this child"));

  // Out of hours: `night` opens one of their own children's accounts at 23:30.
  const std::string night = Worker();
  clock_.Set(At(0, 23, 30));
  ASSERT_TRUE(children_->Account(As(night), *teams_[night].begin()));

  // Join (asked, and approved by a manager of the authority) and leave within the hour.
  const std::string visitor = Worker();
  const std::string visited = Stranger(visitor);
  const std::string manager = [&] {
    for (const auto& [id, u] : users_) {
      if (u.role == domain::Role::kManager && u.authority_id == kAuthority) return id;
    }
    return std::string();
  }();
  clock_.Set(At(0, 12, 50));
  auto asked = team_->RequestJoin(As(visitor), visited, "Visitor", "Helping a colleague this afternoon");
  ASSERT_TRUE(asked) << asked.error().message;
  clock_.Set(At(0, 13));
  if (asked->request.status == domain::JoinRequestStatus::kPending) {
    auto approved = team_->DecideJoin(As(manager), visited, asked->request.id, true, "Agreed: a colleague is away");
    ASSERT_TRUE(approved) << approved.error().message;
  }
  clock_.Set(At(0, 13, 40));
  ASSERT_TRUE(team_->Leave(As(visitor), visited, "No longer needed on this team"));

  // No involvement: `browser` looks up six children nobody at their agency works with.
  const std::string browser = Worker();
  for (int k = 0; k < 6; ++k) {
    const std::string child = Stranger(browser);
    clock_.Set(At(0, 14, k));
    ASSERT_TRUE(children_->Signpost(As(browser), child, "Checking who is involved with this child"));
  }

  // Break-glass a manager judged unjustified.
  const std::string snoop = Worker();
  const std::string snooped = Stranger(snoop);
  clock_.Set(At(0, 15));
  app::BreakGlassService breaker(*ctx_);
  auto broke = breaker.Break(As(snoop), snooped,
                             {"missing_child", "I was told the child is missing from home", std::nullopt, password_, {}});
  ASSERT_TRUE(broke) << broke.error().message;
  clock_.Set(At(0, 16));
  ASSERT_TRUE(breaker.Review(As(manager), broke->break_glass.id, false,
                             "No child was missing: the practitioner knows the family", true));

  // Volume: `busy` opens their children's accounts 80 times the next day.
  const std::string busy = Worker();
  for (int k = 0; k < 80; ++k) {
    clock_.Set(At(1, 10, k % 60));
    const auto& mine = teams_[busy];
    ASSERT_TRUE(children_->Account(As(busy), *std::next(mine.begin(), k % static_cast<int>(mine.size()))));
  }

  clock_.Set(At(2, 3));
  const auto run = misuse_->Run(kAuthority, Date{2026, 6, 1}, Date{2026, 6, 2});
  std::map<MisuseKind, std::vector<domain::MisuseFlag>> by;
  for (auto& f : Flags()) by[f.kind].push_back(f);
  auto only = [&](MisuseKind kind, const std::string& user, const std::string& child = "") {
    const auto& got = by[kind];
    ASSERT_EQ(got.size(), 1u) << domain::ToString(kind) << ": " << (got.empty() ? "none" : got[0].explanation);
    EXPECT_EQ(got[0].user_id, user) << got[0].explanation;
    if (!child.empty()) {
      EXPECT_EQ(got[0].child_id, child) << got[0].explanation;
    }
    EXPECT_FALSE(got[0].records.empty());
    EXPECT_FALSE(got[0].explanation.empty());
  };
  only(MisuseKind::kSameSurname, relative, namesake);
  only(MisuseKind::kSameAddress, neighbour, next_door);
  only(MisuseKind::kShieldedChild, curious, hidden);
  only(MisuseKind::kOutOfHours, night);
  only(MisuseKind::kJoinLeaveQuickly, visitor, visited);
  only(MisuseKind::kNoInvolvement, browser);
  only(MisuseKind::kVolume, busy);
  only(MisuseKind::kBreakGlassUnjustified, snoop, snooped);
  EXPECT_TRUE(by[MisuseKind::kSamePostcode].empty()) << "the address match says it all";
  EXPECT_EQ(run.flags, 8);
  EXPECT_EQ(run.new_flags, 8);

  // The records behind a flag are the planted acts themselves.
  const auto records = store_->ReadValue([&](Repositories& r) {
    const auto& ref = by[MisuseKind::kSameSurname][0].records[0];
    return r.Audit().Range(ref.chain, ref.seq - 1, 1);
  });
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].action, "child.search");
  EXPECT_EQ(records[0].actor_id, relative);

  // Run again: the same flags, nothing new.
  EXPECT_EQ(misuse_->Run(kAuthority, Date{2026, 6, 1}, Date{2026, 6, 2}).new_flags, 0);

  // A review is recorded when it is made, when it is made again and when the flag does not exist.
  const std::string auditor = "Uauditor_clarke";
  const std::string flag_id = by[MisuseKind::kVolume][0].id;
  // The embedded store: one audit chain, 0.
  const int64_t head = store_->ReadValue([](Repositories& r) { return r.Audit().Heads().at(0).seq; });
  ASSERT_TRUE(misuse_->Review(As(auditor), flag_id, "Checked with the practitioner's manager"));
  EXPECT_EQ(misuse_->Review(As(auditor), flag_id, "Checked again the next day").error().code, kith::ErrorCode::kConflict);
  EXPECT_EQ(misuse_->Review(As(auditor), "FNOSUCHFLAG", "A flag that was never found").error().code,
            kith::ErrorCode::kNotFound);
  std::vector<std::string> reviews;
  for (const auto& a : store_->ReadValue([&](Repositories& r) { return r.Audit().Range(0, head, 10); })) {
    if (a.action == "misuse.flag.review" && a.actor_id == auditor) {
      reviews.push_back(std::string(domain::ToString(a.outcome)) + " " + a.target_id);
    }
  }
  EXPECT_EQ(reviews, (std::vector<std::string>{"allowed " + flag_id, "failed " + flag_id, "denied FNOSUCHFLAG"}));
}

}  // namespace
}  // namespace kith::server
