#include "http/fiber.h"

#include <gtest/gtest.h>

#include <deque>
#include <stdexcept>
#include <thread>

namespace kith::http {
namespace {

// A single-threaded "executor": posted steps run when the test drains the queue.
struct Queue {
  std::mutex mutex;
  std::deque<std::function<void()>> steps;
  FiberTask::Post Poster() {
    return [this](std::function<void()> f) {
      std::lock_guard lock(mutex);
      steps.push_back(std::move(f));
    };
  }
  bool RunOne() {
    std::function<void()> f;
    {
      std::lock_guard lock(mutex);
      if (steps.empty()) return false;
      f = std::move(steps.front());
      steps.pop_front();
    }
    f();
    return true;
  }
};

TEST(FiberTaskTest, ABodyThatNeverWaitsIsDoneAfterStart) {
  Queue queue;
  int done_calls = 0, ran = 0;
  FiberTask task([&] { ++ran; }, queue.Poster(), [&] { ++done_calls; });
  task.Start();
  EXPECT_TRUE(task.done());
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(done_calls, 1);
  EXPECT_FALSE(task.error());
}

TEST(FiberTaskTest, AWaitingBodyGivesItsThreadBackAndContinuesOnThePostedStep) {
  Queue queue;
  Resume saved;
  std::vector<std::string> trace;
  FiberTask task(
      [&] {
        trace.push_back("before");
        Await([&](Resume r) {
          trace.push_back("armed");
          saved = std::move(r);
        });
        trace.push_back("after");
      },
      queue.Poster(), [&] { trace.push_back("done"); });
  task.Start();
  // Start returned while the body waits: the thread is free.
  EXPECT_FALSE(task.done());
  EXPECT_EQ(trace, (std::vector<std::string>{"before", "armed"}));
  EXPECT_FALSE(queue.RunOne());  // nothing to do until woken
  std::thread waker([&] { saved(); });  // woken from another thread, as by the writer
  waker.join();
  ASSERT_TRUE(queue.RunOne());
  EXPECT_TRUE(task.done());
  EXPECT_EQ(trace, (std::vector<std::string>{"before", "armed", "after", "done"}));
}

TEST(FiberTaskTest, TwoTasksInterleaveOnOneThreadAroundAnAwaitableMutex) {
  Queue queue;
  AwaitableMutex mutex;
  std::vector<Resume> commits;  // waiters for a pretend commit
  std::vector<std::string> trace;
  auto body = [&](std::string name) {
    return [&, name] {
      std::lock_guard lock(mutex);  // the second task waits here without blocking the thread
      trace.push_back(name + " locked");
      Await([&](Resume r) { commits.push_back(std::move(r)); });
      trace.push_back(name + " committed");
    };
  };
  FiberTask a(body("a"), queue.Poster(), [] {});
  FiberTask b(body("b"), queue.Poster(), [] {});
  a.Start();
  b.Start();  // would deadlock the thread with a std::mutex
  EXPECT_EQ(trace, (std::vector<std::string>{"a locked"}));
  ASSERT_EQ(commits.size(), 1u);
  std::exchange(commits, {})[0]();
  while (queue.RunOne()) {
  }
  EXPECT_TRUE(a.done());
  EXPECT_EQ(trace, (std::vector<std::string>{"a locked", "a committed", "b locked"}));
  ASSERT_EQ(commits.size(), 1u);
  std::exchange(commits, {})[0]();
  while (queue.RunOne()) {
  }
  EXPECT_TRUE(b.done());
}

TEST(FiberTaskTest, OffloadedWorkRunsOnAWorkerWhileTheThreadIsFree) {
  Queue queue;
  std::mutex gate;
  gate.lock();  // holds the work until the test has seen the fiber switched out
  std::thread::id worker;
  FiberTask task(
      [&] {
        Offload([&] {
          std::lock_guard wait(gate);
          worker = std::this_thread::get_id();
        });
      },
      queue.Poster(), [] {});
  task.Start();
  EXPECT_FALSE(task.done());
  gate.unlock();
  while (!task.done()) queue.RunOne();  // the worker posts the continuation when it is done
  EXPECT_NE(worker, std::this_thread::get_id());
  EXPECT_NE(worker, std::thread::id());
}

TEST(FiberTaskTest, OffloadRunsInlineOffAFiber) {
  std::thread::id ran;
  Offload([&] { ran = std::this_thread::get_id(); });
  EXPECT_EQ(ran, std::this_thread::get_id());
  EXPECT_THROW(Offload([] { throw std::runtime_error("no"); }), std::runtime_error);
}

TEST(FiberTaskTest, EachFiberHasItsOwnTaskLocalAcrossWaits) {
  static const TaskLocal<int> slot;
  Queue queue;
  int a_value = 1, b_value = 2, thread_value = 3;
  slot.set(&thread_value);
  std::vector<Resume> waiting;
  int* seen_a = nullptr;
  int* seen_b = nullptr;
  FiberTask a(
      [&] {
        slot.set(&a_value);
        Await([&](Resume r) { waiting.push_back(std::move(r)); });
        seen_a = slot.get();  // b set its own value meanwhile, on the same thread
      },
      queue.Poster(), [] {});
  FiberTask b(
      [&] {
        EXPECT_EQ(slot.get(), nullptr);  // a fresh task starts empty
        slot.set(&b_value);
        Await([&](Resume r) { waiting.push_back(std::move(r)); });
        seen_b = slot.get();
      },
      queue.Poster(), [] {});
  a.Start();
  b.Start();
  for (auto& r : std::exchange(waiting, {})) r();
  while (queue.RunOne()) {
  }
  ASSERT_TRUE(a.done() && b.done());
  EXPECT_EQ(seen_a, &a_value);
  EXPECT_EQ(seen_b, &b_value);
  EXPECT_EQ(slot.get(), &thread_value);  // the thread's own, untouched
  slot.set(nullptr);
}

TEST(FiberTaskTest, AwaitForGivesUpAtItsDeadlineWithoutHoldingTheThread) {
  Queue queue;
  Resume never_called;  // the waker that never comes
  bool woken = true;
  FiberTask task([&] { woken = AwaitFor([&](Resume r) { never_called = std::move(r); }, std::chrono::milliseconds(20)); },
                 queue.Poster(), [] {});
  task.Start();
  EXPECT_FALSE(task.done());  // the thread is free while the fiber waits
  while (!task.done()) queue.RunOne();
  EXPECT_FALSE(woken);
  never_called();  // too late: harmless
}

TEST(FiberTaskTest, AwaitForReturnsWhenWokenInTime) {
  Queue queue;
  Resume waker;
  bool woken = false;
  FiberTask task([&] { woken = AwaitFor([&](Resume r) { waker = std::move(r); }, std::chrono::minutes(5)); },
                 queue.Poster(), [] {});
  task.Start();
  std::thread([&] { waker(); }).join();
  while (!task.done()) queue.RunOne();
  EXPECT_TRUE(woken);
}

TEST(FiberTaskTest, KeepsTheBodysException) {
  Queue queue;
  FiberTask task([] { throw std::runtime_error("boom"); }, queue.Poster(), [] {});
  task.Start();
  ASSERT_TRUE(task.done());
  ASSERT_TRUE(task.error());
  EXPECT_THROW(std::rethrow_exception(task.error()), std::runtime_error);
}

}  // namespace
}  // namespace kith::http
