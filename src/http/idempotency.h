// The Idempotency-Key step of the request pipeline (IETF httpapi idempotency-key draft;
// docs/idempotency.md). For a state-changing API request that carries the header it validates
// the key (400), scopes it to the signed-in user, and then either runs the handler with the key
// claimed (storage::IdempotencyClaim, so the key is recorded with the first committed change) and
// stores its response, or answers without running it: the stored response (marked
// Idempotent-Replayed: true), 422 for a key reused on another request, 409 with Retry-After while
// the first request runs, 409 when the first request's change was made but its response lost.
//
// Not replayed (the key is validated, then ignored): routes whose response carries a credential
// (sign-in, second factor, TOTP enrolment: a stored copy would be a second copy of the secret, and
// a replay could not set the cookie); routes whose body carries a password or one-time code
// (users, family redeem and links, shield overrides: the stored fingerprint, a fast hash, would make the secret
// guessable offline; these are safe to retry anyway, as a repeat meets a taken username, a stale
// version or a used code); searches and the auditors' finding by name and running of the misuse
// report, which change nothing another run would not (and whose bodies hold names that a stored
// response should not keep); and requests without a complete,
// CSRF-checked session, which the handler refuses anyway.
//
// Thread safety: Handle is safe from any thread; the handler runs on the calling thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "app/auth_service.h"
#include "app/idempotency_service.h"
#include "http/api.h"
#include "http/message.h"

namespace kith::http {

struct IdempotencyOptions {
  ApiOptions api;
  // If set, called the moment a keyed handler's change is durable and before its response is
  // stored: the test build's fault injection (server/test_hooks.h) ends the process there.
  std::function<void(const Request&)> after_durable_write;
};

class IdempotencyStep {
 public:
  IdempotencyStep(app::AuthService& auth, app::IdempotencyService& keys, IdempotencyOptions options)
      : auth_(auth), keys_(keys), options_(std::move(options)) {}

  // For a state-changing request under /api: `next()` unless it carries Idempotency-Key.
  Response Handle(const Request& request, const std::function<Response()>& next) const;

 private:
  Response Answer(const Request& request, const std::string& header, const std::function<Response()>& next) const;

  app::AuthService& auth_;
  app::IdempotencyService& keys_;
  IdempotencyOptions options_;
};

// The key from the header's value (an sf-string: quotes optional), or empty if it is not 1 to
// 255 printable ASCII characters.
std::string ParseIdempotencyKey(std::string_view value);

// SHA-256 (hex) of method, target and body: what "the same request" means.
std::string RequestFingerprint(const Request& request);

// True for routes that ignore the key (see above).
bool IsIdempotencyExempt(const std::string& path);

}  // namespace kith::http
