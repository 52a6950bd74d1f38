#include "http/problem.h"

#include <nlohmann/json.hpp>

namespace kith::http {

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kSecondFactorRequired:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kLocked:
      return 423;
    case ErrorCode::kRateLimited:
      return 429;
  }
  return 500;
}

namespace {

std::string_view TitleFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return "The request is not valid";
    case ErrorCode::kUnauthenticated:
      return "Sign-in required";
    case ErrorCode::kSecondFactorRequired:
      return "Second factor required";
    case ErrorCode::kForbidden:
      return "Not allowed";
    case ErrorCode::kNotFound:
      return "Not found";
    case ErrorCode::kConflict:
      return "Conflict";
    case ErrorCode::kPayloadTooLarge:
      return "Request too large";
    case ErrorCode::kUnsupportedMediaType:
      return "Unsupported media type";
    case ErrorCode::kLocked:
      return "Account locked";
    case ErrorCode::kRateLimited:
      return "Too many requests";
  }
  return "Error";
}

}  // namespace

Response ProblemResponse(int status, std::string_view code, std::string_view title, std::string_view detail,
                         std::string_view request_id, std::string_view field) {
  nlohmann::json body = {{"type", "https://kith.example/problems/" + std::string(code)},
                         {"title", title},
                         {"status", status},
                         {"detail", detail},
                         {"code", code},
                         {"instance", "urn:kith:request:" + std::string(request_id)}};
  if (!field.empty()) body["field"] = field;
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response ErrorResponse(const Error& error, const std::string& request_id) {
  Response r = ProblemResponse(StatusFor(error.code), ToString(error.code), TitleFor(error.code), error.message,
                               request_id, error.field);
  if (error.retry_after) r.SetHeader("Retry-After", std::to_string(error.retry_after->count()));
  if (error.code == ErrorCode::kUnauthenticated) r.SetHeader("WWW-Authenticate", "Cookie realm=\"kith\"");
  return r;
}

}  // namespace kith::http
