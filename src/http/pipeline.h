// Everything between the wire and a handler, free of Beast so it is unit-testable: the target,
// the body limit, content-type
// and origin checks, idempotency keys, routing (API, health, metrics, static files), turning
// unexpected exceptions into a bare 500, security headers on every response, metrics and the
// access log.
// Thread safety: Handle is safe from any thread.
#pragma once

#include <functional>
#include <string>

#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"

namespace kith::http {

class IdempotencyStep;

struct PipelineOptions {
  bool tls = false;  // adds Strict-Transport-Security
  // Runs state-changing API requests that carry an Idempotency-Key (http/idempotency.h).
  const IdempotencyStep* idempotency = nullptr;
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
  void Secure(const Request& request, Response& response) const;

  const Router& router_;
  const StaticFiles& files_;
  Metrics& metrics_;
  PipelineOptions options_;
};

}  // namespace kith::http
