#include "app/throttle.h"

#include <algorithm>

namespace kith::app {

std::optional<std::chrono::seconds> AddressThrottle::Attempt(const std::string& address) {
  const TimePoint now = clock_.Now();
  const TimePoint window_start = now - std::chrono::minutes(1);
  // Forget quiet addresses now and then; one node doing it is enough, and it does no harm if
  // several happen to.
  const int64_t now_micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  int64_t last = last_sweep_micros_.load();
  if (now_micros - last > std::chrono::microseconds(std::chrono::minutes(5)).count() &&
      last_sweep_micros_.compare_exchange_strong(last, now_micros)) {
    store_.Write([&](storage::Repositories& r) {
      r.Sessions().ForgetAttempts(window_start);
      return true;
    });
  }
  std::optional<std::chrono::seconds> wait;
  store_.Write([&](storage::Repositories& r) {
    // Repeatable: a back end may run this again after a conflict with another node's attempt.
    wait.reset();
    const auto times = r.Sessions().AttemptsSince(address, window_start);
    if (static_cast<int>(times.size()) >= per_minute_) {
      // The oldest attempt in the window leaves it first; the next attempt may come then.
      const auto until = times[times.size() - static_cast<size_t>(per_minute_)] - window_start;
      wait = std::max(std::chrono::duration_cast<std::chrono::seconds>(until) + std::chrono::seconds(1),
                      std::chrono::seconds(1));
      return false;
    }
    r.Sessions().RecordAttempt(address, now, window_start);
    return true;
  });
  return wait;
}

}  // namespace kith::app
