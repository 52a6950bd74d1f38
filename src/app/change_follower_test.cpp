#include "app/change_follower.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
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

// A bus within the process: what is sent reaches the listener.
class LocalBus final : public storage::MessageBus {
 public:
  void Send(const std::string& payload) override {
    std::lock_guard lock(mutex_);
    if (receive_) receive_(payload);
  }
  void Listen(Receive receive) override {
    std::lock_guard lock(mutex_);
    receive_ = std::move(receive);
  }

 private:
  std::mutex mutex_;
  Receive receive_;
};

// Waits up to `limit` for the recorder to hold something; returns what it holds.
std::vector<std::string> WaitForSome(Recorder& recorder, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto seen = recorder.Take();
    if (!seen.empty() || std::chrono::steady_clock::now() >= until) return seen;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST_F(ChangeFollowerTest, AMessageOnItsBusStartsAPassAtOnceWhateverItsInterval) {
  auto bus = std::make_unique<LocalBus>();
  LocalBus& prompt = *bus;
  ChangeFollower follower(*store_, recorder_, Cursor(), std::chrono::hours(1), std::move(bus));
  follower.Start();
  StoreChild("K4", "Prompted");
  EXPECT_EQ(WaitForSome(recorder_, std::chrono::milliseconds(300)), std::vector<std::string>{})
      << "without a message, nothing before the hour's poll";
  prompt.Send("");
  EXPECT_EQ(WaitForSome(recorder_, std::chrono::seconds(5)), (std::vector<std::string>{"K4@Prompted"}));
  // Messages in a burst: every child stored before them is handed over, each once.
  StoreChild("K5", "One");
  StoreChild("K6", "Two");
  for (int i = 0; i < 20; ++i) prompt.Send("");
  std::vector<std::string> seen;
  for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
       seen.size() < 2 && std::chrono::steady_clock::now() < until;) {
    for (auto& id : WaitForSome(recorder_, std::chrono::milliseconds(100))) seen.push_back(id);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"K5@One", "K6@Two"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(recorder_.Take(), std::vector<std::string>{}) << "nothing twice on SQLite";
}

}  // namespace
}  // namespace kith::app
