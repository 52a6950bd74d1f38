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

// Runs `work` and returns when it is done. On a fiber, it runs on one of a few shared worker
// threads (one per core), so that long CPU work such as password hashing does not stall the
// other requests on the server thread; the bound also keeps memory-hungry work (argon2id takes
// 64 MiB) from multiplying under load. Elsewhere it runs inline. Exceptions propagate.
void Offload(const std::function<void()>& work);

// Implemented by whatever runs fibers (the HTTP server), for the fiber it is running.
class Suspender {
 public:
  // Switches the running fiber out, runs `arm(resume)`, and returns when resumed.
  virtual void Suspend(const std::function<void(Resume)>& arm) = 0;

 protected:
  ~Suspender() = default;
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
