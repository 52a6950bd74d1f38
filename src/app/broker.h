// The contact broker of a shielded child: whom everyone outside the team — other
// practitioners, and the family portal once the child is shielded — is told to contact instead
// of the services and practitioners around the child (docs/shielding.md).
// Runs inside the caller's transaction. Thread safety: as the repositories it is given.
#pragma once

#include <optional>
#include <string>

#include "domain/child.h"
#include "domain/organisation.h"
#include "storage/repositories.h"

namespace kith::app {

struct Broker {
  std::optional<domain::Agency> agency;  // the authority's children's social care (the first by name)
  std::string contact_through;           // "Contact through Northbrook Children's Services"
};

Broker BrokerFor(storage::Repositories& r, const domain::Child& child);

}  // namespace kith::app
