// The hub's HTTP API (docs/hub.md). Every request must be signed by a trusted authority
// (hub/signing.h); anything else — unsigned, forged, replayed, stale, from an unknown
// authority — is answered 401 with no detail, logged and recorded in the hub's store.
//   POST /hub/v1/changes  {"encoding":E,"changes":[{"seq":N,"ref":R,"tokens":T}|{"seq":N,"ref":R,"removed":true}]}
//        → {"last_seq":N}; 409 {"expected_seq":N,...} when a change skips ahead
//   POST /hub/v1/queries  {"encoding":E,"tokens":T} → {"matches":[{"authority":A,"ref":R,"band":B}]}
//   GET  /hub/v1/cursor   → {"last_seq":N}: the caller's last change the hub holds
//   GET  /healthz         → {"status":"ok","children":N} (unsigned)
// T = {"nhs":hex|null,"upn":hex|null,"blocks":[hex16…],"clk":base64|null}.
// Thread safety: handlers are safe from any thread.
#pragma once

#include <map>
#include <string>

#include "common/clock.h"
#include "http/router.h"
#include "hub/hub_service.h"
#include "hub/signing.h"

namespace kith::hub {

struct HubApiDeps {
  HubService& service;
  HubStore& store;  // the nonce ledger and the record of refusals
  const std::map<std::string, PublicKey>& authorities;
  const Clock& clock;
};

void RegisterHubApi(http::Router& router, HubApiDeps deps);

}  // namespace kith::hub
