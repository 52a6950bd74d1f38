// Per-client-address limit on sign-in attempts: a sliding window of one minute. The attempts are
// kept in the database (SessionRepository::AttemptsSince/RecordAttempt), so every node over one
// database counts the same attempts and N nodes allow no more than one: an attempt is counted
// and checked in one write, which the store serialises with every other node's.
// Thread safety: safe from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "common/clock.h"
#include "storage/store.h"

namespace kith::app {

class AddressThrottle {
 public:
  AddressThrottle(storage::Store& store, const Clock& clock, int per_minute)
      : store_(store), clock_(clock), per_minute_(per_minute) {}
  // Records an attempt from `address`, unless `per_minute` attempts from it fall in the last
  // minute already: then nothing is recorded and the result says how long to wait (at least one
  // second). Returns nullopt if the attempt may go ahead. Every few minutes it also forgets the
  // attempts of addresses gone quiet, so the table cannot grow without bound. Throws what the
  // store throws (StorageUnavailable: the caller answers 503).
  std::optional<std::chrono::seconds> Attempt(const std::string& address);

 private:
  storage::Store& store_;
  const Clock& clock_;
  int per_minute_;
  std::atomic<int64_t> last_sweep_micros_{0};
};

}  // namespace kith::app
