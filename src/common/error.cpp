#include "common/error.h"

namespace kith {

std::string_view ToString(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kSecondFactorRequired:
      return "second_factor_required";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kLocked:
      return "locked";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
  }
  return "unknown";
}

}  // namespace kith
