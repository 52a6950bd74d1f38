#include "storage/idempotent_store.h"

#include <utility>

#include "common/await.h"

namespace kith::storage {
namespace {

// Per request: each server fiber has its own (common/await.h), each other thread its own.
const TaskLocal<IdempotencyClaim> current_claim;

}  // namespace

IdempotencyClaim::IdempotencyClaim(IdempotencyRecord record)
    : record_(std::move(record)), outer_(current_claim.get()) {
  current_claim.set(this);
}

IdempotencyClaim::~IdempotencyClaim() { current_claim.set(outer_); }

void IdempotentStore::Write(const std::function<bool(Repositories&)>& fn) {
  IdempotencyClaim* claim = current_claim.get();
  if (claim == nullptr || claim->recorded_) return inner_->Write(fn);
  bool kept = false;
  inner_->Write([&](Repositories& r) {
    kept = false;
    if (!fn(r)) return false;
    if (!r.Idempotency().Begin(claim->record_)) {
      throw IdempotencyKeyTaken("the idempotency key is already recorded; the change was not applied");
    }
    kept = true;
    return true;
  });
  // Reached only if the commit succeeded (it throws otherwise). An undone write leaves the claim
  // open for the request's next write.
  claim->recorded_ = kept;
}

}  // namespace kith::storage
