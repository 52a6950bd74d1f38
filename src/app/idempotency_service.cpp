#include "app/idempotency_service.h"

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "storage/store.h"

namespace kith::app {
namespace {

std::string InFlightKey(const KeyedRequest& r) { return r.scope + '\n' + r.key; }

}  // namespace

bool IsRetryLater(int status) {
  return status == 408 || status == 423 || status == 425 || status == 429 || status == 503;
}

IdempotencyService::IdempotencyService(Context& ctx, std::chrono::milliseconds retry_pause)
    : ctx_(ctx), retry_pause_(retry_pause), writer_([this](std::stop_token stop) { StoreResponses(stop); }) {}

IdempotencyService::~IdempotencyService() {
  writer_.request_stop();
  writer_.join();
}

KeyCheck IdempotencyService::Start(const KeyedRequest& request) {
  const std::string id = InFlightKey(request);
  {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = in_flight_.try_emplace(id, InFlight{request.fingerprint, nullptr});
    if (!inserted) {
      if (it->second.fingerprint != request.fingerprint) return {KeyVerdict::kMismatch, {}};
      if (it->second.response) return {KeyVerdict::kReplay, *it->second.response};
      return {KeyVerdict::kInFlight, {}};
    }
  }
  // Marked in flight before reading, so that a second request with the key cannot also run; a
  // run stays in the set until its outcome is durable, so the read below sees it.
  std::optional<storage::IdempotencyRecord> stored;
  try {
    stored = ctx_.store.ReadValue(
        [&](storage::Repositories& r) { return r.Idempotency().Get(request.scope, request.key, ctx_.clock.Now()); });
  } catch (...) {
    Leave(id);
    throw;
  }
  if (!stored) return {KeyVerdict::kRun, {}};
  std::lock_guard lock(mutex_);
  in_flight_.erase(id);
  if (stored->fingerprint != request.fingerprint) return {KeyVerdict::kMismatch, {}};
  if (!stored->status) {
    const bool running_elsewhere =
        !lost_.contains(id) && ctx_.clock.Now() - stored->created_at < kIdempotencyRunGrace;
    return {running_elsewhere ? KeyVerdict::kInFlight : KeyVerdict::kResponseLost, {}};
  }
  return {KeyVerdict::kReplay, StoredResponse{*stored->status, stored->content_type, stored->body}};
}

storage::IdempotencyRecord IdempotencyService::NewRecord(const KeyedRequest& request) const {
  const TimePoint now = ctx_.clock.Now();
  return {request.scope,  request.key, request.fingerprint,          request.method,
          request.target, now,         now + kIdempotencyKeyLifetime};
}

void IdempotencyService::Leave(const std::string& id) {
  std::lock_guard lock(mutex_);
  in_flight_.erase(id);
}

void IdempotencyService::LeaveLost(const std::string& id) {
  in_flight_.erase(id);
  const TimePoint now = ctx_.clock.Now();
  std::erase_if(lost_, [&](const auto& entry) { return now - entry.second >= kIdempotencyRunGrace; });
  lost_[id] = now;
}

void IdempotencyService::Finish(const KeyedRequest& request, bool recorded,
                                const std::optional<StoredResponse>& response) {
  const std::string id = InFlightKey(request);
  if (!recorded) return Leave(id);  // nothing was written: the key was not kept
  // A server error came after the change (a lost response, not one to replay): the key has
  // nothing more to store.
  if (!response || (response->status >= 500 && !IsRetryLater(response->status))) {
    std::lock_guard lock(mutex_);
    return LeaveLost(id);
  }
  if (IsRetryLater(response->status)) {
    struct Done {
      IdempotencyService* self;
      const std::string& id;
      ~Done() { self->Leave(id); }
    } done{this, id};
    ctx_.store.Write([&](storage::Repositories& r) {
      r.Idempotency().Remove(request.scope, request.key);
      return true;
    });
    return;
  }
  auto stored = std::make_shared<const StoredResponse>(*response);
  {
    std::lock_guard lock(mutex_);
    in_flight_[id].response = stored;
    queue_.push_back({id, request, std::move(stored)});
  }
  wake_.notify_one();
}

void IdempotencyService::StoreResponses(std::stop_token stop) {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, stop, [this] { return !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is stored
      batch.swap(queue_);
      writing_ = true;
    }
    const bool stored = StoreBatch(batch, stop);
    {
      std::lock_guard lock(mutex_);
      for (const auto& p : batch) {
        if (stored) {
          in_flight_.erase(p.id);
        } else {
          LeaveLost(p.id);
        }
      }
      writing_ = false;
    }
    stored_.notify_all();
    batch.clear();
  }
}

bool IdempotencyService::StoreBatch(const std::vector<Pending>& batch, std::stop_token stop) {
  for (int attempt = 1;; ++attempt) {
    std::string reason;
    bool passing = false;
    try {
      ctx_.store.Write([&](storage::Repositories& r) {
        for (const auto& p : batch) {
          // kNotFound only if the key was swept meanwhile (a request that ran for a day): nothing to store.
          (void)r.Idempotency().Complete(p.request.scope, p.request.key, p.response->status, p.response->content_type,
                                         p.response->body);
        }
        return true;
      });
      if (attempt > 1) log::Info("idempotency.stored_late", {{"responses", batch.size()}, {"attempts", attempt}});
      return true;
    } catch (const std::exception& e) {
      reason = e.what();
      passing = storage::IsPassing(e);  // e.g. a failover under way; anything else would fail again
    }
    if (!passing || attempt >= kResponseStoreAttempts || stop.stop_requested()) {
      // The keys stay "in progress": a retry is told its response was lost, never run twice.
      log::Error("idempotency.store_failed", {{"responses", batch.size()}, {"attempts", attempt}, {"reason", reason}});
      return false;
    }
    if (attempt == 1) log::Warn("idempotency.store_retrying", {{"responses", batch.size()}, {"reason", reason}});
    // Wait before the next attempt; a stop cuts the wait short, and one last attempt follows.
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, retry_pause_, [] { return false; });
  }
}

void IdempotencyService::Flush() {
  std::unique_lock lock(mutex_);
  stored_.wait(lock, [this] { return queue_.empty() && !writing_; });
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
