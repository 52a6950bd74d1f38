// The authenticated caller of a use case, and helpers to audit what it does.
#pragma once

#include <string>

#include "domain/access_policy.h"
#include "domain/audit.h"
#include "domain/user.h"
#include "storage/repositories.h"

namespace kith::app {

enum class SessionState {
  kComplete,           // signed in, second factor done or not needed
  kNeedsSecondFactor,  // password accepted; a TOTP code is due
  kNeedsEnrolment,     // password accepted; policy requires enrolling a second factor first
};

std::string_view ToString(SessionState state);

// The access policy's view of a user.
inline domain::Actor ActorOf(const domain::User& user) {
  return {user.id,     user.role,          user.authority_id,          user.agency_id,
          user.active, user.index_steward, user.information_governance};
}

struct Principal {
  domain::User user;
  storage::SessionRecord session;
  SessionState state = SessionState::kComplete;
  std::string client;  // the client address

  domain::Actor Actor() const { return ActorOf(user); }
};

// An audit record with the actor's fields filled in.
domain::AuditRecord AuditFor(const Principal& p, std::string action, TimePoint at);

}  // namespace kith::app
