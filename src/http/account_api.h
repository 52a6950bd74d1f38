// The child's-account API (issue 3) under /api/v1: chronology, contact series, forum, word
// cloud, relationships wheel, feed and alerts — thin handlers over app::AccountService — and the
// live-updates WebSocket endpoint (/api/v1/live) over app::LiveHub. See docs/openapi.yaml
// (tags "Account" and "Feed"); the tables behind it are in docs/data-model.md.
// Thread safety: handlers and the endpoint are safe from any thread once registered.
#pragma once

#include <memory>

#include "app/account_service.h"
#include "app/auth_service.h"
#include "app/live_hub.h"
#include "http/api.h"
#include "http/router.h"
#include "http/server.h"

namespace kith::http {

struct AccountApiServices {
  app::AuthService& auth;
  app::AccountService& account;
};

void RegisterAccountApi(Router& router, AccountApiServices services, ApiOptions options);

// The WebSocket endpoint for live updates: authenticates the session cookie at the upgrade
// (a complete session, same origin), then relays hub events the user may see as JSON:
// {"type":"feed","item":{...}} and {"type":"child_updated","child_id","what"}; answers
// {"type":"ping"} with {"type":"pong"}. The connection is closed (1008, "signed out") once its
// session no longer stands — signed out, expired, its user disabled — when a message would go
// to it or at the hub's next Revalidate (app/live_hub.h).
std::unique_ptr<WebSocketEndpoint> MakeLiveEndpoint(app::AuthService& auth, app::LiveHub& hub, ApiOptions options);

}  // namespace kith::http
