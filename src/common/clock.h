// Time is injected everywhere so that tests are deterministic and never sleep.
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace kith {

using Clock_ = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock that moves only when told to. Starts at the given instant.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_us_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(std::chrono::microseconds(now_us_.load())); }
  void Advance(std::chrono::microseconds by) { now_us_ += by.count(); }
  void Set(TimePoint to) { now_us_ = to.time_since_epoch().count(); }

 private:
  std::atomic<int64_t> now_us_;
};

// Microseconds since the Unix epoch: how instants are stored.
inline int64_t ToMicros(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromMicros(int64_t us) { return TimePoint(std::chrono::microseconds(us)); }

// RFC 3339 in UTC with millisecond precision, e.g. "2026-11-22T01:53:06.123Z".
std::string FormatUtc(TimePoint t);

}  // namespace kith
