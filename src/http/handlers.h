// What every API handler needs, in one place: authenticating the request (session cookie, CSRF
// token on state changes, complete sign-in), strict body parsing, JSON and problem responses,
// and query parameters. The API modules (api.cpp, account_api.cpp, search_api.cpp) use these and
// nothing of their own for the same jobs.
// Thread safety: all functions are safe from any thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/auth_service.h"
#include "common/result.h"
#include "http/api.h"
#include "http/json_codec.h"
#include "http/message.h"
#include "http/problem.h"

namespace kith::http {

// The session cookie's name: "__Host-kith" behind TLS, "kith_session" on plain HTTP.
std::string SessionCookieName(const ApiOptions& options);

// The principal behind the request's session. Errors: kUnauthenticated (no or expired session),
// kForbidden (CSRF token missing or wrong on a state-changing request), kSecondFactorRequired
// (sign-in not complete, unless `allow_incomplete`).
Result<app::Principal> AuthenticateRequest(app::AuthService& auth, const ApiOptions& options, const Request& request,
                                           bool allow_incomplete = false);

Response JsonResponse(int status, const json& body);
Response NoContentResponse();

// `encode(value)` as JSON with `status`, or the problem for the error.
template <typename T, typename F>
Response Reply(const Request& request, const Result<T>& result, int status, F&& encode) {
  if (!result) return ErrorResponse(result.error(), request.request_id);
  return JsonResponse(status, encode(*result));
}

// A JSON array of encode(item) for each item.
template <typename T, typename F>
json ListJson(const std::vector<T>& items, F&& encode) {
  json out = json::array();
  for (const auto& item : items) out.push_back(encode(item));
  return out;
}

// A JSON array of the json_codec.h encoding of each item.
template <typename T>
json ListJson(const std::vector<T>& items) {
  return ListJson(items, [](const T& item) { return ToJson(item); });
}

// Runs `f(principal)` for an authenticated request, or answers with the problem.
template <typename F>
Response WithPrincipal(app::AuthService& auth, const ApiOptions& options, const Request& q, F&& f) {
  auto p = AuthenticateRequest(auth, options, q);
  if (!p) return ErrorResponse(p.error(), q.request_id);
  return f(*p);
}

// Runs `f(principal, body)` for an authenticated request whose body is a JSON object.
template <typename F>
Response WithBody(app::AuthService& auth, const ApiOptions& options, const Request& q, F&& f) {
  auto p = AuthenticateRequest(auth, options, q);
  if (!p) return ErrorResponse(p.error(), q.request_id);
  auto body = ParseObject(q.body);
  if (!body) return ErrorResponse(body.error(), q.request_id);
  return f(*p, *body);
}

// Text made safe to place in HTML content or a quoted attribute; line breaks become <br>.
std::string HtmlEscape(std::string_view s);

// A query parameter, or empty.
std::string QueryString(const Request& q, const std::string& key);
// A non-negative whole-number query parameter, or `fallback` when absent or malformed.
int QueryInt(const Request& q, const std::string& key, int fallback);

}  // namespace kith::http
