// What every use case needs: the store, the clock, randomness, the password hasher and policy
// settings. Built once by the composition root and shared (by reference) by the services.
#pragma once

#include <chrono>

#include "app/credentials.h"
#include "app/rate_limiter.h"
#include "common/clock.h"
#include "common/random.h"
#include "domain/break_glass.h"
#include "storage/store.h"

namespace kith::app {

struct Policy {
  std::chrono::minutes session_idle{30};
  std::chrono::hours session_absolute{12};
  // Re-authentication is needed for sensitive acts this long after signing in.
  std::chrono::minutes reauth_window{5};
  // Wrong second-factor codes (the password was right) in a row before the account locks, and
  // for how long: guessing codes needs the password, so this lock is not one anyone can set off.
  int lockout_threshold = 5;
  std::chrono::minutes lockout_duration{15};
  // Wrong passwords are counted per username as typed, known or not, so that a locked account and
  // an unknown one answer alike (docs/adr/0018-sign-in-throttling.md):
  // - from one address for one username: the fifth failure within 15 minutes locks that address
  //   out of that username (423 with Retry-After), and no other address;
  RateLimit failures_per_username_and_address{"sign-in.failures.address", 5, std::chrono::minutes(15)};
  // - per username across addresses, at most 100 failures an hour reach a password check (ASVS
  //   2.2.1): 80 from addresses the account has not signed in from, and 20 from addresses it has,
  //   so that a guesser elsewhere spends only the first budget and the holder still signs in
  //   from where they usually do;
  RateLimit failures_per_username_from_new_addresses{"sign-in.failures.new", 80, std::chrono::hours(1)};
  RateLimit failures_per_username_from_known_addresses{"sign-in.failures.known", 20, std::chrono::hours(1)};
  // - an address is "known" to a username for 30 days after a successful sign-in from it.
  RateLimit known_address{"sign-in.known-address", 1, std::chrono::hours(24 * 30)};
  // last_seen_at is written at most this often per session (every request would be a write).
  std::chrono::seconds session_touch_interval{60};
  // A request to join a team not decided in this time is escalated to the authority's managers.
  std::chrono::hours join_escalation{24};
  // How long break-glass lasts by default and at most.
  domain::BreakGlassLimits break_glass;
};

struct Context {
  storage::Store& store;
  const Clock& clock;
  Random& random;
  const PasswordHasher& hasher;
  Policy policy;
};

}  // namespace kith::app
