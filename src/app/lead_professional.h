// Changing a child's lead professional, in one place: the team's lead and the lead designated
// on the child's open early help assessments move together, so the index, signposting, the
// team page and the assessment always name the same person.
// Runs inside the caller's write transaction. Thread safety: as the repositories it is given.
#pragma once

#include <string>

#include "common/random.h"
#include "common/result.h"
#include "domain/child.h"
#include "domain/team.h"
#include "storage/repositories.h"

namespace kith::app {

// Checks the team's handover rules (domain::Handover) and stores the change: team lead flags,
// team events with `reason`, and a handover on each open assessment of the child. A lead set for
// a child who had none alerts the authority's managers (the lead decides who joins the team).
// Errors as domain::Handover; nothing is written on error.
Result<domain::LeadChange> ChangeLeadProfessional(storage::Repositories& r, Random& random, const domain::Child& child,
                                                  const domain::Team& team, const std::string& actor_id,
                                                  const std::string& to_user_id, const std::string& reason,
                                                  TimePoint now);

}  // namespace kith::app
