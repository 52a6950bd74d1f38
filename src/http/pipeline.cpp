#include "http/pipeline.h"

#include <chrono>
#include <exception>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/net_address.h"
#include "http/idempotency.h"
#include "http/problem.h"
#include "storage/store.h"

namespace kith::http {
namespace {

// No inline script or style anywhere, so no 'unsafe-inline'; no eval.
constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

bool IsApi(const std::string& path) { return path.rfind("/api/", 0) == 0; }

// The database could not be reached, or a write kept conflicting with others: nothing of the
// request was half-written (storage/store.h), and trying again shortly is the remedy. When the
// connection was lost during the commit itself, or a keyed request's change was made before the
// database failed (http/idempotency.cpp), the change may have been made whole, and the answer
// says so (`outcome_unknown`): a retry without the same key could make it twice.
Response Unavailable(const Request& request, const std::exception& e) {
  log::Error("request.unavailable", {{"request_id", request.request_id}, {"error", e.what()}, {"path", request.path}});
  Response response =
      dynamic_cast<const storage::StorageOutcomeUnknown*>(&e) != nullptr
          ? ProblemResponse(503, "outcome_unknown", "Service unavailable",
                            "The database became unavailable while the change was being committed or answered, so "
                            "it may or may not have been made (whole, never by halves). Retry with the same "
                            "Idempotency-Key: the retry makes the change, or answers 409 response_lost if it was "
                            "made. Without a key, read the resource before trying again.",
                            request.request_id)
          : ProblemResponse(503, "unavailable", "Service unavailable",
                            "The database is unavailable or busy for a moment and nothing was changed by "
                            "halves: try again shortly (with the same Idempotency-Key, if you sent one).",
                            request.request_id);
  response.SetHeader("Retry-After", "2");
  response.route = "(unavailable)";
  return response;
}

bool HasJsonBody(const Request& r) {
  const std::string& ct = r.Header("content-type");
  return ct.rfind("application/json", 0) == 0;
}

// The bodies that are not JSON: CSV files sent as themselves (a chronology import; a source
// feed of the national index, or a part of one).
bool IsCsvImport(const Request& r) {
  if (r.method != "POST" || r.Header("content-type").rfind("text/csv", 0) != 0) return false;
  auto ends_with = [&](std::string_view suffix) {
    return r.path.size() > suffix.size() && r.path.compare(r.path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  constexpr std::string_view kImports = "/api/v1/index/imports";
  return ends_with("/chronology/import") || r.path == kImports ||
         (r.path.rfind(kImports, 0) == 0 && ends_with("/parts"));
}

// Browsers send Origin on cross-site requests; a state change from another origin is refused
// (defence in depth behind SameSite=Strict cookies and the CSRF token).
bool SameOrigin(const Request& r) {
  const std::string& origin = r.Header("origin");
  if (origin.empty() || origin == "null") return origin.empty();
  const std::string& host = r.Header("host");
  return origin == "http://" + host || origin == "https://" + host;
}

}  // namespace

std::vector<RouteLimit> AnonymousRouteLimits() {
  return {{"POST", "/api/v1/session", {"route.sign-in", 20, std::chrono::minutes(1)}},
          {"POST", "/api/v1/family/redeem", {"route.family-redeem", 10, std::chrono::minutes(1)}}};
}

std::optional<Response> Pipeline::Limit(const Request& r) const {
  if (options_.limiter == nullptr) return std::nullopt;
  for (const auto& route : options_.route_limits) {
    if (route.method != r.method || route.path != r.path) continue;
    const auto wait = options_.limiter->Take(route.limit, AddressKey(r.client));
    if (!wait) return std::nullopt;
    log::Warn("request.rate_limited", {{"route", route.path}, {"client", r.client}, {"retry_after", wait->count()}});
    Response out = ErrorResponse({ErrorCode::kRateLimited,
                                  "Too many requests from your address; wait for the time given in Retry-After and "
                                  "try again.",
                                  {},
                                  *wait},
                                 r.request_id);
    out.route = route.path;
    return out;
  }
  return std::nullopt;
}

Response Pipeline::Dispatch(const Request& r) const {
  if (auto limited = Limit(r)) return std::move(*limited);
  if (IsApi(r.path)) {
    if (r.IsStateChanging()) {
      if (!SameOrigin(r)) {
        return ProblemResponse(403, "cross_origin", "Not allowed", "Requests from other sites are refused.",
                               r.request_id);
      }
      if ((r.method == "POST" || r.method == "PUT" || r.method == "PATCH") && !HasJsonBody(r) && !IsCsvImport(r)) {
        return ErrorResponse(
            {ErrorCode::kUnsupportedMediaType, "Send the request body as application/json.", {}, std::nullopt},
            r.request_id);
      }
      if (options_.idempotency != nullptr) return options_.idempotency->Handle(r, [&] { return router_.Route(r); });
    }
    return router_.Route(r);
  }
  if (router_.Matches(r.path)) return router_.Route(r);  // /healthz, /metrics
  if (r.method != "GET" && r.method != "HEAD") {
    return ProblemResponse(405, "method_not_allowed", "Method not allowed", "Only GET is allowed here.", r.request_id);
  }
  return files_.Serve(r);
}

void Pipeline::Secure(const Request& request, Response& response) const {
  response.SetHeader("Content-Security-Policy", kCsp);
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  response.SetHeader("Cross-Origin-Resource-Policy", "same-origin");
  response.SetHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  if (options_.tls) response.SetHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  // Personal data must never sit in a shared or browser cache.
  if (IsApi(request.path) || !response.HasHeader("Cache-Control")) response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("X-Request-Id", request.request_id);
}

Response Pipeline::Handle(Request request) const {
  const auto start = std::chrono::steady_clock::now();
  Response response;
  try {
    if (!ParseTarget(request.target, &request.path, &request.query)) {
      response =
          ProblemResponse(400, "bad_target", "Bad request", "The request address is malformed.", request.request_id);
      response.route = "(bad target)";
    } else if (request.body_too_large) {
      response = ErrorResponse(
          {ErrorCode::kPayloadTooLarge, "The request body is larger than the server accepts.", {}, std::nullopt},
          request.request_id);
      response.route = "(too large)";
    } else {
      response = Dispatch(request);
    }
  } catch (const storage::StorageUnavailable& e) {
    response = Unavailable(request, e);
  } catch (const storage::StorageConflict& e) {
    response = Unavailable(request, e);
  } catch (const std::exception& e) {
    // The detail goes to the log only; the client gets a bare problem with the request id.
    log::Error("request.failed", {{"request_id", request.request_id}, {"error", e.what()}, {"path", request.path}});
    response = ProblemResponse(500, "internal", "Something went wrong",
                               "The server could not complete the request. Quote the request id if you report it.",
                               request.request_id);
    response.route = "(error)";
  }
  Secure(request, response);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.Observe(request.method, response.route.empty() ? "(static)" : response.route, response.status, seconds);
  // Every request at debug level; refusals, errors and slow requests always.
  const auto level = response.status >= 400 || seconds > 0.25 ? log::Level::kInfo : log::Level::kDebug;
  if (!log::Enabled(level)) return response;  // the fields cost several allocations
  log::Write(level, "request",
             {{"request_id", request.request_id},
              {"method", request.method},
              {"route", response.route},
              {"status", response.status},
              {"ms", seconds * 1000},
              {"client", request.client}});
  return response;
}

}  // namespace kith::http
