#include "app/change_follower.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "app/test_fixture.h"

namespace kith::app {
namespace {

// Remembers what it was handed, as the search index would.
class Recorder final : public ChildObserver {
 public:
  void ChildStored(const domain::Child& child) override {
    std::lock_guard lock(mutex_);
    seen.push_back(child.id + "@" + child.family_name);
  }
  std::vector<std::string> Take() {
    std::lock_guard lock(mutex_);
    return std::exchange(seen, {});
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> seen;
};

class ChangeFollowerTest : public AppFixture {
 protected:
  // Stores a child directly, as another process over the same database would.
  void StoreChild(const std::string& id, const std::string& family_name) {
    store_->Write([&](storage::Repositories& r) {
      auto existing = r.Children().Get(id);
      domain::Child c = existing ? *existing : domain::Child{};
      c.id = id;
      c.authority_id = "la1";
      c.given_names = "Ada";
      c.family_name = family_name;
      c.created_at = c.updated_at = clock_.Now();
      if (existing) {
        EXPECT_TRUE(r.Children().Update(c));
      } else {
        EXPECT_TRUE(r.Children().Insert(c));
      }
      return true;
    });
  }
  int64_t Cursor() {
    return store_->ReadValue([](storage::Repositories& r) { return r.Children().ChangeCursor(); });
  }
  Recorder recorder_;
};

TEST_F(ChangeFollowerTest, HandsOverWhatOthersStoredSinceItsCursorAndNothingBefore) {
  StoreChild("K1", "Before");
  ChangeFollower follower(*store_, recorder_, Cursor());
  EXPECT_EQ(follower.CatchUp(), 0) << "K1 was stored before the cursor was read";
  StoreChild("K2", "Lovelace");
  StoreChild("K1", "Byron");
  EXPECT_EQ(follower.CatchUp(), 2);
  auto seen = recorder_.Take();
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"K1@Byron", "K2@Lovelace"})) << "each as it is now";
  EXPECT_EQ(follower.CatchUp(), 0) << "on SQLite (one writer) nothing comes twice";
  StoreChild("K2", "King");
  EXPECT_EQ(follower.CatchUp(), 1);
  EXPECT_EQ(recorder_.Take(), (std::vector<std::string>{"K2@King"}));
  EXPECT_EQ(follower.applied(), 3);
}

TEST_F(ChangeFollowerTest, AnUndoneWriteHandsOverNothing) {
  ChangeFollower follower(*store_, recorder_, Cursor());
  store_->Write([&](storage::Repositories& r) {
    domain::Child c;
    c.id = "K9";
    c.authority_id = "la1";
    c.given_names = "Nobody";
    c.family_name = "Undone";
    EXPECT_TRUE(r.Children().Insert(c));
    return false;
  });
  EXPECT_EQ(follower.CatchUp(), 0);
  StoreChild("K3", "After");
  EXPECT_EQ(follower.CatchUp(), 1) << "and the sequence goes on after it";
  EXPECT_EQ(recorder_.Take(), (std::vector<std::string>{"K3@After"}));
}

}  // namespace
}  // namespace kith::app
