// Expected failures, carried as values (see result.h). Each code maps to one HTTP status in
// exactly one place (src/http/problem.cpp); the message is safe to show to the user who caused
// it and never carries internal detail.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kith {

enum class ErrorCode {
  kInvalidInput,     // the request is malformed or a field fails validation
  kUnauthenticated,  // no valid session, or bad credentials
  kSecondFactorRequired,
  kForbidden,    // authenticated, but the access policy says no
  kNotFound,     // no such record, or one the caller may not know exists
  kConflict,     // the record changed meanwhile, or the act contradicts current state
  kLocked,       // the account is locked after repeated failures
  kRateLimited,  // too many attempts from this client address
  kUnsupportedMediaType,
  kPayloadTooLarge,
};

std::string_view ToString(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
  // The request field the error is about, when there is one ("date_of_birth").
  std::string field;
  // For kLocked and kRateLimited: when the caller may try again.
  std::optional<std::chrono::seconds> retry_after;

  static Error Invalid(std::string field, std::string message) {
    return {ErrorCode::kInvalidInput, std::move(message), std::move(field), std::nullopt};
  }
  static Error NotFound(std::string message) { return {ErrorCode::kNotFound, std::move(message), {}, std::nullopt}; }
  static Error Forbidden(std::string message) { return {ErrorCode::kForbidden, std::move(message), {}, std::nullopt}; }
  static Error Conflict(std::string message) { return {ErrorCode::kConflict, std::move(message), {}, std::nullopt}; }
  static Error Unauthenticated(std::string message) {
    return {ErrorCode::kUnauthenticated, std::move(message), {}, std::nullopt};
  }
};

}  // namespace kith
