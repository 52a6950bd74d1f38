#include "app/throttle.h"

namespace kith::app {

std::optional<std::chrono::seconds> AddressThrottle::Attempt(const std::string& address) {
  const TimePoint now = clock_.Now();
  const TimePoint window_start = now - std::chrono::minutes(1);
  std::lock_guard lock(mutex_);
  // Forget idle addresses now and then, so the map cannot grow without bound.
  if (now - last_sweep_ > std::chrono::minutes(5)) {
    std::erase_if(attempts_, [&](const auto& kv) { return kv.second.empty() || kv.second.back() < window_start; });
    last_sweep_ = now;
  }
  auto& times = attempts_[address];
  while (!times.empty() && times.front() < window_start) times.pop_front();
  if (static_cast<int>(times.size()) >= per_minute_) {
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(times.front() - window_start);
    return std::max(wait + std::chrono::seconds(1), std::chrono::seconds(1));
  }
  times.push_back(now);
  return std::nullopt;
}

}  // namespace kith::app
