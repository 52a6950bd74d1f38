// Idempotency keys at the storage seam: a Store decorator that records a request's key in the
// same transaction as the request's first committed write, whatever the back end.
//
// The HTTP layer opens an IdempotencyClaim in the task that runs the handler (its fiber: see
// common/await.h); the first Write made by that task while the claim is open also calls Idempotency().Begin(record) inside the
// caller's transaction, after the caller's callback has decided to keep its changes. So the change
// and its key become durable together: a crash can never leave a change without its key, and a
// retry after a crash finds the key and does not apply the change twice. Writes that are undone
// (the callback returns false or throws) record nothing. Later writes on the same claim add
// nothing. This relies on handlers writing from their own task, which every Kith handler does
// (Store::Write returns once durable).
//
// Thread safety: IdempotentStore is as safe as the Store it wraps. An IdempotencyClaim belongs to
// the task (fiber, or thread off a fiber) that opened it and must be closed there; claims nest.
#pragma once

#include <memory>

#include "storage/store.h"

namespace kith::storage {

class IdempotencyClaim {
 public:
  // Opens the claim in the calling task. `record` is stored as given (status empty).
  explicit IdempotencyClaim(IdempotencyRecord record);
  ~IdempotencyClaim();
  IdempotencyClaim(const IdempotencyClaim&) = delete;
  IdempotencyClaim& operator=(const IdempotencyClaim&) = delete;

  // True once a write carrying the key has committed.
  bool recorded() const { return recorded_; }
  const IdempotencyRecord& record() const { return record_; }

 private:
  friend class IdempotentStore;
  IdempotencyRecord record_;
  bool recorded_ = false;
  IdempotencyClaim* outer_;
};

// The claim's key was recorded first by another request (on another node, or an earlier process)
// that ran at the same time: this request's change was undone, nothing of it stored. The HTTP
// layer answers it as a request still in progress, to be retried with the same key.
class IdempotencyKeyTaken : public StorageError {
 public:
  using StorageError::StorageError;
};

class IdempotentStore final : public Store {
 public:
  explicit IdempotentStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}

  void Read(const std::function<void(Repositories&)>& fn) override { inner_->Read(fn); }
  // As Store::Write; with an open claim not yet recorded, also records its key in the same
  // transaction. If the key is already taken (kConflict), the write is undone and
  // IdempotencyKeyTaken thrown: the change must not be applied without its key.
  void Write(const std::function<bool(Repositories&)>& fn) override;
  StoreStats Stats() const override { return inner_->Stats(); }
  uint64_t IdentityVersion() const override { return inner_->IdentityVersion(); }
  uint64_t RecordsVersion() const override { return inner_->RecordsVersion(); }

 private:
  std::unique_ptr<Store> inner_;
};

}  // namespace kith::storage
