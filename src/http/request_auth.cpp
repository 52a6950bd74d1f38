#include "http/request_auth.h"

#include <sodium.h>

namespace kith::http {

Result<app::Principal> AuthenticateRequest(app::AuthService& auth, const ApiOptions& options, const Request& request) {
  const std::string token = request.Cookie(options.secure_cookies ? "__Host-kith" : "kith_session");
  if (token.empty()) return Error::Unauthenticated("Sign in to continue.");
  auto p = auth.Authenticate(token, request.client);
  if (!p) return p.error();
  if (request.IsStateChanging()) {
    const std::string& sent = request.Header("x-csrf-token");
    const std::string& expected = p->session.csrf_token;
    // Constant time: the comparison must not reveal how much of a guessed token was right.
    if (sent.size() != expected.size() || sodium_memcmp(sent.data(), expected.data(), sent.size()) != 0) {
      return Error::Forbidden("The request is missing its CSRF token (X-CSRF-Token); reload the page and retry.");
    }
  }
  if (p->state != app::SessionState::kComplete) {
    return Error{ErrorCode::kSecondFactorRequired, "Finish signing in (second factor) before continuing.", {},
                 std::nullopt};
  }
  return p;
}

}  // namespace kith::http
