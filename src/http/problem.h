// Errors as RFC 9457 problem details (application/problem+json). The mapping from an error code
// to an HTTP status lives here and nowhere else. A problem never carries internal detail.
#pragma once

#include <string>

#include "common/error.h"
#include "http/message.h"

namespace kith::http {

int StatusFor(ErrorCode code);

// A problem response: {"type","title","status","detail","instance"} plus "field" when given.
Response ProblemResponse(int status, std::string_view code, std::string_view title, std::string_view detail,
                         std::string_view request_id, std::string_view field = {});

// The response for an expected failure; sets Retry-After for kLocked and kRateLimited.
Response ErrorResponse(const Error& error, const std::string& request_id);

}  // namespace kith::http
