#include "app/broker.h"

namespace kith::app {

Broker BrokerFor(storage::Repositories& r, const domain::Child& child) {
  Broker b;
  for (auto& a : r.Agencies().ListByAuthority(child.authority_id)) {
    if (a.kind == domain::AgencyKind::kChildrensSocialCare) {
      b.agency = std::move(a);
      break;
    }
  }
  if (b.agency) {
    b.contact_through = "Contact through " + b.agency->name;
  } else {
    const auto la = r.Authorities().Get(child.authority_id);
    b.contact_through =
        "Contact through the children's social care of " + (la ? la->name : std::string("the local authority"));
  }
  return b;
}

}  // namespace kith::app
