// The HTTP wire from an authority node to the hub (HubChannel): each request signed with the
// node's key (hub/signing.h), over plain HTTP to a loopback or private address or behind a TLS
// terminator. Synchronous; one connection per request.
// Thread safety: Publish and Cursor may run from any thread.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "hub/publisher.h"
#include "hub/signing.h"

namespace kith::hub {

// `url`: "http://HOST:PORT" of the hub. Fails with kInvalidInput for another form.
Result<std::unique_ptr<HubChannel>> MakeHttpHubChannel(const std::string& url, const SigningKey& key,
                                                       const Clock& clock, Random& random);

}  // namespace kith::hub
