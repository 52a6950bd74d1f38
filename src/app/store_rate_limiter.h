// A RateLimiter whose events live in the database (SessionRepository::RateEvents and friends), so
// every node over one database counts the same events: N nodes allow one limit, not N. Chosen by
// the composition root when the database is shared (PostgreSQL); on SQLite, where one process
// owns the file, MemoryRateLimiter does the same job without a write per event.
//
// Each Take checks and counts in one Write, which the store serialises with every other node's
// (on PostgreSQL a concurrent Take on the same key is retried by the store: see storage/store.h),
// so no two nodes can both take the last event of a window. The windows are exact sliding
// windows, as MemoryRateLimiter's, with the injected clock (every node's clock should agree to
// well under a second; they are compared in the database). A key holds at most its limit's
// count of events, and expired events are swept out about once a minute by whichever call comes
// first, so the table cannot grow without bound.
//
// Failure: every method throws what the store throws (StorageUnavailable, StorageConflict: the
// HTTP layer answers 503 with Retry-After); nothing is counted then.
//
// Thread safety: safe from any thread, and from any number of processes over one database.
#pragma once

#include <atomic>
#include <cstdint>

#include "app/rate_limiter.h"
#include "common/clock.h"
#include "storage/store.h"

namespace kith::app {

class StoreRateLimiter final : public RateLimiter {
 public:
  StoreRateLimiter(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  std::optional<std::chrono::seconds> Take(const RateLimit& limit, std::string_view key) override;
  std::optional<std::chrono::seconds> Check(const RateLimit& limit, std::string_view key) override;
  void Add(const RateLimit& limit, std::string_view key) override;
  void Reset(const RateLimit& limit, std::string_view key) override;
  void ResetPrefix(const RateLimit& limit, std::string_view prefix) override;

 private:
  // Forgets expired events if no call of this process did so in the last minute.
  void SweepNowAndThen(TimePoint now);

  storage::Store& store_;
  const Clock& clock_;
  std::atomic<int64_t> last_sweep_micros_{0};
};

}  // namespace kith::app
