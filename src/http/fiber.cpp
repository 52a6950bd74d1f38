#include "http/fiber.h"

#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include <vector>

namespace kith::http {
namespace ctx = boost::context;

namespace {

// 1 MiB each, with a guard page below: an overflow faults instead of corrupting memory. Pages are
// only resident once touched, and a thread keeps the stacks it used for its next requests (a
// stack is always freed on the thread that allocated it, as a task never changes thread).
constexpr size_t kStackBytes = 1 << 20;
constexpr size_t kStacksKeptPerThread = 256;

class PooledStack {
 public:
  ctx::stack_context allocate() {
    auto& pool = Pool();
    if (pool.empty()) return ctx::protected_fixedsize_stack(kStackBytes).allocate();
    ctx::stack_context stack = pool.back();
    pool.pop_back();
    return stack;
  }
  void deallocate(ctx::stack_context& stack) noexcept {
    auto& pool = Pool();
    if (pool.size() < kStacksKeptPerThread) {
      pool.push_back(stack);
    } else {
      ctx::protected_fixedsize_stack(kStackBytes).deallocate(stack);
    }
  }

 private:
  static std::vector<ctx::stack_context>& Pool() {
    struct Stacks {
      std::vector<ctx::stack_context> free;
      ~Stacks() {
        for (auto& s : free) ctx::protected_fixedsize_stack(kStackBytes).deallocate(s);
      }
    };
    thread_local Stacks stacks;
    return stacks.free;
  }
};

}  // namespace

struct FiberTask::Fiber {
  ctx::fiber task;    // the task's own context while it is not running
  ctx::fiber caller;  // while it runs: where Suspend and the end of the body return to
};

FiberTask::FiberTask(std::function<void()> body, Post post, std::function<void()> on_done)
    : body_(std::move(body)), post_(std::move(post)), on_done_(std::move(on_done)), fiber_(std::make_unique<Fiber>()) {}

FiberTask::~FiberTask() = default;

void FiberTask::Start() {
  fiber_->task = ctx::fiber(std::allocator_arg, PooledStack(), [this](ctx::fiber&& caller) {
    fiber_->caller = std::move(caller);
    try {
      body_();
    } catch (const ctx::detail::forced_unwind&) {
      throw;  // Boost.Context unwinding the fiber's stack: must pass
    } catch (...) {
      error_ = std::current_exception();
    }
    return std::move(fiber_->caller);
  });
  Step();
}

void FiberTask::Step() {
  {
    SuspenderScope scope(this);
    fiber_->task = std::move(fiber_->task).resume();
  }
  if (!fiber_->task) {  // the body returned
    done_ = true;
    on_done_();
    return;
  }
  // The fiber is switched out: now its waiter may be woken, from any thread.
  const auto* arm = std::exchange(arm_, nullptr);
  (*arm)([this] { post_([this] { Step(); }); });
}

void FiberTask::Suspend(const std::function<void(Resume)>& arm) {
  arm_ = &arm;
  fiber_->caller = std::move(fiber_->caller).resume();
}

}  // namespace kith::http
