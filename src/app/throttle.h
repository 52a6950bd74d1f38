// Per-client-address limit on sign-in attempts: a sliding window of one minute.
// Thread safety: safe from any thread.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace kith::app {

class AddressThrottle {
 public:
  AddressThrottle(const Clock& clock, int per_minute) : clock_(clock), per_minute_(per_minute) {}
  // Records an attempt from `address`. Returns nullopt if allowed, or how long to wait.
  std::optional<std::chrono::seconds> Attempt(const std::string& address);

 private:
  const Clock& clock_;
  int per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<TimePoint>> attempts_;
  TimePoint last_sweep_{};
};

}  // namespace kith::app
