// Runs a request's blocking-style code on a fiber of its own, so that it can wait (for a group
// commit, a lock, a database reader) through kith::Await without holding its server thread.
//
// Thread safety: a task is started and always continued on one thread (the server thread that
// owns the connection), so code on the fiber never changes thread; `post` must schedule onto
// that thread. Only the resume handed to a waiter may be called from another thread.
#pragma once

#include <exception>
#include <functional>
#include <memory>

#include "common/await.h"

namespace kith::http {

class FiberTask final : public Suspender {
 public:
  using Post = std::function<void(std::function<void()>)>;

  // `body` runs on the fiber; an exception it throws is kept in error(). `post` schedules a
  // callable on the task's thread; `on_done` is called there once `body` has returned.
  FiberTask(std::function<void()> body, Post post, std::function<void()> on_done);
  ~FiberTask();  // the task must be done (or never started)
  FiberTask(const FiberTask&) = delete;
  FiberTask& operator=(const FiberTask&) = delete;

  // Runs `body` until it returns or waits; a waiting task continues by itself through `post`.
  void Start();
  bool done() const { return done_; }
  std::exception_ptr error() const { return error_; }

  void Suspend(const std::function<void(Resume)>& arm) override;

 private:
  struct Fiber;
  void Step();

  std::function<void()> body_;
  Post post_;
  std::function<void()> on_done_;
  std::unique_ptr<Fiber> fiber_;
  const std::function<void(Resume)>* arm_ = nullptr;  // set by Suspend, run by Step once switched out
  bool done_ = false;
  std::exception_ptr error_;
};

}  // namespace kith::http
