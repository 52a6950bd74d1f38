#include "app/rate_limiter.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/log.h"

namespace kith::app {
namespace {

std::string KeyOf(const RateLimit& limit, std::string_view key) {
  std::string k;
  k.reserve(limit.name.size() + 1 + key.size());
  k.append(limit.name).push_back('\n');
  k.append(key);
  return k;
}

}  // namespace

MemoryRateLimiter::Events* MemoryRateLimiter::Find(const RateLimit& limit, std::string_view key, TimePoint now,
                                                   bool create, bool* full) {
  if (now - last_sweep_ > std::chrono::minutes(1)) {
    std::erase_if(events_, [&](const auto& kv) { return kv.second.expires <= now; });
    last_sweep_ = now;
  }
  const std::string k = KeyOf(limit, key);
  auto it = events_.find(k);
  if (it != events_.end()) {
    auto& times = it->second.times;
    const TimePoint window_start = now - limit.window;
    times.erase(times.begin(), std::find_if(times.begin(), times.end(), [&](TimePoint t) { return t > window_start; }));
    return &it->second;
  }
  if (!create) return nullptr;
  if (events_.size() >= max_keys_) {
    std::erase_if(events_, [&](const auto& kv) { return kv.second.expires <= now; });
    last_sweep_ = now;
    if (events_.size() >= max_keys_) {
      if (full) *full = true;
      log::Warn("rate_limiter.full", {{"keys", events_.size()}, {"limit", std::string(limit.name)}});
      return nullptr;
    }
  }
  return &events_[k];
}

std::optional<std::chrono::seconds> MemoryRateLimiter::Wait(const Events& e, const RateLimit& limit, TimePoint now) {
  if (static_cast<int>(e.times.size()) < limit.count) return std::nullopt;
  // The oldest kept event must leave the window first.
  const auto left = e.times.front() + limit.window - now;
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(left));
}

void MemoryRateLimiter::Record(Events& e, const RateLimit& limit, TimePoint now) {
  if (static_cast<int>(e.times.size()) >= limit.count) e.times.erase(e.times.begin());
  e.times.push_back(now);
  e.expires = now + limit.window;
}

std::optional<std::chrono::seconds> MemoryRateLimiter::Take(const RateLimit& limit, std::string_view key) {
  const TimePoint now = clock_.Now();
  std::lock_guard lock(mutex_);
  bool full = false;
  Events* e = Find(limit, key, now, true, &full);
  if (!e) return std::chrono::duration_cast<std::chrono::seconds>(limit.window);
  if (auto wait = Wait(*e, limit, now)) return wait;
  Record(*e, limit, now);
  return std::nullopt;
}

std::optional<std::chrono::seconds> MemoryRateLimiter::Check(const RateLimit& limit, std::string_view key) {
  const TimePoint now = clock_.Now();
  std::lock_guard lock(mutex_);
  const Events* e = Find(limit, key, now, false, nullptr);
  return e ? Wait(*e, limit, now) : std::nullopt;
}

void MemoryRateLimiter::Add(const RateLimit& limit, std::string_view key) {
  const TimePoint now = clock_.Now();
  std::lock_guard lock(mutex_);
  if (Events* e = Find(limit, key, now, true, nullptr)) Record(*e, limit, now);
}

void MemoryRateLimiter::Reset(const RateLimit& limit, std::string_view key) {
  std::lock_guard lock(mutex_);
  events_.erase(KeyOf(limit, key));
}

void MemoryRateLimiter::ResetPrefix(const RateLimit& limit, std::string_view prefix) {
  const std::string start = KeyOf(limit, prefix);
  std::lock_guard lock(mutex_);
  std::erase_if(events_, [&](const auto& kv) { return kv.first.starts_with(start); });
}

size_t MemoryRateLimiter::Keys() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

}  // namespace kith::app
