// What a build may add to `kith serve` beyond the product. The product passes none. The test
// build (server/test_hooks.h, the `kith-test` executable the functional and browser tests run)
// adds a clock that tests move over HTTP, fault injection and an injectable route; they live in their own library
// and executable, so the `kith` binary that `make run` builds does not contain them at all
// (tests/product_has_no_test_hooks.cmake checks).
// Thread safety: Check, ServerClock and AddRoutes are called once, at start-up, from the thread
// that serves; AfterDurableWrite is called from any server thread.
#pragma once

#include "app/auth_service.h"
#include "common/clock.h"
#include "common/result.h"
#include "http/api.h"
#include "http/message.h"
#include "http/router.h"
#include "server/config.h"

namespace kith::server {

class ServeHooks {
 public:
  virtual ~ServeHooks() = default;
  // Refuses a configuration the hooks must not run with (an error the server reports and exits
  // with). Called before anything is opened.
  virtual Status Check(const Config& config) = 0;
  // The clock the server runs on, given the system clock.
  virtual const Clock& ServerClock(const Clock& system) = 0;
  // Adds routes after the product's own; `auth` and `options` authenticate them as the product's
  // routes are (http/handlers.h).
  virtual void AddRoutes(http::Router& router, app::AuthService& auth, const http::ApiOptions& options) = 0;
  // Called when a state change made under an Idempotency-Key is durable and before its response
  // is stored (http::IdempotencyOptions::after_durable_write).
  virtual void AfterDurableWrite(const http::Request& request) = 0;
};

}  // namespace kith::server
