// Authentication of an API request: the principal behind the session cookie, with the CSRF
// token checked on state-changing requests and a complete sign-in (second factor done or not
// needed) required. One implementation for the API modules registered on the router.
// Thread safety: safe from any thread.
#pragma once

#include "app/auth_service.h"
#include "common/result.h"
#include "http/api.h"
#include "http/message.h"

namespace kith::http {

// Errors: kUnauthenticated (no or expired session), kForbidden (CSRF token missing or wrong),
// kSecondFactorRequired (sign-in not complete).
Result<app::Principal> AuthenticateRequest(app::AuthService& auth, const ApiOptions& options, const Request& request);

}  // namespace kith::http
