#include "http/idempotency.h"

#include <optional>

#include "common/encoding.h"
#include "http/handlers.h"
#include "http/problem.h"
#include "storage/idempotent_store.h"
#include "storage/store.h"

namespace kith::http {
namespace {

bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The child a request is about, for the audit record of a replay.
std::string ChildOf(const std::string& path) {
  constexpr std::string_view kPrefix = "/api/v1/children/";
  if (!StartsWith(path, kPrefix)) return "";
  const size_t end = path.find('/', kPrefix.size());
  return path.substr(kPrefix.size(), end == std::string::npos ? std::string::npos : end - kPrefix.size());
}

// The answer while the first request with a key is still running (here or on another node).
Response InProgress(const Request& request) {
  Response out = ProblemResponse(409, "idempotency_key_in_use", "Request still in progress",
                                 "The first request with this Idempotency-Key is still being processed. Retry "
                                 "after a moment with the same key to get its response.",
                                 request.request_id, "Idempotency-Key");
  out.SetHeader("Retry-After", "1");
  return out;
}

}  // namespace

std::string ParseIdempotencyKey(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  if (value.empty() || value.size() > 255) return "";
  for (char c : value) {
    // Printable ASCII; no quote or backslash inside (an sf-string would need them escaped).
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return "";
  }
  return std::string(value);
}

std::string RequestFingerprint(const Request& request) {
  // The target's length makes the encoding unambiguous (the method holds no newline).
  std::string text = request.method + '\n' + std::to_string(request.target.size()) + '\n';
  text.reserve(text.size() + request.target.size() + request.body.size());
  text.append(request.target).append(request.body);
  return Sha256Hex(text);
}

bool IsIdempotencyExempt(const std::string& path) {
  return path == "/api/v1/session" || StartsWith(path, "/api/v1/session/") ||
         StartsWith(path, "/api/v1/me/second-factor") || path == "/api/v1/users" ||
         StartsWith(path, "/api/v1/users/") || path == "/api/v1/family/redeem" || path == "/api/v1/family/links" ||
         path == "/api/v1/search" || EndsWith(path, "/break-glass") || EndsWith(path, "/find") ||
         path == "/api/v1/audit/misuse/runs";
}

Response IdempotencyStep::Handle(const Request& request, const std::function<Response()>& next) const {
  auto header = request.headers.find("idempotency-key");
  if (header == request.headers.end()) return next();  // the common case: nothing to do
  Response out = Answer(request, header->second, next);
  if (out.route.empty()) out.route = "(idempotency)";  // answered here, not by a route
  return out;
}

Response IdempotencyStep::Answer(const Request& request, const std::string& header,
                                 const std::function<Response()>& next) const {
  const std::string key = ParseIdempotencyKey(header);
  if (key.empty()) {
    return ProblemResponse(400, "invalid_input", "Invalid request",
                           "Idempotency-Key must be 1 to 255 printable ASCII characters; send a fresh random "
                           "value (a UUID) with each new request.",
                           request.request_id, "Idempotency-Key");
  }
  if (IsIdempotencyExempt(request.path)) return next();
  // Authenticated here as the handler will be (cached; the session is touched here, not inside
  // the claim). A caller the handler will refuse gets that refusal, and no key is kept for it.
  auto principal = AuthenticateRequest(auth_, options_.api, request);
  if (!principal) return next();

  const app::KeyedRequest keyed{"user:" + principal->user.id, key, RequestFingerprint(request), request.method,
                                request.target};
  const app::KeyCheck check = keys_.Start(keyed);
  switch (check.verdict) {
    case app::KeyVerdict::kReplay: {
      keys_.AuditReplay(*principal, keyed, ChildOf(request.path), check.response->status);
      Response out;
      out.status = check.response->status;
      out.content_type = check.response->content_type;
      out.body = check.response->body;
      out.SetHeader("Idempotent-Replayed", "true");
      return out;
    }
    case app::KeyVerdict::kMismatch:
      return ProblemResponse(422, "idempotency_key_reused", "Idempotency key reused",
                             "This Idempotency-Key was used for a different request in the last 24 hours. Send a "
                             "new key with each new request.",
                             request.request_id, "Idempotency-Key");
    case app::KeyVerdict::kInFlight:
      return InProgress(request);
    case app::KeyVerdict::kResponseLost:
      return ProblemResponse(409, "response_lost", "Change made, response lost",
                             "The first request with this Idempotency-Key made its change, but its response was "
                             "lost (the server stopped or failed). Do not send it again: read the resource to see "
                             "its current state.",
                             request.request_id, "Idempotency-Key");
    case app::KeyVerdict::kRun:
      break;
  }

  bool recorded = false;
  std::optional<Response> response;
  try {
    storage::IdempotencyClaim claim(keys_.NewRecord(keyed));
    try {
      response = next();
    } catch (...) {
      recorded = claim.recorded();
      throw;
    }
    recorded = claim.recorded();
  } catch (const storage::IdempotencyKeyTaken&) {
    // Another request with the key (on another node) recorded it first; this one's change was
    // undone. Its retry gets that request's response.
    keys_.Finish(keyed, false, std::nullopt);
    return InProgress(request);
  } catch (const storage::StorageError& e) {
    // A change already written keeps its key "in progress": a retry is told its response was lost.
    keys_.Finish(keyed, recorded, std::nullopt);
    // The database failed after the request's change was made (reading for the answer, or a
    // second write, as when the primary dies just after a commit): the answer must not say that
    // nothing was changed. Its retry with the key is told the response was lost.
    if (recorded && storage::IsPassing(e)) {
      throw storage::StorageOutcomeUnknown(std::string(e.what()) + " (after the request's change was made)");
    }
    throw;
  } catch (...) {
    keys_.Finish(keyed, recorded, std::nullopt);
    throw;
  }
  if (recorded && options_.after_durable_write) options_.after_durable_write(request);
  keys_.Finish(keyed, recorded, app::StoredResponse{response->status, response->content_type, response->body});
  return std::move(*response);
}

}  // namespace kith::http
