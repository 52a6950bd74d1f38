// Waiting for work done elsewhere without holding a server thread.
//
// The HTTP server runs each request on a fiber: a stack of its own, pinned to one server thread,
// which serves many connections. When a request must wait (for its group commit, for a lock
// another request holds, for a free database reader), Await switches its fiber out, so that
// the thread serves other requests meanwhile, and switches it back in on the same thread once
// the work is done. On any other thread Await blocks like a condition variable.
//
// Code that may run in a request must therefore wait through Await (or AwaitableMutex), never
// through a condition variable or a std::mutex held across a wait: either would stall every
// request on the thread, and could deadlock it waiting for a request only it can resume.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>

namespace kith {

// Wakes the caller of Await. Call it exactly once, from any thread.
using Resume = std::function<void()>;

// Calls `arm(resume)` and returns once `resume` has been called. `arm` registers or starts the
// awaited work and may call `resume` itself, before returning, when there is nothing to wait
// for. On a fiber, `arm` runs after the fiber has been switched out, so `resume` can never
// arrive before the fiber is ready for it.
void Await(const std::function<void(Resume)>& arm);

// As Await, but gives up after `timeout`: true if `resume` was called in time, false if the time
// ran out first (a later call of `resume` is then harmless). For long polling: a request that
// waits up to 30 s for something to change must not hold its server thread meanwhile.
bool AwaitFor(const std::function<void(Resume)>& arm, std::chrono::steady_clock::duration timeout);

// Runs `work` and returns when it is done. On a fiber, it runs on one of a few shared worker
// threads (one per core), so that long CPU work such as password hashing does not stall the
// other requests on the server thread; the bound also keeps memory-hungry work (argon2id takes
// 64 MiB) from multiplying under load. Elsewhere it runs inline. Exceptions propagate.
void Offload(const std::function<void()>& work);

namespace detail {
constexpr int kTaskSlots = 4;
int AllocateTaskSlot();
void*& TaskSlot(int slot);
}  // namespace detail

// Implemented by whatever runs fibers (the HTTP server), for the fiber it is running.
class Suspender {
 public:
  // Switches the running fiber out, runs `arm(resume)`, and returns when resumed.
  virtual void Suspend(const std::function<void(Resume)>& arm) = 0;

 protected:
  virtual ~Suspender() = default;

 private:
  friend void*& detail::TaskSlot(int slot);
  void* task_slots_[detail::kTaskSlots] = {};  // TaskLocal values of this fiber
};

// A pointer each running task has for itself: every fiber its own, kept across its waits while
// other fibers run on the same thread, and every thread its own off a fiber. For request-scoped
// context that code deep in a call chain looks up (the idempotency claim of a request); a
// thread_local would be shared by all the fibers of a thread. Define instances as statics (at
// most detail::kTaskSlots of them in the program).
template <typename T>
class TaskLocal {
 public:
  TaskLocal() : slot_(detail::AllocateTaskSlot()) {}
  T* get() const { return static_cast<T*>(detail::TaskSlot(slot_)); }
  void set(T* value) const { detail::TaskSlot(slot_) = value; }

 private:
  int slot_;
};

// Makes `suspender` the one Await uses on this thread while the scope lives (a fiber runner
// opens one around each stretch of a fiber's execution).
class SuspenderScope {
 public:
  explicit SuspenderScope(Suspender* suspender);
  ~SuspenderScope();
  SuspenderScope(const SuspenderScope&) = delete;
  SuspenderScope& operator=(const SuspenderScope&) = delete;

 private:
  Suspender* previous_;
};

// A non-recursive lock whose waiters Await, so its holder may itself wait (for a commit)
// without stalling other requests. Lockable with std::unique_lock. Waiters are served in order.
class AwaitableMutex {
 public:
  void lock();
  void unlock();

 private:
  std::mutex mutex_;
  bool locked_ = false;
  std::deque<Resume> waiters_;
};

}  // namespace kith
