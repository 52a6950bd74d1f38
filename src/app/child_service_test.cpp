#include "app/child_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "app/team_service.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

// The account cache must never show what has changed, nor let in someone who has left.
class ChildAccountTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    children_.emplace(*ctx_);
    domain::Child c;
    c.given_names = "Amelia";
    c.family_name = "Hart";
    c.date_of_birth = Date::Parse("2016-04-02");
    c.address = "4 Mill Lane, Northbrook";
    auto created = children_->Create(As("sw"), c, "New referral from the school");
    ASSERT_TRUE(created) << created.error().message;
    child_ = created->child.id;
  }

  int Reads() {
    return static_cast<int>(store_->ReadValue([&](storage::Repositories& r) {
      auto trail = r.Audit().ForChild(child_, 1000);
      return std::count_if(trail.begin(), trail.end(), [](const auto& a) { return a.action == "child.read"; });
    }));
  }

  std::optional<ChildService> children_;
  std::string child_;
};

TEST_F(ChildAccountTest, EveryReadIsAuditedAndShowsTheLatestRecordAndTeam) {
  const int reads_before = Reads();
  ASSERT_TRUE(children_->Account(As("sw"), child_));
  auto again = children_->Account(As("sw"), child_);  // from the cache
  ASSERT_TRUE(again);
  EXPECT_EQ(again->child.address, "4 Mill Lane, Northbrook");
  EXPECT_EQ(again->team.size(), 1u);
  EXPECT_EQ(Reads(), reads_before + 2);

  // A change made through the store alone, as another service would make it.
  store_->Write([&](storage::Repositories& r) {
    auto c = r.Children().Get(child_);
    c->address = "9 New Road, Northbrook";
    EXPECT_TRUE(r.Children().Update(*c));
    r.Teams().AddMember({child_, "u-teacher", "Class teacher", "Concerns at school", clock_.Now(), false});
    return true;
  });
  auto after = children_->Account(As("sw"), child_);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->child.address, "9 New Road, Northbrook");
  EXPECT_EQ(after->team.size(), 2u);
  EXPECT_TRUE(children_->Account(As("teacher"), child_));

  store_->Write([&](storage::Repositories& r) {
    EXPECT_TRUE(r.Agencies().Update(
        {"ag-school", "la1", "Hillside Academy", domain::AgencyKind::kSchool, "01632 960001", "", ""}));
    return true;
  });
  auto renamed = children_->Account(As("sw"), child_);
  ASSERT_TRUE(renamed);
  ASSERT_EQ(renamed->team.size(), 2u);
  const auto& teacher = renamed->team[0].member.user_id == "u-teacher" ? renamed->team[0] : renamed->team[1];
  ASSERT_TRUE(teacher.agency);
  EXPECT_EQ(teacher.agency->name, "Hillside Academy");
}

TEST_F(ChildAccountTest, WhoMayReadIsDecidedOnEveryRequestAndALeaverIsRefusedAtOnce) {
  AddToTeam(child_, "teacher", "Class teacher");
  auto member = children_->Account(As("teacher"), child_);
  ASSERT_TRUE(member);
  EXPECT_EQ(member->access, "team member");
  // Cached for the team member; someone else reading the same entry is still refused.
  auto outsider = children_->Account(As("admin"), child_);
  ASSERT_FALSE(outsider);
  EXPECT_EQ(outsider.error().code, ErrorCode::kForbidden);

  ASSERT_TRUE(TeamService(*ctx_).Leave(As("teacher"), child_, "Moved to another school"));
  auto left = children_->Account(As("teacher"), child_);
  ASSERT_FALSE(left);
  EXPECT_EQ(left.error().code, ErrorCode::kForbidden);

  auto missing = children_->Account(As("sw"), "K-nobody");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(AccountCacheTest, ServesAnEntryOnlyAtItsVersionAndANewerVersionDropsTheRest) {
  AccountCache cache(2);
  auto at = [](uint64_t v) { return std::make_shared<const CachedAccount>(CachedAccount{v, {}, {}, {}}); };
  cache.Put("K1", at(3));
  EXPECT_TRUE(cache.Find("K1", 3));
  EXPECT_FALSE(cache.Find("K1", 4));  // something changed since it was read
  cache.Put("K2", at(2));             // read before a change that K1's entry has seen: not kept
  EXPECT_FALSE(cache.Find("K2", 2));
  EXPECT_FALSE(cache.Find("K2", 3));
  cache.Put("K2", at(4));
  EXPECT_TRUE(cache.Find("K2", 4));
  EXPECT_FALSE(cache.Find("K1", 4));  // dropped with version 3
  cache.Put("K3", at(4));
  cache.Put("K4", at(4));  // full: starts again
  EXPECT_TRUE(cache.Find("K4", 4));
  EXPECT_FALSE(cache.Find("K2", 4));
}

}  // namespace
}  // namespace kith::app
