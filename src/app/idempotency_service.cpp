#include "app/idempotency_service.h"

#include <nlohmann/json.hpp>

namespace kith::app {
namespace {

std::string InFlightKey(const KeyedRequest& r) { return r.scope + '\n' + r.key; }

}  // namespace

bool IsRetryLater(int status) {
  return status == 408 || status == 423 || status == 425 || status == 429 || status == 503;
}

KeyCheck IdempotencyService::Start(const KeyedRequest& request) {
  const std::string id = InFlightKey(request);
  {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = in_flight_.try_emplace(id, request.fingerprint);
    if (!inserted) return {it->second == request.fingerprint ? KeyVerdict::kInFlight : KeyVerdict::kMismatch, {}};
  }
  // Marked in flight before reading, so that a second request with the key cannot also run; a
  // finished run stores its outcome before leaving the set, so the read below sees it.
  const auto leave = [&] {
    std::lock_guard lock(mutex_);
    in_flight_.erase(id);
  };
  std::optional<storage::IdempotencyRecord> stored;
  try {
    stored = ctx_.store.ReadValue(
        [&](storage::Repositories& r) { return r.Idempotency().Get(request.scope, request.key, ctx_.clock.Now()); });
  } catch (...) {
    leave();
    throw;
  }
  if (!stored) return {KeyVerdict::kRun, {}};
  leave();
  if (stored->fingerprint != request.fingerprint) return {KeyVerdict::kMismatch, {}};
  if (!stored->status) return {KeyVerdict::kResponseLost, {}};
  return {KeyVerdict::kReplay, StoredResponse{*stored->status, stored->content_type, stored->body}};
}

storage::IdempotencyRecord IdempotencyService::NewRecord(const KeyedRequest& request) const {
  const TimePoint now = ctx_.clock.Now();
  return {request.scope,  request.key, request.fingerprint,          request.method,
          request.target, now,         now + kIdempotencyKeyLifetime};
}

void IdempotencyService::Finish(const KeyedRequest& request, bool recorded,
                                const std::optional<StoredResponse>& response) {
  struct Leave {
    IdempotencyService* self;
    std::string id;
    ~Leave() {
      std::lock_guard lock(self->mutex_);
      self->in_flight_.erase(id);
    }
  } leave{this, InFlightKey(request)};
  // A server error after a committed change is a lost response, not one to replay.
  if (!recorded || !response || (response->status >= 500 && !IsRetryLater(response->status))) return;
  ctx_.store.Write([&](storage::Repositories& r) {
    if (IsRetryLater(response->status)) {
      r.Idempotency().Remove(request.scope, request.key);
    } else if (!r.Idempotency().Complete(request.scope, request.key, response->status, response->content_type,
                                         response->body)) {
      throw storage::StorageError("the idempotency key vanished before its response was stored");
    }
    return true;
  });
}

void IdempotencyService::AuditReplay(const Principal& p, const KeyedRequest& request, const std::string& child_id,
                                     int status) {
  auto a = AuditFor(p, "request.replay", ctx_.clock.Now());
  a.child_id = child_id;
  a.why = "idempotency key";
  a.detail = nlohmann::json{{"method", request.method}, {"target", request.target}, {"status", status}}.dump();
  ctx_.store.Write([&](storage::Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
}

int64_t IdempotencyService::Sweep() {
  int64_t removed = 0;
  ctx_.store.Write([&](storage::Repositories& r) {
    removed = r.Idempotency().DeleteExpired(ctx_.clock.Now());
    return removed > 0;
  });
  return removed;
}

}  // namespace kith::app
