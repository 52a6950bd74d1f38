#include "storage/idempotent_store.h"

#include <utility>

namespace kith::storage {
namespace {

thread_local IdempotencyClaim* current_claim = nullptr;

}  // namespace

IdempotencyClaim::IdempotencyClaim(IdempotencyRecord record) : record_(std::move(record)), outer_(current_claim) {
  current_claim = this;
}

IdempotencyClaim::~IdempotencyClaim() { current_claim = outer_; }

void IdempotentStore::Write(const std::function<bool(Repositories&)>& fn) {
  IdempotencyClaim* claim = current_claim;
  if (claim == nullptr || claim->recorded_) return inner_->Write(fn);
  bool kept = false;
  inner_->Write([&](Repositories& r) {
    kept = false;
    if (!fn(r)) return false;
    if (!r.Idempotency().Begin(claim->record_)) {
      throw StorageError("the idempotency key is already recorded; the change was not applied");
    }
    kept = true;
    return true;
  });
  // Reached only if the commit succeeded (it throws otherwise). An undone write leaves the claim
  // open for the request's next write.
  claim->recorded_ = kept;
}

}  // namespace kith::storage
