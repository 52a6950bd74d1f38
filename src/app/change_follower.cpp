#include "app/change_follower.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/log.h"

namespace kith::app {
namespace {

constexpr std::chrono::milliseconds kMinGap{25};  // between two passes of the thread

}  // namespace

ChangeFollower::~ChangeFollower() {
  thread_ = {};  // requests stop and joins
}

int ChangeFollower::CatchUp() {
  std::lock_guard lock(pass_mutex_);
  const auto changes =
      store_.ReadValue([&](storage::Repositories& r) { return r.Children().ChangedSince(cursor_); });
  for (const auto& child : changes.records) observer_.ChildStored(child);
  cursor_ = changes.next_cursor;
  applied_.fetch_add(static_cast<int64_t>(changes.records.size()), std::memory_order_relaxed);
  return static_cast<int>(changes.records.size());
}

void ChangeFollower::Wake() {
  {
    std::lock_guard lock(wake_mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void ChangeFollower::Start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    bool first = true;
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(wake_mutex_);
        // Under a stream of writes each commit notifies: passes are kept kMinGap apart, so a
        // node makes at most 40 a second however many children are stored.
        const auto gap = first ? std::chrono::milliseconds(0) : std::min(kMinGap, interval_);
        first = false;
        if (gap.count() > 0) wake_.wait_for(lock, stop, gap, [] { return false; });
        wake_.wait_for(lock, stop, interval_ - gap, [this] { return woken_; });
        woken_ = false;
      }
      if (stop.stop_requested()) return;
      try {
        CatchUp();
      } catch (const std::exception& e) {
        // The database is away (a failover, a restart): the next pass starts from the same cursor.
        log::Warn("changes.follow_failed", {{"reason", e.what()}});
      }
    }
  });
  if (prompt_) prompt_->Listen([this](const std::string&) { Wake(); });
}

}  // namespace kith::app
