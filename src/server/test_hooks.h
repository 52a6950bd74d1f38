// The test build's hooks (server/hooks.h), linked only into the `kith-test` executable:
//   - the server runs on a manual clock, which `POST /api/v1/test/clock {"advance_seconds": N}`
//     moves forward, so that tests of session expiry, lockouts and rate limits never sleep;
//   - the header "X-Kith-Test-Fault: crash-after-write" on a state change made under an
//     Idempotency-Key ends the process the moment its change is durable and before its response
//     is stored, as a power cut would (tests/functional/idempotency.test.mjs);
//   - `POST /api/v1/test/injectable {"word": "kith"}` (signed in, with the CSRF token) answers
//     how many rows of a one-row table hold that word, the word pasted into the SQL text rather
//     than bound, on a connection of its own to the server's database: a deliberate SQL
//     injection, the positive control of `make sqlmap` (docs/security-testing.md), which must
//     find it and nothing else.
// It refuses to serve on anything but a loopback address.
// Thread safety: as ServeHooks.
#pragma once

#include <memory>
#include <string>

#include "server/hooks.h"

namespace kith::server {

class TestHooks final : public ServeHooks {
 public:
  Status Check(const Config& config) override;
  const Clock& ServerClock(const Clock& system) override;
  void AddRoutes(http::Router& router, app::AuthService& auth, const http::ApiOptions& options) override;
  void AfterDurableWrite(const http::Request& request) override;

 private:
  std::unique_ptr<ManualClock> clock_;
  std::string database_url_;   // PostgreSQL's, or empty
  std::string database_path_;  // SQLite's, when database_url_ is empty
};

}  // namespace kith::server
