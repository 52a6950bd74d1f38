// An authority node's publishing to the national hub (docs/hub.md), when the configuration
// names a hub: a background thread that, every hub_interval seconds when the children's records
// changed or changes are still unacknowledged, reconciles the authority's children with what
// the hub holds and sends the changes (hub/publisher.h). It stops with the returned thread.
// Thread safety: call once, from the composition root.
#pragma once

#include <optional>
#include <thread>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "server/config.h"
#include "storage/store.h"

namespace kith::server {

// nullopt when no hub is configured; kInvalidInput (naming the file) when the key, the secret
// or the hub's address cannot be used.
Result<std::optional<std::jthread>> StartHubPublishing(const Config& config, storage::Store& store, const Clock& clock,
                                                       Random& random);

}  // namespace kith::server
