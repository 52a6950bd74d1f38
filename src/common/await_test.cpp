#include "common/await.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace kith {
namespace {

TEST(AwaitTest, OffAFiberBlocksUntilResumedFromAnotherThread) {
  std::thread worker;
  std::atomic<bool> resumed{false};
  Await([&](Resume resume) {
    worker = std::thread([&resumed, resume = std::move(resume)] {
      resumed = true;
      resume();
    });
  });
  EXPECT_TRUE(resumed);
  worker.join();
}

TEST(AwaitTest, ArmMayResumeAtOnce) {
  int armed = 0;
  Await([&](Resume resume) {
    ++armed;
    resume();
  });
  EXPECT_EQ(armed, 1);
}

// A suspender that records what it was asked and resumes at once.
class RecordingSuspender final : public Suspender {
 public:
  void Suspend(const std::function<void(Resume)>& arm) override {
    ++suspensions;
    arm([] {});
  }
  int suspensions = 0;
};

TEST(AwaitTest, UsesTheSuspenderOfTheScopeAndRestoresThePreviousOne) {
  RecordingSuspender outer, inner;
  {
    SuspenderScope a(&outer);
    Await([](Resume r) { r(); });
    {
      SuspenderScope b(&inner);
      Await([](Resume r) { r(); });
    }
    Await([](Resume r) { r(); });
  }
  EXPECT_EQ(outer.suspensions, 2);
  EXPECT_EQ(inner.suspensions, 1);
  int blocked = 0;
  Await([&](Resume r) {  // no scope left: blocks (and returns at once here)
    ++blocked;
    r();
  });
  EXPECT_EQ(blocked, 1);
  EXPECT_EQ(outer.suspensions, 2);
}

TEST(AwaitableMutexTest, ExcludesAcrossThreads) {
  AwaitableMutex mutex;
  int64_t counter = 0;  // unguarded but for the mutex
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        std::lock_guard lock(mutex);
        counter = counter + 1;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter, 80000);
}

}  // namespace
}  // namespace kith
