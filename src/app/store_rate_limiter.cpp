#include "app/store_rate_limiter.h"

#include <algorithm>
#include <string>
#include <vector>

namespace kith::app {
namespace {

// As MemoryRateLimiter's keys: the limit's name, a newline, then the key.
std::string KeyOf(const RateLimit& limit, std::string_view key) {
  std::string k;
  k.reserve(limit.name.size() + 1 + key.size());
  k.append(limit.name).push_back('\n');
  k.append(key);
  return k;
}

// How long until one more event fits, given the unexpired events (oldest first).
std::optional<std::chrono::seconds> Wait(const std::vector<TimePoint>& times, const RateLimit& limit, TimePoint now) {
  if (static_cast<int>(times.size()) < limit.count) return std::nullopt;
  // The oldest of the newest `count` events must leave the window first.
  const auto left = times[times.size() - static_cast<size_t>(limit.count)] + limit.window - now;
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(left));
}

}  // namespace

void StoreRateLimiter::SweepNowAndThen(TimePoint now) {
  const int64_t now_micros = ToMicros(now);
  int64_t last = last_sweep_micros_.load();
  if (now_micros - last < std::chrono::microseconds(std::chrono::minutes(1)).count()) return;
  if (!last_sweep_micros_.compare_exchange_strong(last, now_micros)) return;  // another thread sweeps
  store_.Write([&](storage::Repositories& r) {
    r.Sessions().ForgetExpiredRateEvents(now);
    return true;
  });
}

std::optional<std::chrono::seconds> StoreRateLimiter::Take(const RateLimit& limit, std::string_view key) {
  const TimePoint now = clock_.Now();
  SweepNowAndThen(now);
  const std::string k = KeyOf(limit, key);
  std::optional<std::chrono::seconds> wait;
  store_.Write([&](storage::Repositories& r) {
    // Repeatable: the store may run this again after a conflict with another node's Take.
    wait = Wait(r.Sessions().RateEvents(k, now), limit, now);
    if (wait) return false;
    r.Sessions().AddRateEvent(k, now, now + limit.window, limit.count);
    return true;
  });
  return wait;
}

std::optional<std::chrono::seconds> StoreRateLimiter::Check(const RateLimit& limit, std::string_view key) {
  const TimePoint now = clock_.Now();
  const std::string k = KeyOf(limit, key);
  return Wait(store_.ReadValue([&](storage::Repositories& r) { return r.Sessions().RateEvents(k, now); }), limit, now);
}

void StoreRateLimiter::Add(const RateLimit& limit, std::string_view key) {
  const TimePoint now = clock_.Now();
  SweepNowAndThen(now);
  const std::string k = KeyOf(limit, key);
  store_.Write([&](storage::Repositories& r) {
    r.Sessions().AddRateEvent(k, now, now + limit.window, limit.count);
    return true;
  });
}

void StoreRateLimiter::Reset(const RateLimit& limit, std::string_view key) {
  const std::string k = KeyOf(limit, key);
  store_.Write([&](storage::Repositories& r) {
    r.Sessions().ForgetRateEvents(k);
    return true;
  });
}

void StoreRateLimiter::ResetPrefix(const RateLimit& limit, std::string_view prefix) {
  const std::string k = KeyOf(limit, prefix);
  store_.Write([&](storage::Repositories& r) {
    r.Sessions().ForgetRateEventsWithPrefix(k);
    return true;
  });
}

}  // namespace kith::app
