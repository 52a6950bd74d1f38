// Rate limits and failure counters: how many events of one kind a key (a client address, a
// username, a pair of both) had within a sliding window. Sign-in, the family portal's code
// redemption and the HTTP layer's per-address limits all count through one RateLimiter.
//
// The interface is what a cluster needs too: a database-backed limiter (one count shared by
// every node) can replace MemoryRateLimiter without changing a caller. Events are counted with
// the injected clock, so tests move time instead of sleeping.
//
// Thread safety: implementations are safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"

namespace kith::app {

// At most `count` events per `window` for one key. `name` keeps limits apart in one limiter.
struct RateLimit {
  std::string_view name;
  int count = 1;
  std::chrono::seconds window{60};
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;

  // Counts an event for `key` if fewer than limit.count are in the window, and returns nullopt;
  // otherwise counts nothing and returns how long until an event would be allowed (>= 1 s).
  virtual std::optional<std::chrono::seconds> Take(const RateLimit& limit, std::string_view key) = 0;
  // How long until an event for `key` would be allowed (>= 1 s), or nullopt if it would be now.
  // Counts nothing.
  virtual std::optional<std::chrono::seconds> Check(const RateLimit& limit, std::string_view key) = 0;
  // Counts an event whether or not the limit is reached (a failure that has happened).
  virtual void Add(const RateLimit& limit, std::string_view key) = 0;
  // Forgets `key`'s events under `limit`.
  virtual void Reset(const RateLimit& limit, std::string_view key) = 0;
  // Forgets the events under `limit` of every key that starts with `prefix` (an administrator
  // clearing a user's sign-in failures from every address).
  virtual void ResetPrefix(const RateLimit& limit, std::string_view prefix) = 0;
};

// Counts in this process's memory: exact sliding windows (the newest limit.count events of each
// key are kept). Not shared between nodes or kept across restarts; a database-backed limiter
// will be for a cluster.
//
// Memory is bounded: keys whose events have all left their window are swept out every minute,
// and at most `max_keys` are held. When that many are live, an event for a new key is refused
// (Take answers one window's wait; Add is dropped) rather than forgetting another key's count,
// and a warning is logged: failing closed, as an attacker would otherwise evict their own
// counts by spraying keys.
class MemoryRateLimiter final : public RateLimiter {
 public:
  explicit MemoryRateLimiter(const Clock& clock, size_t max_keys = 200'000) : clock_(clock), max_keys_(max_keys) {}

  std::optional<std::chrono::seconds> Take(const RateLimit& limit, std::string_view key) override;
  std::optional<std::chrono::seconds> Check(const RateLimit& limit, std::string_view key) override;
  void Add(const RateLimit& limit, std::string_view key) override;
  void Reset(const RateLimit& limit, std::string_view key) override;
  void ResetPrefix(const RateLimit& limit, std::string_view prefix) override;

  // Keys held now (for tests and metrics).
  size_t Keys() const;

 private:
  struct Events {
    std::vector<TimePoint> times;  // oldest first; at most the limit's count
    TimePoint expires{};           // when the newest leaves the window
  };
  // The events of (limit, key) still in the window, or null. With `create`, a new entry is made
  // if there is room; `full` says there was not.
  Events* Find(const RateLimit& limit, std::string_view key, TimePoint now, bool create, bool* full);
  static std::optional<std::chrono::seconds> Wait(const Events& e, const RateLimit& limit, TimePoint now);
  void Record(Events& e, const RateLimit& limit, TimePoint now);

  const Clock& clock_;
  const size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Events> events_;
  TimePoint last_sweep_{};
};

}  // namespace kith::app
