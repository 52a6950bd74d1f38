// The access snapshot of one child, shared by the use cases that act on a child's account:
// the child, the team, the caller's relation to them and the practitioners' policy decision.
// Thread safety: LoadChildAccess runs inside the caller's transaction; the result is a value.
#pragma once

#include <optional>
#include <string>

#include "domain/access_policy.h"
#include "domain/child.h"
#include "domain/team.h"
#include "storage/repositories.h"

namespace kith::app {

struct ChildAccess {
  domain::Child child;
  domain::Team team;
  domain::ChildRelation relation;
  domain::Decision decision;  // for domain::ChildAction::kViewAccount
  bool may_write = false;     // allowed and on the team

  std::string ChildName() const { return child.given_names + " " + child.family_name; }
  const domain::TeamMember* Lead() const { return domain::FindLead(team); }
};

// Reads the snapshot for `actor`; nullopt if there is no such child.
std::optional<ChildAccess> LoadChildAccess(storage::Repositories& r, const std::string& child_id,
                                           const domain::Actor& actor);

}  // namespace kith::app
