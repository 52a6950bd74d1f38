// What every use case needs: the store, the clock, randomness, the password hasher and policy
// settings. Built once by the composition root and shared (by reference) by the services.
#pragma once

#include <chrono>

#include "app/credentials.h"
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
  int lockout_threshold = 5;                  // consecutive failures before an account locks
  std::chrono::minutes lockout_duration{15};  // so at most 20 failures an hour reach a password check
  int address_attempts_per_minute = 20;       // sign-in attempts from one client address
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
