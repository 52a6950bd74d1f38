#include "app/change_follower.h"

#include <nlohmann/json.hpp>

#include "common/log.h"

namespace kith::app {

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

void ChangeFollower::Start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(mutex);
        wake.wait_for(lock, stop, interval_, [] { return false; });
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
}

}  // namespace kith::app
