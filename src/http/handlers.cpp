#include "http/handlers.h"

#include <sodium.h>

namespace kith::http {

std::string SessionCookieName(const ApiOptions& options) {
  return options.secure_cookies ? "__Host-kith" : "kith_session";
}

Result<app::Principal> AuthenticateRequest(app::AuthService& auth, const ApiOptions& options, const Request& request,
                                           bool allow_incomplete) {
  const std::string token = request.Cookie(SessionCookieName(options));
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
  if (!allow_incomplete && p->state != app::SessionState::kComplete) {
    return Error{ErrorCode::kSecondFactorRequired,
                 p->state == app::SessionState::kNeedsEnrolment
                     ? "Set up a second factor (an authenticator app) before continuing."
                     : "Enter the code from your authenticator app to finish signing in.",
                 {},
                 std::nullopt};
  }
  return p;
}

Response JsonResponse(int status, const json& body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response NoContentResponse() {
  Response r;
  r.status = 204;
  return r;
}

std::string QueryString(const Request& q, const std::string& key) {
  auto it = q.query.find(key);
  return it == q.query.end() ? std::string() : it->second;
}

int QueryInt(const Request& q, const std::string& key, int fallback) {
  const std::string v = QueryString(q, key);
  if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) return fallback;
  return std::stoi(v);
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace kith::http
