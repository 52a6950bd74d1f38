// Who is told at once of sensitive acts on a child: break-glass, a shield set or removed, a
// request to join waiting too long, a shielded child's team growing. One place, so that every
// such act reaches the same people.
// Runs inside the caller's write transaction. Thread safety: as the repositories it is given.
#pragma once

#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "domain/child.h"
#include "storage/repositories.h"

namespace kith::app {

enum class Watchers {
  kLeadAndManagers,  // the child's lead professional and the active managers of its authority
  kManagers,         // the active managers of the child's authority
  kLead,             // the child's lead professional only
};

// Alerts `who` (everyone but `actor_id`) with an alert of `kind` about `subject_id`. Returns how
// many were alerted.
int AlertWatchers(storage::Repositories& r, Random& random, const domain::Child& child, Watchers who,
                  const std::string& actor_id, const std::string& kind, const std::string& summary,
                  const std::string& subject_id, TimePoint now);

}  // namespace kith::app
