// Everything between the wire and a handler, free of Beast so it is unit-testable: the target,
// the body limit, per-address limits on costly anonymous routes, content-type and origin checks,
// idempotency keys, routing (API, health, metrics, static files), turning
// unexpected exceptions into a bare 500, security headers on every response, metrics and the
// access log.
// Thread safety: Handle is safe from any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/rate_limiter.h"

#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"

namespace kith::http {

class IdempotencyStep;

// A limit per client address (Request::client, by common/net_address.h's AddressKey) on one
// route, checked before the request is parsed, authenticated or routed: for the routes anyone
// may call that cost real work. Over the limit the answer is 429 with Retry-After.
struct RouteLimit {
  std::string method;
  std::string path;  // exact
  app::RateLimit limit;
};

// Kith's anonymous routes that cost real work: sign-in (an argon2id check, 20 a minute from one
// address) and the family portal's code redemption (an argon2id hash once the code is right, 10 a
// minute).
std::vector<RouteLimit> AnonymousRouteLimits();

struct PipelineOptions {
  bool tls = false;  // adds Strict-Transport-Security
  // Runs state-changing API requests that carry an Idempotency-Key (http/idempotency.h).
  const IdempotencyStep* idempotency = nullptr;
  // Counts `route_limits` (both or neither).
  app::RateLimiter* limiter = nullptr;
  std::vector<RouteLimit> route_limits;
};

class Pipeline {
 public:
  Pipeline(const Router& router, const StaticFiles& files, Metrics& metrics, PipelineOptions options)
      : router_(router), files_(files), metrics_(metrics), options_(options) {}

  // Parses the target into path and query (400 if malformed), refuses over-large bodies (413),
  // then dispatches. Every response, refusals included, carries the security headers.
  Response Handle(Request request) const;

 private:
  Response Dispatch(const Request& request) const;
  // 429 if the request is over its route's limit.
  std::optional<Response> Limit(const Request& request) const;
  void Secure(const Request& request, Response& response) const;

  const Router& router_;
  const StaticFiles& files_;
  Metrics& metrics_;
  PipelineOptions options_;
};

}  // namespace kith::http
