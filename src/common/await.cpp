#include "common/await.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <thread>

namespace kith {
namespace {

thread_local Suspender* current_suspender = nullptr;
thread_local void* thread_slots[detail::kTaskSlots] = {};

// Off a fiber: block this thread until resumed.
void Block(const std::function<void(Resume)>& arm) {
  struct State {
    std::mutex mutex;
    std::condition_variable cv;
    bool resumed = false;
  } state;
  arm([&state] {
    std::lock_guard lock(state.mutex);  // held while notifying: `state` is gone once the waiter wakes
    state.resumed = true;
    state.cv.notify_one();
  });
  std::unique_lock lock(state.mutex);
  state.cv.wait(lock, [&state] { return state.resumed; });
}

// Worker threads for Offload, started on first use and never stopped (work queued at exit is
// abandoned with the process).
class Workers {
 public:
  static Workers& Get() {
    static Workers* workers = new Workers(std::max(2u, std::thread::hardware_concurrency()));
    return *workers;
  }
  void Post(std::function<void()> work) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(work));
    }
    cv_.notify_one();
  }

 private:
  explicit Workers(unsigned n) {
    for (unsigned i = 0; i < n; ++i) std::thread([this] { Run(); }).detach();
  }
  void Run() {
    for (;;) {
      std::function<void()> work;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return !queue_.empty(); });
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      work();
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
};

// One thread that calls functions at their deadlines, for AwaitFor. Started on first use and
// never stopped, like Workers.
class Deadlines {
 public:
  static Deadlines& Get() {
    static Deadlines* deadlines = new Deadlines();
    return *deadlines;
  }
  void At(std::chrono::steady_clock::time_point when, std::function<void()> fn) {
    {
      std::lock_guard lock(mutex_);
      due_.emplace(when, std::move(fn));
    }
    cv_.notify_one();
  }

 private:
  Deadlines() {
    std::thread([this] { Run(); }).detach();
  }
  void Run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (due_.empty()) {
        cv_.wait(lock);
      } else if (cv_.wait_until(lock, due_.begin()->first) == std::cv_status::timeout) {
        while (!due_.empty() && due_.begin()->first <= std::chrono::steady_clock::now()) {
          auto fn = std::move(due_.begin()->second);
          due_.erase(due_.begin());
          lock.unlock();
          fn();
          lock.lock();
        }
      }
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> due_;
};

}  // namespace

bool AwaitFor(const std::function<void(Resume)>& arm, std::chrono::steady_clock::duration timeout) {
  // Whichever comes first, the waker or the deadline, resumes the caller; the other does nothing.
  struct Race {
    std::atomic<bool> over{false};
    bool woken = false;
    Resume resume;
  };
  auto race = std::make_shared<Race>();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Await([&](Resume resume) {
    race->resume = std::move(resume);
    Deadlines::Get().At(deadline, [race] {
      if (!race->over.exchange(true)) race->resume();
    });
    arm([race] {
      if (race->over.exchange(true)) return;
      race->woken = true;
      race->resume();
    });
  });
  return race->woken;
}

namespace detail {

int AllocateTaskSlot() {
  static std::atomic<int> next{0};
  const int slot = next.fetch_add(1);
  if (slot >= kTaskSlots) std::abort();  // a programming error: raise kTaskSlots
  return slot;
}

void*& TaskSlot(int slot) {
  return current_suspender != nullptr ? current_suspender->task_slots_[slot] : thread_slots[slot];
}

}  // namespace detail

void Offload(const std::function<void()>& work) {
  if (current_suspender == nullptr) {
    work();
    return;
  }
  std::exception_ptr error;
  Await([&](Resume resume) {
    Workers::Get().Post([&work, &error, resume = std::move(resume)] {
      try {
        work();
      } catch (...) {
        error = std::current_exception();
      }
      resume();
    });
  });
  if (error) std::rethrow_exception(error);
}

void Await(const std::function<void(Resume)>& arm) {
  if (Suspender* suspender = current_suspender) {
    suspender->Suspend(arm);
  } else {
    Block(arm);
  }
}

SuspenderScope::SuspenderScope(Suspender* suspender) : previous_(current_suspender) { current_suspender = suspender; }

SuspenderScope::~SuspenderScope() { current_suspender = previous_; }

void AwaitableMutex::lock() {
  {
    std::lock_guard guard(mutex_);
    if (!locked_) {
      locked_ = true;
      return;
    }
  }
  Await([this](Resume resume) {
    std::unique_lock guard(mutex_);
    if (!locked_) {  // released since the first look
      locked_ = true;
      guard.unlock();
      resume();
    } else {
      waiters_.push_back(std::move(resume));
    }
  });
}

void AwaitableMutex::unlock() {
  std::unique_lock guard(mutex_);
  if (waiters_.empty()) {
    locked_ = false;
    return;
  }
  Resume next = std::move(waiters_.front());  // the lock passes straight to the first waiter
  waiters_.pop_front();
  guard.unlock();
  next();
}

}  // namespace kith
